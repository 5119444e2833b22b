//! HTTP/1.1 on the wire for `serve`: accepting connections, reading each request
//! head within fixed limits, and writing responses.
//!
//! A preview server needs little of HTTP: `GET` and `HEAD` of files held in memory,
//! and one long response for live reload. So each connection carries one request
//! and is closed after its response (`Connection: close`), which keeps every
//! connection's cost known in advance:
//!
//! - the request line may be [`MAX_REQUEST_LINE`] bytes (else `414`), the headers
//!   [`MAX_HEADER_BYTES`] bytes and [`MAX_HEADERS`] lines (else `431`), and the
//!   whole head must arrive within [`HEAD_TIMEOUT`] (else `408`);
//! - at most [`MAX_CONNECTIONS`] connections are open at once, each on its own
//!   thread. When they are all taken, the oldest one still sending its head is
//!   closed to make room, so idle or slow connections (a "slowloris" flood) cannot
//!   starve a client that sends its request at once; only when every connection
//!   is busy answering is a new one refused with `503`;
//! - a request target may be in origin form (`/x`) or absolute form
//!   (`http://localhost:1111/x`, RFC 9112 §3.2.2: its authority stands for `Host`);
//!   an HTTP/1.1 request needs exactly one `Host` header, and none may have two
//!   (RFC 9112 §3.2, else `400`);
//! - a client that stops reading is dropped after [`WRITE_TIMEOUT`].

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest request line read (method, target, version).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The most header bytes read after the request line.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The most header lines read.
pub const MAX_HEADERS: usize = 100;
/// How long a client may take to send its request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a write may wait for a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections (and so threads) at once, event streams included.
pub const MAX_CONNECTIONS: usize = 128;

/// A request head, read and checked.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    /// The request target as sent (`/en/briefs/x/?a=1`).
    pub target: String,
    /// `HTTP/1.0` rather than `HTTP/1.1`.
    pub http10: bool,
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A head that is refused before it is handled: the status and the reason sent.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub text: &'static str,
}

/// One request, with the connection to answer it on.
pub struct Request {
    pub head: Head,
    stream: TcpStream,
}

impl Request {
    pub fn method(&self) -> &str {
        &self.head.method
    }

    pub fn url(&self) -> &str {
        &self.head.target
    }

    /// Sends a whole response (no body for `HEAD`) and closes the connection.
    pub fn respond(self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let head_only = self.head.method == "HEAD";
        let mut stream = self.stream;
        let _ = write_response(&mut stream, status, headers, body, head_only);
        let _ = stream.flush();
        let _ = stream.shutdown(Shutdown::Both);
    }

    /// The connection, to write a response that does not end (an event stream).
    pub fn into_stream(self) -> TcpStream {
        self.stream
    }
}

/// The reason phrase of the statuses `serve` sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Writes status line, headers, `Content-Length`, `Connection: close` and the body.
pub fn write_response(
    stream: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        // Every header is made here; one with a line break would split the response.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    Ok(())
}

/// Reads one request head from `input`, never holding more than the limits allow.
/// `Ok(None)`: the client closed the connection without sending anything.
pub fn read_head(
    input: &mut impl Read,
    deadline: Instant,
    set_timeout: impl Fn(Duration),
) -> Result<Option<Head>, Refusal> {
    const TOO_LONG: Refusal = Refusal {
        status: 414,
        text: "the request line is longer than 8 KiB",
    };
    const TOO_MANY: Refusal = Refusal {
        status: 431,
        text: "the request headers are longer than 32 KiB or more than 100 lines",
    };
    let limit = MAX_REQUEST_LINE + MAX_HEADER_BYTES;
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut line_end = None;
    loop {
        // The request line, then the headers, within their limits.
        if line_end.is_none() {
            line_end = buffer.iter().position(|&b| b == b'\n');
            if line_end.is_none() && buffer.len() > MAX_REQUEST_LINE {
                return Err(TOO_LONG);
            }
            if line_end.is_some_and(|end| end > MAX_REQUEST_LINE) {
                return Err(TOO_LONG);
            }
        }
        if let Some(line_end) = line_end {
            let headers = &buffer[line_end + 1..];
            if let Some(end) = find_blank_line(headers) {
                let lines = headers[..end].iter().filter(|&&b| b == b'\n').count();
                if end > MAX_HEADER_BYTES || lines > MAX_HEADERS + 1 {
                    return Err(TOO_MANY);
                }
                return parse_head(&buffer[..line_end + 1 + end]).map(Some);
            }
            if headers.len() > MAX_HEADER_BYTES || headers.iter().filter(|&&b| b == b'\n').count() > MAX_HEADERS {
                return Err(TOO_MANY);
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Refusal {
                status: 408,
                text: "the request head did not arrive in time",
            });
        }
        set_timeout(left);
        let room = (limit + 4).saturating_sub(buffer.len()).min(chunk.len());
        match input.read(&mut chunk[..room.max(1)]) {
            Ok(0) if buffer.is_empty() => return Ok(None),
            Ok(0) => {
                return Err(Refusal {
                    status: 400,
                    text: "the connection closed before the request head ended",
                });
            }
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Err(Refusal {
                    status: 408,
                    text: "the request head did not arrive in time",
                });
            }
            Err(_) => return Ok(None),
        }
    }
}

