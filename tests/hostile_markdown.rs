//! Markdown that a source could smuggle in: heading attributes that are HTML,
//! nesting deep enough to overflow a stack, undefined footnotes, an id used
//! twice. Each is an error at its place in the file, in `build`, `check` and
//! `serve`, and never a crash. Runs the real binary.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Output;
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::{TestSite, front, stderr};

const TIMEOUT: Duration = Duration::from_secs(90);

/// A site with one English brief `hostile` whose body is `body`. The front
/// matter has 3 lines, so the body starts on line 6 of the file.
fn site_with_body(body: &str) -> TestSite {
    TestSite::new().brief("hostile", "en", &front("Hostile", "itb", "2023-05-08"), body)
}

const FILE: &str = "content/briefs/hostile.en.md";

/// Runs `build` and `check`; both must fail with exit code 1 (not a crash) and
/// print `needle` (a located message).
fn fails_in_build_and_check(site: &TestSite, needle: &str) {
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "`{command}` must fail with 1, not crash:\n{}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(err.contains(needle), "`{command}` must print {needle:?}:\n{err}");
    }
}

fn built_page(site: &TestSite) -> String {
    site.read("public/en/briefs/hostile/index.html")
}

fn ok(out: &Output) {
    assert!(out.status.success(), "failed:\n{}", stderr(out));
}

// ---- heading attribute blocks -------------------------------------------------

#[test]
fn heading_attribute_event_handler_is_an_error() {
    let site = site_with_body("Intro.\n\n## X {#x onmouseover=alert(1) style=position:fixed;inset:0}\n\nText.\n");
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:8:6: error: heading attribute `onmouseover` is not allowed"),
    );
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:8:6: error: heading attribute `style` is not allowed"),
    );
    let err = stderr(&site.run(&["check"]));
    assert!(
        err.contains("help: a heading's `{…}` block may hold only `#id`"),
        "{err}"
    );
}

#[test]
fn heading_attribute_class_with_quotes_is_an_error() {
    let site = site_with_body("## D {#d class=\"a onclick=alert(1)\"}\n\nText.\n");
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:6:6: error: heading attribute `onclick` is not allowed"),
    );
    let err = stderr(&site.run(&["check"]));
    assert!(err.contains("`class`") || err.contains("heading class `.\"a`"), "{err}");
}

#[test]
fn heading_attributes_are_checked_with_raw_html_too() {
    let site = site_with_body("## X {#x onclick=alert(1)}\n\nText.\n");
    let config = std::fs::read_to_string(site.path("legbrief.toml")).unwrap();
    let site = site.write("legbrief.toml", &format!("{config}\n[markdown]\nraw_html = true\n"));
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:6:6: error: heading attribute `onclick` is not allowed"),
    );
}

#[test]
fn heading_id_with_a_bad_character_is_an_error() {
    let site = site_with_body("Intro.\n\n### Y {#a\"b}\n\nText.\n");
    fails_in_build_and_check(&site, &format!("{FILE}:8:7: error: heading id `#a\"b` has a character"));
}

#[test]
fn heading_id_and_class_still_work() {
    let site = site_with_body(
        "## Purpose {#purpose .note}\n\nOne.\n\n## 目的 {#目的_1}\n\nTwo.\n\n### Smart Mobility {#smart-mobility}\n\nThree.\n",
    );
    ok(&site.run(&["check"]));
    site.build_ok();
    let page = built_page(&site);
    assert!(page.contains("id=purpose"), "{page}");
    assert!(page.contains("class=note"), "{page}");
    assert!(page.contains("id=目的_1"), "{page}");
    assert!(page.contains("id=smart-mobility"), "{page}");
}

// ---- nesting ------------------------------------------------------------------

#[test]
fn deep_blockquote_is_an_error_not_a_crash() {
    let site = site_with_body(&format!("Intro.\n\n{} deep\n", ">".repeat(3000)));
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:8:101: error: block quotes and lists are nested more than 100 levels deep"),
    );
}

#[test]
fn deep_list_is_an_error_not_a_crash() {
    let mut body = String::from("Intro.\n\n");
    for level in 0..3000 {
        body.push_str(&"  ".repeat(level));
        body.push_str("- item\n");
    }
    let site = site_with_body(&body);
    // Item 101 (on line 8 + 100) opens the 101st list.
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:108:201: error: block quotes and lists are nested more than 100 levels deep"),
    );
}

#[test]
fn nesting_at_the_limit_builds() {
    // 100 lists deep (each item its list's parent), then 100 levels of emphasis
    // in the innermost item: the deepest page allowed must not overflow either.
    let mut body = String::from("Intro.\n\n");
    for level in 0..100 {
        body.push_str(&"  ".repeat(level));
        body.push_str("- item");
        if level == 99 {
            // `*a _a *a … x … a_ a*`: 100 levels of emphasis.
            body.push(' ');
            for n in 0..100 {
                body.push_str(if n % 2 == 0 { "*a " } else { "_a " });
            }
            body.push('x');
            for n in (0..100).rev() {
                body.push_str(if n % 2 == 0 { " a*" } else { " a_" });
            }
        }
        body.push('\n');
    }
    let site = site_with_body(&body);
    ok(&site.run(&["check"]));
    site.build_ok();
    let quotes = site_with_body(&format!("Intro.\n\n{} deep *a **b** c*\n", ">".repeat(100)));
    ok(&quotes.run(&["check"]));
    quotes.build_ok();
}

