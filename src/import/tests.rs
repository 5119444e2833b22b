//! Tests of the importer on the seed brief and on fixtures under `tests/fixtures/import/`.

use super::*;

const SEED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_43a7662005da7c5f.txt"));
const ZH: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/zh-brief.txt"
));
const NO_APPENDIX: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/no-appendix.txt"
));
const OLD_ERA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/old-era.txt"
));
const PAGE_BREAK: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/appendix-page-break.txt"
));
const UNKNOWN_COMMITTEE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/unknown-committee.txt"
));
const GARBAGE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/garbage.txt"
));

/// The names of the sample site's config (legbrief.toml).
fn names() -> ImportNames {
    let entry = |k: &str, n: &[&str]| (k.to_string(), n.iter().map(|s| s.to_string()).collect());
    ImportNames {
        committees: vec![
            entry(
                "itb",
                &[
                    "Panel on Information Technology and Broadcasting",
                    "資訊科技及廣播事務委員會",
                ],
            ),
            entry(
                "sc-smart-city",
                &[
                    "Subcommittee on Matters Relating to the Development of Smart City",
                    "推動智慧城市發展事宜小組委員會",
                ],
            ),
            entry("ci", &["Panel on Commerce and Industry", "工商事務委員會"]),
            entry("tp", &["Panel on Transport", "交通事務委員會"]),
            entry("ea", &["Panel on Environmental Affairs", "環境事務委員會"]),
        ],
        topics: vec![
            entry("smart-government", &["Smart Government", "智慧政府"]),
            entry("smart-mobility", &["Smart Mobility", "智慧出行"]),
            entry("smart-living", &["Smart Living", "智慧生活"]),
            entry("smart-environment", &["Smart Environment", "智慧環境"]),
            entry("smart-people", &["Smart People", "智慧市民"]),
            entry("smart-economy", &["Smart Economy", "智慧經濟"]),
        ],
    }
}

fn import(text: &str) -> Imported {
    import_brief(text, &names(), &ImportOptions::default()).expect("imports")
}

/// (front matter, body) of a source.
fn split(source: &str) -> (&str, &str) {
    let rest = source.strip_prefix("+++\n").expect("starts with +++");
    let end = rest.find("\n+++\n").expect("front matter ends with +++");
    (&rest[..=end], rest[end + 5..].trim_start_matches('\n'))
}

fn front_matter(source: &str) -> toml::Table {
    let (fm, _) = split(source);
    toml::from_str(fm).unwrap_or_else(|e| panic!("front matter is not TOML: {e}\n{fm}"))
}

/// The top-level paragraphs of the body, as the renderer will number them.
fn paragraphs(source: &str) -> Vec<String> {
    let (_, body) = split(source);
    body.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty() && !b.starts_with('#') && !b.starts_with("- "))
        .map(str::to_string)
        .collect()
}

fn papers(source: &str) -> Vec<toml::Table> {
    let fm = front_matter(source);
    match fm.get("papers") {
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| v.as_table().expect("paper is a table").clone())
            .collect(),
        _ => Vec::new(),
    }
}

fn s<'a>(t: &'a toml::Table, key: &str) -> &'a str {
    t.get(key).and_then(toml::Value::as_str).unwrap_or_default()
}

fn date(t: &toml::Table, key: &str) -> String {
    match t.get(key) {
        Some(toml::Value::Datetime(d)) => d.to_string(),
        other => panic!("{key} is not a date: {other:?}"),
    }
}