/// Where the headers end: the length up to and including the blank line.
fn find_blank_line(headers: &[u8]) -> Option<usize> {
    if headers.starts_with(b"\r\n") {
        return Some(2);
    }
    if headers.starts_with(b"\n") {
        return Some(1);
    }
    let crlf = headers.windows(4).position(|w| w == b"\r\n\r\n").map(|at| at + 4);
    let lf = headers.windows(2).position(|w| w == b"\n\n").map(|at| at + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn parse_head(raw: &[u8]) -> Result<Head, Refusal> {
    const BAD: Refusal = Refusal {
        status: 400,
        text: "the request head is not HTTP/1.1",
    };
    let text = std::str::from_utf8(raw).map_err(|_| Refusal {
        status: 400,
        text: "the request head is not UTF-8",
    })?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    // A carriage return or other control character inside a line (RFC 9112 §2.2:
    // a bare CR is invalid) could split a header for a reader further along.
    let control = |c: char| c.is_ascii_control() && c != '\t';
    if lines.clone().any(|l| l.contains(control)) {
        return Err(Refusal {
            status: 400,
            text: "the request head has a control character (a bare CR, say) inside a line",
        });
    }
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BAD);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err(BAD);
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => {
            return Err(Refusal {
                status: 505,
                text: "only HTTP/1.0 and HTTP/1.1 are served",
            });
        }
        _ => return Err(BAD),
    };
    let mut headers = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(BAD);
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            return Err(BAD);
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let hosts = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("host")).count();
    if hosts > 1 {
        return Err(Refusal {
            status: 400,
            text: "the request has more than one Host header",
        });
    }
    if hosts == 0 && !http10 {
        return Err(Refusal {
            status: 400,
            text: "the request has no Host header",
        });
    }
    let mut target = target.to_string();
    if let Some((authority, origin)) = absolute_form(&target) {
        // RFC 9112 §3.2.2: the target's authority replaces any Host header.
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case("host"));
        headers.push(("Host".to_string(), authority));
        target = origin;
    }
    Ok(Head {
        method: method.to_string(),
        target,
        http10,
        headers,
    })
}

/// `http://host:port/path?query` split into its authority and its origin form
/// (`/path?query`; `/` when the path is empty); `None` for any other target.
fn absolute_form(target: &str) -> Option<(String, String)> {
    let (scheme, rest) = target.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, origin) = rest.split_at(end);
    let origin = if origin.starts_with('/') {
        origin.to_string()
    } else {
        format!("/{origin}")
    };
    Some((authority.to_string(), origin))
}

