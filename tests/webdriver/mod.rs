//! What the real-browser tests need, with no dependency beyond the standard library and
//! serde_json: a static file server for a built site, a W3C WebDriver client talking to
//! Debian's `chromedriver` over plain HTTP, one shared headless Chromium per test binary,
//! the npm tools (axe-core, vnu-jar) installed once under `target/`, and the rule for
//! missing tools: a loud "SKIPPED" line and a pass, or a failure when `CI` is set.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Versions of the npm packages the tests install (pinned: a new axe rule or checker
/// release should be a deliberate change).
pub const AXE_CORE: &str = "axe-core@4.11.1";
pub const VNU_JAR: &str = "vnu-jar@26.9.27";

/// Says a test could not run. Fails when `CI` is set (CI must have every tool), else
/// prints a line nobody can miss and lets the test pass.
pub fn skip(test: &str, reason: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {reason}; CI is set, so a missing tool is a failure (run .ci/run)");
    }
    let bar = "=".repeat(78);
    // Straight to the process's stderr: the test harness captures `eprintln!` of passing
    // tests, and this must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\nSKIPPED: {test}: {reason}\n{bar}\n"
    );
}

/// The first of `candidates` (absolute paths or names looked up on PATH) that exists.
pub fn find_tool(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        // Set to a path that does not exist (or to nothing): the tool is missing.
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for c in candidates {
        let p = Path::new(c);
        if p.is_absolute() {
            if p.is_file() {
                return Some(p.to_path_buf());
            }
            continue;
        }
        for dir in std::env::split_paths(&path) {
            let full = dir.join(c);
            if full.is_file() {
                return Some(full);
            }
        }
    }
    None
}

/// A folder for this test process under `target/tmp`, removed by a watchdog once the
/// process has exited (statics are never dropped, so nothing else would clean up).
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("browser-tests-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        let _ = Command::new("sh")
            .arg("-c")
            .arg("while kill -0 \"$0\" 2>/dev/null; do sleep 0.5; done; rm -rf \"$1\"")
            .arg(std::process::id().to_string())
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
        dir
    })
}

// ---- Static file server ---------------------------------------------------------------

/// Serves `root` on a free 127.0.0.1 port from a background thread, for the life of the
/// test process. Returns the base URL, e.g. `http://127.0.0.1:41234/`.
pub fn serve(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("local address").port();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &root);
            });
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    let file = if path.split('/').any(|s| s == "..") {
        None
    } else {
        let mut f = root.join(path.trim_start_matches('/'));
        if f.is_dir() {
            f = f.join("index.html");
        }
        f.is_file().then_some(f)
    };
    let (status, file) = match file {
        Some(f) => ("200 OK", Some(f)),
        None => (
            "404 Not Found",
            Some(root.join("404.html")).filter(|f| f.is_file()),
        ),
    };
    let body = file.map(std::fs::read).transpose()?.unwrap_or_default();
    let kind = content_type(target);
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

fn content_type(target: &str) -> &'static str {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("html");
    match ext {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        _ => "text/html; charset=utf-8",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---- WebDriver -------------------------------------------------------------------------

/// The W3C element reference key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One HTTP/1.1 request to chromedriver; returns the `value` of its JSON answer, or the
/// WebDriver error as text.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    // chromedriver may keep the connection open: read the head, then exactly the body.
    let mut reader = BufReader::new(stream);
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader
            .read_line(&mut line)
            .map_err(|e| format!("read: {e}"))?
            == 0
        {
            break;
        }
        let line = line.trim_end().to_ascii_lowercase();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if line.starts_with("transfer-encoding:") && line.contains("chunked") {
            chunked = true;
        }
    }
    let mut payload = Vec::new();
    match length {
        Some(n) if !chunked => {
            payload.resize(n, 0);
            reader
                .read_exact(&mut payload)
                .map_err(|e| format!("read: {e}"))?;
        }
        _ => {
            reader
                .read_to_end(&mut payload)
                .map_err(|e| format!("read: {e}"))?;
            if chunked {
                payload = dechunk(&payload);
            }
        }
    }
    let answer: Value = if payload.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&payload).map_err(|e| format!("bad JSON from chromedriver: {e}"))?
    };
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    if let Some(err) = value.get("error").and_then(Value::as_str) {
        let message = value.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!("{method} {path}: {err}: {message}"));
    }
    Ok(value)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap_or("")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A Chromium session driven through chromedriver.
