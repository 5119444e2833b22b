//! Property tests: whatever a drafter writes in a brief, legbrief never panics or
//! hangs, and every failure is an error located in the file.
//!
//! Inputs are built from the pieces drafters (and copy-paste) actually produce:
//! front matter fields right and wrong, Markdown with citations, ids, footnotes,
//! tables, raw HTML, Chinese text and stray control characters. The same harness
//! drives the fuzz target in `fuzz/`. `ROBUSTNESS_CASES=100000` runs a long session.

#[path = "robustness/harness.rs"]
mod harness;

use std::sync::OnceLock;

use harness::{Harness, VALID_BODY, VALID_FRONT, brief_file};
use proptest::prelude::*;

fn escaped() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| Harness::new(false))
}

fn raw() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| Harness::new(true))
}

fn config() -> ProptestConfig {
    let cases = std::env::var("ROBUSTNESS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Short text of any Unicode, including control characters and `+++`.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,12}",
        "[a-z0-9 #{}\\[\\]()<>\"'=+*_`|^:/.-]{0,16}",
        Just("+++".to_string()),
        Just("智慧出行".to_string()),
        Just("\u{0}\u{feff}\r".to_string()),
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024-05-07".to_string()),
        Just("2019-02-29".to_string()),
        Just("2024-13-01".to_string()),
        Just("\"2024-05-07\"".to_string()),
        Just("2024-05-07T10:00:00".to_string()),
        (1900u32..2100, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        any_text(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("itb".to_string()),
        Just("smart-mobility".to_string()),
        Just("smart-mobilty".to_string()),
        Just("Smart".to_string()),
        any_text(),
    ]
}

/// One front matter line or table, right or wrong.
fn front_line() -> impl Strategy<Value = String> {
    prop_oneof![
        any_text().prop_map(|t| format!("title = {t:?}")),
        key().prop_map(|k| format!("committee = {k:?}")),
        date().prop_map(|d| format!("meeting = {d}")),
        date().prop_map(|d| format!("issued = {d}")),
        any_text().prop_map(|t| format!("paper_no = {t:?}")),
        prop::collection::vec(key(), 0..3).prop_map(|ks| format!("topics = {ks:?}")),
        any::<bool>().prop_map(|b| format!("draft = {b}")),
        any_text().prop_map(|t| format!("summary = {t:?}")),
        any_text().prop_map(|t| format!("titel = {t:?}")),
        Just("title = 3".to_string()),
        Just("topics = \"smart-mobility\"".to_string()),
        (key(), date(), any_text(), any_text()).prop_map(|(body, date, title, kind)| format!(
            "[[papers]]\nbody = {body:?}\ndate = {date}\ntitle = {title:?}\nkind = {kind:?}"
        )),
        (date(), any_text()).prop_map(|(date, url)| format!(
            "[[papers]]\nbody = \"itb\"\ndate = {date}\ntitle = \"Agenda\"\nkind = \"agenda\"\nurl = {url:?}\ndate_note = \"*\""
        )),
        any_text(),
    ]
}

fn href() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#p-1".to_string()),
        Just("#p-999".to_string()),
        Just("#appendix".to_string()),
        Just("#".to_string()),
        Just("../x/#p-2".to_string()),
        Just("../../../zh-hk/briefs/fuzzed/#p-1".to_string()),
        Just("../../zh-hk/briefs/fuzzed/".to_string()),
        Just("../../../../../..".to_string()),
        Just("/briefs/en/".to_string()),
        Just("/elsewhere".to_string()),
        Just("//host/x".to_string()),
        Just("https://council.example.org/briefs/en/#main".to_string()),
        Just("%zz%E6%99".to_string()),
        Just("?q=1&r=<2>".to_string()),
        Just("mailto:a@b".to_string()),
        "[a-z0-9./#%?-]{0,12}",
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("p-1".to_string()),
        Just("appendix".to_string()),
        Just("main".to_string()),
        Just("notes".to_string()),
        Just("fn-x".to_string()),
        Just("smart-mobility".to_string()),
        Just("smart-government".to_string()),
        "[a-z0-9-]{0,8}",
    ]
}