#[test]
fn deep_raw_html_is_an_error_not_a_crash() {
    let site = site_with_body(&format!("Intro.\n\n{}x\n", "<div>".repeat(3000)));
    let config = std::fs::read_to_string(site.path("legbrief.toml")).unwrap();
    let site = site.write("legbrief.toml", &format!("{config}\n[markdown]\nraw_html = true\n"));
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:8:1: error: raw HTML elements are nested more than 100 levels deep"),
    );
}

#[test]
fn many_asterisks_do_not_crash() {
    let stars = "*".repeat(20_000);
    let body = format!(
        "Intro.\n\n{stars}x{stars}\n\n{}x\n\n{}\n\n{}\n",
        "[".repeat(100_000),
        "*a ".repeat(30_000),
        "[a](".repeat(20_000)
    );
    let site = site_with_body(&body);
    let started = Instant::now();
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "`{command}` crashed:\n{}",
            stderr(&out)
        );
        if code == Some(1) {
            let err = stderr(&out);
            assert!(
                err.contains(&format!("{FILE}:8:")) && err.contains("nested more than 100 levels deep"),
                "{err}"
            );
        }
    }
    // Linear, not quadratic: far below a minute even for a debug binary.
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn check_reports_deep_nesting() {
    let site = site_with_body(&format!("Intro.\n\n{}x{}\n", "*".repeat(400), "*".repeat(400)));
    fails_in_build_and_check(&site, &format!("{FILE}:8:"));
    let err = stderr(&site.run(&["check"]));
    assert!(
        err.contains("error: emphasis, links and strikethrough are nested more than 100 levels deep"),
        "{err}"
    );
}

// ---- footnotes and ids --------------------------------------------------------

#[test]
fn undefined_footnote_is_an_error() {
    let site =
        site_with_body("Intro.\n\nSee the note[^missing] and [^ok].\n\n`[^code]` and \\[^escaped].\n\n[^ok]: Fine.\n");
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:8:13: error: footnote `[^missing]` is not defined"),
    );
    let err = stderr(&site.run(&["check"]));
    assert!(
        err.contains("help: add the note on a line of its own, `[^missing]: …`"),
        "{err}"
    );
    assert!(!err.contains("[^ok]"), "{err}");
    assert!(!err.contains("[^code]"), "{err}");
    assert!(!err.contains("[^escaped]"), "{err}");
}

#[test]
fn duplicate_explicit_heading_id_is_an_error() {
    let site = site_with_body("## Purpose {#purpose}\n\nA.\n\n## Again {#purpose}\n\nB.\n");
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:10:10: error: heading id `purpose` is used twice in this brief"),
    );
}

#[test]
fn duplicate_topic_heading_id_is_an_error() {
    let site =
        site_with_body("### Smart Mobility {#smart-mobility}\n\nA.\n\n### More mobility {#smart-mobility}\n\nB.\n");
    fails_in_build_and_check(
        &site,
        &format!("{FILE}:10:19: error: heading id `smart-mobility` is used twice in this brief"),
    );
}

#[test]
fn text_slugs_step_aside_for_explicit_ids() {
    // Two headings with the same text still get `purpose` and `purpose-1`, and a
    // later explicit `{#purpose}` keeps its id: the text slugs move on.
    let site = site_with_body("## Purpose\n\nA.\n\n## Purpose\n\nB.\n\n## Aim {#purpose}\n\nC.\n");
    ok(&site.run(&["check"]));
    site.build_ok();
    let page = built_page(&site);
    assert!(page.contains("<h2 id=purpose>Aim"), "{page}");
    assert!(page.contains("<h2 id=purpose-1>Purpose"), "{page}");
    assert!(page.contains("<h2 id=purpose-2>Purpose"), "{page}");
}

// ---- serve --------------------------------------------------------------------

impl Serve {
    /// (status, body) of `GET target`.
    fn get(&self, target: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap_or_else(|e| panic!("connect: {e}\n{}", self.log()));
        stream.set_read_timeout(Some(TIMEOUT)).expect("a read timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        let text = String::from_utf8_lossy(&raw).to_string();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {text:?}"));
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn wait_for(&mut self, what: &str, mut done: impl FnMut(&Serve) -> bool) {
        let started = Instant::now();
        while !done(self) {
            assert!(!self.has_exited(), "serve died:\n{}", self.log());
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what}; serve printed:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

#[test]
fn serve_survives_saving_a_deeply_nested_brief() {
    let site = site_with_body("Intro before the edit.\n");
    let mut serve = Serve::start(site.root(), &[]);
    serve.wait_for("the brief to be served", |s| {
        let (status, body) = s.get("/en/briefs/hostile/");
        status == 200 && body.contains("Intro before the edit.")
    });
    let path = site.path(FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let deep = format!(
        "{}\n\n{} deep\n\n{}x{}\n",
        text.trim_end(),
        ">".repeat(3000),
        "*".repeat(20_000),
        "*".repeat(20_000)
    );
    let temp = path.with_file_name(".hostile.en.md.tmp");
    std::fs::write(&temp, deep).unwrap();
    std::fs::rename(&temp, &path).unwrap();
    serve.wait_for("the nesting error to be reported", |s| {
        s.get("/__legbrief/status")
            .1
            .contains("block quotes and lists are nested more than 100 levels deep")
    });
    let (_, status) = serve.get("/__legbrief/status");
    assert!(status.contains(&format!("{FILE}:8:101:")), "{status}");
    // Still alive, still serving the last good page.
    assert!(!serve.has_exited(), "serve died:\n{}", serve.log());
    let (code, page) = serve.get("/en/briefs/hostile/");
    assert_eq!(code, 200);
    assert!(page.contains("Intro before the edit."), "{page}");
    assert_eq!(serve.get("/en/").0, 200);
}