pub struct Browser {
    port: u16,
    session: String,
}

/// An element of the current page.
#[derive(Clone, Debug)]
pub struct Element(pub String);

/// Chromium flags that work on Debian machines, in containers and as root.
const CHROME_ARGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
];

impl Browser {
    /// Starts chromedriver and one Chromium session, both in a process group of their
    /// own that a watchdog ends when this test process has exited.
    fn start() -> Result<Browser, String> {
        let chromium = find_tool(
            "CERTGUIDE_CHROMIUM",
            &["/usr/bin/chromium", "chromium", "chromium-browser"],
        )
        .ok_or("chromium not found (Debian: apt-get install chromium)")?;
        let driver = find_tool(
            "CERTGUIDE_CHROMEDRIVER",
            &["/usr/bin/chromedriver", "chromedriver"],
        )
        .ok_or("chromedriver not found (Debian: apt-get install chromium-driver)")?;
        let port = free_port();
        let profile = scratch().join("chromium-profile");
        // sh starts chromedriver, then waits for this process to end and ends the whole
        // group (chromedriver and the browser it started).
        Command::new("sh")
            .arg("-c")
            .arg(
                "\"$0\" --port=\"$1\" >/dev/null 2>&1 & trap '' TERM; \
                 while kill -0 \"$2\" 2>/dev/null; do sleep 0.2; done; \
                 kill -TERM 0; sleep 1; kill -KILL 0",
            )
            .arg(&driver)
            .arg(port.to_string())
            .arg(std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while http(port, "GET", "/status", None).is_err() {
            if Instant::now() > deadline {
                return Err(format!("{} did not answer", driver.display()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": { "binary": chromium, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        }}});
        let session = http(port, "POST", "/session", Some(&caps))
            .map_err(|e| format!("cannot start Chromium through chromedriver: {e}"))?;
        let session = session
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or("no session id")?
            .to_string();
        Ok(Browser { port, session })
    }

    /// The shared session, locked for one test; `None` (after `skip`) when the tools are
    /// missing.
    pub fn get(test: &str) -> Option<MutexGuard<'static, Browser>> {
        static BROWSER: OnceLock<Result<Mutex<Browser>, String>> = OnceLock::new();
        match BROWSER.get_or_init(|| Browser::start().map(Mutex::new)) {
            Ok(m) => {
                let guard = m.lock().unwrap_or_else(|e| e.into_inner());
                guard.reset();
                Some(guard)
            }
            Err(reason) => {
                skip(test, reason);
                None
            }
        }
    }

    /// Puts the window and emulation back to defaults, and drops old console messages.
    fn reset(&self) {
        let _ = self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": 1280, "height": 900})),
        );
        self.emulate("", &[]);
        let _ = self.cdp(
            "Emulation.setScriptExecutionDisabled",
            json!({"value": false}),
        );
        let _ = self.console();
    }

    pub fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref()
                .or(Some(&json!({})))
                .filter(|_| method == "POST"),
        )
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.cmd(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    /// Emulates a media type (`""` or `"print"`) and media features. Reduced motion is
    /// always asked for: the theme scrolls smoothly otherwise, and chromedriver would
    /// click where an element is on its way to, not where it ends up.
    pub fn emulate(&self, media: &str, features: &[(&str, &str)]) {
        let mut list: Vec<Value> = features
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect();
        list.push(json!({"name": "prefers-reduced-motion", "value": "reduce"}));
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"media": media, "features": list}),
        )
        .unwrap_or_else(|e| panic!("emulating media: {e}"));
    }

