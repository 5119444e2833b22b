//! `legbrief serve`: serving from memory, watching, incremental rebuilds and live
//! reload, seen through HTTP, the terminal and a real browser.
//!
//! Every wait polls for the expected state with a generous timeout; nothing sleeps
//! a fixed time and nothing asserts on how long a step took.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::{TestSite, browser, front};
use legbrief::model::PageId;
use legbrief::pipeline::{BuildOptions, build_in_memory};
use legbrief::serve::live::{LiveSite, is_made_on_request};

/// How long any one expected change may take to show. Far above what it takes,
/// so a slow, busy machine never fails a correct build.
const TIMEOUT: Duration = Duration::from_secs(90);

// ---- a site to serve ---------------------------------------------------------

fn front_with(title: &str, committee: &str, meeting: &str, extra: &str) -> String {
    format!("{}{extra}", front(title, committee, meeting))
}

/// Three briefs over two committees, two terms and two topics; two are bilingual.
fn sample_site() -> TestSite {
    TestSite::new()
        .brief(
            "alpha",
            "en",
            &front_with(
                "Alpha in English",
                "itb",
                "2023-05-08",
                "topics = [\"smart-government\"]\n",
            ),
            "Alpha opening paragraph.\n\n### Smart Mobility {#smart-mobility}\n\nAlpha on mobility.\n",
        )
        .brief(
            "alpha",
            "zh-hk",
            &front_with("甲簡介", "itb", "2023-05-08", "topics = [\"smart-government\"]\n"),
            "甲的第一段。\n\n### 智慧出行 {#smart-mobility}\n\n甲談出行。\n",
        )
        .brief(
            "beta",
            "en",
            &front("Beta in English", "tp", "2019-03-04"),
            "Beta opening paragraph.\n\n### Smart Living {#smart-living}\n\nBeta on living.\n",
        )
        .brief("beta", "zh-hk", &front("乙簡介", "tp", "2019-03-04"), "乙的第一段。\n")
        .brief(
            "gamma",
            "en",
            &front("Gamma only in English", "itb", "2024-01-15"),
            "Gamma opening paragraph.\n",
        )
}

fn canonical_root(site: &TestSite) -> PathBuf {
    site.root().canonicalize().expect("a canonical site root")
}

// ---- a running `legbrief serve` ------------------------------------------------

