//! The preview's HTTP side: files of the in-memory site, the reload event stream, and the
//! rules that keep it safe (only the address it serves as `Host`, no file outside the
//! built site, no permissive CORS).

use std::convert::Infallible;
use std::sync::Arc;
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

use super::{Shared, Signal};

/// Where the injected script and the event stream live; no site page can be there
/// (the build never writes names starting with `__`).
pub const EVENTS: &str = "/__certguide/events";
pub const SCRIPT: &str = "/__certguide/reload.js";

const RELOAD_JS: &str = include_str!("reload.js");

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

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.signals.subscribe();
    // Each new connection hears the current state first: the errors, if the site is broken.
    let first = Event::default().event("errors").data(shared.errors_json());
    let stream = futures_util::stream::unfold((Some(first), rx), |(first, mut rx)| async move {
        if let Some(ev) = first {
            return Some((Ok(ev), (None, rx)));
        }
        let event = match rx.recv().await {
            Ok(Signal::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("reload").data("reload")
            }
            Ok(Signal::Css) => Event::default().event("css").data("css"),
            Ok(Signal::Errors(json)) => Event::default().event("errors").data(json),
            Ok(Signal::Shutdown) | Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), (None, rx)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
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
            .get(&format!("{key}index.html"))
            .map(|b| (format!("{key}index.html"), b))
    } else if let Some(b) = files.get(&key) {
        Some((key.clone(), b))
    } else if files.contains_key(&format!("{key}/index.html")) {
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
        Some((name, bytes)) => respond(&name, bytes, StatusCode::OK),
        None => not_found(&files),
    }
}

fn not_found(files: &super::Files) -> Response {
    let path = crate::routes::Route::NotFound.path();
    match files.get(path.as_str()) {
        Some(b) => respond(&path, b, StatusCode::NOT_FOUND),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn respond(name: &str, bytes: &crate::render::Bytes, status: StatusCode) -> Response {
    let ctype = content_type(name);
    let body = if ctype.starts_with("text/html") {
        Body::from(inject(bytes))
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

/// Adds the reload script to an HTML page, before `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\" defer></script>");
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

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).expect("utf-8");
        assert_eq!(
            out,
            format!("<html><body><p>x</p><script src=\"{SCRIPT}\" defer></script></body></html>")
        );
    }
}
