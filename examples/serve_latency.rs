//! Measures how fast `legbrief serve` shows an edit: the time from a source file
//! being saved to the edited page being served over HTTP with the new text, as a
//! client asking for the page every 5 ms sees it (not what the server logs). It
//! also reports the time until the server says the pages that list the brief and
//! the search index are up to date, the startup build and the server's peak memory.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example serve_latency -- --root SITE [--edits 20] [--lang zh-hk]
//!     [--legbrief target/release/legbrief] [--slug SLUG] [--pace-ms MS]
//! ```
//! `bench/serve_latency.sh` generates a site of N bilingual briefs and runs this.
//!
//! Each edit is saved the way editors that write atomically do (a temporary file
//! renamed over the source) and changes one paragraph of one brief. The next edit
//! waits until the server is idle again (the pages that list the brief and the
//! search index follow the edited page), as a drafter's saves are seconds apart.
//! With `--pace-ms MS` it saves every MS milliseconds instead, so saves land while
//! the server is still redoing those pages: the worst case of a fast typist. The server is spawned as a separate
//! process, so this program measures the real command and uses only the standard
//! library. The source is restored at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(120);
/// How often the client asks for the edited page again after a save.
const POLL: Duration = Duration::from_millis(5);

struct Args {
    root: PathBuf,
    legbrief: PathBuf,
    edits: usize,
    lang: String,
    slug: Option<String>,
    /// Save every this many milliseconds instead of waiting for the server to be idle.
    pace_ms: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        root: PathBuf::new(),
        legbrief: PathBuf::from("target/release/legbrief"),
        edits: 20,
        lang: "zh-hk".into(),
        slug: None,
        pace_ms: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--root" => args.root = PathBuf::from(value()?),
            "--legbrief" => args.legbrief = PathBuf::from(value()?),
            "--edits" => args.edits = value()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--lang" => args.lang = value()?,
            "--slug" => args.slug = Some(value()?),
            "--pace-ms" => args.pace_ms = Some(value()?.parse().map_err(|e| format!("--pace-ms: {e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.root.as_os_str().is_empty() {
        return Err("--root SITE is required".into());
    }
    Ok(args)
}

/// The brief to edit: `--slug`, or the first one (by name) in the language.
fn pick_brief(args: &Args) -> Result<(String, PathBuf), String> {
    let dir = args.root.join("content/briefs");
    let suffix = format!(".{}.md", args.lang);
    if let Some(slug) = &args.slug {
        return Ok((slug.clone(), dir.join(format!("{slug}{suffix}"))));
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(&suffix))
        .collect();
    names.sort();
    let name = names
        .first()
        .ok_or(format!("no *{suffix} brief in {}", dir.display()))?;
    let slug = name.trim_end_matches(&suffix).to_string();
    Ok((slug, dir.join(name)))
}

/// `text` with `marker` added at the end of the first body paragraph line.
fn edited(text: &str, marker: &str) -> Result<String, String> {
    let mut fences = 0;
    let mut out = String::with_capacity(text.len() + marker.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content == "+++" {
            fences += 1;
        } else if !done && fences >= 2 && is_paragraph_line(content) {
            out.push_str(content);
            out.push_str(marker);
            out.push_str(&line[content.len()..]);
            done = true;
            continue;
        }
        out.push_str(line);
    }
    if done {
        Ok(out)
    } else {
        Err("the brief has no paragraph to edit".into())
    }
}

fn is_paragraph_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    !trimmed.is_empty()
        && !line.starts_with([' ', '\t'])
        && !trimmed.starts_with(['#', '-', '*', '>', '|', '[', '<', '`'])
        && !trimmed.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn save_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let temp = path.with_file_name(format!(
        ".{}.bench-tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path)
}

/// A GET over a fresh connection; returns (status, body).
fn get(address: &str, target: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Reads server-sent events; sends the data of each `reload` event.
fn listen(address: &str, target: &str) -> Result<Receiver<String>, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\n\r\n").map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        let mut data: Vec<String> = Vec::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push(d.to_string());
            } else if line.is_empty() {
                if event == "reload" && tx.send(data.join("\n")).is_err() {
                    return;
                }
                event.clear();
                data.clear();
            }
        }
    });
    Ok(rx)
}