#[test]
fn seed_header_goes_to_front_matter() {
    let r = import(SEED);
    let fm = front_matter(&r.source);
    assert_eq!(r.lang, "en");
    assert_eq!(r.paper_no.as_deref(), Some("CB(2)848/2025(03)"));
    assert_eq!(
        s(&fm, "title"),
        "Background brief on digital government and smart city development"
    );
    assert_eq!(s(&fm, "committee"), "itb");
    assert_eq!(date(&fm, "meeting"), "2025-05-12");
    assert_eq!(s(&fm, "paper_no"), "CB(2)848/2025(03)");
    assert_eq!(s(&fm, "file_ref"), "CB2/PL/ITB");
    assert_eq!(date(&fm, "issued"), "2025-05-07");
    assert_eq!(
        s(&fm, "issuer"),
        "Council Business Divisions, Legislative Council Secretariat"
    );
    assert_eq!(r.slug, "digital-government-smart-city-development");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn seed_header_closing_and_appendix_titles_are_not_body() {
    let r = import(SEED);
    let (_, body) = split(&r.source);
    for printed in [
        "立法會",
        "LC Paper No",
        "Ref:",
        "Panel on Information Technology",
        "Meeting on",
        "Background brief on",
        "## Digital government and smart city development",
        "List of relevant papers",
        "Council Business Divisions",
        "7 May 2025",
        "<a href",
        "\t",
    ] {
        assert!(!body.contains(printed), "body contains {printed:?}");
    }
    assert!(body.starts_with("## Purpose {#purpose}\n\nThis paper summarizes"));
}

#[test]
fn seed_has_the_18_printed_paragraphs_rejoined() {
    let r = import(SEED);
    let paras = paragraphs(&r.source);
    assert_eq!(r.paragraphs, 18);
    assert_eq!(paras.len(), 18);
    assert!(paras[0].starts_with("This paper summarizes Members' past discussions"));
    assert!(paras[1].starts_with("The Administration published in December 2017"));
    // The four paragraphs a page break split, each one paragraph again.
    assert!(paras[2].contains(
        "**promoting the development of a \"smart government\", improving management efficiency and optimizing city management through leveraging technology**, including"
    ));
    assert!(paras[8].contains("launched by the Government, analysed past and real-time traffic"));
    assert!(paras[11].contains("**in pursuit of carbon neutrality**. The Administration advised"));
    assert!(paras[14].contains("popularization of I&T application on various fronts"));
    assert!(paras[17].starts_with("A list of relevant papers"));
    // Printed numbers are gone: the renderer numbers paragraphs.
    for p in &paras {
        assert!(!p.starts_with(|c: char| c.is_ascii_digit()), "{p}");
        assert!(!p.contains("****"), "{p}");
    }
}

#[test]
fn seed_links_lose_dead_targets_but_appendix_link_points_at_appendix() {
    let r = import(SEED);
    let (_, body) = split(&r.source);
    assert!(!body.contains("](#)"));
    assert!(body.contains("Subsequently, the Smart City Blueprint for Hong Kong 2.0 (\"Blueprint 2.0\")"));
    assert!(body.contains("is in the [Appendix](#appendix)."));
}

#[test]
fn seed_topic_headings_get_topic_ids() {
    let r = import(SEED);
    let (_, body) = split(&r.source);
    let keys = [
        "smart-government",
        "smart-mobility",
        "smart-living",
        "smart-environment",
        "smart-people",
        "smart-economy",
    ];
    for (key, name) in keys.iter().zip([
        "Smart Government",
        "Smart Mobility",
        "Smart Living",
        "Smart Environment",
        "Smart People",
        "Smart Economy",
    ]) {
        assert!(body.contains(&format!("\n### {name} {{#{key}}}\n")), "{key}");
    }
    let fm = front_matter(&r.source);
    let topics: Vec<&str> = fm["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    assert_eq!(topics, keys);
    assert!(body.contains("\n## Major views and concerns expressed by Members {#major-views}\n"));
}

#[test]
fn seed_appendix_has_33_papers() {
    let r = import(SEED);
    let papers = papers(&r.source);
    assert_eq!(r.papers, 33);
    assert_eq!(papers.len(), 33);
    let count = |f: &dyn Fn(&toml::Table) -> bool| papers.iter().filter(|p| f(p)).count();
    assert_eq!(count(&|p| s(p, "body") == "itb"), 7);
    assert_eq!(count(&|p| s(p, "body") == "sc-smart-city"), 9);
    assert_eq!(count(&|p| s(p, "body") == "Council meeting"), 17);
    for (kind, n) in [
        ("agenda", 9),
        ("minutes", 6),
        ("report", 1),
        ("motion", 3),
        ("progress-report", 2),
        ("question", 12),
    ] {
        assert_eq!(count(&|p| s(p, "kind") == kind), n, "{kind}");
    }

    let first = &papers[0];
    assert_eq!(date(first, "date"), "2024-04-08");
    assert_eq!(
        s(first, "title"),
        "Agenda Item III: Enhancing digital infrastructure and support to the development of the artificial intelligence ecosystem"
    );
    assert_eq!(s(&papers[2], "title"), "Minutes of meeting");

    let report = papers.iter().find(|p| s(p, "kind") == "report").expect("report");
    assert_eq!(s(report, "body"), "sc-smart-city");
    assert_eq!(date(report, "date"), "2023-06-07");
    assert_eq!(s(report, "title"), "Report of the Subcommittee");
    assert_eq!(s(report, "date_note"), "Date of issue");
    assert_eq!(count(&|p| p.contains_key("date_note")), 1);

    // The row after the repeated page header continues the Subcommittee.
    let april = papers.iter().filter(|p| date(p, "date") == "2025-04-28");
    assert!(april.clone().count() == 2 && april.into_iter().all(|p| s(p, "body") == "sc-smart-city"));

    let motion = papers.iter().find(|p| s(p, "kind") == "motion").expect("motion");
    assert_eq!(s(motion, "title"), "Members' motion: Developing digital education");
    assert_eq!(date(motion, "date"), "2024-05-29");

    let q18 = papers
        .iter()
        .find(|p| s(p, "title").starts_with("Question 18"))
        .expect("q18");
    assert_eq!(
        s(q18, "title"),
        "Question 18: Development and application of artificial intelligence"
    );
    let last = papers.last().expect("papers");
    assert_eq!(date(last, "date"), "2025-04-16");
    assert_eq!(s(last, "kind"), "question");
    assert_eq!(s(last, "body"), "Council meeting");
    assert_eq!(
        s(last, "title"),
        "Question 13: Using artificial intelligence to optimize public service processes"
    );
}

#[test]
fn crlf_line_endings_import_the_same() {
    let lf = import(SEED);
    let crlf = import(&SEED.replace('\n', "\r\n"));
    assert_eq!(crlf.source, lf.source);
    assert_eq!((crlf.paragraphs, crlf.papers), (18, 33));
    assert!(crlf.warnings.is_empty(), "{:?}", crlf.warnings);
    let zh = import(&ZH.replace('\n', "\r\n"));
    assert_eq!(zh.source, import(ZH).source);
}

#[test]
fn chinese_brief_imports() {
    let r = import(ZH);
    assert_eq!(r.lang, "zh-hk");
    assert_eq!(r.paper_no.as_deref(), Some("CB(2)848/2025(03)"));
    assert_eq!(r.slug, "cb2-848-2025-03");
    assert_eq!((r.paragraphs, r.papers), (8, 14));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);

    let fm = front_matter(&r.source);
    assert_eq!(s(&fm, "title"), "數碼政府及智慧城市發展的背景資料簡介");
    assert_eq!(s(&fm, "committee"), "itb");
    assert_eq!(date(&fm, "meeting"), "2025-05-12");
    assert_eq!(s(&fm, "file_ref"), "CB2/PL/ITB");
    assert_eq!(date(&fm, "issued"), "2025-05-07");
    assert_eq!(s(&fm, "issuer"), "立法會秘書處議會事務部");

    let (_, body) = split(&r.source);
    assert!(body.starts_with("## 目的 {#purpose}\n\n本文件綜述"));
    assert!(body.contains("\n### 智慧出行 {#smart-mobility}\n"));
    assert!(body.contains("載於[附錄](#appendix)。"));
    let paras = paragraphs(&r.source);
    // A bold run split by a page break, joined without a space.
    assert!(paras[2].contains("**推動「智慧政府」發展，善用科技提升管理效率及優化城市管理**，包括"));
    // A wrapped line and a page-break fragment, joined without spaces.
    assert!(paras[3].contains("香港未來智慧城市發展的新方向"));
    assert!(paras[4].contains("撮寫文件摘要等文書處理工作"));

    let papers = papers(&r.source);
    assert_eq!(
        s(&papers[0], "title"),
        "議程第III項：加強數碼基建及支援人工智能生態圈發展"
    );
    let report = papers.iter().find(|p| s(p, "kind") == "report").expect("report");
    assert_eq!(
        (s(report, "body"), date(report, "date").as_str(), s(report, "date_note")),
        ("sc-smart-city", "2023-06-07", "發出日期")
    );
    let motion = papers.iter().find(|p| s(p, "kind") == "motion").expect("motion");
    assert_eq!(
        (s(motion, "body"), s(motion, "title")),
        ("立法會會議", "議員議案：發展數字教育")
    );
    let last = papers.last().expect("papers");
    assert_eq!(
        (s(last, "kind"), date(last, "date").as_str(), s(last, "title")),
        ("question", "2025-04-16", "第13項質詢：運用人工智能優化公共服務流程")
    );
}

#[test]
fn chinese_and_english_pair_by_paper_number() {
    let en = import(SEED);
    let zh = import(ZH);
    assert_eq!(en.paper_no, zh.paper_no);
    let ids = |src: &str| -> Vec<String> {
        split(src)
            .1
            .lines()
            .filter(|l| l.starts_with('#'))
            .filter_map(|l| l.split("{#").nth(1).map(str::to_string))
            .collect()
    };
    // Every heading id of the Chinese brief exists in the English one.
    let en_ids = ids(&en.source);
    assert!(ids(&zh.source).iter().all(|id| en_ids.contains(id)));
}

#[test]
fn brief_without_appendix() {
    let r = import(NO_APPENDIX);
    assert_eq!((r.paragraphs, r.papers), (4, 0));
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].message.starts_with("no appendix"),
        "a missing appendix is reported"
    );
    assert!(!r.source.contains("[[papers]]"));
    let fm = front_matter(&r.source);
    assert_eq!(s(&fm, "committee"), "ea");
    assert_eq!(date(&fm, "issued"), "2024-04-15");
    let paras = paragraphs(&r.source);
    // Sub-items stay in their paragraph, each on a line of its own.
    assert!(paras[2].ends_with(
        "measures:\\\n(a) converting existing petrol filling stations into quick charging stations; and\\\n(b) installing chargers at government car parks open to the public."
    ));
    // The page number between the fragments is dropped.
    assert!(paras[3].contains("trials of electric commercial vehicles"));
}

