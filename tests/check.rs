//! `legbrief check` and the link gate of `legbrief build`, as a drafter meets them:
//! a broken citation named with its file and line, exit codes, and a build that
//! refuses to publish broken links.

mod common;

use common::{TestSite, front, stderr};

/// Two briefs citing each other in both languages: a site with no problems.
fn clean_site() -> TestSite {
    TestSite::new()
        .brief(
            "tunnels",
            "en",
            &front("Tolls", "tp", "2023-03-17"),
            "First.\n\nSecond.\n\nSee [para. 2](../wifi/#p-2) and [paragraph 1](#p-1).\n",
        )
        .brief(
            "tunnels",
            "zh-hk",
            &front("隧道費", "tp", "2023-03-17"),
            "第一。\n\n第二。\n\n見[第2段](../../../en/briefs/wifi/#p-2)。\n",
        )
        .brief(
            "wifi",
            "en",
            &front("Wi-Fi", "itb", "2019-05-13"),
            "One.\n\nTwo, see the [Chinese version](../../../zh-hk/briefs/tunnels/#p-1).\n",
        )
}

/// A brief `a` whose body (starting on file line 5) is `body`, plus brief `b`
/// with three paragraphs to cite.
fn site_citing(body: &str) -> TestSite {
    TestSite::new()
        .brief("a", "en", &front("A", "itb", "2024-01-10"), body)
        .brief("b", "en", &front("B", "itb", "2024-01-11"), "One.\n\nTwo.\n\nThree.\n")
        .brief(
            "b",
            "zh-hk",
            &front("乙", "itb", "2024-01-11"),
            "一。\n\n二。\n\n三。\n",
        )
}

fn check(site: &TestSite) -> (i32, String) {
    let out = site.run(&["check"]);
    (out.status.code().expect("exit code"), stderr(&out))
}

#[test]
fn a_clean_site_passes_with_a_summary_and_writes_nothing() {
    let site = clean_site();
    let (code, err) = check(&site);
    assert_eq!(code, 0, "{err}");
    let summary = err.lines().last().expect("a summary line");
    assert!(
        summary.starts_with("Checked ") && summary.ends_with(": 0 errors, 1 warning"),
        "{summary}"
    );
    // The one warning is the one `build` gives too: the config's example base_url.
    assert!(err.contains("warning in `base_url`"), "{err}");
    // Landing, 404 and 2 × (home, 4 index pages, search, data, 3 topics, 2 committees,
    // 2 terms) + 3 brief pages, and the pages of each listing per term that has briefs.
    assert!(summary.contains("Checked 36 pages,"), "{summary}");
    assert!(!site.exists("public"), "check must not write the site");
}

#[test]
fn a_broken_citation_is_named_with_file_line_and_column() {
    // Front matter is lines 1-5 (`+++`, three fields, `+++`); the body starts on line 6.
    let site = site_citing("Intro.\n\nAs noted in [para. 12](../b/#p-12), costs rose.\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:8:13: error: link `../b/#p-12`: `en/briefs/b/` has no anchor `#p-12` (the brief has paragraphs 1 to 3)"),
        "{err}"
    );
    assert!(err.lines().last().unwrap().ends_with(": 1 error, 1 warning"), "{err}");
}

#[test]
fn a_link_to_a_missing_brief_suggests_the_likely_slug() {
    let site = site_citing("See [B](../bb/#p-1).\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:6:5: error: link `../bb/#p-1` leads to `en/briefs/bb/`"),
        "{err}"
    );
}

