//! `legbrief serve` facing clients that do not play fair, and the one set of
//! publishing rules shared by `check`, `build` and term archives.
//!
//! Every request goes to the loopback address only; every loop is bounded in count
//! and time.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::{TestSite, front, stderr};

const TIMEOUT: Duration = Duration::from_secs(90);

impl Serve {
    /// Sends `head` (a whole request head) and reads the reply: (status, text).
    fn send(&self, head: &str) -> (u16, String) {
        let mut stream = self.connect();
        stream.write_all(head.as_bytes()).expect("send");
        read_reply(&mut stream)
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to serve");
        stream.set_read_timeout(Some(TIMEOUT)).expect("a read timeout");
        stream.set_write_timeout(Some(TIMEOUT)).expect("a write timeout");
        stream
    }

    fn get_with_host(&self, target: &str, host: &str) -> (u16, String) {
        self.send(&format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    /// The resident memory of the server process, in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

/// Reads a whole reply (the server closes the connection after it).
fn read_reply(stream: &mut TcpStream) -> (u16, String) {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

/// Reads the status line and headers of a reply that may not end.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).to_string()
}

fn site() -> TestSite {
    TestSite::new()
        .brief("alpha", "en", &front("Alpha", "itb", "2023-05-08"), "Alpha text.\n")
        .brief(
            "secret",
            "en",
            &format!("{}draft = true\n", front("Secret draft", "itb", "2024-02-01")),
            "Draft text not yet public.\n",
        )
}

/// Writes `total` bytes of `piece` (bounded), stopping early if the server closes;
/// returns how many were sent.
fn send_flood(stream: &mut TcpStream, start: &str, piece: &[u8], total: usize) -> usize {
    let mut sent = 0;
    if stream.write_all(start.as_bytes()).is_err() {
        return 0;
    }
    while sent < total {
        match stream.write(piece) {
            Ok(0) | Err(_) => break,
            Ok(n) => sent += n,
        }
    }
    sent
}

#[test]
fn serve_rejects_huge_request_line_414() {
    let site = site();
    let serve = Serve::start(site.root(), &[]);
    let before = serve.rss_kib();
    let mut stream = serve.connect();
    // One megabyte of request target, no line end.
    send_flood(&mut stream, "GET /", &[b'a'; 16 * 1024], 1024 * 1024);
    let (status, text) = read_reply(&mut stream);
    assert_eq!(status, 414, "{text}");
    assert!(text.contains("URI Too Long"), "{text}");
    assert!(text.contains("Connection: close"), "{text}");
    let grown = serve.rss_kib().saturating_sub(before);
    assert!(
        grown < 8 * 1024,
        "serve grew by {grown} KiB reading a long request line"
    );
    // Still serving.
    assert_eq!(serve.get_with_host("/en/", &serve.address).0, 200, "{}", serve.log());
}

#[test]
fn serve_rejects_huge_headers_431() {
    let site = site();
    let serve = Serve::start(site.root(), &[]);
    let before = serve.rss_kib();

    // One megabyte of header lines.
    let mut stream = serve.connect();
    let start = format!("GET /en/ HTTP/1.1\r\nHost: {}\r\n", serve.address);
    send_flood(
        &mut stream,
        &start,
        b"X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
        1024 * 1024,
    );
    let (status, text) = read_reply(&mut stream);
    assert_eq!(status, 431, "{text}");
    assert!(text.contains("Request Header Fields Too Large"), "{text}");

    // One header line of a megabyte.
    let mut stream = serve.connect();
    send_flood(&mut stream, &format!("{start}X-Big: "), &[b'b'; 16 * 1024], 1024 * 1024);
    assert_eq!(read_reply(&mut stream).0, 431);

    // More than 100 short headers.
    let many: String = (0..150).map(|n| format!("X-{n}: 1\r\n")).collect();
    assert_eq!(serve.send(&format!("{start}{many}\r\n")).0, 431);

    let grown = serve.rss_kib().saturating_sub(before);
    assert!(grown < 8 * 1024, "serve grew by {grown} KiB reading huge headers");
    assert_eq!(serve.get_with_host("/en/", &serve.address).0, 200, "{}", serve.log());
}

#[test]
fn serve_caps_event_streams() {
    let site = site();
    let serve = Serve::start(site.root(), &[]);
    let open = |serve: &Serve| {
        let mut stream = serve.connect();
        write!(
            stream,
            "GET /__legbrief/events?since=x-0&path=%2F HTTP/1.1\r\nHost: {}\r\n\r\n",
            serve.address
        )
        .expect("send");
        let head = read_head(&mut stream);
        (stream, head)
    };
    let mut streams = Vec::new();
    for n in 0..32 {
        let (stream, head) = open(&serve);
        assert!(head.starts_with("HTTP/1.1 200"), "stream {n}: {head}");
        assert!(head.contains("text/event-stream"), "stream {n}: {head}");
        streams.push(stream);
    }
    let (mut refused, head) = open(&serve);
    assert!(head.starts_with("HTTP/1.1 503"), "stream 33: {head}");
    assert!(head.contains("Retry-After: 10"), "{head}");
    let mut body = String::new();
    let _ = refused.read_to_string(&mut body);
    assert!(body.contains("32 live-reload streams are open already"), "{body}");
    // Pages are still served meanwhile.
    assert_eq!(serve.get_with_host("/en/", &serve.address).0, 200);

    // A closed tab frees its place.
    drop(streams.pop());
    let started = Instant::now();
    loop {
        let (_stream, head) = open(&serve);
        if head.starts_with("HTTP/1.1 200") {
            break;
        }
        // The server notices a closed stream when it next writes to it.
        assert!(started.elapsed() < TIMEOUT, "the place was not freed: {head}");
        std::thread::sleep(Duration::from_millis(200));
        let path = site.path("content/briefs/alpha.en.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("Alpha text.", "Alpha text, edited.")).unwrap();
    }
    // The page's script tries again later when refused.
    let (_, script) = serve.get_with_host("/__legbrief/livereload.js", &serve.address);
    assert!(script.contains("EventSource.CLOSED"), "{script}");
}

#[test]
fn serve_refuses_foreign_host_header() {
    let site = site();
    let serve = Serve::start(site.root(), &["--drafts"]);
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{}", serve.port),
        format!("127.0.0.1.evil.example:{}", serve.port),
        format!("localhost.evil.example:{}", serve.port),
    ] {
        let (status, text) = serve.get_with_host("/en/briefs/secret/", &host);
        assert_eq!(status, 421, "Host {host}: {text}");
        assert!(!text.contains("Draft text"), "Host {host} read a draft");
        assert!(
            text.contains("this server answers only to localhost, 127.0.0.1 and [::1]"),
            "{text}"
        );
    }
    let (status, text) = serve.send("GET /en/briefs/secret/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400, "no Host: {text}");
    assert!(!text.contains("Draft text"));
}

#[test]
fn serve_accepts_localhost_host_header() {
    let site = site();
    let serve = Serve::start(site.root(), &["--drafts"]);
    let port = serve.port;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
        format!("LocalHost:{port}"),
    ] {
        let (status, text) = serve.get_with_host("/en/briefs/secret/", &host);
        assert_eq!(status, 200, "Host {host}: {text}");
        assert!(text.contains("Draft text not yet public."), "Host {host}");
    }
    // HTTP/1.0 with Host is served; without it, on loopback, refused.
    let (status, _) = serve.send(&format!("GET /en/ HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n"));
    assert_eq!(status, 200);
    let (status, text) = serve.send("GET /en/briefs/secret/ HTTP/1.0\r\n\r\n");
    assert_eq!(status, 400, "{text}");
    assert!(!text.contains("Draft text"));
    // Two Host headers: 400 (RFC 9112 §3.2).
    let (status, _) = serve.send(&format!(
        "GET /en/ HTTP/1.1\r\nHost: localhost:{port}\r\nHost: localhost:{port}\r\n\r\n"
    ));
    assert_eq!(status, 400);
    // Absolute form (RFC 9112 §3.2.2): its authority is the Host.
    let (status, text) = serve.send(&format!(
        "GET http://localhost:{port}/en/briefs/secret/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    ));
    assert_eq!(status, 200, "{text}");
    let (status, _) = serve.send(&format!(
        "GET http://evil.example/en/briefs/secret/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    ));
    assert_eq!(status, 421);
}

#[test]
fn serve_answers_a_real_client_under_a_slow_connection_flood() {
    let site = site();
    let serve = Serve::start(site.root(), &[]);
    let address = serve.address.clone();
    // 300 connections that send a head a byte at a time, never finishing it, and
    // come back when closed, for a bounded time.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flood = {
        let stop = stop.clone();
        let port = serve.port;
        std::thread::spawn(move || {
            let connect = || {
                let s = TcpStream::connect(("127.0.0.1", port)).ok()?;
                s.set_write_timeout(Some(Duration::from_millis(200))).ok()?;
                Some(s)
            };
            let mut held: Vec<Option<TcpStream>> = (0..300).map(|_| connect()).collect();
            let started = Instant::now();
            let mut reconnects = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
                for slot in held.iter_mut() {
                    let alive = slot.as_mut().is_some_and(|s| s.write_all(b"G").is_ok());
                    if !alive && reconnects < 5_000 {
                        *slot = connect();
                        reconnects += 1;
                    }
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            (held.iter().filter(|s| s.is_some()).count(), reconnects)
        })
    };
    std::thread::sleep(Duration::from_secs(1));
    let mut statuses = Vec::new();
    let mut slowest = Duration::ZERO;
    for _ in 0..10 {
        let started = Instant::now();
        statuses.push(serve.get_with_host("/en/", &address).0);
        slowest = slowest.max(started.elapsed());
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (held, reconnects) = flood.join().unwrap();
    eprintln!("statuses {statuses:?}, slowest {slowest:?}, held {held}, reconnects {reconnects}");
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}\n{}", serve.log());
    assert!(slowest < Duration::from_secs(5), "a page took {slowest:?}");
}

#[test]
fn serve_bind_all_interfaces_warns_and_prints_real_address() {
    let site = site();
    let serve = Serve::start(site.root(), &["--bind", "0.0.0.0", "--drafts"]);
    let started = Instant::now();
    while !serve.log().contains("warning:") && started.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = serve.log();
    assert!(
        log.contains(&format!("on all network interfaces (0.0.0.0:{})", serve.port)),
        "{log}"
    );
    assert!(
        log.contains(&format!("http://127.0.0.1:{}/ on this machine", serve.port)),
        "{log}"
    );
    assert!(
        log.contains("warning: serve is bound to 0.0.0.0, not to this machine's loopback"),
        "{log}"
    );
    assert!(log.contains("drafts included (--drafts)"), "{log}");
    // Bound beyond loopback, other names are answered (only loopback is tried here).
    assert_eq!(serve.get_with_host("/en/", &serve.address).0, 200);
    assert_eq!(
        serve.get_with_host("/en/", &format!("briefs-pc.lan:{}", serve.port)).0,
        200
    );

    // The default binds loopback and warns of nothing.
    let private = Serve::start(site.root(), &[]);
    std::thread::sleep(Duration::from_millis(200));
    let log = private.log();
    assert!(log.contains(&format!("at http://127.0.0.1:{}/", private.port)), "{log}");
    assert!(!log.contains("warning: serve is bound"), "{log}");
}

#[test]
fn duplicate_paper_no_refused_by_build() {
    let with_no = |title: &str| format!("{}paper_no = \"CB(4)210/2023(05)\"", front(title, "itb", "2024-01-10"));
    let site = TestSite::new()
        .brief("a", "en", &with_no("A"), "One.\n")
        .brief("b", "en", &with_no("B"), "One.\n");
    let message = "content/briefs/b.en.md:5:12: error in `paper_no`: paper number `CB(4)210/2023(05)` \
                   is also the paper number of `content/briefs/a.en.md`";

    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains(message), "{}", stderr(&check));

    let build = site.build();
    assert_eq!(build.status.code(), Some(1), "build published it:\n{}", stderr(&build));
    assert!(stderr(&build).contains(message), "{}", stderr(&build));
    assert_eq!(stderr(&build).matches("is also the paper number").count(), 1);
    assert!(!site.exists("public/en/briefs/b/index.html"), "build wrote the site");
    // No flag lets it through.
    let forced = site.run(&["build", "--allow-broken-links"]);
    assert_eq!(forced.status.code(), Some(1), "{}", stderr(&forced));

    // A term archive shares the gate.
    let archive = site.run(&["build", "--term", "7"]);
    assert_eq!(archive.status.code(), Some(1), "{}", stderr(&archive));
    assert!(
        stderr(&archive).contains("is also the paper number"),
        "{}",
        stderr(&archive)
    );
}

#[test]
fn raw_html_broken_link_blamed_on_brief() {
    let config = format!("{}\n[markdown]\nraw_html = true\n", common::CONFIG);
    let site = TestSite::new()
        .write("legbrief.toml", &config)
        .brief(
            "raw",
            "en",
            &front("Raw", "itb", "2024-01-10"),
            "One.\n\nSee <a href=\"../missing/\">the missing brief</a>.\n\n<div class=\"box\">\n<a href=\"../also-missing/#p-2\">x</a>\n</div>\n",
        )
        .brief("other", "en", &front("Other", "itb", "2024-01-11"), "One.\n");

    for out in [site.run(&["check"]), site.build()] {
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("content/briefs/raw.en.md:8:5: error"), "{err}");
        assert!(err.contains("content/briefs/raw.en.md:11:1: error"), "{err}");
        assert!(err.contains("../missing/"), "{err}");
        assert!(!err.contains("made by template"), "blamed on a template:\n{err}");
    }
}
