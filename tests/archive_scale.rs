//! An archive large enough to paginate every listing: no page passes the size
//! bound, every brief is within four links of its language home, the pager and
//! the term-first addresses are as DESIGN.md §4 says, and the sitemap splits into
//! an index when asked to keep files small.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use common::{CONFIG, TestSite, stderr};

/// No page a reader opens may pass this, whatever the archive's size.
const MAX_PAGE: u64 = 1024 * 1024;

/// `n` bilingual briefs over terms 6 and 7 (and a few before any term), two
/// committees and three topics, each with a few papers of its own and some
/// shared with others; short bodies, as size is not what is tested here.
fn archive(n: usize, extra_config: &str) -> TestSite {
    let mut site = TestSite::new().write("legbrief.toml", &format!("{CONFIG}{extra_config}"));
    let topics = ["smart-government", "smart-mobility", "smart-living"];
    let headings = [
        ("Smart Government", "智慧政府"),
        ("Smart Mobility", "智慧出行"),
        ("Smart Living", "智慧生活"),
    ];
    for i in 0..n {
        let committee = if i % 3 == 0 { "tp" } else { "itb" };
        // Spread over 2014 (no term) to 2025; a few dozen per month.
        let year = 2014 + (i * 12) / n;
        let month = 1 + (i % 12);
        let day = 1 + (i % 28);
        let meeting = format!("{year}-{month:02}-{day:02}");
        let shared_month = format!("{year}-{month:02}-01");
        for (lang, title, para) in [
            ("en", format!("Background brief on subject {i}"), "Members discussed"),
            ("zh-hk", format!("有關事項{i}的背景資料簡介"), "委員曾討論"),
        ] {
            let mut front = format!(
                "title = \"{title}\"\ncommittee = \"{committee}\"\nmeeting = {meeting}\nissued = {meeting}\npaper_no = \"CB(4){i}/{year}(01)\"\n"
            );
            for (body, date, paper, kind) in [
                (
                    committee.to_string(),
                    meeting.clone(),
                    format!("Agenda item {i}"),
                    "agenda",
                ),
                (
                    committee.to_string(),
                    meeting.clone(),
                    format!("Minutes of meeting {i}"),
                    "minutes",
                ),
                (
                    "Council meeting".to_string(),
                    shared_month.clone(),
                    format!("Question on the month {year}-{month}"),
                    "question",
                ),
                (
                    committee.to_string(),
                    "2020-06-30".to_string(),
                    "Report of the Panel".to_string(),
                    "report",
                ),
            ] {
                front.push_str(&format!(
                    "\n[[papers]]\nbody = \"{body}\"\ndate = {date}\ntitle = \"{paper}\"\nkind = \"{kind}\"\n"
                ));
            }
            let mut body = format!("## Purpose {{#purpose}}\n\n{para} subject {i}.\n\n");
            for (t, topic) in topics.iter().enumerate() {
                if (i + t) % 3 != 0 {
                    let heading = if lang == "en" { headings[t].0 } else { headings[t].1 };
                    body.push_str(&format!(
                        "## {heading} {{#{topic}}}\n\n{para} {topic} in brief {i}.\n\n"
                    ));
                }
            }
            site = site.brief(&format!("brief-{i:05}"), lang, &front, &body);
        }
    }
    site
}

/// The site path a link on `from` (a site path like `en/terms/7/`) leads to,
/// without fragment; `None` for external links.
fn resolve(from: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or_default();
    if href.is_empty() || href.contains("://") || href.starts_with("mailto:") {
        return None;
    }
    let joined = match href.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None => format!("{from}{href}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if path.ends_with("index.html") {
        path.truncate(path.len() - "index.html".len());
    } else if !path.contains('.') && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// Every `href` of a page, quoted or (as the minifier writes them) not.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=")
        .skip(1)
        .filter_map(|rest| match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next(),
            None => rest.split([' ', '>']).next(),
        })
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

/// Clicks from `home` to every page reachable within `depth` links.
fn clicks_from(site: &TestSite, home: &str, depth: usize) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::from([(home.to_string(), 0)]);
    let mut queue = VecDeque::from([home.to_string()]);
    while let Some(page) = queue.pop_front() {
        let d = seen[&page];
        if d == depth {
            continue;
        }
        let file = site.path(&format!("public/{page}index.html"));
        let Ok(html) = std::fs::read_to_string(&file) else {
            continue;
        };
        for href in hrefs(&html) {
            if let Some(target) = resolve(&page, &href)
                && target.ends_with('/')
                && !seen.contains_key(&target)
            {
                seen.insert(target.clone(), d + 1);
                queue.push_back(target);
            }
        }
    }
    seen
}

