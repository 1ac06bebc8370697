//! `certguide serve`: a live preview. Builds the site in memory (never writes `public/`),
//! serves it on localhost, watches the sources, rebuilds what a change touches
//! ([`crate::incremental`]) and tells open pages to reload — or to swap stylesheets, or to
//! show the build's errors over the last good version of the page.

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::LoadOptions;
use crate::diagnostics::{self, Diagnostic, display_path};
use crate::incremental::{ChangeKind, Incremental, Rebuild};

pub use http::{content_type, lookup_key};

type Files = crate::incremental::Files;

/// Options of `certguide serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// The port to try first; the next free one is used when it is taken.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    pub quiet: bool,
    /// Print the time each step of a rebuild took.
    pub verbose: bool,
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub(crate) enum Signal {
    Reload,
    Css,
    /// The build's errors as JSON (`[]` when it builds again).
    Errors(String),
    Shutdown,
}

/// State shared by the rebuild thread and the HTTP handlers.
pub(crate) struct Shared {
    files: RwLock<Arc<Files>>,
    /// The build's errors as the overlay takes them (JSON; `[]` when it builds).
    errors: RwLock<String>,
    /// The warnings last printed, so that a rebuild prints them only when they change.
    warnings: std::sync::Mutex<Vec<Diagnostic>>,
    signals: broadcast::Sender<Signal>,
    port: u16,
}

impl Shared {
    fn files(&self) -> Arc<Files> {
        self.files.read().map(|f| f.clone()).unwrap_or_default()
    }

    fn errors_json(&self) -> String {
        self.errors
            .read()
            .map(|e| e.clone())
            .unwrap_or_else(|_| "[]".into())
    }

    /// Whether a `Host` header names this server: `localhost` or an IP address, with the
    /// served port. A DNS name (what a rebinding attack uses) is refused.
    fn host_allowed(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        if port.parse::<u16>().ok() != Some(self.port) {
            return false;
        }
        let name = name.trim_start_matches('[').trim_end_matches(']');
        name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
    }
}