/// A response, read whole.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// Sends one HTTP/1.1 request with `target` exactly as given (no normalizing, so
/// traversal attempts reach the server as written).
fn request(base: &str, method: &str, target: &str) -> Reply {
    let address = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap_or_else(|e| panic!("connect to {address}: {e}"));
    stream.set_read_timeout(Some(TIMEOUT)).expect("a read timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

impl Serve {
    fn get(&self, target: &str) -> Reply {
        request(&self.url, "GET", target)
    }

    /// The page at `target`, which must be served.
    fn page(&self, target: &str) -> String {
        let reply = self.get(target);
        assert_eq!(reply.status, 200, "GET {target}: {}\n{}", reply.text(), self.log());
        reply.text()
    }

    /// Polls until `done` holds; panics with `what` and the terminal output after [`TIMEOUT`].
    fn wait_for(&self, what: &str, mut done: impl FnMut(&Serve) -> bool) {
        let started = Instant::now();
        while !done(self) {
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what}; serve printed:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until the page at `target` is served and contains `needle`.
    fn wait_for_text(&self, target: &str, needle: &str) {
        self.wait_for(&format!("{target} to show {needle:?}"), |s| {
            let reply = s.get(target);
            reply.status == 200 && reply.text().contains(needle)
        });
    }

    fn wait_for_status(&self, target: &str, status: u16) {
        self.wait_for(&format!("{target} to answer {status}"), |s| {
            s.get(target).status == status
        });
    }

    /// The `/__legbrief/status` report: (error count, error lines).
    fn errors(&self) -> (usize, String) {
        let text = self.page("/__legbrief/status");
        let count = text
            .lines()
            .find_map(|l| l.strip_prefix("errors "))
            .and_then(|n| n.parse().ok())
            .expect("an error count");
        (count, text)
    }
}

/// `html` without the live-reload script tag that `serve` adds.
fn without_reload_script(html: &str) -> String {
    let Some(start) = html.find("<script src=\"/__legbrief/livereload.js\"") else {
        return html.to_string();
    };
    let end = html[start..]
        .find("</script>")
        .map_or(html.len(), |e| start + e + "</script>".len());
    format!("{}{}", &html[..start], &html[end..])
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Writes `text` to `path` the way editors that save atomically do: into a temporary
/// file beside it, then renamed over it.
fn write_atomically(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// Saves the way vim does by default: checks the folder is writable with a file
/// named 4913, renames the original to a backup, writes the new file, deletes the
/// backup.
fn write_like_vim(path: &Path, text: &str) {
    let probe = path.with_file_name("4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = path.with_file_name(format!("{}~", path.file_name().unwrap().to_string_lossy()));
    std::fs::rename(path, &backup).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
}

// ---- HTTP ---------------------------------------------------------------------

#[test]
fn serves_the_site_from_memory_with_types_head_redirects_and_404() {
    let site = sample_site()
        .write("content/files/paper.pdf", "%PDF-1.4 a paper")
        .write("content/files/chart.png", "\u{89}PNG fake")
        .write("content/files/font.woff2", "wOF2 fake");
    let before = files_under(site.root());
    let serve = Serve::start(site.root(), &[]);
    let base = serve.url.clone();
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "binds loopback by default: {base}"
    );

    let home = serve.get("/en/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(
        home.text().contains("/__legbrief/livereload.js"),
        "HTML gets the reload script"
    );

    for (target, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/en/feed.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/files/paper.pdf", "application/pdf"),
        ("/files/chart.png", "image/png"),
        ("/files/font.woff2", "font/woff2"),
        ("/__legbrief/livereload.js", "text/javascript; charset=utf-8"),
    ] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 200, "GET {target}");
        assert_eq!(reply.header("Content-Type"), Some(kind), "type of {target}");
    }
    assert_eq!(serve.get("/files/paper.pdf").body, b"%PDF-1.4 a paper");
    assert!(
        !serve.page("/en/feed.xml").contains("livereload"),
        "only HTML gets the script"
    );

    // HEAD: the same headers, no body.
    let get = serve.get("/en/briefs/alpha/");
    let head = request(&base, "HEAD", "/en/briefs/alpha/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(head.header("Content-Length"), Some(get.body.len().to_string().as_str()));
    assert_eq!(head.header("Content-Type"), get.header("Content-Type"));

    // A folder without its slash is redirected, keeping the query.
    let redirect = serve.get("/en/briefs/alpha?x=1");
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.header("Location"), Some("/en/briefs/alpha/?x=1"));
    assert_eq!(serve.get("/en").header("Location"), Some("/en/"));

    // Unknown pages get the site's 404 page with status 404.
    let missing = serve.get("/en/briefs/no-such-brief/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(missing.text().contains("Page not found"), "{}", missing.text());
    assert_eq!(
        without_reload_script(&missing.text()),
        without_reload_script(&serve.page("/404.html"))
    );

    assert_eq!(request(&base, "POST", "/en/").status, 405);

    // Nothing was written into the site.
    assert_eq!(files_under(site.root()), before, "serve wrote into the site");
    assert!(!site.exists("public"));
}

#[test]
fn refuses_requests_that_try_to_leave_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    let site = sample_site().write("content/files/ok.txt", "fine");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path("content/files/link.txt")).unwrap();
    let serve = Serve::start(site.root(), &[]);
    assert_eq!(serve.page("/files/ok.txt"), "fine");

    let root = canonical_root(&site);
    let absolute = format!("{}/legbrief.toml", root.display());
    let secret = outside.path().join("secret.txt").display().to_string();
    for target in [
        "/../legbrief.toml",
        "/files/../../legbrief.toml",
        "/%2e%2e/legbrief.toml",
        "/%2E%2E/%2E%2E/legbrief.toml",
        "/files/..%2f..%2flegbrief.toml",
        "/files/%2e%2e%5c%2e%2e%5clegbrief.toml",
        "/files/..\\..\\legbrief.toml",
        "/./legbrief.toml",
        "//legbrief.toml",
        absolute.as_str(),
        &format!("/{absolute}"),
        secret.as_str(),
        "/legbrief.toml",
        "/content/briefs/alpha.en.md",
        "/briefs/alpha.en.md",
        "/files/link.txt",
    ] {
        let reply = serve.get(target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target} answered {}: {}",
            reply.status,
            reply.text()
        );
        let text = reply.text();
        assert!(
            !text.contains("SECRET") && !text.contains("default_language"),
            "{target} leaked a file"
        );
    }
    assert_eq!(
        serve.get("/%2e%2e/legbrief.toml").status,
        400,
        "encoded `..` is refused"
    );
    assert_eq!(serve.get("/../legbrief.toml").status, 400, "`..` is refused");

    // An asset replaced by a symlink while serving is not followed either.
    #[cfg(unix)]
    {
        std::fs::remove_file(site.path("content/files/ok.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path("content/files/ok.txt")).unwrap();
        serve.wait_for("the replaced file to stop being served", |s| {
            let reply = s.get("/files/ok.txt");
            assert!(!reply.text().contains("SECRET"), "followed a symlink out of the site");
            reply.status == 404
        });
    }
}

#[test]
fn drafts_are_served_only_with_the_drafts_flag() {
    let site = sample_site().brief(
        "delta",
        "en",
        &front_with("Delta draft", "itb", "2024-02-01", "draft = true\n"),
        "Draft text.\n",
    );
    {
        let serve = Serve::start(site.root(), &[]);
        assert_eq!(serve.get("/en/briefs/delta/").status, 404);
        assert!(!serve.page("/en/").contains("Delta draft"));
    }
    let serve = Serve::start(site.root(), &["--drafts"]);
    assert!(serve.page("/en/briefs/delta/").contains("Draft text."));
    assert!(serve.page("/en/").contains("Delta draft"));
}

#[test]
fn a_port_in_use_or_a_folder_without_config_is_an_error() {
    let site = sample_site();
    let serve = Serve::start(site.root(), &[]);
    let port = serve.url.trim_end_matches('/').rsplit(':').next().unwrap().to_string();
    let out = site.run(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stderr(&out).contains("cannot listen on"),
        "{}",
        common::stderr(&out)
    );

    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_legbrief"))
        .args(["serve", "--port", "0", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no legbrief.toml"));
}

// ---- watching -------------------------------------------------------------------

/// Edits, new, renamed and deleted briefs show up, whatever way the file is saved.
fn watch_scenario(extra_args: &[&str]) {
    let site = sample_site();
    let serve = Serve::start(site.root(), extra_args);
    let alpha_zh = site.path("content/briefs/alpha.zh-hk.md");
    let alpha_en = site.path("content/briefs/alpha.en.md");
    let original_zh = std::fs::read_to_string(&alpha_zh).unwrap();

    // An edit saved in place.
    std::fs::write(&alpha_zh, original_zh.replace("甲的第一段。", "甲的第一段，已修訂。")).unwrap();
    serve.wait_for_text("/zh-hk/briefs/alpha/", "甲的第一段，已修訂。");

    // Saved through a temporary file renamed over the source.
    write_atomically(
        &alpha_zh,
        &original_zh.replace("甲的第一段。", "甲的第一段，原子保存。"),
    );
    serve.wait_for_text("/zh-hk/briefs/alpha/", "甲的第一段，原子保存。");

    // Saved as vim does: the original renamed away, a new file written.
    let original_en = std::fs::read_to_string(&alpha_en).unwrap();
    write_like_vim(
        &alpha_en,
        &original_en.replace("Alpha opening paragraph.", "Alpha, saved by vim."),
    );
    serve.wait_for_text("/en/briefs/alpha/", "Alpha, saved by vim.");
    assert_eq!(serve.get("/en/briefs/alpha/").status, 200);

    // Deleted and created again.
    std::fs::remove_file(&alpha_en).unwrap();
    std::fs::write(
        &alpha_en,
        original_en.replace("Alpha opening paragraph.", "Alpha re-created."),
    )
    .unwrap();
    serve.wait_for_text("/en/briefs/alpha/", "Alpha re-created.");

    // A new brief appears on its page and in the lists.
    let delta = site.path("content/briefs/delta.en.md");
    std::fs::write(
        &delta,
        format!("+++\n{}+++\nDelta text.\n", front("Delta new", "tp", "2024-03-01")),
    )
    .unwrap();
    serve.wait_for_text("/en/briefs/delta/", "Delta text.");
    serve.wait_for_text("/en/", "Delta new");
    serve.wait_for_text("/en/committees/tp/", "Delta new");

    // Renamed: the old page goes, the new one comes.
    std::fs::rename(&delta, site.path("content/briefs/epsilon.en.md")).unwrap();
    serve.wait_for_text("/en/briefs/epsilon/", "Delta text.");
    serve.wait_for_status("/en/briefs/delta/", 404);

    // Deleted, in one language: the other language's switcher says so.
    std::fs::remove_file(&alpha_zh).unwrap();
    serve.wait_for_status("/zh-hk/briefs/alpha/", 404);
    serve.wait_for("the Chinese home to drop the brief", |s| {
        !s.page("/zh-hk/").contains("甲簡介")
    });
    assert_eq!(serve.get("/en/briefs/alpha/").status, 200);

    // A file no build reads comes and goes without harm.
    std::fs::write(site.path("content/briefs/notes.txt~"), "x").unwrap();
    std::fs::remove_file(site.path("content/briefs/notes.txt~")).unwrap();
    assert_eq!(serve.errors().0, 0);

    // The terminal has one line per rebuild, naming the source and the time taken.
    let log = serve.log();
    assert!(
        log.lines()
            .any(|l| l.contains("content/briefs/alpha.zh-hk.md:") && l.contains(" ms")),
        "{log}"
    );
}

#[test]
fn picks_up_edits_new_renamed_and_deleted_briefs() {
    watch_scenario(&[]);
}

#[test]
fn polling_picks_up_the_same_changes() {
    watch_scenario(&["--poll"]);
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_a_fix_recovers() {
    let site = sample_site();
    let serve = Serve::start(site.root(), &[]);
    let path = site.path("content/briefs/beta.en.md");
    let good = std::fs::read_to_string(&path).unwrap();

    // An unknown committee on line 3 of the file.
    write_atomically(&path, &good.replace("committee = \"tp\"", "committee = \"nope\""));
    serve.wait_for("the error to be reported", |s| s.errors().0 > 0);
    let (_, status) = serve.errors();
    assert!(status.contains("content/briefs/beta.en.md:3:"), "{status}");
    assert!(
        serve.page("/en/briefs/beta/").contains("Beta opening paragraph."),
        "last good page kept"
    );
    serve.wait_for("the terminal to show the error", |s| {
        s.log().contains("content/briefs/beta.en.md:3:") && s.log().contains("still serving the last good version")
    });

    // Other briefs still update meanwhile.
    let gamma = site.path("content/briefs/gamma.en.md");
    let gamma_text = std::fs::read_to_string(&gamma).unwrap();
    std::fs::write(&gamma, gamma_text.replace("Gamma opening", "Gamma edited")).unwrap();
    serve.wait_for_text("/en/briefs/gamma/", "Gamma edited");
    assert!(serve.errors().0 > 0, "beta is still broken");

    // Broken front matter syntax, then the fix.
    write_atomically(&path, &good.replace("title = ", "title = = "));
    serve.wait_for("the syntax error", |s| s.errors().1.contains("beta.en.md:2:"));
    write_atomically(&path, &good.replace("Beta opening paragraph.", "Beta fixed."));
    serve.wait_for_text("/en/briefs/beta/", "Beta fixed.");
    assert_eq!(serve.errors().0, 0);

    // A broken config keeps the site too, and its fix rebuilds everything.
    let config = site.path("legbrief.toml");
    let config_text = std::fs::read_to_string(&config).unwrap();
    write_atomically(
        &config,
        &config_text.replace("default_language = \"en\"", "default_language = "),
    );
    serve.wait_for("the config error", |s| s.errors().1.contains("legbrief.toml:"));
    assert!(serve.page("/en/").contains("Test Briefs"));
    write_atomically(
        &config,
        &config_text.replace("title = \"Test Briefs\"", "title = \"Renamed Briefs\""),
    );
    serve.wait_for_text("/en/briefs/gamma/", "Renamed Briefs");
    assert_eq!(serve.errors().0, 0);
}

#[test]
fn a_site_that_does_not_build_at_start_is_served_once_fixed() {
    let site = sample_site().brief("broken", "en", "title = 3\n", "Text.\n");
    let serve = Serve::start(site.root(), &[]);
    assert!(serve.errors().0 > 0);
    assert_eq!(serve.get("/en/").status, 503);
    std::fs::remove_file(site.path("content/briefs/broken.en.md")).unwrap();
    serve.wait_for_text("/en/", "Alpha in English");
    assert_eq!(serve.errors().0, 0);
}

// ---- incremental = full -----------------------------------------------------------

/// Fails unless the live site holds exactly the files a fresh full build makes.
fn assert_same_as_full_build(live: &LiveSite, options: &BuildOptions, step: &str) {
    let errors = live.errors();
    assert!(errors.is_empty(), "{step}: unexpected errors {errors:?}");
    let full = build_in_memory(options).unwrap_or_else(|d| panic!("{step}: the full build failed: {:?}", d.into_vec()));
    let expected: BTreeMap<String, Vec<u8>> = full.files.into_iter().map(|f| (f.path, f.contents)).collect();
    let mut actual: BTreeMap<String, Vec<u8>> = live.files().iter().map(|(k, v)| (k.clone(), v.bytes())).collect();
    // The bulk exports' parts, their catalogue and the data pages are made when
    // asked for, from what is served.
    let site = live.site().expect("a site");
    for export in expected.keys().filter(|k| is_made_on_request(&site, k)) {
        assert!(
            !actual.contains_key(export),
            "{step}: {export} is held, not made on request"
        );
        if let Some(bytes) = live.export(export) {
            actual.insert(export.to_string(), bytes);
        }
    }
    let missing: Vec<&String> = expected.keys().filter(|k| !actual.contains_key(*k)).collect();
    let extra: Vec<&String> = actual.keys().filter(|k| !expected.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    let differ: Vec<&String> = expected.keys().filter(|k| expected[*k] != actual[*k]).collect();
    assert!(
        differ.is_empty(),
        "{step}: these files differ from a full build: {differ:?}"
    );
    let expected_assets: BTreeSet<(String, PathBuf)> = full.copies.into_iter().map(|(s, o)| (o, s)).collect();
    let actual_assets: BTreeSet<(String, PathBuf)> =
        live.assets().iter().map(|(o, s)| (o.clone(), s.clone())).collect();
    assert_eq!(actual_assets, expected_assets, "{step}: copied files");
}

/// Applies `change` to the site, tells the live site which paths it touched, and
/// checks the result against a full build. Returns how many pages were rendered.
fn step(
    live: &mut LiveSite,
    options: &BuildOptions,
    name: &str,
    touched: &[PathBuf],
    change: impl FnOnce(),
) -> legbrief::serve::live::Outcome {
    change();
    let outcome = live.apply(touched);
    live.catch_up();
    assert_same_as_full_build(live, options, name);
    outcome
}

#[test]
fn incremental_rebuilds_equal_a_full_build_after_every_kind_of_edit() {
    let site = sample_site()
        .brief(
            "linker",
            "en",
            &front("Linker", "itb", "2023-06-01"),
            "Linker opening.\n\n### Smart Living {#smart-living}\n\nSee [the target](../target) and [para. 1](../target/#p-1).\n",
        )
        .write("content/files/a.txt", "a");
    let root = canonical_root(&site);
    let options = BuildOptions {
        root: root.clone(),
        base_url: Some("http://127.0.0.1:1111".into()),
        ..BuildOptions::default()
    };
    let (mut live, start) = LiveSite::build(options.clone());
    assert!(start.full);
    assert_same_as_full_build(&live, &options, "start");
    let total = live.files().len();
    let briefs = root.join("content/briefs");
    let p = |name: &str| briefs.join(name);
    let edit = |name: &str, from: &str, to: &str| {
        let path = briefs.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{name} has no {from:?}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };

    let outcome = step(&mut live, &options, "edit a paragraph", &[p("alpha.zh-hk.md")], || {
        edit("alpha.zh-hk.md", "甲的第一段。", "甲的第一段，已修訂。")
    });
    assert!(
        !outcome.full && outcome.rendered > 0 && outcome.rendered < total,
        "{outcome:?} of {total}"
    );
    assert!(outcome.paths.contains("zh-hk/briefs/alpha/index.html"));
    assert!(
        !outcome.paths.contains("en/briefs/gamma/index.html"),
        "an unrelated brief is not touched"
    );

    step(
        &mut live,
        &options,
        "edit inside a topic section",
        &[p("alpha.en.md")],
        || edit("alpha.en.md", "Alpha on mobility.", "Alpha on mobility, revised."),
    );
    step(
        &mut live,
        &options,
        "edit a heading of a topic section",
        &[p("alpha.zh-hk.md")],
        || {
            edit(
                "alpha.zh-hk.md",
                "### 智慧出行 {#smart-mobility}",
                "### 智慧出行（修訂） {#smart-mobility}",
            )
        },
    );
    step(&mut live, &options, "set a summary", &[p("beta.en.md")], || {
        edit("beta.en.md", "+++\ntitle", "+++\nsummary = \"Beta summary.\"\ntitle")
    });
    step(
        &mut live,
        &options,
        "edit paragraph 1 under a set summary",
        &[p("beta.en.md")],
        || edit("beta.en.md", "Beta opening paragraph.", "Beta opening, revised."),
    );
    step(&mut live, &options, "change the committee", &[p("alpha.en.md")], || {
        edit("alpha.en.md", "committee = \"itb\"", "committee = \"tp\"")
    });
    step(&mut live, &options, "move to another term", &[p("gamma.en.md")], || {
        edit("gamma.en.md", "meeting = 2024-01-15", "meeting = 2018-01-15")
    });
    step(
        &mut live,
        &options,
        "add a topic section",
        &[p("beta.zh-hk.md")],
        || {
            edit(
                "beta.zh-hk.md",
                "乙的第一段。\n",
                "乙的第一段。\n\n### 智慧生活 {#smart-living}\n\n乙談生活。\n",
            )
        },
    );
    step(
        &mut live,
        &options,
        "remove a topic from the front matter",
        &[p("alpha.en.md")],
        || edit("alpha.en.md", "topics = [\"smart-government\"]\n", ""),
    );
    step(&mut live, &options, "add a brief", &[p("delta.en.md")], || {
        std::fs::write(
            p("delta.en.md"),
            format!("+++\n{}+++\nDelta.\n", front("Delta", "tp", "2022-02-02")),
        )
        .unwrap()
    });
    step(
        &mut live,
        &options,
        "add its translation",
        &[p("delta.zh-hk.md")],
        || {
            std::fs::write(
                p("delta.zh-hk.md"),
                format!("+++\n{}+++\n丁。\n", front("丁", "tp", "2022-02-02")),
            )
            .unwrap()
        },
    );
    step(
        &mut live,
        &options,
        "remove a translation",
        &[p("alpha.zh-hk.md")],
        || std::fs::remove_file(p("alpha.zh-hk.md")).unwrap(),
    );
    step(
        &mut live,
        &options,
        "rename a brief",
        &[p("beta.en.md"), p("bravo.en.md")],
        || std::fs::rename(p("beta.en.md"), p("bravo.en.md")).unwrap(),
    );
    // A brief that another brief's topic section links to appears: the topic page
    // quoting that section now links to the brief's page.
    step(&mut live, &options, "add a linked brief", &[p("target.en.md")], || {
        std::fs::write(
            p("target.en.md"),
            format!("+++\n{}+++\nTarget.\n", front("Target", "tp", "2021-02-02")),
        )
        .unwrap()
    });
    step(
        &mut live,
        &options,
        "delete the linked brief",
        &[p("target.en.md")],
        || std::fs::remove_file(p("target.en.md")).unwrap(),
    );
    step(
        &mut live,
        &options,
        "delete a brief in both languages",
        &[p("delta.en.md"), p("delta.zh-hk.md")],
        || {
            std::fs::remove_file(p("delta.en.md")).unwrap();
            std::fs::remove_file(p("delta.zh-hk.md")).unwrap();
        },
    );
    step(
        &mut live,
        &options,
        "mark a brief as a draft",
        &[p("gamma.en.md")],
        || edit("gamma.en.md", "+++\ntitle", "+++\ndraft = true\ntitle"),
    );
    let outcome = step(&mut live, &options, "save without a change", &[p("bravo.en.md")], || {});
    assert!(!outcome.is_change(), "{outcome:?}");
    step(
        &mut live,
        &options,
        "add a file",
        &[root.join("content/files/b.pdf")],
        || std::fs::write(root.join("content/files/b.pdf"), "%PDF").unwrap(),
    );
    step(
        &mut live,
        &options,
        "add a folder of files",
        &[root.join("content/img")],
        || {
            std::fs::create_dir_all(root.join("content/img/deep")).unwrap();
            std::fs::write(root.join("content/img/deep/c.png"), "png").unwrap();
        },
    );
    step(
        &mut live,
        &options,
        "remove a file",
        &[root.join("content/files/a.txt")],
        || std::fs::remove_file(root.join("content/files/a.txt")).unwrap(),
    );
    step(
        &mut live,
        &options,
        "an editor's temporary file",
        &[p("4913"), p(".bravo.en.md.swp")],
        || std::fs::write(p(".bravo.en.md.swp"), "swap").unwrap(),
    );
    let outcome = step(
        &mut live,
        &options,
        "edit the config",
        &[root.join("legbrief.toml")],
        || {
            let config = root.join("legbrief.toml");
            let text = std::fs::read_to_string(&config).unwrap();
            std::fs::write(
                &config,
                text.replace("title = \"Test Briefs\"", "title = \"Other Briefs\""),
            )
            .unwrap();
        },
    );
    assert!(outcome.full);
    step(
        &mut live,
        &options,
        "add a site theme",
        &[root.join("legbrief.toml"), root.join("themes/mine/templates/404.html")],
        || {
            std::fs::create_dir_all(root.join("themes/mine/templates")).unwrap();
            std::fs::write(
                root.join("themes/mine/templates/404.html"),
                "{% extends \"base.html\" %}{% block content %}<p>Lost here</p>{% endblock content %}",
            )
            .unwrap();
            let config = root.join("legbrief.toml");
            let text = std::fs::read_to_string(&config).unwrap();
            std::fs::write(&config, format!("theme = \"mine\"\n{text}")).unwrap();
        },
    );
    let outcome = step(
        &mut live,
        &options,
        "edit the site theme",
        &[root.join("themes/mine/templates/404.html")],
        || {
            std::fs::write(
                root.join("themes/mine/templates/404.html"),
                "{% extends \"base.html\" %}{% block content %}<p>Lost again</p>{% endblock content %}",
            )
            .unwrap();
        },
    );
    assert!(outcome.full && String::from_utf8_lossy(&live.files()["404.html"].bytes()).contains("Lost again"));

    // A broken edit keeps the last good site; the fix brings it level again.
    let good = live.files();
    let broken = live.apply(&{
        edit("bravo.en.md", "committee = \"tp\"", "committee = \"nope\"");
        [p("bravo.en.md")]
    });
    assert!(!broken.is_change());
    let errors = live.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().starts_with("content/briefs/bravo.en.md:4:"),
        "{}",
        errors[0]
    );
    assert_eq!(*live.files(), *good, "the last good site is kept");
    step(&mut live, &options, "fix the broken edit", &[p("bravo.en.md")], || {
        edit("bravo.en.md", "committee = \"nope\"", "committee = \"itb\"")
    });
}

/// Updated briefs in dev mode: a brief that supersedes another appearing, edits to
/// either version, a longer line of versions, a `supersedes` that names no brief
/// (kept out, with its error, until fixed) and versions going again. After each,
/// the served site (brief JSON, comparison pages, notices, topic pages, feeds and
/// the exports included) equals a full build.
#[test]
fn incremental_rebuilds_of_updated_briefs_equal_a_full_build() {
    let site = sample_site();
    let root = canonical_root(&site);
    let options = BuildOptions {
        root: root.clone(),
        base_url: Some("http://127.0.0.1:1111".into()),
        ..BuildOptions::default()
    };
    let (mut live, start) = LiveSite::build(options.clone());
    assert!(start.full);
    assert_same_as_full_build(&live, &options, "start");
    let briefs = root.join("content/briefs");
    let p = |name: &str| briefs.join(name);
    let edit = |name: &str, from: &str, to: &str| {
        let path = briefs.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{name} has no {from:?}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    let update = |title: &str, meeting: &str, old: &str, body: &str| {
        format!(
            "+++\n{}+++\n{body}",
            front_with(
                title,
                "itb",
                meeting,
                &format!("topics = [\"smart-government\"]\nsupersedes = \"{old}\"\n")
            )
        )
    };
    let outcome = step(
        &mut live,
        &options,
        "add an update in both languages",
        &[p("alpha-2025.en.md"), p("alpha-2025.zh-hk.md")],
        || {
            std::fs::write(
                p("alpha-2025.en.md"),
                update(
                    "Alpha updated",
                    "2025-06-02",
                    "alpha",
                    "Alpha opening paragraph, updated.\n\nA new paragraph.\n\n### Smart Mobility {#smart-mobility}\n\nAlpha on mobility.\n",
                ),
            )
            .unwrap();
            std::fs::write(
                p("alpha-2025.zh-hk.md"),
                update(
                    "甲簡介（更新）",
                    "2025-06-02",
                    "alpha",
                    "甲的第一段，已更新。\n\n### 智慧出行 {#smart-mobility}\n\n甲談出行。\n",
                ),
            )
            .unwrap();
        },
    );
    assert!(!outcome.full);
    let files = live.files();
    assert!(files.contains_key("en/briefs/alpha-2025/compare/alpha/index.html"));
    assert!(String::from_utf8_lossy(&files["en/briefs/alpha/index.html"].bytes()).contains("version-notice"));
    let catalogue: serde_json::Value =
        serde_json::from_slice(&live.export("data/catalogue.json").expect("the catalogue")).expect("JSON");
    let parts: String = catalogue["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "briefs")
        .map(|p| common::gunzip(&live.export(p["name"].as_str().unwrap()).expect("a listed part")))
        .collect();
    assert!(parts.contains("\"superseded_by\":{\"slug\":\"alpha-2025\""));
    step(
        &mut live,
        &options,
        "edit the newer version",
        &[p("alpha-2025.en.md")],
        || edit("alpha-2025.en.md", "A new paragraph.", "A new paragraph, revised."),
    );
    step(
        &mut live,
        &options,
        "edit the older version",
        &[p("alpha.zh-hk.md")],
        || edit("alpha.zh-hk.md", "甲的第一段。", "甲的第一段（原文）。"),
    );
    step(
        &mut live,
        &options,
        "retitle the newer version",
        &[p("alpha-2025.en.md")],
        || {
            edit(
                "alpha-2025.en.md",
                "title = \"Alpha updated\"",
                "title = \"Alpha, updated\"",
            )
        },
    );
    step(&mut live, &options, "a third version", &[p("alpha-2026.en.md")], || {
        std::fs::write(
            p("alpha-2026.en.md"),
            update(
                "Alpha again",
                "2025-09-01",
                "alpha-2025",
                "Alpha opening paragraph, updated again.\n",
            ),
        )
        .unwrap()
    });
    assert!(
        live.files()
            .contains_key("en/briefs/alpha-2026/compare/alpha/index.html")
    );

    // A `supersedes` naming no brief keeps the edit out, with its error.
    let good = live.files();
    let broken = live.apply(&{
        edit(
            "alpha-2026.en.md",
            "supersedes = \"alpha-2025\"",
            "supersedes = \"alpha-2024\"",
        );
        [p("alpha-2026.en.md")]
    });
    assert!(!broken.is_change());
    let errors = live.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().contains("no brief has the slug `alpha-2024`"),
        "{}",
        errors[0]
    );
    assert_eq!(*live.files(), *good, "the last good site is kept");
    step(&mut live, &options, "fix the slug", &[p("alpha-2026.en.md")], || {
        edit(
            "alpha-2026.en.md",
            "supersedes = \"alpha-2024\"",
            "supersedes = \"alpha-2025\"",
        )
    });
    step(
        &mut live,
        &options,
        "drop a version from the middle",
        &[p("alpha-2025.en.md"), p("alpha-2025.zh-hk.md"), p("alpha-2026.en.md")],
        || {
            edit(
                "alpha-2026.en.md",
                "supersedes = \"alpha-2025\"",
                "supersedes = \"alpha\"",
            );
            std::fs::remove_file(p("alpha-2025.en.md")).unwrap();
            std::fs::remove_file(p("alpha-2025.zh-hk.md")).unwrap();
        },
    );
}

/// In a term archive, links between briefs are written differently when their target
/// is in the archive, so a brief appearing redoes every brief page of the archive;
/// an edit that keeps the brief's languages does not.
#[test]
fn in_a_term_archive_a_new_brief_redoes_the_pages_that_may_link_to_it() {
    let site = sample_site();
    let options = BuildOptions {
        root: canonical_root(&site),
        term: Some(7),
        ..BuildOptions::default()
    };
    let built = build_in_memory(&options).unwrap_or_else(|d| panic!("{:?}", d.into_vec()));
    let alpha = built.site.brief("alpha").expect("alpha is in term 7").versions.clone();
    let gamma_page = PageId::Brief("en".into(), "gamma".into());
    let topic_page = PageId::Topic("zh-hk".into(), "smart-living".into());

    let added = built.site.pages_affected_by("zeta", &[], &alpha);
    assert!(added.contains(&gamma_page), "{added:?}");
    assert!(added.contains(&topic_page), "{added:?}");

    let edited = built.site.pages_affected_by("alpha", &alpha, &alpha);
    assert!(!edited.contains(&gamma_page), "{edited:?}");
    assert!(!edited.contains(&topic_page), "{edited:?}");
}

/// An edit of the body alone redoes the brief's page and the pages that quote the
/// changed part, not the lists that show only its front matter.
#[test]
fn a_body_only_edit_touches_only_the_pages_that_show_the_body() {
    let site = sample_site();
    let options = BuildOptions {
        root: canonical_root(&site),
        ..BuildOptions::default()
    };
    let built = build_in_memory(&options).unwrap_or_else(|d| panic!("{:?}", d.into_vec()));
    let before = built.site.brief("alpha").expect("alpha").versions.clone();
    let edit = |from: &str, to: &str| -> Vec<std::sync::Arc<legbrief::model::BriefVersion>> {
        before
            .iter()
            .map(|v| {
                // A build keeps no Markdown text: the edit is made to the file's.
                let text = std::fs::read_to_string(options.root.join(&v.source.path)).expect("source");
                let text = text.replace(from, to);
                let (source, _) = legbrief::content::parse_brief_file(&built.site.config, &v.source.path, &text);
                let (mut version, _) = legbrief::model::prepare_version(&built.site.config, source.expect("parses"));
                // Kept as a build and `serve` keep it.
                version.release_body();
                version.pack();
                std::sync::Arc::new(version)
            })
            .collect()
    };
    let en = |page: fn(String) -> PageId| page("en".into());

    // Inside the mobility section: that topic page, not the lists.
    let after = edit("Alpha on mobility.", "Alpha on mobility, edited.");
    let pages = built.site.pages_affected_by("alpha", &before, &after);
    assert!(pages.contains(&PageId::Brief("en".into(), "alpha".into())), "{pages:?}");
    assert!(
        pages.contains(&PageId::Topic("en".into(), "smart-mobility".into())),
        "{pages:?}"
    );
    for untouched in [
        en(PageId::Papers),
        en(PageId::Home),
        en(PageId::Feed),
        en(PageId::Committees),
    ] {
        assert!(!pages.contains(&untouched), "{untouched:?} in {pages:?}");
    }
    assert!(
        !pages.contains(&PageId::Brief("zh-hk".into(), "alpha".into())),
        "{pages:?}"
    );

    // Paragraph 1 is the summary: the lists that show it are redone too.
    let after = edit("Alpha opening paragraph.", "Alpha opening, edited.");
    let pages = built.site.pages_affected_by("alpha", &before, &after);
    assert!(
        pages.contains(&en(PageId::Home)) && pages.contains(&en(PageId::Feed)),
        "{pages:?}"
    );
    assert!(
        pages.contains(&PageId::Committee("en".into(), "itb".into())),
        "{pages:?}"
    );
    assert!(!pages.contains(&en(PageId::Papers)), "{pages:?}");
}

// ---- the served site equals `build` ---------------------------------------------------

#[test]
fn after_edits_every_served_file_equals_a_fresh_build() {
    let site = sample_site();
    let serve = Serve::start(site.root(), &[]);
    let alpha = site.path("content/briefs/alpha.en.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    write_like_vim(
        &alpha,
        &text.replace("Alpha opening paragraph.", "Alpha served and built."),
    );
    serve.wait_for_text("/en/briefs/alpha/", "Alpha served and built.");
    std::fs::remove_file(site.path("content/briefs/beta.zh-hk.md")).unwrap();
    serve.wait_for_status("/zh-hk/briefs/beta/", 404);
    // Saves in quick succession land while earlier ones are still being worked
    // through in the background.
    let gamma = site.path("content/briefs/gamma.en.md");
    let zh = site.path("content/briefs/alpha.zh-hk.md");
    let gamma_text = std::fs::read_to_string(&gamma).unwrap();
    let zh_text = std::fs::read_to_string(&zh).unwrap();
    for n in 1..=5 {
        let text = gamma_text.replace("+++\ntitle = \"", &format!("+++\ntitle = \"{n} "));
        write_atomically(&gamma, &text.replace("Gamma opening", &format!("Gamma {n} opening")));
        write_atomically(&zh, &zh_text.replace("甲的第一段", &format!("甲的第{n}段")));
        serve.wait_for_text("/en/briefs/gamma/", &format!("Gamma {n} opening"));
    }
    serve.wait_for_text("/en/briefs/gamma/", "Gamma 5 opening");
    serve.wait_for_text("/zh-hk/briefs/alpha/", "甲的第5段");
    // The edited pages come first; wait for the lists and the search index too.
    serve.wait_for("the server to catch up", |s| {
        s.page("/__legbrief/status").contains("up-to-date yes")
    });

    let out_dir = tempfile::tempdir().unwrap();
    let output = out_dir.path().join("site");
    let base = serve.url.trim_end_matches('/').to_string();
    let built = site.run(&["build", "--base-url", &base, "--output", output.to_str().unwrap()]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let files = files_under(&output);
    assert!(files.len() > 20);
    // The marker naming the folder a legbrief output is not a page of the site.
    for (path, bytes) in files.iter().filter(|(path, _)| path.as_str() != ".legbrief-output") {
        let reply = serve.get(&format!("/{path}"));
        assert_eq!(reply.status, 200, "{path}");
        if path.ends_with(".html") {
            assert_eq!(
                without_reload_script(&reply.text()),
                String::from_utf8_lossy(bytes),
                "{path} differs from the build"
            );
        } else {
            assert!(reply.body == *bytes, "{path} differs from the build");
        }
    }
}

// ---- in a real browser ----------------------------------------------------------------

#[test]
fn an_open_page_reloads_on_save_keeps_its_scroll_and_shows_errors() {
    let Some(chrome) = browser::launch() else { return };
    let long_body: String = (1..=60)
        .map(|n| format!("Paragraph number {n} of a long brief.\n\n"))
        .collect();
    let site = sample_site().brief("long", "en", &front("A long brief", "itb", "2024-04-04"), &long_body);
    let serve = Serve::start(site.root(), &[]);
    let page = chrome.open(&format!("{}en/briefs/long/", serve.url));
    page.wait_for_text("Paragraph number 60", TIMEOUT);
    // Wait until the page listens for changes, then scroll down.
    page.wait_for(
        "window.legbriefLive === true",
        TIMEOUT,
        "the event stream to open",
        "document.title",
    );
    page.eval("window.scrollTo(0, 900)");
    page.wait_for("window.scrollY >= 900", TIMEOUT, "the page to scroll", "window.scrollY");
    page.eval("window.__notReloaded = true");

    // Save an edit: the page reloads by itself, shows the new text and keeps its place.
    let path = site.path("content/briefs/long.en.md");
    let text = std::fs::read_to_string(&path).unwrap();
    write_like_vim(
        &path,
        &text.replace("Paragraph number 30 of", "Paragraph number 30, edited, of"),
    );
    page.wait_for_text("Paragraph number 30, edited, of", TIMEOUT);
    assert_eq!(
        page.eval("window.__notReloaded === true"),
        serde_json::json!(false),
        "the page reloaded"
    );
    page.wait_for(
        "window.scrollY >= 850",
        TIMEOUT,
        "the scroll position to be restored",
        "window.scrollY",
    );

    // A broken save shows an overlay naming the file, line and column, and the page
    // keeps its last good text.
    write_atomically(&path, &text.replace("committee = \"itb\"", "committee = \"nope\""));
    page.wait_for(
        "document.getElementById('legbrief-error-overlay') && \
         document.getElementById('legbrief-error-overlay').innerText.includes('content/briefs/long.en.md:3:')",
        TIMEOUT,
        "the error overlay",
        "document.body.innerText.slice(0, 500)",
    );
    assert!(page.text().contains("Paragraph number 30, edited, of"));
    if let Ok(dir) = std::env::var("LEGBRIEF_SCREENSHOTS") {
        page.screenshot(&Path::new(&dir).join("serve-error-overlay.png"));
    }

    // The next good save removes it and shows the new text.
    write_atomically(
        &path,
        &text.replace("Paragraph number 1 of", "Paragraph number 1, fixed, of"),
    );
    page.wait_for_text("Paragraph number 1, fixed, of", TIMEOUT);
    page.wait_for(
        "!document.getElementById('legbrief-error-overlay')",
        TIMEOUT,
        "the overlay to go",
        "document.getElementById('legbrief-error-overlay').innerText",
    );
}

/// The browser helper itself: a page loads, its text is read and waited for.
#[test]
fn browser_helper_reads_a_page() {
    let Some(chrome) = browser::launch() else { return };
    let page = chrome.open("data:text/html,<title>t</title><p id=x>hello</p>");
    page.wait_for_text("hello", Duration::from_secs(30));
    assert_eq!(page.eval_string("document.getElementById('x').textContent"), "hello");
    assert_eq!(page.eval("[1, 2]"), serde_json::json!([1, 2]));
}

/// A site large enough to paginate every listing (with small pages), edited so that
/// items move between pages and terms: a brief added at the top of a term, one
/// deleted, one re-dated into another term, a translation added and one removed,
/// a paper added. After each, the served site equals a full build, pagination pages
/// appearing and vanishing included.
#[test]
fn incremental_rebuilds_of_a_paginated_archive_equal_a_full_build() {
    let config = format!(
        "{}\n[build]\nbriefs_per_page = 3\nsections_per_page = 2\npapers_per_page = 4\nlatest_briefs = 2\n",
        common::CONFIG
    );
    let mut site = TestSite::new().write("legbrief.toml", &config);
    let brief = |i: usize, meeting: &str, lang: &str| {
        let committee = if i.is_multiple_of(2) { "itb" } else { "tp" };
        let front = format!(
            "{}\n[[papers]]\nbody = \"{committee}\"\ndate = {meeting}\ntitle = \"Minutes {i}\"\nkind = \"minutes\"\n\n[[papers]]\nbody = \"Council meeting\"\ndate = 2023-01-04\ntitle = \"Question shared\"\nkind = \"question\"\n",
            front(&format!("Brief {i} {lang}"), committee, meeting)
        );
        let body = format!("Brief {i} opens.\n\n### Smart Living {{#smart-living}}\n\nBrief {i} on living.\n");
        (format!("b{i:02}"), front, body)
    };
    for i in 0..14 {
        let meeting = if i < 8 {
            format!("2023-{:02}-10", i + 1)
        } else {
            format!("2019-{:02}-10", i - 7)
        };
        for lang in ["en", "zh-hk"] {
            let (slug, front, body) = brief(i, &meeting, lang);
            site = site.brief(&slug, lang, &front, &body);
        }
    }
    let root = canonical_root(&site);
    let options = BuildOptions {
        root: root.clone(),
        base_url: Some("http://127.0.0.1:1111".into()),
        ..BuildOptions::default()
    };
    let (mut live, _) = LiveSite::build(options.clone());
    assert_same_as_full_build(&live, &options, "start");
    assert!(live.files().contains_key("en/terms/7/page/1/index.html"));
    let briefs = root.join("content/briefs");
    let p = |name: &str| briefs.join(name);
    let write = |name: &str, text: &str| std::fs::write(briefs.join(name), text).unwrap();
    let source = |i: usize, meeting: &str, lang: &str| {
        let (_, front, body) = brief(i, meeting, lang);
        format!("+++\n{}\n+++\n{body}", front.trim())
    };

    step(
        &mut live,
        &options,
        "add the newest brief of a term",
        &[p("b20.en.md"), p("b20.zh-hk.md")],
        || {
            write("b20.en.md", &source(20, "2025-06-01", "en"));
            write("b20.zh-hk.md", &source(20, "2025-06-01", "zh-hk"));
        },
    );
    step(
        &mut live,
        &options,
        "delete a brief",
        &[p("b03.en.md"), p("b03.zh-hk.md")],
        || {
            std::fs::remove_file(p("b03.en.md")).unwrap();
            std::fs::remove_file(p("b03.zh-hk.md")).unwrap();
        },
    );
    step(
        &mut live,
        &options,
        "re-date a brief into another term",
        &[p("b09.en.md"), p("b09.zh-hk.md")],
        || {
            write("b09.en.md", &source(9, "2024-12-01", "en"));
            write("b09.zh-hk.md", &source(9, "2024-12-01", "zh-hk"));
        },
    );
    step(
        &mut live,
        &options,
        "add a brief in English only",
        &[p("b21.en.md")],
        || {
            write("b21.en.md", &source(21, "2020-02-02", "en"));
        },
    );
    step(
        &mut live,
        &options,
        "remove a translation",
        &[p("b05.zh-hk.md")],
        || {
            std::fs::remove_file(p("b05.zh-hk.md")).unwrap();
        },
    );
    step(
        &mut live,
        &options,
        "re-date the oldest brief before every term",
        &[p("b13.en.md"), p("b13.zh-hk.md")],
        || {
            write("b13.en.md", &source(13, "2012-01-01", "en"));
            write("b13.zh-hk.md", &source(13, "2012-01-01", "zh-hk"));
        },
    );
    step(
        &mut live,
        &options,
        "move it back, so the other-term pages go",
        &[p("b13.en.md"), p("b13.zh-hk.md")],
        || {
            write("b13.en.md", &source(13, "2019-06-10", "en"));
            write("b13.zh-hk.md", &source(13, "2019-06-10", "zh-hk"));
        },
    );
    let outcome = step(&mut live, &options, "edit a body only", &[p("b00.en.md")], || {
        write(
            "b00.en.md",
            &source(0, "2023-01-10", "en").replace("on living.", "on living, revised."),
        );
    });
    assert!(
        !outcome.paths.contains("en/papers/terms/7/index.html"),
        "a body edit leaves the papers index alone: {:?}",
        outcome.paths
    );
}

#[test]
fn the_bulk_exports_are_made_when_asked_for_from_what_is_served() {
    let site = sample_site();
    let serve = Serve::start(site.root(), &[]);
    let catalogue = serve.get("/data/catalogue.json");
    assert_eq!(catalogue.status, 200);
    assert_eq!(catalogue.header("Content-Type"), Some("application/json"));
    let catalogue: serde_json::Value = serde_json::from_str(&catalogue.text()).expect("JSON");
    let parts = catalogue["parts"].as_array().unwrap();
    let mut lines = 0;
    for part in parts {
        let name = part["name"].as_str().unwrap();
        let response = serve.get(&format!("/{name}"));
        assert_eq!(response.status, 200, "{name}");
        assert_eq!(response.header("Content-Type"), Some("application/gzip"), "{name}");
        let bytes = response.body.clone();
        assert_eq!(bytes.len() as u64, part["bytes"].as_u64().unwrap(), "{name}");
        let text = common::gunzip(&bytes);
        if part["kind"] == "papers" {
            assert!(
                text.starts_with("lang,body,body_name,date,title,kind,url,date_note,cited_by,cited_by_paper_no\r\n"),
                "{name}"
            );
            continue;
        }
        // One line a brief and language, each the served index.json of that page.
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let page = format!(
                "/{}/briefs/{}/index.json",
                record["lang"].as_str().unwrap(),
                record["slug"].as_str().unwrap()
            );
            assert_eq!(serve.get(&page).text(), format!("{line}\n"), "{page}");
            lines += 1;
        }
    }
    // (This site's briefs cite no papers: `deploy_data` serves papers parts.)
    assert!(lines >= 3, "{catalogue}");
    // The data pages list them; a part the site does not have is not found.
    let page = serve.get("/en/data/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains(parts[0]["name"].as_str().unwrap()));
    assert_eq!(serve.get("/data/briefs-term-99.jsonl.gz").status, 404);
}
