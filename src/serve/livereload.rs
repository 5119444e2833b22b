//! Live reload: pages served by `serve` carry a small script that listens to
//! server-sent events and reloads the page when its output changed, keeping the
//! scroll position, or shows the build's errors over the page.
//!
//! Server-sent events need nothing but plain HTTP on the same port: no WebSocket
//! handshake, no second listener, and the browser reconnects by itself. The script
//! is added to HTML as it is served; `build` output never contains it.
//!
//! Each page is served with the generation it belongs to. When the script connects,
//! the server first tells it whether its page changed since then, so a rebuild that
//! finished between loading the page and connecting is not missed.
//!
//! Each open stream holds a connection and its thread, so at most [`MAX_STREAMS`]
//! are open at once. Beyond that the stream is answered `503` with `Retry-After`;
//! the browser then gives up on it, and the script opens a new one after a while.

use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Shared;
use super::wire::Request;
use super::wire::{RESERVED_PREFIX, percent_decode, respond};

/// The script's path below [`RESERVED_PREFIX`].
pub const SCRIPT_PATH: &str = "livereload.js";
/// The event stream's path below [`RESERVED_PREFIX`].
pub const EVENTS_PATH: &str = "events";

/// How often an idle stream gets a comment, so a closed tab's thread ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The most event streams open at once (one per open tab).
pub const MAX_STREAMS: usize = 32;

/// The `Retry-After` of a stream refused for being one too many, in seconds; the
/// script waits as long before it tries again.
pub const RETRY_AFTER: &str = "10";

/// The script every served HTML page loads.
pub const SCRIPT: &str = include_str!("livereload.js");

/// The tag injected into served HTML.
pub fn script_tag(instance: &str, generation: u64) -> String {
    format!(r#"<script src="{RESERVED_PREFIX}{SCRIPT_PATH}" data-since="{instance}-{generation}" defer></script>"#)
}

/// The page served before any build has succeeded: it shows the errors through the
/// same overlay and reloads when the site builds.
pub fn waiting_page() -> String {
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>legbrief serve</title></head>\
     <body><p>The site does not build yet; fix the errors shown here or in the terminal \
     and this page reloads.</p></body></html>"
        .to_string()
}

/// The URL path (`/en/briefs/x/`) of an output file (`en/briefs/x/index.html`), as
/// the script compares it with `location.pathname`.
pub fn url_path(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{file}"),
    }
}

/// One server-sent event, formatted for the wire.
pub fn event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The `reload` event: the generation, then the URL paths that changed (`*` for all).
pub fn reload_event(generation: u64, paths: &[String]) -> String {
    let mut data = generation.to_string();
    for path in paths {
        data.push('\n');
        data.push_str(path);
    }
    event("reload", &data)
}

/// The `errors` event: the problems as the terminal shows them, empty when fixed.
pub fn errors_event(errors: &[String]) -> String {
    event("errors", &errors.join("\n"))
}

/// The open event streams.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Arc<str>>>>,
    /// Streams open now.
    open: Arc<AtomicUsize>,
}

/// One open stream, counted until it drops.
struct StreamSlot(Arc<AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Hub {
    /// A place for one more stream, unless [`MAX_STREAMS`] are open.
    fn open_stream(&self) -> Option<StreamSlot> {
        if self.open.fetch_add(1, Ordering::AcqRel) >= MAX_STREAMS {
            self.open.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(StreamSlot(self.open.clone()))
    }

    fn subscribe(&self) -> Receiver<Arc<str>> {
        let (tx, rx) = mpsc::channel();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }

    /// Sends an event to every open stream, forgetting closed ones.
    pub fn broadcast(&self, message: &str) {
        let message: Arc<str> = Arc::from(message);
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|client| client.send(message.clone()).is_ok());
        }
    }

    /// Ends every stream (their threads see the channel close).
    pub fn close_all(&self) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.clear();
        }
    }
}

/// Reads `since` (`<instance>-<generation>`) and `path` from the query string.
fn parse_query(query: &str) -> (String, String) {
    let mut since = String::new();
    let mut path = String::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(&value.replace('+', " ")).unwrap_or_default();
        match key {
            "since" => since = value,
            "path" => path = value,
            _ => {}
        }
    }
    (since, path)
}

/// Serves an event stream for one page on the request's own thread, until the
/// page goes away or `serve` stops.
pub fn serve_events(request: Request, shared: &Arc<Shared>, query: &str) {
    let Some(_slot) = shared.hub.open_stream() else {
        let text = format!(
            "503 Service Unavailable: {MAX_STREAMS} live-reload streams are open already; \
             close some tabs, this one tries again in {RETRY_AFTER} s\n"
        );
        return respond(
            request,
            503,
            "text/plain; charset=utf-8",
            text.into_bytes(),
            &[("Retry-After", RETRY_AFTER)],
        );
    };
    let (since, path) = parse_query(query);
    // Subscribe before reading the state: a rebuild after this point is sent as
    // an event, one before it is in the state.
    let rx = shared.hub.subscribe();
    let snapshot = shared.snapshot();
    let mut first = String::from("retry: 1000\n\n");
    let stale = match since.rsplit_once('-') {
        Some((instance, generation)) if instance == shared.instance => generation
            .parse::<u64>()
            .map_or(true, |generation| shared.changed_since(&path, generation)),
        _ => true,
    };
    if stale {
        first.push_str(&reload_event(snapshot.generation, &[path]));
    }
    if !snapshot.errors.is_empty() {
        first.push_str(&errors_event(&snapshot.errors));
    }
    drop(snapshot);
    stream(request.into_stream(), &first, &rx);
}

fn stream(mut writer: TcpStream, first: &str, rx: &Receiver<Arc<str>>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() || send(&mut writer, first).is_err() {
        return;
    }
    loop {
        let message = match rx.recv_timeout(KEEPALIVE) {
            Ok(message) => message.to_string(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if send(&mut writer, &message).is_err() {
            return;
        }
    }
}

fn send(writer: &mut TcpStream, text: &str) -> std::io::Result<()> {
    writer.write_all(text.as_bytes())?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_match_location_pathname() {
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("en/briefs/x/index.html"), "/en/briefs/x/");
        assert_eq!(url_path("en/feed.xml"), "/en/feed.xml");
        assert_eq!(url_path("404.html"), "/404.html");
        assert_eq!(url_path("files/notindex.html"), "/files/notindex.html");
    }

    #[test]
    fn events_put_each_line_in_its_own_data_field() {
        assert_eq!(event("errors", "a\nb"), "event: errors\ndata: a\ndata: b\n\n");
        assert_eq!(
            reload_event(3, &["/en/".into(), "*".into()]),
            "event: reload\ndata: 3\ndata: /en/\ndata: *\n\n"
        );
        assert_eq!(errors_event(&[]), "event: errors\ndata: \n\n");
    }

    #[test]
    fn reads_the_query() {
        assert_eq!(
            parse_query("since=abc-4&path=%2Fen%2Fbriefs%2Fx%2F"),
            ("abc-4".to_string(), "/en/briefs/x/".to_string())
        );
    }
}
