"""Headless Chromium through chromedriver's W3C WebDriver HTTP API, for the benchmarks
(bench/browser_filter.py, bench/serve_latency.py): no Selenium, only the standard library.
Chromium runs with the flags this machine's closed network needs (no background
networking, no component updates, no sync) and a fresh profile folder per session."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--window-size=1280,900"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few W3C WebDriver commands the benchmarks need, over plain HTTP (urllib)."""

    def __init__(self, chromedriver, chromium, profile):
        self.port = free_port()
        self.proc = subprocess.Popen([chromedriver, f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium,
                                   "args": CHROME_ARGS + [f"--user-data-dir={profile}"]},
        }}}
        self.session = self.call("POST", "/session", caps)["sessionId"]
        self.cmd("POST", "/timeouts", {"script": 600000, "pageLoad": 120000})

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=600) as res:
                return json.loads(res.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            value = json.loads(e.read() or b"{}").get("value") or {}
            raise RuntimeError(f"WebDriver {path}: {value.get('error')}: {value.get('message')}") from None

    def cmd(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def goto(self, url):
        self.cmd("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.cmd("POST", "/execute/async", {"script": script, "args": list(args)})

    run_async = js_async

    def on_new_document(self, source):
        self.cmd("POST", "/goog/cdp/execute",
                 {"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": source}})

    def browser_cpu(self):
        """CPU seconds used so far by the browser this driver started (its processes), or
        None where /proc cannot tell."""
        try:
            parent, cpu = {}, {}
            tick = os.sysconf("SC_CLK_TCK")
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parent[int(pid)] = int(fields[1])
                cpu[int(pid)] = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            return None
        total = 0.0
        for pid, used in cpu.items():
            p = pid
            while p in parent and p != self.proc.pid:
                p = parent[p]
            if p == self.proc.pid and pid != self.proc.pid:
                total += used
        return total

    def wait_until_idle(self, window=0.25, below=0.02, times=4, limit=20.0):
        """Waits until the browser has used less than `below` CPU seconds in each of
        `times` windows of `window` seconds in a row (or `limit` seconds have passed).
        A browser that has just started builds its own user interface for seconds
        (Chromium's new headless mode loads the omnibox popup's WebUI, some 400 module
        scripts, in the first ~3 s); on a 2-core machine that competes with the page.
        Returns the seconds waited."""
        start = time.time()
        before = self.browser_cpu()
        if before is None:
            time.sleep(5)
            return time.time() - start
        quiet = 0
        while quiet < times and time.time() - start < limit:
            time.sleep(window)
            now = self.browser_cpu()
            quiet = quiet + 1 if now - before < below else 0
            before = now
        return time.time() - start

    def close(self):
        try:
            self.cmd("DELETE", "")
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)