/// Answers a refused head and closes the connection. What the client still sends
/// is read and dropped for a moment first, so it sees the answer rather than a
/// reset connection.
fn refuse(mut stream: TcpStream, refusal: &Refusal) {
    let text = format!("{} {}: {}\n", refusal.status, reason(refusal.status), refusal.text);
    let headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Cache-Control", "no-store"),
    ];
    if write_response(&mut stream, refusal.status, &headers, text.as_bytes(), false).is_err() {
        return;
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(2);
    let mut sink = [0u8; 16 * 1024];
    let mut drained = 0usize;
    while drained < 64 * 1024 * 1024 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

/// Counts open connections; one is let go when its guard drops.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The connections still sending their request head, oldest first: the ones a
/// new connection may push out when every place is taken.
#[derive(Default)]
struct Waiting {
    next: u64,
    /// (number, a handle to close it by).
    streams: std::collections::VecDeque<(u64, TcpStream)>,
}

type WaitingList = Arc<std::sync::Mutex<Waiting>>;

/// Adds a connection that is about to read its head; `None` if it cannot be
/// tracked (it is then served without being evictable).
fn wait_for_head(waiting: &WaitingList, stream: &TcpStream) -> Option<u64> {
    let handle = stream.try_clone().ok()?;
    let mut waiting = waiting.lock().unwrap_or_else(|e| e.into_inner());
    let number = waiting.next;
    waiting.next += 1;
    waiting.streams.push_back((number, handle));
    Some(number)
}

fn head_done(waiting: &WaitingList, number: Option<u64>) {
    let Some(number) = number else {
        return;
    };
    let mut waiting = waiting.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(at) = waiting.streams.iter().position(|(n, _)| *n == number) {
        waiting.streams.remove(at);
    }
}

/// Closes the connection that has waited longest for its head; whether there was
/// one. Its thread sees the connection end and lets its place go.
fn evict_oldest(waiting: &WaitingList) -> bool {
    let oldest = waiting.lock().unwrap_or_else(|e| e.into_inner()).streams.pop_front();
    match oldest {
        Some((_, stream)) => {
            let _ = stream.shutdown(Shutdown::Both);
            true
        }
        None => false,
    }
}

/// How many connections may be open beyond [`MAX_CONNECTIONS`] for a moment, while
/// the ones pushed out are still closing.
const EVICTION_SLACK: usize = 32;

/// Accepts connections until `stop` is set, answering each on its own thread with
/// `handle`. A connection to the listener wakes it up to see `stop`.
pub fn accept_loop(listener: &TcpListener, stop: &AtomicBool, handle: impl Fn(Request) + Send + Sync + 'static) {
    let handle = Arc::new(handle);
    let open = Arc::new(AtomicUsize::new(0));
    let waiting: WaitingList = Arc::default();
    for stream in listener.incoming() {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // Out of file descriptors, say: wait a little rather than spin.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let already = open.fetch_add(1, Ordering::AcqRel);
        let full =
            already >= MAX_CONNECTIONS + EVICTION_SLACK || (already >= MAX_CONNECTIONS && !evict_oldest(&waiting));
        if full {
            open.fetch_sub(1, Ordering::AcqRel);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let mut stream = stream;
            let text = b"503 Service Unavailable: too many open connections; try again\n";
            let headers = [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", "2")];
            let _ = write_response(&mut stream, 503, &headers, text, false);
            continue;
        }
        let slot = Slot(open.clone());
        let handle = handle.clone();
        let number = wait_for_head(&waiting, &stream);
        let thread_waiting = waiting.clone();
        // Out of threads, the connection is dropped; the client may try again.
        let spawned = std::thread::Builder::new().name("legbrief-http".into()).spawn(move || {
            let _slot = slot;
            serve_connection(stream, &*handle, || head_done(&thread_waiting, number));
        });
        if spawned.is_err() {
            head_done(&waiting, number);
        }
    }
}

fn serve_connection(stream: TcpStream, handle: &dyn Fn(Request), head_read: impl FnOnce()) {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut reader = &stream;
    let head = read_head(&mut reader, deadline, |left| {
        let _ = stream.set_read_timeout(Some(left));
    });
    head_read();
    match head {
        Ok(Some(head)) => {
            let _ = stream.set_read_timeout(None);
            handle(Request { head, stream });
        }
        Ok(None) => {}
        Err(refusal) => refuse(stream, &refusal),
    }
}

// ---- shared by the site's pages and serve's own endpoints -------------------

/// The prefix of `serve`'s own endpoints; no site page lives there.
pub const RESERVED_PREFIX: &str = "/__legbrief/";

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Sends a response with the headers every response carries.
pub fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>, extra: &[(&str, &str)]) {
    let mut headers = vec![
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    headers.extend_from_slice(extra);
    // The client may be gone already; there is nobody to tell.
    request.respond(status, &headers, &body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &[u8]) -> Result<Option<Head>, Refusal> {
        read_head(&mut &raw[..], Instant::now() + Duration::from_secs(5), |_| {})
    }

    #[test]
    fn reads_a_head_within_the_limits() {
        let head = read(b"GET /en/?a=1 HTTP/1.1\r\nHost: localhost:1111\r\nX-A:  b \r\n\r\nrest")
            .unwrap()
            .unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.target, "/en/?a=1");
        assert!(!head.http10);
        assert_eq!(head.header("host"), Some("localhost:1111"));
        assert_eq!(head.header("x-a"), Some("b"));
        assert!(read(b"GET / HTTP/1.0\n\n").unwrap().unwrap().http10);
        assert!(read(b"").unwrap().is_none());
    }

    #[test]
    fn refuses_heads_beyond_the_limits_or_malformed() {
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(read(long_line.as_bytes()).unwrap_err().status, 414);
        let endless_line = vec![b'a'; 100_000];
        assert_eq!(read(&endless_line).unwrap_err().status, 414);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "b".repeat(MAX_HEADER_BYTES));
        assert_eq!(read(big.as_bytes()).unwrap_err().status, 431);
        let many: String = (0..=MAX_HEADERS).map(|n| format!("X-{n}: 1\r\n")).collect();
        assert_eq!(
            read(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes())
                .unwrap_err()
                .status,
            431
        );
        for bad in [
            &b"GET\r\n\r\n"[..],
            b"GET / HTTP/1.1 x\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
            b"GET / HTTP/1.1\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\rX-Split: 1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: local\0host\r\n\r\n",
        ] {
            assert_eq!(read(bad).unwrap_err().status, 400, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(read(b"GET / HTTP/2.0\r\n\r\n").unwrap_err().status, 505);
    }

    #[test]
    fn host_headers_follow_rfc_9112() {
        // Two Host lines, whatever their case or values: 400 (RFC 9112 §3.2).
        for two in [
            &b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nHost: localhost\r\nhOsT: evil.example\r\n\r\n",
            b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
            b"GET http://localhost/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        ] {
            let refusal = read(two).unwrap_err();
            assert_eq!(refusal.status, 400, "{}", String::from_utf8_lossy(two));
            assert!(refusal.text.contains("more than one Host"));
        }
        // HTTP/1.1 must send one; HTTP/1.0 may leave it out (serve then decides).
        assert_eq!(read(b"GET / HTTP/1.1\r\n\r\n").unwrap_err().status, 400);
        assert!(
            read(b"GET / HTTP/1.0\r\n\r\n")
                .unwrap()
                .unwrap()
                .header("host")
                .is_none()
        );
    }

    #[test]
    fn absolute_form_targets_are_read_as_their_path_and_host() {
        let head = read(b"GET http://localhost:1111/x?a=1 HTTP/1.1\r\nHost: other\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(head.target, "/x?a=1");
        assert_eq!(head.header("host"), Some("localhost:1111"));
        assert_eq!(
            head.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
                .count(),
            1
        );
        let head = read(b"HEAD HTTP://127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!((head.target.as_str(), head.header("host")), ("/", Some("127.0.0.1:80")));
        let head = read(b"GET http://[::1]?q HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert_eq!((head.target.as_str(), head.header("host")), ("/?q", Some("[::1]")));
        // Other schemes stay as sent (and serve refuses them as paths).
        let head = read(b"GET ftp://localhost/x HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(head.target, "ftp://localhost/x");
    }

    /// Property tests of the head reader: any bytes, in any pieces, give one of
    /// the answers it may give, the same answer however they arrive, and a head
    /// within the limits. Seeded with the hostile heads seen so far and mutations
    /// of them. `WIRE_CASES` sets the number of cases (256 by default).
    mod properties {
        use super::*;
        use proptest::prelude::*;

        const SEEDS: &[&str] = &[
            "GET / HTTP/1.1\r\nHost: localhost:1111\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "GET http://localhost:1111/x HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
            "GET / HTTP/1.1\r\nHost: localhost\r\n Folded: x\r\n\r\n",
            "GET / HTTP/1.1\nHost: localhost\n\n",
            "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /\0 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\rX-Split: 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
            "get / http/1.1\r\n\r\n",
            "GET  /  HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nX-A: \u{202E}\u{00ff}\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ",
            "\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            "",
        ];

        fn cases() -> u32 {
            std::env::var("WIRE_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(256)
        }

        /// Hands out `data` in pieces of the given sizes, then the rest.
        struct Pieces<'a> {
            data: &'a [u8],
            sizes: Vec<usize>,
        }

        impl Read for Pieces<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let size = if self.sizes.is_empty() {
                    usize::MAX
                } else {
                    self.sizes.remove(0)
                };
                let n = size.max(1).min(buf.len()).min(self.data.len());
                buf[..n].copy_from_slice(&self.data[..n]);
                self.data = &self.data[n..];
                Ok(n)
            }
        }

        fn read_in(data: &[u8], sizes: Vec<usize>) -> Result<Option<Head>, Refusal> {
            read_head(
                &mut Pieces { data, sizes },
                Instant::now() + Duration::from_secs(60),
                |_| {},
            )
        }

        /// Seeds, mutated: bytes replaced, inserted or removed, pieces repeated.
        fn hostile_input() -> impl Strategy<Value = Vec<u8>> {
            let mutation = (any::<usize>(), any::<u8>(), 0u8..4, 0usize..200);
            (prop::sample::select(SEEDS), prop::collection::vec(mutation, 0..6)).prop_map(|(seed, mutations)| {
                let mut bytes = seed.as_bytes().to_vec();
                for (at, byte, how, times) in mutations {
                    let at = if bytes.is_empty() { 0 } else { at % (bytes.len() + 1) };
                    match how {
                        0 if at < bytes.len() => bytes[at] = byte,
                        1 => bytes.insert(at, byte),
                        2 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        _ => {
                            let piece = bytes[at..].iter().take(16).copied().collect::<Vec<_>>();
                            for _ in 0..times {
                                bytes.splice(at..at, piece.iter().copied());
                            }
                        }
                    }
                }
                bytes
            })
        }

        fn any_input() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                3 => hostile_input(),
                1 => prop::collection::vec(any::<u8>(), 0..512),
                1 => prop::collection::vec(prop::sample::select(b"GET /HTP1.\r\n:Host x".to_vec()), 0..512),
            ]
        }

        fn check(result: &Result<Option<Head>, Refusal>) -> Result<(), TestCaseError> {
            match result {
                Ok(None) => {}
                Ok(Some(head)) => {
                    prop_assert!(!head.method.is_empty() && head.method.bytes().all(|b| b.is_ascii_uppercase()));
                    prop_assert!(!head.target.is_empty() && !head.target.contains([' ', '\r', '\n']));
                    prop_assert!(head.target.len() <= MAX_REQUEST_LINE);
                    prop_assert!(head.headers.len() <= MAX_HEADERS);
                    let hosts = head
                        .headers
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
                        .count();
                    prop_assert!(hosts <= 1, "{hosts} Host headers accepted");
                    prop_assert!(head.http10 || hosts == 1, "HTTP/1.1 without Host accepted");
                    for (name, value) in &head.headers {
                        prop_assert!(!name.is_empty() && !name.contains([':', ' ', '\r', '\n']));
                        prop_assert!(!value.contains(['\r', '\n']), "a line break in {name}: {value:?}");
                    }
                }
                Err(refusal) => prop_assert!(
                    [400, 414, 431, 505].contains(&refusal.status),
                    "unexpected status {}",
                    refusal.status
                ),
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: cases(),
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            #[test]
            fn any_bytes_in_any_pieces_get_the_same_bounded_answer(
                input in any_input(),
                sizes in prop::collection::vec(1usize..64, 0..32),
            ) {
                let whole = read_in(&input, Vec::new());
                check(&whole)?;
                let pieces = read_in(&input, sizes);
                prop_assert_eq!(format!("{whole:?}"), format!("{pieces:?}"));
            }

            #[test]
            fn well_formed_heads_are_read_as_sent(
                method in "[A-Z]{1,8}",
                path in "/[a-zA-Z0-9._~/%-]{0,40}",
                absolute in any::<bool>(),
                names in prop::collection::vec("[A-Za-z][A-Za-z0-9-]{0,15}", 0..8),
                value in "[ -~]{0,30}",
            ) {
                let target = if absolute { format!("http://localhost:1111{path}") } else { path.clone() };
                let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: localhost:1111\r\n");
                let names: Vec<String> = names.into_iter().filter(|n| !n.eq_ignore_ascii_case("host")).collect();
                for name in &names {
                    raw.push_str(&format!("{name}: {value}\r\n"));
                }
                raw.push_str("\r\n");
                let head = read_in(raw.as_bytes(), Vec::new()).unwrap().unwrap();
                prop_assert_eq!(&head.method, &method);
                prop_assert_eq!(&head.target, &path);
                prop_assert_eq!(head.header("host"), Some("localhost:1111"));
                prop_assert_eq!(head.headers.len(), names.len() + 1);
                for name in &names {
                    prop_assert_eq!(head.header(name), Some(value.trim()));
                }
            }
        }
    }
}
