//! Errors a drafter can act on: each bad input is reported with its file, line and
//! column, the field, and what was expected; the exit status is 1. The full text of
//! each message is under snapshot test so its wording only changes on purpose.

mod common;

use common::{TestSite, front, stderr};

/// Builds `site`, asserts it failed with status 1, and returns the error report
/// without the closing summary line.
fn failing_build(site: &TestSite) -> String {
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(!site.exists("public"), "a failed build writes nothing");
    err.lines()
        .filter(|l| !l.starts_with("Build failed"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn brief_with(front_matter: &str) -> TestSite {
    TestSite::new().brief("a-brief", "en", front_matter, "Paragraph.\n")
}

#[test]
fn bad_slug() {
    let site = TestSite::new().brief("Smart_Lamp", "en", &front("T", "itb", "2025-05-12"), "Text.\n");
    insta::assert_snapshot!(failing_build(&site), @r"
    content/briefs/Smart_Lamp.en.md:1:1: error: `Smart_Lamp` is not a valid slug: use lowercase ASCII letters, digits and single dashes
      help: rename the file, e.g. to smart-lamp.en.md
    ");
}

#[test]
fn missing_title() {
    let site = brief_with("committee = \"itb\"\nmeeting = 2025-05-12");
    insta::assert_snapshot!(failing_build(&site), @r"
    content/briefs/a-brief.en.md:2:1: error in `title`: missing required field `title` (a string)
    ");
}

#[test]
fn wrong_type() {
    let site = brief_with("title = \"T\"\ncommittee = \"itb\"\nmeeting = \"2025-05-12\"");
    insta::assert_snapshot!(failing_build(&site), @r#"
    content/briefs/a-brief.en.md:4:11: error in `meeting`: expected a date, found a string
      help: write the date without quotes: meeting = 2025-05-12
    "#);
}

#[test]
fn unknown_field() {
    let site =
        brief_with("title = \"T\"\ncommittee = \"itb\"\nmeeting = 2025-05-12\npaper_number = \"CB(2)1/2025(01)\"");
    insta::assert_snapshot!(failing_build(&site), @r"
    content/briefs/a-brief.en.md:5:1: error in `paper_number`: unknown field `paper_number`
      help: did you mean `paper_no`?
    ");
}

#[test]
fn unknown_committee() {
    let site = brief_with("title = \"T\"\ncommittee = \"itbb\"\nmeeting = 2025-05-12");
    insta::assert_snapshot!(failing_build(&site), @r#"
    content/briefs/a-brief.en.md:3:13: error in `committee`: unknown committee `itbb`
      help: did you mean `itb`?
    "#);
}

#[test]
fn unknown_topic() {
    let site = brief_with(
        "title = \"T\"\ncommittee = \"itb\"\nmeeting = 2025-05-12\ntopics = [\"smart-mobility\", \"smart-mobilty\"]",
    );
    insta::assert_snapshot!(failing_build(&site), @r#"
    content/briefs/a-brief.en.md:5:29: error in `topics`: unknown topic `smart-mobilty`
      help: did you mean `smart-mobility`?
    "#);
}

#[test]
fn impossible_date() {
    let site = brief_with("title = \"T\"\ncommittee = \"itb\"\nmeeting = 2025-02-30");
    let report = failing_build(&site);
    assert!(report.starts_with("content/briefs/a-brief.en.md:4:"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn unclosed_front_matter() {
    let site = TestSite::new().write(
        "content/briefs/a-brief.en.md",
        "+++\ntitle = \"T\"\ncommittee = \"itb\"\n\nText.\n",
    );
    insta::assert_snapshot!(failing_build(&site), @r"
    content/briefs/a-brief.en.md:1:1: error: the front matter opened on line 1 is never closed
      help: add a line `+++` after the last front matter field
    ");
}

#[test]
fn invalid_toml_in_front_matter_points_into_the_markdown_file() {
    let site = brief_with("title = \"T\"\ncommittee = \"itb\nmeeting = 2025-05-12");
    let report = failing_build(&site);
    assert!(report.starts_with("content/briefs/a-brief.en.md:3:"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn invalid_toml_in_config() {
    let config = common::CONFIG.replace("default_language = \"en\"", "default_language = en");
    let site = TestSite::new().write("legbrief.toml", &config);
    let report = failing_build(&site);
    assert!(report.starts_with("legbrief.toml:3:"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_key_in_config() {
    let config = format!("{}\n[build]\nminfy = false\n", common::CONFIG);
    let site = TestSite::new().write("legbrief.toml", &config);
    insta::assert_snapshot!(failing_build(&site), @r"
    legbrief.toml:48:1: error in `build.minfy`: unknown field `minfy`
      help: did you mean `minify`?
    ");
}

#[test]
fn unknown_language_suffix() {
    let site = TestSite::new().brief("a-brief", "fr", &front("T", "itb", "2025-05-12"), "Text.\n");
    insta::assert_snapshot!(failing_build(&site), @r"
    content/briefs/a-brief.fr.md:1:1: error: unknown language suffix `.fr` (configured: en, zh-hk)
    ");
}

#[test]
fn unknown_paper_kind() {
    let site = brief_with(
        "title = \"T\"\ncommittee = \"itb\"\nmeeting = 2025-05-12\n\n[[papers]]\nbody = \"itb\"\ndate = 2025-01-01\ntitle = \"Minutes\"\nkind = \"minute\"",
    );
    insta::assert_snapshot!(failing_build(&site), @r#"
    content/briefs/a-brief.en.md:10:8: error in `papers[0].kind`: unknown paper kind `minute` (expected one of: agenda, minutes, report, paper, motion, progress-report, question, other)
      help: did you mean `minutes`?
    "#);
}

fn custom_theme(site: TestSite) -> TestSite {
    let site = site.brief("a-brief", "en", &front("T", "itb", "2025-05-12"), "Text.\n");
    let config = common::CONFIG.replace(
        "default_language = \"en\"",
        "default_language = \"en\"\ntheme = \"custom\"",
    );
    site.write("legbrief.toml", &config)
}

#[test]
fn missing_i18n_string() {
    let english = include_str!("../themes/default/i18n/en.toml");
    let without = english
        .lines()
        .filter(|l| !l.starts_with("papers_title"))
        .collect::<Vec<_>>()
        .join("\n");
    let site = custom_theme(TestSite::new()).write("themes/custom/i18n/en.toml", &without);
    insta::assert_snapshot!(failing_build(&site), @r#"
    themes/custom/i18n/en.toml:1:1: error in `papers_title`: missing UI string `papers_title` for language `en`
      help: add a line `papers_title = "…"`
    "#);
}

#[test]
fn template_syntax_error() {
    let site = custom_theme(TestSite::new()).write(
        "themes/custom/templates/topics.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    );
    let report = failing_build(&site);
    assert!(report.starts_with("themes/custom/templates/topics.html:3:"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn every_error_of_a_build_is_reported() {
    let site = TestSite::new()
        .brief(
            "one",
            "en",
            "title = \"T\"\ncommittee = \"nope\"\nmeeting = 2025-05-12",
            "Text.\n",
        )
        .brief("two", "en", "committee = \"itb\"\nmeeting = 2025-13-01", "Text.\n");
    let report = failing_build(&site);
    assert!(report.contains("one.en.md:3:13: error in `committee`"), "{report}");
    assert!(report.contains("two.en.md:"), "{report}");
    let out = site.build();
    assert!(stderr(&out).contains("Build failed with"), "a closing count");
}

/// Dates written as people write them, in front matter (unquoted and quoted) and in the
/// config: each is one error at the value naming the field, the TOML form and the exact
/// line to write; numeric dates are read day first, as the Legislative Council writes
/// them, and the message says which reading it took.
#[test]
fn dates_as_people_write_them() {
    let forms = [
        "12/05/2025",
        "12 May 2025",
        "2025/05/12",
        "2025年5月12日",
        "\"12/05/2025\"",
        "\"12 May 2025\"",
        "\"2025年5月12日\"",
        "05/13/2025",
        "13.05.2025",
        "31/02/2025",
    ];
    let mut site = TestSite::new();
    for (i, form) in forms.iter().enumerate() {
        site = site.brief(
            &format!("brief-{i}"),
            "en",
            &format!("title = \"T\"\ncommittee = \"itb\"\nmeeting = {form}"),
            "Paragraph.\n",
        );
    }
    let site = site.brief(
        "papers",
        "en",
        "title = \"T\"\ncommittee = \"itb\"\nmeeting = 2025-05-12\n\n[[papers]]\nbody = \"itb\"\ndate = \"7 May 2025\"\ntitle = \"Minutes\"\nkind = \"minutes\"",
        "Paragraph.\n",
    );
    insta::assert_snapshot!(failing_build(&site));
}

#[test]
fn dates_as_people_write_them_in_the_config() {
    let config = common::CONFIG.replace("start = 2022-01-01", "start = 01/01/2022");
    let site = TestSite::new().write("legbrief.toml", &config);
    let report = failing_build(&site);
    let quoted = common::CONFIG.replace("end = 2025-12-31", "end = \"31 December 2025\"");
    let site = TestSite::new().write("legbrief.toml", &quoted);
    insta::assert_snapshot!(format!("{report}\n{}", failing_build(&site)));
}
