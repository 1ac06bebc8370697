//! The preview's HTTP side: files of the in-memory site, the reload event stream, and the
//! rules that keep it safe (only the address it serves as `Host`, no file outside the
//! built site, no permissive CORS).
//!
//! A `reload` event's data names what changed: a JSON array of site URLs (`/` for
//! `index.html`, `/articles/roi/` for `articles/roi/index.html`, `/data/search.json`), or
//! `"*"` when more than [`MAX_NAMED`] files changed or a script did. `reload.js` patches
//! its page in place when the page is named (or on `"*"`), and reloads it when the scripts
//! it runs changed: the injected script's URL carries a fingerprint of the site's scripts
//! ([`scripts_stamp`]), which a page compares with the one in the HTML it fetches.

use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;

use super::{Files, Shared, Signal};

/// Where the injected script and the event stream live; no site page can be there
/// (the build never writes names starting with `__`).
pub const EVENTS: &str = "/__certguide/events";
pub const SCRIPT: &str = "/__certguide/reload.js";

const RELOAD_JS: &str = include_str!("reload.js");

/// The most files a `reload` event names; past this (a `git checkout`, a template edit on a
/// large site) it says `"*"` and every open page fetches itself to see.
pub const MAX_NAMED: usize = 200;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(SCRIPT, get(script))
        .fallback(get(file))
        .layer(middleware::from_fn_with_state(shared.clone(), check_host))
        .with_state(shared)
}

/// Refuses requests whose `Host` is not the address served (DNS rebinding).
async fn check_host(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if shared.host_allowed(host) {
        next.run(req).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "certguide serve answers only for the address it listens on\n",
        )
            .into_response()
    }
}

async fn script() -> Response {
    let mut res = RELOAD_JS.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    no_cache(&mut res);
    res
}

/// One page's event stream. Each stream remembers the site it last told its page about, so
/// a `reload` names everything that changed since, even after missed (lagged) signals.
struct PageStream {
    first: Option<Event>,
    rx: broadcast::Receiver<Signal>,
    shared: Arc<Shared>,
    told: Arc<Files>,
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // The site first, then the subscription: a rebuild in between is named by the next event.
    let told = shared.files();
    let rx = shared.signals.subscribe();
    // Each new connection hears the current state first: the errors, if the site is broken.
    let first = Event::default().event("errors").data(shared.errors_json());
    let state = PageStream {
        first: Some(first),
        rx,
        shared,
        told,
    };
    let stream = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(ev) = s.first.take() {
            return Some((Ok(ev), s));
        }
        let event = match s.rx.recv().await {
            Ok(Signal::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                let now = s.shared.files();
                let data = reload_data(&s.told, &now);
                s.told = now;
                Event::default().event("reload").data(&*data)
            }
            Ok(Signal::Css) => {
                s.told = s.shared.files();
                Event::default().event("css").data("css")
            }
            Ok(Signal::Errors(json)) => Event::default().event("errors").data(json),
            Ok(Signal::Shutdown) | Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), s))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The data of a `reload` event from `before` to `after`: a JSON array of the URLs whose
/// bytes differ, or `"*"` (see the module's documentation). The last answer is kept, so
/// `publish` works it out once and every open stream (all told the same site) reuses it.
pub fn reload_data(before: &Arc<Files>, after: &Arc<Files>) -> Arc<str> {
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((b, a, data)) = &*last
        && Weak::ptr_eq(b, &Arc::downgrade(before))
        && Weak::ptr_eq(a, &Arc::downgrade(after))
    {
        return data.clone();
    }
    let data: Arc<str> = changed_json(before, after).into();
    *last = Some((Arc::downgrade(before), Arc::downgrade(after), data.clone()));
    data
}

/// The last answer of [`reload_data`]. Weak: it must not keep a whole earlier site in
/// memory.
type Last = Option<(Weak<Files>, Weak<Files>, Arc<str>)>;
static LAST: Mutex<Last> = Mutex::new(None);

/// Makes [`reload_data`] from `before` to `after` the URLs of `changed` (the paths whose
/// bytes differ, as the render that made `after` from `before` knows them), so that no
/// one compares the two sites file by file.
pub fn remember_reload_data(before: &Arc<Files>, after: &Arc<Files>, changed: &[Arc<str>]) {
    let mut paths: Vec<&str> = changed.iter().map(|k| &**k).collect();
    paths.sort_unstable();
    let data: Arc<str> = json_of(paths).into();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    *last = Some((Arc::downgrade(before), Arc::downgrade(after), data));
}