/// The errors as the overlay shows them: each with its position, message and the source
/// line under a caret (as the terminal shows it), when the file can be read.
fn errors_json(root: &std::path::Path, errors: &[Diagnostic]) -> String {
    let list: Vec<serde_json::Value> = errors
        .iter()
        .map(|d| {
            serde_json::json!({
                "path": display_path(&d.path),
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "snippet": diagnostics::snippet(root, d, false),
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// Binds `bind:port`, or the next free port (up to 50 further).
fn bind(addr: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let mut last = None;
    for p in port..=port.saturating_add(50) {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Runs the preview until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let listener = bind(opts.bind, opts.port)
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot set up the listener: {e}"))?;
    let host = match local.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", local.port());

    let started = Instant::now();
    let load = LoadOptions {
        base_url: Some(url.clone()),
        drafts: opts.drafts,
    };
    // The themes folder is watched where site.yaml puts it when serve starts.
    let themes_dir = crate::load::load_config(&opts.root, &load).0.themes_dir;
    let (mut site, first) = Incremental::new(&opts.root, load);
    let (signals, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        files: RwLock::new(Arc::new(Files::default())),
        errors: RwLock::new("[]".into()),
        warnings: std::sync::Mutex::new(Vec::new()),
        signals,
        port: local.port(),
    });
    let say = Say {
        quiet: opts.quiet,
        verbose: opts.verbose,
    };
    publish(&shared, first, &opts.root, say, started);

    let (watch, batches) = watch::start(&opts.root, &themes_dir)
        .map_err(|e| format!("cannot watch {}: {e}", opts.root.display()))?;
    if !opts.quiet {
        let note = if opts.port != 0 && local.port() != opts.port {
            format!(" (port {} was busy)", opts.port)
        } else {
            String::new()
        };
        eprintln!("Serving {url}{note}; watching for changes. Press Ctrl-C to stop.");
    }
    if opts.open {
        open_browser(&url);
    }

    let rebuild_shared = shared.clone();
    let root = opts.root.clone();
    std::thread::Builder::new()
        .name("certguide-rebuild".into())
        .spawn(move || {
            let _watch = watch;
            for batch in batches {
                let t = Instant::now();
                let rebuild = site.update(&batch);
                publish(&rebuild_shared, rebuild, &root, say, t);
            }
        })
        .map_err(|e| format!("cannot start the rebuild thread: {e}"))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot set up the listener: {e}"))?;
        let app = http::router(shared.clone());
        let server = axum::serve(listener, app);
        tokio::select! {
            r = server => r.map_err(|e| format!("server stopped: {e}")),
            _ = tokio::signal::ctrl_c() => {
                let _ = shared.signals.send(Signal::Shutdown);
                if !say.quiet {
                    eprintln!("Stopped.");
                }
                Ok(())
            }
        }
    })?;
    // Nothing is on disk to tidy up: leave at once rather than wait for open connections
    // (reload streams never end on their own) or threads blocked on the file system.
    std::process::exit(0)
}

/// How much `serve` prints about each rebuild.
#[derive(Clone, Copy)]
struct Say {
    quiet: bool,
    verbose: bool,
}

/// Makes a rebuild's result the served state, and tells open pages.
fn publish(shared: &Shared, rebuild: Rebuild, root: &std::path::Path, say: Say, started: Instant) {
    let quiet = say.quiet;
    match rebuild.result {
        Err(errors) => {
            diagnostics::print(root, &errors);
            if !quiet {
                let has_build = shared.files.read().map(|f| !f.is_empty()).unwrap_or(false);
                eprintln!(
                    "{} error{}; {}",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" },
                    if has_build {
                        "still serving the last good build"
                    } else {
                        "nothing to serve until they are fixed (open pages show them)"
                    }
                );
            }
            let json = errors_json(root, &errors);
            if let Ok(mut e) = shared.errors.write() {
                *e = json.clone();
            }
            let _ = shared.signals.send(Signal::Errors(json));
        }
        Ok(files) => {
            let had_errors = shared
                .errors
                .write()
                .map(|mut e| std::mem::replace(&mut *e, "[]".into()) != "[]")
                .unwrap_or(false);
            // The warnings `build` prints, each time they change.
            if let Ok(mut printed) = shared.warnings.lock()
                && *printed != rebuild.warnings
            {
                if !quiet && !rebuild.warnings.is_empty() {
                    diagnostics::print(root, &rebuild.warnings);
                    eprintln!(
                        "{} warning{}",
                        rebuild.warnings.len(),
                        if rebuild.warnings.len() == 1 { "" } else { "s" }
                    );
                }
                *printed = rebuild.warnings;
            }
            if had_errors {
                let _ = shared.signals.send(Signal::Errors("[]".into()));
            }
            let before = shared.files();
            if let Ok(mut f) = shared.files.write() {
                *f = files.clone();
            }
            if rebuild.change == ChangeKind::None {
                return;
            }
            if !quiet {
                eprintln!(
                    "Built in {} ms ({} page{} rendered)",
                    started.elapsed().as_millis(),
                    rebuild.rendered,
                    if rebuild.rendered == 1 { "" } else { "s" }
                );
                if say.verbose {
                    for (phase, time) in &rebuild.phases {
                        eprintln!("  {phase:<40} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                    }
                }
            }
            // The URLs that changed (each event stream reuses this answer for its `reload`),
            // as the render knows them when it started from the site served.
            // None: no signal; a fix that brings back the last good site only clears the
            // errors, above.
            if let Some((from, changed)) = &rebuild.changes
                && Arc::ptr_eq(from, &before)
            {
                http::remember_reload_data(&before, &files, changed);
            }
            if &*http::reload_data(&before, &files) == "[]" {
                return;
            }
            let signal = if rebuild.change == ChangeKind::Css {
                Signal::Css
            } else {
                Signal::Reload
            };
            let _ = shared.signals.send(signal);
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("Could not open a browser; open {url} yourself.");
    }
}