#[test]
fn a_large_archive_has_no_page_over_the_bound_and_every_brief_within_four_clicks() {
    let n = 1000;
    let site = archive(n, "");
    site.build_ok();

    let files = site.files_under("public");
    let mut largest: Vec<(u64, String)> = files
        .iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".xml"))
        .map(|f| {
            (
                std::fs::metadata(site.path(&format!("public/{f}"))).unwrap().len(),
                f.clone(),
            )
        })
        .collect();
    largest.sort();
    let (size, page) = largest.last().unwrap();
    assert!(*size <= MAX_PAGE, "{page} is {size} bytes");

    // Every listing is paginated: term, committee, topic and papers pages.
    for page in [
        "en/terms/7/page/2/index.html",
        "en/committees/itb/terms/7/page/2/index.html",
        "zh-hk/topics/smart-living/terms/7/page/2/index.html",
        "en/papers/terms/7/page/2/index.html",
        "en/terms/other/index.html",
    ] {
        assert!(files.contains(&page.to_string()), "no {page}");
    }

    for lang in ["en", "zh-hk"] {
        let reached = clicks_from(&site, &format!("{lang}/"), 4);
        let briefs: BTreeSet<String> = files
            .iter()
            .filter(|f| f.starts_with(&format!("{lang}/briefs/")) && f.ends_with(".html"))
            .map(|f| f.trim_end_matches("index.html").to_string())
            .collect();
        assert_eq!(briefs.len(), n);
        let missing: Vec<&String> = briefs.iter().filter(|b| !reached.contains_key(*b)).collect();
        assert!(
            missing.is_empty(),
            "{} {lang} briefs more than 4 clicks from home, e.g. {:?}",
            missing.len(),
            &missing[..missing.len().min(3)]
        );
    }

    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn the_pager_is_a_labelled_navigation_with_the_current_page_and_neighbours() {
    let site = archive(300, "\n[build]\nminify = false\nbriefs_per_page = 10\n");
    site.build_ok();
    // Term 7 (2022–2025) has about 100 briefs: 10 pages or more.
    let html = site.read("public/en/terms/7/page/5/index.html");
    assert!(
        html.contains("<nav class=\"pager\" aria-label=\"Pages of Seventh Legislative Council\">"),
        "{html}"
    );
    assert!(html.contains("Page 5 of "), "{html}");
    assert!(
        html.contains("<a href=\"/en/terms/7/page/5/\" aria-current=\"page\" aria-label=\"Page 5\">5</a>"),
        "{html}"
    );
    for neighbour in [
        "/en/terms/7/page/3/",
        "/en/terms/7/page/4/",
        "/en/terms/7/page/6/",
        "/en/terms/7/",
    ] {
        assert!(
            html.contains(&format!("href=\"{neighbour}\"")),
            "no link to {neighbour}"
        );
    }
    // Pages are counted from the oldest and read from the newest: the page
    // before this one is page 6, the next page 4.
    assert!(
        html.contains("<link rel=\"prev\" href=\"/en/terms/7/page/6/\">"),
        "{html}"
    );
    assert!(
        html.contains("<link rel=\"next\" href=\"/en/terms/7/page/4/\">"),
        "{html}"
    );
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://briefs.example.org/en/terms/7/page/5/\">"),
        "{html}"
    );
    assert!(html.contains("rel=\"prev\">Previous</a>") && html.contains("rel=\"next\">Next</a>"));
    // Each page has a title of its own.
    assert!(
        html.contains("<title>Seventh Legislative Council · Page 5 of "),
        "{html}"
    );
    let zh = site.read("public/zh-hk/terms/7/page/5/index.html");
    assert!(zh.contains("第5頁，共") && zh.contains(">上一頁</a>"), "{zh}");
    // The listing's own address is the newest page, the last by number: it has
    // no previous link, and no `page/<n>/` of its own; page 1 holds the oldest.
    let first = site.read("public/en/terms/7/index.html");
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("Page 10 of 10"), "{first}");
    assert!(!site.exists("public/en/terms/7/page/10/index.html"));
    let oldest = site.read("public/en/terms/7/page/1/index.html");
    assert!(
        oldest.contains("Page 1 of 10") && !oldest.contains("rel=\"next\""),
        "{oldest}"
    );
}