#[test]
fn old_era_paper_number() {
    let r = import(OLD_ERA);
    let fm = front_matter(&r.source);
    assert_eq!(r.paper_no.as_deref(), Some("CB(4)1234/18-19(03)"));
    assert_eq!(s(&fm, "file_ref"), "CB4/PL/TP");
    assert_eq!(s(&fm, "committee"), "tp");
    assert_eq!(date(&fm, "meeting"), "2019-05-17");
    assert_eq!((r.paragraphs, r.papers), (4, 4));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        output::slug_from_paper_no("CB(4)1234/18-19(03)").as_deref(),
        Some("cb4-1234-18-19-03")
    );
    let papers = papers(&r.source);
    // A real link target survives extraction and is kept.
    assert_eq!(s(&papers[2], "title"), "Administration's paper on traffic detectors");
    assert_eq!(s(&papers[2], "kind"), "paper");
    assert!(s(&papers[2], "url").starts_with("https://"));
    assert_eq!(s(&papers[3], "title"), "Question 12: Real-time traffic information");
}

#[test]
fn page_break_inside_the_appendix() {
    let r = import(PAGE_BREAK);
    assert_eq!((r.paragraphs, r.papers), (2, 7));
    let papers = papers(&r.source);
    assert_eq!(
        s(&papers[0], "title"),
        "Agenda Item III: Promotion of electronic payment among small and medium enterprises"
    );
    assert_eq!(
        (s(&papers[1], "title"), date(&papers[1], "date").as_str()),
        ("Minutes of meeting", "2024-02-20")
    );
    assert_eq!(
        (s(&papers[3], "title"), date(&papers[3], "date").as_str()),
        ("Minutes of meeting", "2024-04-16")
    );
    assert_eq!(s(&papers[4], "body"), "Finance Committee");
    assert_eq!(
        s(&papers[4], "title"),
        "Special meeting: Examination of Estimates of Expenditure 2024-2025"
    );
    assert_eq!(s(&papers[5], "date_note"), "Date of issue");
    let lines: Vec<usize> = r.warnings.iter().map(|w| w.line).collect();
    // An unknown committee in the appendix, and a "*" without its legend.
    assert_eq!(lines, [39, 42], "{:?}", r.warnings);
}