fn changed_json(before: &Files, after: &Files) -> String {
    // Files new or changed, then files gone; named in path order.
    let mut changed: Vec<&str> = after
        .iter()
        .filter(|(k, y)| before.get(&***k).is_none_or(|x| !(x.ptr_eq(y) || x == *y)))
        .map(|(k, _)| &**k)
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|k| !after.contains_key(&***k))
            .map(|k| &**k),
    );
    changed.sort_unstable();
    json_of(changed)
}

/// The data of a `reload` event naming `changed` (sorted paths).
fn json_of(changed: Vec<&str>) -> String {
    let mut urls = Vec::new();
    for key in changed {
        if is_script(key) || urls.len() == MAX_NAMED {
            return "\"*\"".into();
        }
        urls.push(crate::routes::url_of_path(key));
    }
    serde_json::Value::from(urls).to_string()
}

/// Whether a file is a script (what [`content_type`] calls `text/javascript`).
fn is_script(key: &str) -> bool {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    ext.eq_ignore_ascii_case("js") || ext.eq_ignore_ascii_case("mjs")
}

/// [`scripts_stamp`] of the site served, kept for the site it was made for (every page
/// asked for needs it; working it out looks at every file).
fn served_scripts_stamp(files: &Arc<Files>) -> Arc<str> {
    static LAST: Mutex<Option<(Weak<Files>, Arc<str>)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((of, stamp)) = &*last
        && Weak::ptr_eq(of, &Arc::downgrade(files))
    {
        return stamp.clone();
    }
    let stamp: Arc<str> = scripts_stamp(files).into();
    *last = Some((Arc::downgrade(files), stamp.clone()));
    stamp
}