#[test]
fn the_papers_index_is_a_finding_aid_by_term_body_and_date() {
    let site = archive(200, "\n[build]\nminify = false\npapers_per_page = 40\n");
    site.build_ok();
    let overview = site.read("public/en/papers/index.html");
    // Terms newest first, each with its bodies linking to the page they start on.
    let seventh = overview.find("Seventh Legislative Council").expect("term 7");
    let sixth = overview.find("Sixth Legislative Council").expect("term 6");
    assert!(seventh < sixth);
    assert!(
        overview.contains("/en/papers/terms/7/#body-0\">Panel on Information Technology and Broadcasting</a>"),
        "{overview}"
    );
    assert!(overview.contains("Council meeting</a>"), "{overview}");

    let page = site.read("public/en/papers/terms/7/index.html");
    // Citing briefs by title, with their paper numbers.
    assert!(page.contains(">Background brief on subject "), "{page}");
    assert!(page.contains("<span class=\"paper-no\">(CB(4)"), "{page}");
    // The paper shared by every brief of a committee lists the 10 newest and counts the rest.
    let report = site.read("public/en/papers/terms/6/index.html");
    assert!(report.contains("Report of the Panel"), "{report}");
    assert!(report.contains("and ") && report.contains(" more briefs"), "{report}");
    // A body running over a page break is headed again, marked as continued.
    let page2 = site.read("public/en/papers/terms/7/page/2/index.html");
    assert!(page2.contains("(continued)"), "{page2}");
}

#[test]
fn a_sitemap_over_its_limit_becomes_an_index_of_parts_with_every_page_once() {
    let site = archive(120, "\n[build]\nsitemap_urls = 100\n");
    site.build_ok();
    let index = site.read("public/sitemap.xml");
    assert!(index.contains("<sitemapindex"), "{index}");
    let parts: Vec<String> = site
        .files_under("public")
        .into_iter()
        .filter(|f| f.starts_with("sitemap-"))
        .collect();
    assert!(parts.len() >= 3, "{parts:?}");
    let mut locs = BTreeSet::new();
    for part in &parts {
        assert!(
            index.contains(&format!("<loc>https://briefs.example.org/{part}</loc>")),
            "{part}"
        );
        let xml = site.read(&format!("public/{part}"));
        roxmltree::Document::parse(&xml).expect("well-formed sitemap part");
        let urls = xml.matches("<url>").count();
        assert!(urls <= 100, "{part} has {urls} URLs");
        for loc in xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()) {
            assert!(locs.insert(loc.to_string()), "{loc} listed twice");
        }
    }
    // Pagination pages are listed, with their alternates.
    assert!(locs.contains("https://briefs.example.org/en/papers/terms/7/"));
    assert!(locs.contains("https://briefs.example.org/zh-hk/briefs/brief-00007/"));
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

/// Past a thousand addresses the sitemap is in parts by term, the newest term
/// last, so that a new brief changes one part and a deployer uploads that one.
#[test]
fn a_large_sitemap_is_in_parts_by_term_and_a_new_brief_changes_only_the_newest_part() {
    let site = archive(450, "");
    site.build_ok();
    let parts = |site: &TestSite| -> Vec<(String, String)> {
        let mut names: Vec<String> = site
            .files_under("public")
            .into_iter()
            .filter(|f| f.starts_with("sitemap-"))
            .collect();
        names.sort_by_key(|n| {
            n.trim_start_matches("sitemap-")
                .trim_end_matches(".xml")
                .parse::<u32>()
                .unwrap()
        });
        names
            .into_iter()
            .map(|n| (n.clone(), site.read(&format!("public/{n}"))))
            .collect()
    };
    let before = parts(&site);
    assert!(site.read("public/sitemap.xml").contains("<sitemapindex"));
    // Site-wide pages, then briefs on no term (2014–2016), then terms 6 and 7.
    assert_eq!(before.len(), 4, "{:?}", before.iter().map(|p| &p.0).collect::<Vec<_>>());
    assert!(before[0].1.contains("<loc>https://briefs.example.org/en/</loc>"));
    assert!(!before[0].1.contains("/briefs/brief-"));
    assert!(before[1].1.contains("/terms/other/"));
    assert!(
        before[3]
            .1
            .contains("<loc>https://briefs.example.org/en/terms/7/</loc>")
    );
    let mut locs = BTreeSet::new();
    for (part, xml) in &before {
        for loc in xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()) {
            assert!(locs.insert(loc.to_string()), "{loc} listed twice ({part})");
        }
    }

    let front = "title = \"The newest brief\"\ncommittee = \"tp\"\nmeeting = 2025-12-20\nissued = 2025-12-20\n";
    let site = site
        .brief("brief-newest", "en", front, "Members discussed it.\n")
        .brief(
            "brief-newest",
            "zh-hk",
            &front.replace("The newest brief", "最新簡介"),
            "委員曾討論。\n",
        );
    site.build_ok();
    let after = parts(&site);
    assert_eq!(after.len(), before.len());
    for ((name, xml), (_, old)) in after.iter().zip(&before).take(before.len() - 1) {
        assert_eq!(xml, old, "{name} is as it was");
    }
    assert!(after[3].1.contains("/en/briefs/brief-newest/"));
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn page_sizes_out_of_range_are_errors_at_the_key() {
    let site = TestSite::new().write("legbrief.toml", &format!("{CONFIG}\n[build]\nbriefs_per_page = 0\n"));
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("legbrief.toml:"), "{err}");
    assert!(
        err.contains("expected a whole number from 1 to 10000, found 0"),
        "{err}"
    );
}