#[test]
fn garbage_is_not_a_brief() {
    for text in [
        GARBAGE,
        "",
        "\n\n\r\n",
        "\u{feff}",
        "\0\u{1}\u{7f}ÿ",
        "# Hello\n\nworld",
    ] {
        match import_brief(text, &names(), &ImportOptions::default()) {
            Err(ImportError::NotABrief { reason }) => assert!(!reason.is_empty()),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn brief_missing_a_required_field_is_not_a_brief() {
    let no_meeting = SEED.replace("**Meeting on 12 May 2025**", "");
    let err = import_brief(&no_meeting, &names(), &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("meeting"), "{err}");
}

#[test]
fn unknown_committee_lists_known_keys() {
    let err = import_brief(UNKNOWN_COMMITTEE, &names(), &ImportOptions::default()).unwrap_err();
    match &err {
        ImportError::UnknownCommittee { line, found, known, .. } => {
            assert_eq!((*line, found.as_str()), (7, "Panel on Housing"));
            assert_eq!(known, &["itb", "sc-smart-city", "ci", "tp", "ea"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("itb, sc-smart-city"));
}

#[test]
fn committee_matches_in_either_language() {
    let text = SEED.replace(
        "## **Panel on Information Technology and Broadcasting**",
        "## **資訊科技及廣播事務委員會**",
    );
    assert_eq!(s(&front_matter(&import(&text).source), "committee"), "itb");
}

#[test]
fn lines_not_understood_are_warnings_with_line_numbers() {
    let mut lines: Vec<&str> = SEED.lines().collect();
    let n = lines.len();
    lines.insert(n - 1, "Printed by the Secretariat");
    lines.insert(n - 1, "a\tb\tc\td");
    let r = import(&lines.join("\n"));
    let found: Vec<usize> = r.warnings.iter().map(|w| w.line).collect();
    assert_eq!(found, [n, n + 1], "{:?}", r.warnings);
    assert_eq!(r.papers, 33);
}

#[test]
fn paragraph_numbering_gaps_are_reported() {
    let text = SEED.replace("\n5. Members suggested", "\nMembers suggested");
    let r = import(&text);
    // Unnumbered text after a finished paragraph is a continuation: one paragraph fewer.
    assert_eq!(r.paragraphs, 17);
    let text = SEED.replace("\n6. Members were", "\n9. Members were");
    let r = import(&text);
    assert_eq!(r.paragraphs, 18);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].message.contains("printed as 9."));
}

#[test]
fn brief_without_closing_block() {
    let text = SEED
        .replace("Council Business Divisions  \n", "")
        .replace("Legislative Council Secretariat  \n", "")
        .replace("7 May 2025\n", "");
    let r = import(&text);
    assert_eq!((r.paragraphs, r.papers), (18, 33));
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].message.starts_with("no closing block"),
        "a missing closing block is reported"
    );
    let fm = front_matter(&r.source);
    assert!(!fm.contains_key("issued") && !fm.contains_key("issuer"));
    assert!(
        !split(&r.source)
            .1
            .contains("Digital government and smart city development")
    );
}

#[test]
fn wrapped_committee_name_and_title_are_rejoined() {
    let text = SEED
        .replace(
            "## **Panel on Information Technology and Broadcasting**",
            "## **Subcommittee on Matters Relating to the**\n## **Development of Smart City**",
        )
        .replace(
            "### **Background brief on digital government and smart city development**",
            "### **Background brief on digital government and smart city**\n\n### **development**",
        );
    let r = import(&text);
    let fm = front_matter(&r.source);
    assert_eq!(s(&fm, "committee"), "sc-smart-city");
    assert_eq!(
        s(&fm, "title"),
        "Background brief on digital government and smart city development"
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn sub_heading_without_topic_is_kept_and_reported() {
    let text = SEED.replace("### Smart People", "### Smart Citizens");
    let line = SEED.lines().position(|l| l == "### Smart People").expect("heading") + 1;
    let r = import(&text);
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].line, line);
    let (_, body) = split(&r.source);
    assert!(body.contains("\n### Smart Citizens\n"));
    assert_eq!(front_matter(&r.source)["topics"].as_array().map(Vec::len), Some(5));
    assert_eq!(r.paragraphs, 18);
}

#[test]
fn options_choose_language_and_slug() {
    let opts = ImportOptions {
        lang: Some("en".into()),
        slug: Some("digital-government-smart-city".into()),
        ..ImportOptions::default()
    };
    let r = import_brief(SEED, &names(), &opts).expect("imports");
    assert_eq!(
        (r.lang.as_str(), r.slug.as_str()),
        ("en", "digital-government-smart-city")
    );
    let opts = ImportOptions {
        lang: None,
        slug: Some("Digital Gov_2025".into()),
        ..ImportOptions::default()
    };
    let r = import_brief(SEED, &names(), &opts).expect("imports");
    assert_eq!(r.slug, "digital-gov-2025");
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].line, 0);
}

