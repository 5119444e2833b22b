//! HTTP for `serve`: answers requests from the site held in memory.
//!
//! Everything served comes from the live site's file map or, for files copied
//! from `content/`, from the source file the build listed, so no request can
//! reach a file the build did not put in the site. Paths that try to climb out
//! (`..`, `%2e%2e`, backslashes) are refused outright rather than normalized, so
//! a mistake never turns into a file outside the site.

use std::io::Read;
use std::sync::Arc;

use super::Shared;
use super::livereload::{self, EVENTS_PATH, SCRIPT_PATH};
use super::wire::Request;
pub use super::wire::{RESERVED_PREFIX, percent_decode, respond};

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site map, by key (`en/briefs/x/index.html`).
    File(String),
    /// A file copied from `content/`, by output path.
    Asset(String),
    /// A folder asked for without its trailing slash: where to go instead.
    Redirect(String),
    NotFound,
}

/// A request path that is refused, with the reason sent back.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// Splits a request target into its decoded path (starting with `/`) and its
/// query string (without `?`), refusing anything that is not a plain path inside
/// the site.
pub fn parse_target(url: &str) -> Result<(String, String), Refused> {
    let (raw_path, query) = match url.split_once('?') {
        Some((path, query)) => (path, query),
        None => (url, ""),
    };
    let raw_path = raw_path.split('#').next().unwrap_or_default();
    if !raw_path.starts_with('/') {
        return Err(Refused("the request path must start with /"));
    }
    let path = percent_decode(raw_path).ok_or(Refused("the request path is not valid percent-encoded UTF-8"))?;
    if path.contains('\\') || path.contains('\0') {
        return Err(Refused("the request path has a backslash or a NUL"));
    }
    if path.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err(Refused("the request path has `.` or `..` segments"));
    }
    Ok((path, query.to_string()))
}

/// `path` with every byte outside unreserved ASCII and `/` percent-encoded, for a
/// `Location` header.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where a decoded request `path` leads in a site with `has_file` and `has_asset`.
pub fn resolve(path: &str, has_file: impl Fn(&str) -> bool, has_asset: impl Fn(&str) -> bool) -> Target {
    let key = path.trim_start_matches('/');
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if has_file(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if has_file(key) {
        return Target::File(key.to_string());
    }
    if has_asset(key) {
        return Target::Asset(key.to_string());
    }
    if has_file(&format!("{key}/index.html")) {
        return Target::Redirect(format!("/{key}/"));
    }
    Target::NotFound
}

/// Whether `key` is made when asked for: a part of the bulk exports, their
/// catalogue, a data page.
fn is_export(snapshot: &super::Snapshot, key: &str) -> bool {
    snapshot
        .site
        .as_ref()
        .is_some_and(|site| super::live::is_made_on_request(site, key))
}

/// The `Content-Type` for a file name, by extension.
pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonl" => "application/jsonl; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// `html` with the live-reload script tag before its last `</body>` (or at the end).
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    let at = lower.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

pub fn plain(request: Request, status: u16, text: &str) {
    respond(
        request,
        status,
        "text/plain; charset=utf-8",
        format!("{text}\n").into_bytes(),
        &[],
    );
}

/// Whether a `Host` header names this machine's loopback: `localhost`,
/// `127.0.0.1` or `[::1]`, with any port. A page of another site that a DNS
/// rebinding trick points at the loopback address sends its own name instead.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, port)) => (format!("[{inside}]"), port.to_string()),
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name.to_string(), format!(":{port}")),
            None => (host.clone(), String::new()),
        },
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()));
    port_ok && matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]")
}

/// Answers one request.
pub fn handle(request: Request, shared: &Arc<Shared>) {
    if shared.loopback_only {
        let host = request.head.header("Host").map(is_loopback_host);
        // Without a Host header (HTTP/1.0 may leave it out) nothing shows that the
        // page asking is this machine's own: refused like a foreign name.
        match host {
            Some(true) => {}
            None => {
                return plain(
                    request,
                    400,
                    "400 Bad Request: the request has no Host header; on loopback this server needs Host: localhost, 127.0.0.1 or [::1]",
                );
            }
            Some(false) => {
                return plain(
                    request,
                    421,
                    "421 Misdirected Request: this server answers only to localhost, 127.0.0.1 and [::1]",
                );
            }
        }
    }
    if !matches!(request.method(), "GET" | "HEAD") {
        respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD are served\n".to_vec(),
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    let (path, query) = match parse_target(request.url()) {
        Ok(parsed) => parsed,
        Err(Refused(why)) => return plain(request, 400, &format!("400 Bad Request: {why}")),
    };
    if let Some(endpoint) = path.strip_prefix(RESERVED_PREFIX) {
        return handle_endpoint(request, shared, endpoint, &query);
    }
    let snapshot = shared.snapshot();
    let target = resolve(
        &path,
        |key| snapshot.files.contains_key(key) || is_export(&snapshot, key),
        |key| snapshot.assets.contains_key(key),
    );
    match target {
        Target::File(key) => {
            let body = match snapshot.files.get(&key) {
                Some(file) => file.bytes(),
                None => {
                    let made = snapshot
                        .site
                        .as_ref()
                        .zip(snapshot.renderer.as_ref())
                        .and_then(|(site, renderer)| super::live::export_of(site, renderer, &snapshot.files, &key));
                    match made {
                        Some(bytes) => bytes,
                        // A part the site does not have.
                        None => return not_found(request, shared, &snapshot),
                    }
                }
            };
            send_page(request, shared, &snapshot, 200, &key, body);
        }
        Target::Asset(key) => send_asset(request, shared, &snapshot, &key),
        Target::Redirect(to) => {
            let to = percent_encode_path(&to);
            let location = if query.is_empty() { to } else { format!("{to}?{query}") };
            respond(
                request,
                302,
                "text/plain; charset=utf-8",
                format!("see {location}\n").into_bytes(),
                &[("Location", &location)],
            );
        }
        Target::NotFound => not_found(request, shared, &snapshot),
    }
}

/// Sends a file of the site map; HTML gets the live-reload script.
fn send_page(
    request: Request,
    shared: &Arc<Shared>,
    snapshot: &super::Snapshot,
    status: u16,
    key: &str,
    body: Vec<u8>,
) {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        inject(&body, &livereload::script_tag(&shared.instance, snapshot.generation))
    } else {
        body
    };
    respond(request, status, kind, body, &[]);
}