/// A term archive paginates the same way and works from disk: in a real browser at
/// phone width, the pager fits the screen, and "Next" leads to the next older page from `file://`.
#[test]
fn a_paginated_term_archive_works_from_disk_at_phone_width() {
    let site = archive(300, "\n[build]\nbriefs_per_page = 10\n");
    let out = site.run(&["build", "--term", "7"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = site.read("public-term-7/en/terms/7/index.html");
    // Relative links that name their file, as everywhere in an archive.
    assert!(
        first.contains("href=../../../en/terms/7/page/9/index.html rel=next>Next</a>"),
        "{first}"
    );
    assert!(site.exists("public-term-7/en/terms/7/page/1/index.html"));
    // The newest full page of a committee leads back to the listing's own address.
    let newest_full = (1..)
        .take_while(|n| site.exists(&format!("public-term-7/en/committees/itb/terms/7/page/{n}/index.html")))
        .last()
        .expect("pages");
    let page = site.read(&format!(
        "public-term-7/en/committees/itb/terms/7/page/{newest_full}/index.html"
    ));
    assert!(
        page.contains("href=../../../../../../../en/committees/itb/terms/7/index.html rel=prev>"),
        "{page}"
    );

    let Some(browser) = common::browser::launch() else {
        return;
    };
    let path = site.path("public-term-7/en/terms/7/index.html").canonicalize().unwrap();
    let page = browser.open(&format!("file://{}", path.display()));
    page.set_viewport(375, 812);
    page.wait_for(
        "document.documentElement.clientWidth === 375",
        common::browser::STEP_TIMEOUT,
        "a 375 px layout",
        "document.documentElement.clientWidth",
    );
    let overflow = page.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assert_eq!(overflow, serde_json::json!(0), "the page scrolls sideways at 375 px");
    let pager_right = page.eval("Math.ceil(document.querySelector('.pager').getBoundingClientRect().right)");
    assert!(
        pager_right.as_i64().unwrap_or(i64::MAX) <= 375,
        "pager ends at {pager_right}"
    );
    // Every pager link is large enough to tap and reachable by keyboard.
    let small = page.eval(
        "[...document.querySelectorAll('.pager a[href]')].filter(a => { const r = a.getBoundingClientRect(); return r.width < 24 || r.height < 24 || a.tabIndex < 0; }).length",
    );
    assert_eq!(small, serde_json::json!(0));
    page.eval("document.querySelector('.pager a[rel=next]').click()");
    page.wait_for(
        "location.href.endsWith('/en/terms/7/page/9/index.html') && document.readyState === 'complete'",
        common::browser::STEP_TIMEOUT,
        "page 9 from disk",
        "location.href",
    );
    assert_eq!(
        page.eval_string("document.querySelector('.pager [aria-current=page]').textContent"),
        "9"
    );
    assert!(page.text().contains("Page 9 of 10"), "{}", page.text());
    // The stylesheet loaded from disk too.
    assert_eq!(
        page.eval_string("getComputedStyle(document.querySelector('.pager [aria-current]')).backgroundColor"),
        "rgb(11, 61, 107)"
    );
}
