//! The `build` command on fixture sites: every page of DESIGN §4, the brief page,
//! languages, feeds, sitemap, drafts, escaping, determinism and atomicity.

mod common;

use common::{TestSite, stderr};

const BILINGUAL: &str = "smart-mobility-update";

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok();
    site
}

/// `id="p-1"` … in the order they appear in the page.
fn paragraph_ids(html: &str) -> Vec<String> {
    html.match_indices("id=p-")
        .map(|(i, _)| {
            html[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .collect()
}

#[test]
fn builds_exactly_the_pages_of_the_design() {
    let site = built();
    let files = site.files_under("public");
    let mut expected: Vec<String> = vec![
        ".legbrief-output".into(),
        "404.html".into(),
        // The open data (DESIGN.md §4): the exports in parts per term, their
        // catalogue, and JSON beside each brief page.
        "data/briefs-term-6.jsonl.gz".into(),
        "data/briefs-term-7.jsonl.gz".into(),
        "data/catalogue.json".into(),
        "data/papers-term-7.csv.gz".into(),
        "docs/attachment.pdf".into(),
        "index.html".into(),
        "sitemap.xml".into(),
        "static/favicon.svg".into(),
        "static/search.js".into(),
        "static/style.css".into(),
        "static/versions.css".into(),
    ];
    for lang in ["en", "zh-hk"] {
        for page in [
            "index.html",
            "feed.xml",
            "topics/index.html",
            "topics/smart-government/index.html",
            "topics/smart-mobility/index.html",
            "topics/smart-living/index.html",
            "committees/index.html",
            "committees/itb/index.html",
            "committees/tp/index.html",
            "terms/index.html",
            "terms/6/index.html",
            "terms/7/index.html",
            "papers/index.html",
            "data/index.html",
            "search/index.html",
            // The search index beside its page: layout, then per segment (a term
            // here) its token shards (one) and a text file per brief.
            "search/meta.js",
            "search/7-0/t/0-0.js",
            "search/7-0/d/0.js",
            "briefs/smart-mobility-update/index.html",
            "briefs/smart-mobility-update/index.json",
        ] {
            expected.push(format!("{lang}/{page}"));
        }
    }
    expected.push("en/briefs/old-lampposts/index.html".into());
    expected.push("en/briefs/old-lampposts/index.json".into());
    expected.push("en/search/6-0/t/0-0.js".into());
    expected.push("en/search/6-0/d/0.js".into());
    // Each listing's pages per term (DESIGN.md §4): only terms with briefs in them.
    for page in [
        "en/committees/itb/terms/6/index.html",
        "en/committees/tp/terms/7/index.html",
        "en/papers/terms/7/index.html",
        "en/topics/smart-government/terms/6/index.html",
        "en/topics/smart-living/terms/7/index.html",
        "en/topics/smart-mobility/terms/7/index.html",
        "zh-hk/committees/tp/terms/7/index.html",
        "zh-hk/papers/terms/7/index.html",
        "zh-hk/topics/smart-living/terms/7/index.html",
        "zh-hk/topics/smart-mobility/terms/7/index.html",
    ] {
        expected.push(page.into());
    }
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn paragraphs_are_numbered_alike_in_both_languages() {
    let site = built();
    let en = site.read(&format!("public/en/briefs/{BILINGUAL}/index.html"));
    let zh = site.read(&format!("public/zh-hk/briefs/{BILINGUAL}/index.html"));
    let expected: Vec<String> = (1..=5).map(|n| format!("p-{n}")).collect();
    assert_eq!(paragraph_ids(&en), expected);
    assert_eq!(paragraph_ids(&zh), expected);
    assert!(en.contains("href=#p-3"), "the visible number links to its anchor");
    assert!(en.contains("aria-label=\"Paragraph 3\""));
    assert!(zh.contains("aria-label=第3段"));
    // The list item in the topic section is not a numbered paragraph.
    assert!(en.contains("<li>a list item, not numbered"));
}

#[test]
fn brief_page_has_header_appendix_and_issuer_like_the_paper() {
    let site = built();
    let en = site.read(&format!("public/en/briefs/{BILINGUAL}/index.html"));
    assert!(en.contains("<dd class=paper-no>CB(4)300/2025(02)</dd>"));
    assert!(en.contains("<dd>CB4/PL/TP</dd>"));
    assert!(en.contains("Meeting on <time datetime=2025-01-20>20 January 2025</time>"));
    assert!(en.contains(">Panel on Transport</a>"));
    // Appendix grouped by body, then date: two papers share the 13 May 2024 row.
    assert!(en.contains("id=appendix"));
    assert!(en.contains("<th rowspan=1 scope=rowgroup>Panel on Transport</th>"));
    let row = en.split("13 May 2024").nth(1).expect("the date row");
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("Agenda Item IV: Smart mobility roadmap") && row.contains("Minutes of meeting"));
    // The date note is a footnote marker.
    assert!(en.contains("7 June 2023</time><a class=date-note href=#date-notes>*</a>"));
    assert!(en.contains("<span class=marker>*</span> Date of issue"));
    // Issuer lines and date of issue close the brief.
    assert!(en.contains("Council Business Divisions<br>Legislative Council Secretariat<br><time datetime=2025-01-15>15 January 2025</time>"));
    let zh = site.read(&format!("public/zh-hk/briefs/{BILINGUAL}/index.html"));
    assert!(zh.contains("<time datetime=2025-01-20>2025年1月20日</time>會議"));
    assert!(zh.contains("立法會秘書處議會事務部<br><time datetime=2025-01-15>2025年1月15日</time>"));
}

#[test]
fn chinese_soft_line_breaks_add_no_space() {
    let site = built();
    let zh = site.read(&format!("public/zh-hk/briefs/{BILINGUAL}/index.html"));
    assert!(
        zh.contains("推動自動駕駛車輛的發展"),
        "a wrapped Chinese line is joined without a space"
    );
}

#[test]
fn language_switcher_hreflang_and_canonical() {
    let site = built();
    let en = site.read(&format!("public/en/briefs/{BILINGUAL}/index.html"));
    assert!(en.contains("<html lang=en>"));
    assert!(en.contains(&format!(
        "<link href=https://briefs.example.org/en/briefs/{BILINGUAL}/ rel=canonical>"
    )));
    assert!(en.contains(&format!(
        "href=https://briefs.example.org/zh-hk/briefs/{BILINGUAL}/ hreflang=zh-Hant-HK rel=alternate"
    )));
    assert!(en.contains(&format!(
        "<a href=/zh-hk/briefs/{BILINGUAL}/ hreflang=zh-Hant-HK lang=zh-Hant-HK>繁體中文</a>"
    )));
    let zh = site.read(&format!("public/zh-hk/briefs/{BILINGUAL}/index.html"));
    assert!(zh.contains("<html lang=zh-Hant-HK>"));
    assert!(zh.contains(&format!(
        "<a href=/en/briefs/{BILINGUAL}/ hreflang=en lang=en>English</a>"
    )));

    // A brief with no translation: the switcher goes to the other home, with a notice,
    // and there is no hreflang alternate to a page that does not exist.
    let only_en = site.read("public/en/briefs/old-lampposts/index.html");
    assert!(only_en.contains("<a href=/zh-hk/ hreflang=zh-Hant-HK lang=zh-Hant-HK>繁體中文</a> <span class=missing lang=zh-Hant-HK>（沒有此語言版本）</span>"));
    assert!(!only_en.contains("zh-hk/briefs/old-lampposts"));
    assert!(!site.exists("public/zh-hk/briefs/old-lampposts/index.html"));
}

#[test]
fn topic_pages_quote_sections_linking_back_to_the_paragraphs() {
    let site = built();
    let topic = site.read("public/en/topics/smart-mobility/index.html");
    assert!(topic.contains(&format!("href=/en/briefs/{BILINGUAL}/#p-3")));
    assert!(topic.contains("Members asked about the Traffic Data Analytics System."));
    assert!(!topic.contains("id=p-3"), "quoted paragraphs carry no ids of their own");
    assert!(!topic.contains("e-payment"), "the next topic's section is not quoted");
    let government = site.read("public/en/topics/smart-government/index.html");
    assert!(government.contains("href=/en/briefs/old-lampposts/#p-2"));
    // Newest first on listings.
    let committee = site.read("public/en/committees/itb/index.html");
    assert!(committee.contains("old-lampposts"));
    let terms = site.read("public/en/terms/7/index.html");
    assert!(terms.contains(BILINGUAL) && !terms.contains("old-lampposts"));
}

#[test]
fn papers_index_lists_each_paper_once_with_the_briefs_citing_it() {
    let site = built();
    let overview = site.read("public/en/papers/index.html");
    assert!(
        overview.contains("href=/en/papers/terms/7/#body-2>Council meeting</a>"),
        "{overview}"
    );
    let papers = site.read("public/en/papers/terms/7/index.html");
    assert_eq!(papers.matches("Report of the Subcommittee").count(), 1);
    assert!(papers.contains("Council meeting"));
    // Citing briefs by title, with their paper numbers.
    assert!(
        papers.contains(&format!("href=/en/briefs/{BILINGUAL}/>")) && papers.contains("(CB(4)300/2025(02))"),
        "{papers}"
    );
    // Committees come before free-text bodies.
    let itb = papers.find("Panel on Information Technology").unwrap();
    let council = papers.find("Council meeting").unwrap();
    assert!(itb < council);
}

#[test]
fn feed_is_rss_with_absolute_links_and_rfc822_dates() {
    let site = built();
    let xml = site.read("public/en/feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let items: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("item")).collect();
    assert_eq!(items.len(), 2, "drafts are not in the feed");
    let text = |node: roxmltree::Node, tag: &str| {
        node.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        text(items[0], "link"),
        format!("https://briefs.example.org/en/briefs/{BILINGUAL}/")
    );
    assert_eq!(text(items[0], "pubDate"), "Wed, 15 Jan 2025 00:00:00 GMT");
    assert_eq!(text(items[1], "pubDate"), "Wed, 06 Mar 2019 00:00:00 GMT");
    let zh_xml = site.read("public/zh-hk/feed.xml");
    let zh = roxmltree::Document::parse(&zh_xml).expect("well-formed XML");
    assert_eq!(zh.descendants().filter(|n| n.has_tag_name("item")).count(), 1);
}

#[test]
fn sitemap_lists_pages_with_symmetric_language_alternates() {
    let site = built();
    let xml = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let urls: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    let loc = |url: &roxmltree::Node| {
        url.children()
            .find(|c| c.has_tag_name("loc"))
            .unwrap()
            .text()
            .unwrap()
            .to_string()
    };
    let alternates = |url: &roxmltree::Node| -> Vec<String> {
        url.children()
            .filter(|c| c.has_tag_name("link"))
            .map(|c| c.attribute("href").unwrap().to_string())
            .collect()
    };
    let en = urls
        .iter()
        .find(|u| loc(u).ends_with(&format!("/en/briefs/{BILINGUAL}/")))
        .expect("en brief");
    let zh = urls
        .iter()
        .find(|u| loc(u).ends_with(&format!("/zh-hk/briefs/{BILINGUAL}/")))
        .expect("zh brief");
    assert_eq!(alternates(en), alternates(zh));
    assert_eq!(alternates(en).len(), 2);
    let only_en = urls
        .iter()
        .find(|u| loc(u).ends_with("/en/briefs/old-lampposts/"))
        .expect("en-only brief");
    assert_eq!(
        alternates(only_en),
        vec!["https://briefs.example.org/en/briefs/old-lampposts/".to_string()]
    );
    assert!(!xml.contains("404.html") && !xml.contains("draft-brief"));
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    assert!(!site.exists("public/en/briefs/draft-brief/index.html"));
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists("public/en/briefs/draft-brief/index.html"));
}

#[test]
fn raw_html_is_escaped_unless_the_config_enables_it() {
    let body = "Text with <script>alert(1)</script> inside.\n\n<iframe src=\"https://example.org\"></iframe>\n";
    let site = TestSite::new().brief("html", "en", &common::front("HTML", "itb", "2025-01-01"), body);
    site.build_ok();
    let page = site.read("public/en/briefs/html/index.html");
    assert!(!page.contains("<script>") && !page.contains("<iframe"));
    assert!(page.contains("&lt;script>alert(1)&lt;/script>"));

    let config = format!("{}\n[markdown]\nraw_html = true\n", common::CONFIG);
    let site = site.write("legbrief.toml", &config);
    site.build_ok();
    let page = site.read("public/en/briefs/html/index.html");
    assert!(page.contains("<script>alert(1)</script>"));
}

#[test]
fn builds_are_byte_identical() {
    let site = TestSite::fixture("basic");
    for output in ["one", "two"] {
        let out = site.run(&["build", "--output", output]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let one = site.files_under("one");
    assert_eq!(one, site.files_under("two"));
    for file in one {
        let a = std::fs::read(site.path(&format!("one/{file}"))).unwrap();
        let b = std::fs::read(site.path(&format!("two/{file}"))).unwrap();
        assert!(a == b, "{file} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = site.read(&format!("public/en/briefs/{BILINGUAL}/index.html"));
    let site = site.brief(
        "broken",
        "en",
        "title = \"Broken\"\ncommittee = \"nope\"\nmeeting = 2025-01-01",
        "Text.\n",
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("previous output is untouched"));
    assert_eq!(site.read(&format!("public/en/briefs/{BILINGUAL}/index.html")), before);
    let strays: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.contains("legbrief-tmp"))
        .collect();
    assert!(strays.is_empty(), "stray files: {strays:?}");
}

#[test]
fn base_url_sub_path_is_honoured_and_can_be_overridden() {
    let site = TestSite::fixture("basic");
    let out = site.run(&["build", "--base-url", "https://example.org/briefs/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = site.read("public/en/index.html");
    assert!(home.contains("href=/briefs/static/style.css"));
    assert!(home.contains("href=/briefs/en/topics/"));
    assert!(home.contains("<link href=https://example.org/briefs/en/ rel=canonical>"));
    let not_found = site.read("public/404.html");
    assert!(
        not_found.contains("href=/briefs/en/"),
        "the 404 page links absolutely, as it is served at any path"
    );
    let feed = site.read("public/en/feed.xml");
    assert!(feed.contains("<link>https://example.org/briefs/en/briefs/"));
}

/// The `title` of each language in the basic fixture's config.
const LANGUAGE_TITLES: [&str; 2] = ["Test Briefs", "測試簡介"];

#[test]
fn landing_page_links_to_each_language_home() {
    let site = built();
    let landing = site.read("public/index.html");
    assert!(landing.contains("href=/en/"));
    assert!(landing.contains("href=/zh-hk/"));
    assert!(landing.contains("lang=zh-Hant-HK"));
    // The landing page is for readers of either language: its header names the
    // site in both, each marked with its language.
    let header = &landing[landing.find("class=site-title").expect("a site title")..];
    let header = &header[..header.find("</a>").expect("the title link ends")];
    for title in LANGUAGE_TITLES {
        assert!(header.contains(title), "{title} in {header}");
    }
    assert!(header.contains("<span lang=zh-Hant-HK>"), "{header}");
    let home = site.read("public/zh-hk/index.html");
    assert!(home.contains("測試簡介"));
    assert!(home.contains("智慧出行"));
}

#[test]
fn summary_line_reports_pages_languages_and_warnings() {
    let site = TestSite::fixture("basic");
    let out = site.build_ok();
    let err = stderr(&out);
    let last = err.lines().last().unwrap();
    assert!(
        // 41 and the data page of each language.
        last.starts_with("Built 43 pages in 2 languages with 1 warning in "),
        "{last}"
    );
    // The one warning: the fixture's base_url is an example host.
    assert_eq!(err.matches("warning in `base_url`").count(), 1, "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = TestSite::new();
    assert_eq!(site.run(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(site.run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_a_non_empty_folder() {
    let site = TestSite::new();
    let out = site.run(&["init", "newsite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.run(&["build", "--root", "newsite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists("newsite/public/en/briefs/example-brief/index.html"));
    assert!(site.exists("newsite/public/zh-hk/briefs/example-brief/index.html"));
    let out = site.run(&["init", "newsite"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not empty"));
}

#[test]
fn the_sample_site_builds_with_the_seed_brief_complete() {
    let site = TestSite::sample();
    site.build_ok();
    let en = site.read("public/en/briefs/digital-government-smart-city/index.html");
    let zh = site.read("public/zh-hk/briefs/digital-government-smart-city/index.html");
    let expected: Vec<String> = (1..=18).map(|n| format!("p-{n}")).collect();
    assert_eq!(paragraph_ids(&en), expected);
    assert_eq!(paragraph_ids(&zh), expected);
    assert_eq!(en.matches("<li class=kind-").count(), 33, "33 relevant papers");
    assert!(en.contains("Question 13: Using artificial intelligence to optimize public service processes"));
    let p12 = en.split("id=p-12").nth(1).unwrap();
    assert!(p12.starts_with('>') && p12.contains("hydrogen energy"));
    let p12_zh = zh.split("id=p-12").nth(1).unwrap().split("</p>").next().unwrap();
    assert!(p12_zh.contains("氫"), "paragraph 12 is about hydrogen in Chinese too");
}

#[test]
fn markdown_in_a_subfolder_of_briefs_is_warned_about_and_not_published() {
    let site = TestSite::new()
        .write("content/briefs/2024/nested.en.md", "+++\ntitle = \"T\"\n+++\n")
        .write("content/notes/readme.md", "notes\n");
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains("content/briefs/2024/nested.en.md:1:1: warning: `nested.en.md` is not a brief"),
        "{err}"
    );
    assert!(!site.exists("public/briefs/2024/nested.en.md"));
    // Elsewhere under content/, Markdown is still copied, with a warning.
    assert!(
        err.contains("content/notes/readme.md:1:1: warning: this Markdown file is not a brief"),
        "{err}"
    );
    assert!(site.exists("public/notes/readme.md"));
}

/// Every page names the theme's icon and colour, so a browser does not ask for a
/// `/favicon.ico` that no static host has (a failed request on every visit).
#[test]
fn every_page_links_the_theme_icon_which_exists() {
    let site = built();
    for page in [
        "public/index.html",
        "public/404.html",
        "public/en/index.html",
        "public/zh-hk/papers/index.html",
    ] {
        let html = site.read(page);
        assert!(
            html.contains("<link href=/static/favicon.svg rel=icon type=image/svg+xml>"),
            "{page}: {html}"
        );
        assert!(html.contains("<meta content=#0b3d6b name=theme-color>"), "{page}");
    }
    assert!(
        site.read("public/static/favicon.svg")
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    );
}

/// The header block says "LC Paper No." and "Ref:" as the paper prints them, and the
/// Chinese labels take a full-width colon, never an ASCII one after a period.
#[test]
fn header_labels_carry_each_languages_own_punctuation() {
    let site = TestSite::sample();
    site.build_ok();
    let en = site.read("public/en/briefs/digital-government-smart-city/index.html");
    assert!(
        en.contains("<dt>LC Paper No.</dt><dd class=paper-no>CB(2)848/2025(03)</dd>"),
        "{en}"
    );
    assert!(en.contains("<dt>Ref:</dt><dd>CB2/PL/ITB</dd>"), "{en}");
    let zh = site.read("public/zh-hk/briefs/digital-government-smart-city/index.html");
    assert!(
        zh.contains("<dt>立法會文件編號：</dt>") && zh.contains("<dt>檔號：</dt>"),
        "{zh}"
    );
    let committee = site.read("public/zh-hk/committees/itb/index.html");
    assert!(committee.contains("<p class=lede>檔號：PL/ITB</p>"), "{committee}");
    let css = site.read("public/static/style.css");
    assert!(
        !css.contains(".brief-ids dt::after"),
        "no colon added by the stylesheet"
    );
}

/// `build` gives every warning `check` gives: a translation that numbers its
/// paragraphs differently would make `#p-n` cite different text per language.
#[test]
fn build_warns_as_check_does() {
    let site = TestSite::new()
        .brief(
            "a",
            "en",
            &common::front("A", "itb", "2024-01-10"),
            "One.\n\nTwo.\n\nThree.\n",
        )
        .brief(
            "a",
            "zh-hk",
            &common::front("甲", "itb", "2024-01-10"),
            "一。\n\n二。\n",
        );
    let warnings = |args: &[&str]| -> Vec<String> {
        let out = site.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stderr(&out)
            .lines()
            .filter(|l| l.contains(": warning"))
            .map(str::to_string)
            .collect()
    };
    let built = warnings(&["build"]);
    assert!(
        built
            .iter()
            .any(|l| l.contains("has 2 numbered paragraphs but its translation")),
        "{built:?}"
    );
    assert_eq!(built, warnings(&["check"]));
}