fn not_found(request: Request, shared: &Arc<Shared>, snapshot: &super::Snapshot) {
    match snapshot.files.get("404.html") {
        Some(page) => {
            let page = page.bytes();
            send_page(request, shared, snapshot, 404, "404.html", page);
        }
        None if snapshot.files.is_empty() => {
            // No build has succeeded yet: a page that shows the errors and reloads
            // once the site builds.
            let page = livereload::waiting_page().into_bytes();
            send_page(request, shared, snapshot, 503, "503.html", page);
        }
        None => plain(request, 404, "404 Not Found"),
    }
}

/// Sends a file copied from `content/`, read now so edits show without a rebuild.
/// Only a regular file is sent: a symlink put in its place is not followed.
fn send_asset(request: Request, shared: &Arc<Shared>, snapshot: &super::Snapshot, key: &str) {
    let Some(source) = snapshot.assets.get(key) else {
        return not_found(request, shared, snapshot);
    };
    let is_file = std::fs::symlink_metadata(source).is_ok_and(|m| m.is_file());
    let body = is_file
        .then(|| std::fs::File::open(source).ok())
        .flatten()
        .and_then(|mut f| {
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).ok().map(|_| bytes)
        });
    match body {
        Some(body) => {
            let kind = content_type(key);
            let body = if kind.starts_with("text/html") {
                inject(&body, &livereload::script_tag(&shared.instance, snapshot.generation))
            } else {
                body
            };
            respond(request, 200, kind, body, &[]);
        }
        None => not_found(request, shared, snapshot),
    }
}

fn handle_endpoint(request: Request, shared: &Arc<Shared>, endpoint: &str, query: &str) {
    match endpoint {
        e if e == SCRIPT_PATH => respond(
            request,
            200,
            "text/javascript; charset=utf-8",
            livereload::SCRIPT.as_bytes().to_vec(),
            &[],
        ),
        e if e == EVENTS_PATH => livereload::serve_events(request, shared, query),
        "status" => {
            let snapshot = shared.snapshot();
            let mut text = format!(
                "generation {}\nup-to-date {}\nerrors {}\n",
                snapshot.generation,
                if snapshot.catching_up { "no" } else { "yes" },
                snapshot.errors.len()
            );
            for error in snapshot.errors.iter() {
                text.push_str(error);
                text.push('\n');
            }
            respond(request, 200, "text/plain; charset=utf-8", text.into_bytes(), &[]);
        }
        _ => plain(request, 404, "404 Not Found"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_climb_out() {
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/en/..%2f..%2fetc/passwd",
            "/en/%5c..%5cfile",
            "/./index.html",
            "etc/passwd",
            "/%zz",
            "/%ff",
        ] {
            assert!(parse_target(url).is_err(), "{url} must be refused");
        }
        assert_eq!(
            parse_target("/en/briefs/x/?a=1").unwrap(),
            ("/en/briefs/x/".into(), "a=1".into())
        );
        assert_eq!(parse_target("/files/%E5%9C%96.png").unwrap().0, "/files/圖.png");
    }

    #[test]
    fn resolves_folders_redirects_and_assets() {
        let files = ["index.html", "en/briefs/x/index.html", "static/style.css"];
        let has = |k: &str| files.contains(&k);
        let asset = |k: &str| k == "files/a.pdf";
        assert_eq!(resolve("/", has, asset), Target::File("index.html".into()));
        assert_eq!(
            resolve("/en/briefs/x/", has, asset),
            Target::File("en/briefs/x/index.html".into())
        );
        assert_eq!(
            resolve("/en/briefs/x", has, asset),
            Target::Redirect("/en/briefs/x/".into())
        );
        assert_eq!(resolve("/files/a.pdf", has, asset), Target::Asset("files/a.pdf".into()));
        assert_eq!(resolve("/en/briefs/y/", has, asset), Target::NotFound);
        assert_eq!(resolve("//etc/passwd", has, asset), Target::NotFound);
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "<script></script>");
        assert_eq!(out, b"<html><body><p>x</p><script></script></BODY></html>");
        assert_eq!(inject(b"<p>x", "<s>"), b"<p>x<s>");
    }

    #[test]
    fn accepts_only_loopback_host_names() {
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:80",
            "127.0.0.1",
            "127.0.0.1:0",
            "[::1]",
            "[::1]:1111",
            "localhost:",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example:1111",
            "127.0.0.2",
            "[::1",
            "[::2]:1111",
            "localhost:80x",
            "",
            "0.0.0.0:1111",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
