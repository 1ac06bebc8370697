#!/usr/bin/env python3
"""README screenshots of the demo guide (examples/demo), made in headless Chromium.

  scripts/screenshots.py                 # build the release binary, then every screenshot
  scripts/screenshots.py --no-cargo      # use target/release/certguide as it is
  scripts/screenshots.py --out /tmp/shots

Builds examples/demo with the release binary into a temporary folder, serves it from a
free local port (Python's own HTTP server, on 127.0.0.1 only) and writes into
docs/screenshots/:

  home.png      the home page, 1280x900
  record.png    a certification page (amounts in euros, yearly renewal, sources)
  compare.png   three records side by side, in three currencies, 1280x1400
                (only the rows that differ)
  phone.png     the home page on a phone-sized window, 390x844
  dark.png      the home page in dark mode, 1280x900

Each is `chromium --headless --screenshot` of the first screen, after the page's scripts
have run (a virtual-time budget lets the compare page fetch its records). Needs chromium
(Debian: chromium) and cargo; nothing is fetched from the network. With Pillow installed
(pip install Pillow) each PNG is reduced to a 256-colour palette, about a third of the
size, so the committed files stay small.
"""
import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEMO = os.path.join(REPO, "examples", "demo")

# name, path under the site, window size, extra Chromium flags
SHOTS = [
    ("home", "", (1280, 900), []),
    ("record", "certifications/wwb-cxp/", (1280, 900), []),
    ("compare", "compare/?ids=nsi-tl,wst-ss,tqg-qa&diff=1", (1280, 1400), []),
    ("phone", "", (390, 844), []),
    ("dark", "", (1280, 900), ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]),
]


def find_chromium():
    for name in (os.environ.get("CERTGUIDE_CHROMIUM"), "chromium", "chromium-browser",
                 "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    sys.exit("chromium not found (Debian: apt-get install chromium), or set CERTGUIDE_CHROMIUM")


def build(binary, out):
    run = subprocess.run([binary, "build", "--quiet", "--root", DEMO, "--output", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"building the demo failed:\n{run.stderr}")


def serve(public):
    handler = functools.partial(QuietHandler, directory=public)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def shoot(chromium, url, size, flags, path, profile):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--no-default-browser-check", "--force-device-scale-factor=1",
           f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
           "--virtual-time-budget=5000", f"--screenshot={path}", *flags, url]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if run.returncode != 0 or not os.path.isfile(path):
        sys.exit(f"chromium failed on {url}:\n{run.stderr}")


def shrink(path):
    """Rewrites the PNG with a 256-colour palette when Pillow is there; else leaves it."""
    try:
        from PIL import Image
    except ImportError:
        return False
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                          dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-cargo", action="store_true",
                    help="do not run cargo build --release; use the binary as it is")
    ap.add_argument("--binary", help="a certguide binary to use instead of the release one "
                    "(implies --no-cargo)")
    ap.add_argument("--out", default=os.path.join(REPO, "docs", "screenshots"),
                    help="folder for the PNG files (default: docs/screenshots)")
    args = ap.parse_args()

    if not (args.no_cargo or args.binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = args.binary or os.path.join(REPO, "target", "release", "certguide")
    if not os.path.isfile(binary):
        sys.exit(f"{binary} not found: run cargo build --release")
    chromium = find_chromium()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="certguide-shots-") as tmp:
        public = os.path.join(tmp, "public")
        build(binary, public)
        server = serve(public)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            for name, page, size, flags in SHOTS:
                path = os.path.join(args.out, f"{name}.png")
                shoot(chromium, base + page, size, flags, path, os.path.join(tmp, "profile"))
                shrink(path)
                print(f"{path}  {size[0]}x{size[1]}  {os.path.getsize(path) // 1024} KiB")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