    /// A Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Opens a URL and waits for its load event (deferred scripts have run by then).
    pub fn goto(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.ok("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn back(&self) {
        self.ok("POST", "/back", None);
    }

    pub fn forward(&self) {
        self.ok("POST", "/forward", None);
    }

    pub fn refresh(&self) {
        self.ok("POST", "/refresh", None);
    }

    pub fn set_size(&self, width: u32, height: u32) {
        self.ok(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Like `js`, for a script that calls `arguments[arguments.length - 1]` when done.
    pub fn js_async(&self, script: &str, args: Value) -> Value {
        self.ok(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    pub fn find(&self, css: &str) -> Element {
        self.try_find(css)
            .unwrap_or_else(|| panic!("no element matches `{css}` on {}", self.url()))
    }

    pub fn try_find(&self, css: &str) -> Option<Element> {
        let v = self
            .cmd(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .ok()?;
        v.get(ELEMENT)
            .and_then(Value::as_str)
            .map(|id| Element(id.to_string()))
    }

    /// A real click: chromedriver scrolls the element into view and clicks its centre,
    /// and fails when something else would receive the click.
    pub fn click(&self, css: &str) {
        let el = self.find(css);
        self.ok("POST", &format!("/element/{}/click", el.0), None);
    }

    /// Types into an element, as key presses (`\u{E004}` is Tab, `\u{E007}` Enter).
    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.ok(
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({ "text": text })),
        );
    }

    pub fn clear(&self, css: &str) {
        let el = self.find(css);
        self.ok("POST", &format!("/element/{}/clear", el.0), None);
    }

    /// Presses keys on whatever has the focus, with no mouse involved.
    pub fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for c in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": c.to_string()}));
            actions.push(json!({"type": "keyUp", "value": c.to_string()}));
        }
        self.ok(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
        let _ = self.cmd("DELETE", "/actions", None);
    }

    /// Presses `key` with Shift held (Shift+Tab moves the focus backwards).
    pub fn shift(&self, key: &str) {
        let actions = json!([
            {"type": "keyDown", "value": "\u{E008}"},
            {"type": "keyDown", "value": key},
            {"type": "keyUp", "value": key},
            {"type": "keyUp", "value": "\u{E008}"},
        ]);
        self.ok(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
        let _ = self.cmd("DELETE", "/actions", None);
    }

    /// Waits until `script` (a function body) returns something truthy; returns it.
    pub fn wait_for(&self, what: &str, script: &str, args: Value) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.js(script, args.clone());
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what} on {}", self.url());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Browser console messages since the last call: `(level, message)`.
    pub fn console(&self) -> Vec<(String, String)> {
        let v = self
            .cmd("POST", "/se/log", Some(json!({"type": "browser"})))
            .unwrap_or(Value::Null);
        v.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or("").to_string(),
                            e["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

// ---- npm tools ---------------------------------------------------------------------------

/// `node_modules` with axe-core and vnu-jar, installed from npm once into
/// `target/npm-tools` (kept between runs), or the reason it cannot be.
pub fn npm_tools() -> Result<&'static Path, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .map(|t| t.join("npm-tools"))
            .ok_or("no target folder")?;
        let modules = prefix.join("node_modules");
        let stamp = prefix.join(format!("installed-{AXE_CORE}-{VNU_JAR}"));
        if stamp.is_file() {
            return Ok(modules);
        }
        let npm = find_tool("CERTGUIDE_NPM", &["npm"]).ok_or("npm not found")?;
        std::fs::create_dir_all(&prefix).map_err(|e| e.to_string())?;
        // Another test binary may be installing at the same time: take a lock file.
        let lock = prefix.join("install.lock");
        let deadline = Instant::now() + Duration::from_secs(300);
        while std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
            .is_err()
        {
            if stamp.is_file() {
                return Ok(modules);
            }
            if Instant::now() > deadline {
                let _ = std::fs::remove_file(&lock);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let out = Command::new(npm)
            .args([
                "install",
                "--no-save",
                "--no-package-lock",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&prefix)
            .args([AXE_CORE, VNU_JAR])
            .output();
        let _ = std::fs::remove_file(&lock);
        let out = out.map_err(|e| format!("cannot run npm: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "npm install {AXE_CORE} {VNU_JAR} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        std::fs::write(&stamp, "").map_err(|e| e.to_string())?;
        Ok(modules)
    })
    .as_deref()
    .map_err(Clone::clone)
}

/// Lower case, accents dropped: how the theme's scripts compare text (enough for the
/// fixtures' text). Reference implementations in the tests use it.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// Runs axe-core (its source, `axe.min.js`) on the current page; returns the serious and
/// critical violations.
pub fn axe(b: &Browser, source: &str) -> Vec<String> {
    b.js(source, json!([]));
    let found = b.js_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => `${v.impact}: ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ')})`)))
           .catch(e => done(['axe failed: ' + e]));",
        json!([]),
    );
    serde_json::from_value(found).expect("a list")
}