#[test]
fn cross_language_links_are_followed_and_a_wrong_depth_gets_the_right_path() {
    let good = site_citing("See [第3段](../../../zh-hk/briefs/b/#p-3).\n");
    let (code, err) = check(&good);
    assert_eq!(code, 0, "{err}");

    let wrong_paragraph = site_citing("See [第4段](../../../zh-hk/briefs/b/#p-4).\n");
    let (code, err) = check(&wrong_paragraph);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`zh-hk/briefs/b/` has no anchor `#p-4`"), "{err}");

    // One `../` short: resolves to en/zh-hk/briefs/b/.
    let too_shallow = site_citing("See [第3段](../../zh-hk/briefs/b/#p-3).\n");
    let (code, err) = check(&too_shallow);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "content/briefs/a.en.md:6:5: error: link `../../zh-hk/briefs/b/#p-3` leads to `en/zh-hk/briefs/b/`"
        ),
        "{err}"
    );
    assert!(
        err.contains("help: did you mean `../../../zh-hk/briefs/b/#p-3`?"),
        "{err}"
    );
}

#[test]
fn in_page_anchors_must_exist_on_the_page() {
    // No [[papers]]: the page has no appendix to link to.
    let site = site_citing("Papers are in the [Appendix](#appendix); see [Two](#p-2).\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:6:19: error: link `#appendix`: `en/briefs/a/` has no anchor `#appendix`"),
        "{err}"
    );
    assert!(
        err.contains("content/briefs/a.en.md:6:46: error: link `#p-2`: `en/briefs/a/` has no anchor `#p-2` (the brief has paragraph 1 only)"),
        "{err}"
    );
}

#[test]
fn a_misspelt_anchor_gets_a_suggestion() {
    let front = format!(
        "{}\n[[papers]]\nbody = \"itb\"\ndate = 2023-01-01\ntitle = \"Agenda\"\nkind = \"agenda\"",
        front("A", "itb", "2024-01-10")
    );
    let site = TestSite::new().brief("a", "en", &front, "See the [Appendix](#apendix).\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("has no anchor `#apendix`"), "{err}");
    assert!(err.contains("help: did you mean `#appendix`?"), "{err}");
}

#[test]
fn translations_that_number_paragraphs_differently_are_a_warning_naming_both_files() {
    let site = TestSite::new()
        .brief("a", "en", &front("A", "itb", "2024-01-10"), "One.\n\nTwo.\n\nThree.\n")
        .brief("a", "zh-hk", &front("甲", "itb", "2024-01-10"), "一。\n\n二。\n");
    let (code, err) = check(&site);
    assert_eq!(code, 0, "warnings only must exit 0:\n{err}");
    assert!(
        err.contains("content/briefs/a.zh-hk.md:6:1: warning: `content/briefs/a.zh-hk.md` has 2 numbered paragraphs but its translation `content/briefs/a.en.md` has 3"),
        "{err}"
    );
    assert!(err.lines().last().unwrap().ends_with(": 0 errors, 2 warnings"), "{err}");
}

#[test]
fn translations_with_different_topic_sections_are_a_warning_at_the_heading() {
    let site = TestSite::new()
        .brief(
            "a",
            "en",
            &front("A", "itb", "2024-01-10"),
            "One.\n\n## Smart Mobility {#smart-mobility}\n\nTwo.\n",
        )
        .brief(
            "a",
            "zh-hk",
            &front("甲", "itb", "2024-01-10"),
            "一。\n\n## 出行\n\n二。\n",
        );
    let (code, err) = check(&site);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:8:1: warning: topic `smart-mobility` is in `content/briefs/a.en.md` but not in its translation `content/briefs/a.zh-hk.md`"),
        "{err}"
    );
}

#[test]
fn missing_translations_of_names_in_the_config_are_surfaced() {
    let config = common::CONFIG.replace(
        "name = { en = \"Panel on Transport\", zh-hk = \"交通事務委員會\" }",
        "name = { en = \"Panel on Transport\" }",
    );
    let site = clean_site().write("legbrief.toml", &config);
    let (code, err) = check(&site);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("legbrief.toml:"), "{err}");
    assert!(
        err.contains("warning in `committees.tp.name`: no `zh-hk` name"),
        "{err}"
    );
}