/// The serve process and its terminal lines.
struct Serve {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn next_line(&self) -> Result<String, String> {
        self.lines
            .recv_timeout(TIMEOUT)
            .map_err(|_| "serve printed nothing for too long".to_string())
    }

    /// Peak resident memory so far, from the kernel (Linux).
    fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    }
}

fn start(args: &Args) -> Result<(Serve, String, Duration, String), String> {
    let started = Instant::now();
    let mut child = Command::new(&args.legbrief)
        .args(["serve", "--port", "0", "--root"])
        .arg(&args.root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", args.legbrief.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let serve = Serve { child, lines: rx };
    loop {
        let line = serve.next_line()?;
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap_or_default();
            let address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
            return Ok((serve, address, started.elapsed(), line));
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let (slug, path) = pick_brief(&args)?;
    let original = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (serve, address, startup, ready_line) = start(&args)?;
    println!(
        "startup (build in memory, then serving): {:.2} s — {ready_line}",
        startup.as_secs_f64()
    );
    let page = format!("/{}/briefs/{slug}/", args.lang);
    let (status, body) = get(&address, &page)?;
    if status != 200 {
        return Err(format!("GET {page} answered {status}"));
    }
    let since = body
        .split("data-since=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the page has no live-reload script")?;
    let reloads = listen(&address, &format!("/__legbrief/events?since={since}&path={page}"))?;

    let mut times = Vec::with_capacity(args.edits);
    // From each save to the server saying the lists, quotes and search index are
    // up to date again.
    let mut settled = Vec::with_capacity(args.edits);
    let result = (|| -> Result<(), String> {
        for n in 1..=args.edits {
            let marker = format!("編輯標記{n}號");
            let text = edited(&original, &marker)?;
            while reloads.try_recv().is_ok() {}
            let saved = Instant::now();
            save_atomically(&path, &text).map_err(|e| e.to_string())?;
            // A client polling the page over HTTP until it carries the new text,
            // as a browser reloading on its own would see it.
            let elapsed = loop {
                let (status, body) = get(&address, &page)?;
                if status == 200 && body.contains(&marker) {
                    break saved.elapsed();
                }
                if saved.elapsed() > TIMEOUT {
                    return Err(format!("edit {n}: the page does not show the edit (status {status})"));
                }
                std::thread::sleep(POLL);
            };
            times.push(elapsed.as_secs_f64() * 1000.0);
            if let Some(pace) = args.pace_ms {
                // Saves at a fixed pace, landing while the server may still be
                // redoing the lists for the previous one.
                println!("edit {n:>2}: {:>7.1} ms", elapsed.as_secs_f64() * 1000.0);
                std::thread::sleep(Duration::from_millis(pace).saturating_sub(saved.elapsed()));
                continue;
            }
            // Wait until the server is idle again (the pages that list the brief and
            // the search index are up to date), so edits do not overlap.
            let mut lines = Vec::new();
            loop {
                let line = serve.next_line()?;
                let done = line.contains("up to date");
                if done {
                    settled.push(saved.elapsed().as_secs_f64() * 1000.0);
                }
                if line.starts_with('[') {
                    lines.push(line);
                }
                if done {
                    break;
                }
            }
            println!("edit {n:>2}: {:>7.1} ms", elapsed.as_secs_f64() * 1000.0);
            for line in lines {
                println!("          serve: {line}");
            }
        }
        Ok(())
    })();
    let restored = save_atomically(&path, &original);
    result?;
    restored.map_err(|e| format!("cannot restore {}: {e}", path.display()))?;
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "edit-to-page-updated over {} edits of {}: median {:.1} ms, worst {:.1} ms, best {:.1} ms",
        sorted.len(),
        path.display(),
        median(&sorted),
        sorted.last().copied().unwrap_or_default(),
        sorted.first().copied().unwrap_or_default()
    );
    if !settled.is_empty() {
        settled.sort_by(f64::total_cmp);
        println!(
            "save-to-lists-and-search-index-up-to-date: median {:.1} ms, worst {:.1} ms",
            median(&settled),
            settled.last().copied().unwrap_or_default()
        );
    }
    match serve.peak_rss_mib() {
        Some(mib) => println!("peak RSS of serve: {mib:.0} MiB"),
        None => println!("peak RSS of serve: unknown (needs /proc)"),
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