/// One Markdown block, as drafters write them.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        any_text(),
        (any_text(), href()).prop_map(|(t, h)| format!("{t} [{t}]({h}) {t}")),
        (1usize..7, any_text(), id()).prop_map(|(l, t, id)| format!("{} {t} {{#{id}}}", "#".repeat(l))),
        (1usize..7, any_text()).prop_map(|(l, t)| format!("{} {t}", "#".repeat(l))),
        (any_text(), any_text()).prop_map(|(l, t)| format!("{t}[^{l}] and [^{l}]\n\n[^{l}]: {t}")),
        Just("A[^a b] B[^a-b]\n\n[^a b]: one\n\n[^a-b]: two".to_string()),
        Just("[^orphan]: defined, never used".to_string()),
        any_text().prop_map(|t| format!("| a | b |\n|---|---|\n| {t} | [x](#p-1) |")),
        any_text().prop_map(|t| format!("- {t}\n  - nested [y](../y/)\n\n  para in list")),
        any_text().prop_map(|t| format!("> {t}\n>\n> > deeper")),
        any_text().prop_map(|t| format!("```\n{t}\n```")),
        any_text().prop_map(|t| format!("<div id=\"p-1\">{t}</div> <a href=\"{t}\">raw</a>")),
        Just("議員關注智慧\n出行的發展，\n並要求政府".to_string()),
        Just("***~~*_nested_*~~***\n\n---\n\n![img](pic.png \"t\")".to_string()),
        Just("line\r\nwith CRLF\r\n\r\nnext".to_string()),
        Just("<!-- comment [z](#nope) -->".to_string()),
        Just("[ref]\n\n[ref]: #p-1".to_string()),
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 0..10).prop_map(|blocks| blocks.join("\n\n"))
}

fn front() -> impl Strategy<Value = String> {
    prop::collection::vec(front_line(), 0..8).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_body_renders_and_checks_with_every_problem_located(body in body(), raw_html in any::<bool>()) {
        let harness = if raw_html { raw() } else { escaped() };
        harness.exercise("fuzzed.en.md", &brief_file(VALID_FRONT, &body));
    }

    #[test]
    fn any_front_matter_loads_or_fails_with_located_errors(front in front()) {
        escaped().exercise("fuzzed.en.md", &brief_file(&front, VALID_BODY));
    }

    #[test]
    fn any_file_text_loads_or_fails_with_located_errors(text in ".{0,200}", name in "[a-zA-Z0-9._-]{0,12}") {
        escaped().exercise(&name, &text);
        escaped().exercise("fuzzed.zh-hk.md", &format!("+++\n{text}"));
    }

    #[test]
    fn front_and_body_together(front in front(), body in body()) {
        escaped().exercise("fuzzed.en.md", &brief_file(&front, &body));
    }
}

/// Inputs once found to break a stage, kept as regression tests.
#[test]
fn known_hard_inputs() {
    let deep_quotes = format!("{} deep", ">".repeat(3000));
    let deep_list: String = (0..3000).map(|l| format!("{}- item\n", "  ".repeat(l))).collect();
    let stars = format!("{}x{}", "*".repeat(20_000), "*".repeat(20_000));
    for (front, body) in [
        (VALID_FRONT, "A[^a b] B[^a-b]\n\n[^a b]: one\n\n[^a-b]: two"),
        (VALID_FRONT, "## {#p-1}\n\nOne."),
        // Markdown percent-encodes what it writes into href: still the source's link.
        (VALID_FRONT, "See [chart](/files/\u{fffd}t.svg)."),
        (VALID_FRONT, ""),
        // Nesting that once overflowed the minifier's stack, and attribute blocks
        // that carried HTML attributes.
        (VALID_FRONT, deep_quotes.as_str()),
        (VALID_FRONT, deep_list.as_str()),
        (VALID_FRONT, stars.as_str()),
        (
            VALID_FRONT,
            "## X {#x onmouseover=alert(1) style=x}\n\n## D {#d class=\"a onclick=alert(1)\"}",
        ),
        (VALID_FRONT, "A[^missing].\n\n## A {#purpose}\n\n## B {#purpose}"),
        ("", ""),
        ("title = \"\"", "x"),
        // A paper url outside the site's path is shown on the papers index too.
        (
            "title = \"A\"\ncommittee = \"itb\"\nmeeting = 2024-03-11\n[[papers]]\nbody = \"itb\"\n\
             date = 2023-02-13\ntitle = \"Chart\"\nurl = \"/files/chart.svg\"\nkind = \"paper\"",
            "One.",
        ),
    ] {
        escaped().exercise("fuzzed.en.md", &brief_file(front, body));
        raw().exercise("fuzzed.en.md", &brief_file(front, body));
    }
}