#[test]
fn one_paper_number_on_two_briefs_is_an_error_at_the_field() {
    let with_no = |title: &str| format!("{}paper_no = \"CB(4)210/2023(05)\"", front(title, "itb", "2024-01-10"));
    let site = TestSite::new()
        .brief("a", "en", &with_no("A"), "One.\n")
        .brief("a", "zh-hk", &with_no("甲"), "一。\n")
        .brief("b", "en", &with_no("B"), "One.\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/b.en.md:5:12: error in `paper_no`: paper number `CB(4)210/2023(05)` is also the paper number of `content/briefs/a.en.md`"),
        "{err}"
    );
    assert_eq!(
        err.matches("is also the paper number").count(),
        1,
        "translations share it:\n{err}"
    );
}

#[test]
fn a_content_file_that_would_replace_a_page_is_an_error() {
    let site = clean_site().write("content/en/index.html", "<p>stray</p>\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/en/index.html:1:1: error: this file would be published as `en/index.html`"),
        "{err}"
    );
    assert_eq!(site.build().status.code(), Some(1), "build must not publish it either");
}

#[test]
fn links_made_by_a_template_are_reported_with_page_and_template() {
    let config = format!("theme = \"custom\"\n{}", common::CONFIG);
    let topics = "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
                  <p><a href=\"{{ page.nav.home }}guide/\">Guide</a></p>{% endblock content %}";
    let site = clean_site()
        .write("legbrief.toml", &config)
        .write("themes/custom/templates/topics.html", topics);
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: link `/en/guide/` leads to `en/guide/`, which is not a page or file of this site (on page `en/topics/index.html`, made by template `topics.html`)"),
        "{err}"
    );
    assert!(
        err.contains("(on page `zh-hk/topics/index.html`, made by template `topics.html`)"),
        "{err}"
    );
}

#[test]
fn build_refuses_to_publish_broken_links_unless_allowed() {
    let site = site_citing("See [para. 9](../b/#p-9).\n");
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/briefs/a.en.md:6:5: error: link `../b/#p-9`"),
        "{err}"
    );
    assert!(err.contains("--allow-broken-links"), "{err}");
    assert!(!site.exists("public"), "nothing may be published");

    let out = site.run(&["build", "--allow-broken-links"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:6:5: warning: link `../b/#p-9`"),
        "{err}"
    );
    assert!(site.exists("public/en/briefs/a/index.html"));
}

#[test]
fn source_errors_are_reported_with_the_summary_and_exit_1() {
    let site = TestSite::new().brief(
        "a",
        "en",
        "title = \"A\"\ncommittee = \"nope\"\nmeeting = 2024-01-10",
        "One.\n",
    );
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:3:13: error in `committee`: unknown committee `nope`"),
        "{err}"
    );
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("Checked 0 pages, 0 links: 1 error"),
        "{err}"
    );
}