#[test]
fn slugs_are_valid_and_short() {
    assert_eq!(
        output::slug_from_title("Updated background brief on the Smart City Blueprint for Hong Kong 2.0 and beyond")
            .as_deref(),
        Some("smart-city-blueprint-hong-kong-2")
    );
    assert_eq!(output::slug_from_title("背景資料簡介"), None);
    assert_eq!(
        output::slug_from_paper_no("CB(2)848/2025(03)").as_deref(),
        Some("cb2-848-2025-03")
    );
    for slug in ["a", "a-1", "cb2-848-2025-03"] {
        assert!(output::is_slug(slug), "{slug}");
    }
    for slug in ["", "-a", "a-", "a--b", "A", "a_b", "é"] {
        assert!(!output::is_slug(slug), "{slug}");
    }
}

#[test]
fn toml_strings_are_escaped() {
    let nasty = "He said \"hi\" \\ path\ttab\nline\u{1}\u{7f}\u{85} 中文 ’";
    let doc = format!("v = {}", output::toml_string(nasty));
    let parsed: toml::Table = toml::from_str(&doc).expect("valid TOML");
    assert_eq!(parsed["v"].as_str(), Some(nasty));
}

#[test]
fn dates_in_both_languages() {
    let d = |s: &str| dates::parse(s).map(|d| d.to_string());
    assert_eq!(d("12 May 2025").as_deref(), Some("2025-05-12"));
    assert_eq!(d("May 12, 2025").as_deref(), Some("2025-05-12"));
    assert_eq!(d("1 Sept 2024").as_deref(), Some("2024-09-01"));
    assert_eq!(d("2024年4月8日").as_deref(), Some("2024-04-08"));
    assert_eq!(d("２０２４年４月８日").as_deref(), Some("2024-04-08"));
    assert_eq!(d("31 February 2025"), None);
    assert_eq!(d("2025年13月1日"), None);
    assert_eq!(d("12 May 25"), None);
    assert_eq!(d("Meeting"), None);
    let cell = dates::parse_cell("7 June 2023\\*").map(|(d, star)| (d.to_string(), star));
    assert_eq!(cell, Some(("2023-06-07".to_string(), true)));
}