/// A fingerprint of the site's scripts (their paths and bytes).
fn scripts_stamp(files: &Files) -> String {
    let mut h = std::hash::DefaultHasher::new();
    let mut scripts: Vec<_> = files.iter().filter(|(k, _)| is_script(k)).collect();
    scripts.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (key, bytes) in scripts {
        key.hash(&mut h);
        bytes.bytes().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Serves a file of the last good build; `index.html` for folders, the site's 404 page
/// for anything else.
async fn file(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let files = shared.files();
    let Some(key) = lookup_key(req.uri().path()) else {
        return not_found(&files);
    };
    let found = if key.is_empty() || key.ends_with('/') {
        files
            .get(format!("{key}index.html").as_str())
            .map(|b| (format!("{key}index.html"), b))
    } else if let Some(b) = files.get(key.as_str()) {
        Some((key.clone(), b))
    } else if files.contains_key(format!("{key}/index.html").as_str()) {
        // A folder without its slash: send the browser to the URL relative links expect.
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::PERMANENT_REDIRECT;
        if let Ok(v) = HeaderValue::from_str(&format!("/{key}/")) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    } else {
        None
    };
    match found {
        Some((name, stored)) => respond(&files, &name, &stored.bytes(), StatusCode::OK),
        None => not_found(&files),
    }
}

fn not_found(files: &Arc<Files>) -> Response {
    let path = crate::routes::Route::NotFound.path();
    match files.get(path.as_str()) {
        Some(b) => respond(files, &path, &b.bytes(), StatusCode::NOT_FOUND),
        // No build yet (the site was broken from the start): a page that still carries the
        // reload script, so it shows the errors and turns into the site once they are fixed.
        None if files.is_empty() => respond(
            files,
            "index.html",
            &std::sync::Arc::new(NOT_BUILT.as_bytes().to_vec()),
            StatusCode::SERVICE_UNAVAILABLE,
        ),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// What the preview shows before the site has ever built.
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"color-scheme\" content=\"light dark\">\
<title>Not built yet · certguide</title></head><body><main id=\"certguide-not-built\">\
<h1>The site has not built yet</h1>\
<p>Fix the errors listed below (they are printed in the terminal too); this page turns into \
the site as soon as it builds.</p></main></body></html>";

fn respond(
    files: &Arc<Files>,
    name: &str,
    bytes: &crate::render::Bytes,
    status: StatusCode,
) -> Response {
    let ctype = content_type(name);
    let body = if ctype.starts_with("text/html") {
        Body::from(inject(bytes, &served_scripts_stamp(files)))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    no_cache(&mut res);
    res
}

fn no_cache(res: &mut Response) {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Adds the reload script to an HTML page, before `</body>` (or at the end), with the
/// site's [`scripts_stamp`] in its URL. Not deferred: it runs before the page's deferred
/// scripts, so it sees the page as served (the base of its patches).
fn inject(html: &[u8], stamp: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}?js={stamp}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// The key in the in-memory site for a request path, or `None` when the path tries to
/// leave the site or is not a path at all. The key never starts with `/`.
pub fn lookup_key(raw: &str) -> Option<String> {
    // Decode once: a `%252e` stays `%2e` and matches no file.
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let trailing = decoded.ends_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if trailing && !key.is_empty() {
        key.push('/');
    }
    Some(key)
}

/// `s` percent-decoded once, as UTF-8: `None` when a `%` is not followed by two hex
/// digits (the crate would keep it as it is) or the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let hex = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_hexdigit);
    let malformed = (0..bytes.len()).any(|i| bytes[i] == b'%' && !(hex(i + 1) && hex(i + 2)));
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The content type for a file name.
pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incremental::Stored;

    #[test]
    fn request_paths_cannot_leave_the_site() {
        assert_eq!(lookup_key("/").as_deref(), Some(""));
        assert_eq!(
            lookup_key("/articles/roi/").as_deref(),
            Some("articles/roi/")
        );
        assert_eq!(lookup_key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(lookup_key("/a%20b.css").as_deref(), Some("a b.css"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%5c..%5cwindows",
            "/a\\..\\b",
            "/c:/windows",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(lookup_key(bad), None, "{bad}");
        }
        // Double encoding decodes once: the result names no file, and is not `..`.
        assert_eq!(lookup_key("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
        assert_eq!(lookup_key("//etc/passwd").as_deref(), Some("etc/passwd"));
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", "00ab"))
            .expect("utf-8");
        assert_eq!(
            out,
            format!("<html><body><p>x</p><script src=\"{SCRIPT}?js=00ab\"></script></body></html>")
        );
    }

    fn site(files: &[(&str, &str)]) -> Arc<Files> {
        Arc::new(
            files
                .iter()
                .map(|(k, v)| ((*k).into(), Stored::new(Arc::new(v.as_bytes().to_vec()))))
                .collect(),
        )
    }

    #[test]
    fn reload_events_name_the_urls_that_changed() {
        let before = site(&[
            ("index.html", "home"),
            ("articles/roi/index.html", "roi"),
            ("articles/policy/index.html", "policy"),
            ("data/search.json", "[1]"),
            ("guide.js", "1"),
            ("style.css", "a"),
        ]);
        let mut after = (*before).clone();
        // Equal bytes in a new allocation are no change.
        after.insert(
            "articles/policy/index.html".into(),
            Stored::new(Arc::new(b"policy".to_vec())),
        );
        after.insert(
            "articles/roi/index.html".into(),
            Stored::new(Arc::new(b"roi 2".to_vec())),
        );
        after.insert(
            "data/search.json".into(),
            Stored::new(Arc::new(b"[2]".to_vec())),
        );
        after.insert(
            "new/index.html".into(),
            Stored::new(Arc::new(b"new".to_vec())),
        );
        after.remove("index.html");
        let after = Arc::new(after);
        assert_eq!(
            &*reload_data(&before, &after),
            r#"["/articles/roi/","/data/search.json","/","/new/"]"#
        );
        assert_eq!(&*reload_data(&after, &after), "[]");

        // A script: every page may run it.
        let mut js = (*after).clone();
        js.insert("guide.js".into(), Stored::new(Arc::new(b"2".to_vec())));
        let js = Arc::new(js);
        assert_eq!(&*reload_data(&after, &js), "\"*\"");
        assert_ne!(scripts_stamp(&after), scripts_stamp(&js));
        let mut css = (*after).clone();
        css.insert("style.css".into(), Stored::new(Arc::new(b"b".to_vec())));
        assert_eq!(scripts_stamp(&after), scripts_stamp(&css), "not a script");

        // Too many to name.
        let many: Files = (0..=MAX_NAMED)
            .map(|i| {
                (
                    format!("a/{i}/index.html").into(),
                    Stored::new(Arc::new(vec![])),
                )
            })
            .collect();
        assert_eq!(
            &*reload_data(&Arc::new(Files::default()), &Arc::new(many)),
            "\"*\""
        );
        let some: Files = (0..MAX_NAMED)
            .map(|i| {
                (
                    format!("a/{i}/index.html").into(),
                    Stored::new(Arc::new(vec![])),
                )
            })
            .collect();
        assert!(
            reload_data(&Arc::new(Files::default()), &Arc::new(some)).starts_with("[\"/a/0/\"")
        );
    }
}