#[test]
fn wrong_usage_exits_2() {
    let site = clean_site();
    assert_eq!(site.run(&["check", "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn the_fixture_site_and_the_sample_site_check_clean() {
    for site in [TestSite::fixture("check"), TestSite::sample()] {
        let (code, err) = check(&site);
        assert_eq!(code, 0, "{err}");
        // Both publish to example hosts, which `build` and `check` alike warn about.
        assert!(err.trim_end().ends_with(": 0 errors, 1 warning"), "{err}");
        assert!(err.contains("warning in `base_url`"), "{err}");
    }
}

#[test]
fn a_term_archive_is_checked_as_opened_from_disk() {
    let site = TestSite::fixture("check");
    let out = site.run(&["check", "--term", "7"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains(": 0 errors"), "{err}");
}

#[test]
fn every_id_is_unique_even_with_repeated_footnotes_and_quoted_sections() {
    let body =
        "## Smart Mobility {#smart-mobility}\n\nOne[^x] and again[^x].\n\n#### Members' views\n\nTwo.\n\n[^x]: Note.\n";
    let site = TestSite::new()
        .brief("a", "en", &front("A", "tp", "2024-01-10"), body)
        .brief("b", "en", &front("B", "tp", "2024-01-11"), body);
    let (code, err) = check(&site);
    assert_eq!(code, 0, "{err}");
    site.build_ok();
    let brief = site.read("public/en/briefs/a/index.html");
    assert_eq!(
        brief.matches("ref-fn-x").count(),
        2,
        "one id and one back-link:\n{brief}"
    );
    let topic = site.read("public/en/topics/smart-mobility/index.html");
    assert!(topic.contains("views</h4>"), "the sub-heading is quoted:\n{topic}");
    assert!(
        !topic.contains("id=members-views") && !topic.contains("id=\"members-views\""),
        "{topic}"
    );
}

#[test]
fn a_heading_id_that_takes_a_paragraph_citation_is_an_error_at_the_heading() {
    let site = TestSite::new().brief(
        "a",
        "en",
        &front("A", "tp", "2024-01-10"),
        "One.\n\n## Two {#p-1}\n\nThree.\n",
    );
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:8:1: error: the heading id `p-1` is also used by another element"),
        "{err}"
    );
}

#[test]
fn a_link_that_only_breaks_in_a_term_archive_is_reported_at_its_source() {
    let config = common::CONFIG.replace("https://briefs.example.org", "https://council.example.org/briefs");
    let site = TestSite::new().write("legbrief.toml", &config).brief(
        "a",
        "en",
        &front("A", "itb", "2024-01-10"),
        "See the [council's home](/home.html).\n",
    );
    let (code, err) = check(&site);
    assert_eq!(
        code, 0,
        "outside the site's path, the published link is not ours to check:\n{err}"
    );
    let out = site.run(&["check", "--term", "7"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:6:9: error: link `/home.html` is broken: a root-relative link does not work in a term archive opened from disk (on page `en/briefs/a/index.html`)"),
        "{err}"
    );
}

#[test]
fn a_missing_image_is_named_at_its_source() {
    let site = site_citing("The chart:\n\n![Tolls by year](../../../files/tolls.png)\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:8:1: error: link `../../../files/tolls.png` leads to `files/tolls.png`"),
        "{err}"
    );
    let site = site.write("content/files/tolls.png", "png");
    let (code, err) = check(&site);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn footnote_labels_that_slugify_alike_keep_distinct_ids() {
    let site = site_citing("A[^a b] and B[^a-b].\n\n[^a b]: First.\n\n[^a-b]: Second.\n");
    let (code, err) = check(&site);
    assert_eq!(code, 0, "{err}");
    site.build_ok();
    let page = site.read("public/en/briefs/a/index.html");
    assert!(page.contains("fn-a-b_2"), "{page}");
}

#[test]
fn links_that_run_scripts_are_refused_at_their_source() {
    let front = format!(
        "{}\n[[papers]]\nbody = \"itb\"\ndate = 2023-01-01\ntitle = \"Agenda\"\nkind = \"agenda\"\nurl = \"javascript:alert(2)\"",
        front("A", "itb", "2024-01-10")
    );
    let site = TestSite::new().brief("a", "en", &front, "Hello [x](javascript:alert(1)).\n");
    let (code, err) = check(&site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/briefs/a.en.md:13:7: error: link `javascript:alert(1)` uses the `javascript:` scheme"),
        "{err}"
    );
    assert!(
        err.contains("content/briefs/a.en.md:6:1: error in `papers[0].url`: link `javascript:alert(2)` uses the `javascript:` scheme"),
        "{err}"
    );
    let out = site.run(&["build", "--allow-broken-links"]);
    assert_eq!(out.status.code(), Some(1), "never published:\n{}", stderr(&out));
}

#[test]
fn a_link_with_chinese_characters_is_still_reported_at_its_source() {
    let config = common::CONFIG.replace("https://briefs.example.org", "https://council.example.org/briefs");
    let site = TestSite::new().write("legbrief.toml", &config).brief(
        "a",
        "zh-hk",
        &front("甲", "itb", "2024-01-10"),
        "見[圖表](/檔案/圖表.svg)。\n",
    );
    let out = site.run(&["check", "--term", "7"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/briefs/a.zh-hk.md:6:2: error: link `/"), "{err}");
}