#[test]
fn block_markers_at_paragraph_start_are_escaped() {
    assert_eq!(markup::escape_block_start("2024. was a year"), "2024\\. was a year");
    assert_eq!(markup::escape_block_start("# not a heading"), "\\# not a heading");
    assert_eq!(markup::escape_block_start("- not a list"), "\\- not a list");
    assert_eq!(markup::escape_block_start("**bold** start"), "**bold** start");
    assert_eq!(markup::escape_block_start("(a) item"), "(a) item");
}

/// A small deterministic generator, so the robustness test needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Whatever the input, the importer returns (no panic), and what it returns is a valid source.
fn check_any(text: &str) {
    if let Ok(r) = import_brief(text, &names(), &ImportOptions::default()) {
        assert!(output::is_slug(&r.slug), "{:?}", r.slug);
        front_matter(&r.source);
    }
}

#[test]
fn never_panics_on_truncated_or_shuffled_input() {
    for text in [SEED, ZH, NO_APPENDIX, OLD_ERA, PAGE_BREAK] {
        // About 300 cuts per text, at character boundaries, spread over the whole text.
        let step = text.chars().count() / 300 + 1;
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(step).collect();
        for cut in cuts {
            check_any(&text[..cut]);
            check_any(&text[cut..]);
        }
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let mut l = lines.clone();
            l.remove(skip);
            check_any(&l.join("\n"));
        }
    }
}

#[test]
fn never_panics_on_random_input() {
    const PIECES: &[&str] = &[
        "\n",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        " ",
        "#",
        "## ",
        "**",
        "*",
        "\\*",
        "[",
        "](",
        ")",
        "(#)",
        "<a href=\"",
        "\">",
        "</a>",
        "<a>",
        "<b>",
        "2.",
        "18. ",
        "(a) ",
        "- ",
        "年",
        "月",
        "日",
        "會議",
        "號文件",
        "立法會",
        "LC Paper No. ",
        "CB(2)848/2025(03)",
        "Meeting on ",
        "12 May 2025",
        "2025年5月12日",
        "Ref: ",
        "檔號：",
        "Smart Mobility",
        "智慧出行",
        "Panel on Transport",
        "Council meeting",
        "Committee\tDate of meeting\tPaper",
        "Appendix",
        "List of relevant papers",
        "Question 1",
        "Agenda",
        "text",
        "中文",
        "。",
        "é",
        "\u{c}",
        "\u{feff}",
        "\"",
        "\\",
        "{#",
        "}",
        "0",
        "- 2 -",
    ];
    let mut rng = Lcg(7);
    for _ in 0..3000 {
        let len = rng.next(60);
        let text: String = (0..len).map(|_| PIECES[rng.next(PIECES.len())]).collect();
        check_any(&text);
        check_any(&format!(
            "LC Paper No. CB(1)1/2025\nRef: X\n## Panel on Transport\nMeeting on 1 May 2025\n### T\n{text}"
        ));
    }
}

const LAYOUT_EN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/pdf/brief.en.layout.txt"
));

/// Text laid out from a PDF marks every bold run `**…**`: the paragraphs keep them, the
/// header, the headings and the appendix table lose them, and a paragraph line that is one
/// bold run stays in its paragraph (it is not taken for a heading).
#[test]
fn bold_runs_of_a_laid_out_pdf_stay_in_paragraphs_only() {
    let marked = LAYOUT_EN
        .replacen("Legislative Council ", "**Legislative Council** ", 1)
        .replacen(
            "Panel on Information Technology and Broadcasting",
            "**Panel on Information Technology and Broadcasting**",
            1,
        )
        .replacen("\nPurpose\n", "\n**Purpose**\n", 1)
        .replacen(
            "promoting the development of a \"smart government\", improving\n",
            "**promoting the development of a \"smart government\", improving**\n",
            1,
        )
        .replacen(
            "management efficiency and optimizing city management through leveraging\n",
            "**management efficiency and optimizing city management through leveraging**\n",
            1,
        )
        .replacen("technology, including", "**technology**, including", 1)
        // A whole line in bold after a sentence: still the paragraph, not a heading.
        .replacen(
            "Subsequently, the Smart City Blueprint for Hong Kong 2.0 (\"Blueprint 2.0\")1 was\n",
            "**Subsequently, the Smart City Blueprint 2.0 (\"Blueprint 2.0\")1 was**\n",
            1,
        )
        .replace(
            "Committee              Date of meeting                         Paper",
            "**Committee**              **Date of meeting**                         **Paper**",
        );
    assert_eq!(marked.matches("**").count(), 20, "every edit applied");
    let pdf = ImportOptions {
        from_pdf: true,
        ..ImportOptions::default()
    };
    let from_pdf = import_brief(&marked, &names(), &pdf).expect("imports");
    let plain = import_brief(LAYOUT_EN, &names(), &ImportOptions::default()).expect("imports");
    assert!(from_pdf.warnings.is_empty(), "{:?}", from_pdf.warnings);
    assert_eq!((from_pdf.paragraphs, from_pdf.papers), (18, 33));
    let run = "promoting the development of a \"smart government\", improving management efficiency and optimizing city management through leveraging technology";
    let expected = plain.source.replacen(run, &format!("**{run}**"), 1).replacen(
        "Subsequently, the Smart City Blueprint for Hong Kong 2.0 (\"Blueprint 2.0\")[^1] was",
        "**Subsequently, the Smart City Blueprint 2.0 (\"Blueprint 2.0\")[^1] was**",
        1,
    );
    assert_eq!(from_pdf.source, expected);
}

#[test]
fn kangxi_radicals_and_compatibility_ideographs_read_as_the_ideographs() {
    // A font whose map gives the Kangxi radical ⽴ (U+2F74) for 立, and the CJK
    // compatibility ideograph U+F93F for 錄 (of 附錄, which starts the appendix).
    let drawn = ZH.replace('立', "\u{2f74}").replace('錄', "\u{f93f}");
    assert!(drawn.contains('\u{2f74}') && drawn.contains('\u{f93f}'));
    let plain = import_brief(ZH, &names(), &ImportOptions::default()).unwrap();
    let read = import_brief(&drawn, &names(), &ImportOptions::default()).unwrap();
    assert_eq!(read.source, plain.source);
    assert_eq!(read.paper_no, plain.paper_no);
}

#[test]
fn unknown_committee_help_never_proposes_a_table_that_exists() {
    // The file reference names the key `tp`, which the config has: the help says to add
    // the name to that table instead of proposing a second [committees.tp].
    let text = UNKNOWN_COMMITTEE.replace("Panel on Housing", "Panel on Transport Matters");
    let text = text
        .lines()
        .map(|l| if l.starts_with("Ref") { "Ref : CB4/PL/TP" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let err = import_brief(&text, &names(), &ImportOptions::default()).unwrap_err();
    let help = err.help().unwrap();
    assert!(!help.contains("[committees.tp]\n"), "{help}");
    assert!(help.contains("add this name to [committees.tp]"), "{help}");
    assert!(help.contains("en = \"Panel on Transport Matters\""), "{help}");
}
