//! What a drafter types and what a reader then sees (issue #30): paragraphs typed with
//! their numbers, appendix bodies, the official paper's address, versions' titles and
//! the map of their paragraphs, and a new site from `init`.

mod common;

use common::{TestSite, front, stderr};

/// `id=p-1` … in the order they appear in the page.
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

fn json(site: &TestSite, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(path)).expect("JSON")
}

/// A body as a drafter pastes it from the paper: each paragraph with its number.
const PASTED: &str = "1. This paper summarizes past discussions on the Fare Adjustment Arrangement.\n\n\
2. The Fare Adjustment Arrangement was introduced in 2007:\n\n   - a cap on fares;\n   - a yearly review.\n\n\
### Background\n\n\
3. Members noted the Government's proposals.\n";

#[test]
fn paragraphs_typed_with_their_numbers_are_numbered_cited_and_in_the_data() {
    let site = TestSite::new().brief("fares", "en", &front("Fares", "tp", "2025-05-12"), PASTED);
    let out = site.run(&["build", "--base-url", "https://briefs.legco.test"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("with 0 warnings"), "{}", stderr(&out));
    let page = site.read("public/en/briefs/fares/index.html");
    assert_eq!(paragraph_ids(&page), ["p-1", "p-2", "p-3"]);
    assert!(page.contains("href=#p-2"), "each number links to its anchor");
    assert!(page.contains("para. 3"), "a citation per paragraph");
    assert!(!page.contains("<ol"), "no ordered list is left in the page");
    let record = json(&site, "public/en/briefs/fares/index.json");
    let paragraphs = record["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), 3);
    assert_eq!(
        paragraphs[1]["text"],
        "The Fare Adjustment Arrangement was introduced in 2007: a cap on fares; a yearly review."
    );
    // The sub-list goes with its paragraph: its text is in the paragraph's (above),
    // its markup on the page only.
    assert!(paragraphs[1].get("html").is_none());
    assert_eq!(paragraphs[2]["section"]["id"], "background");
    assert_eq!(
        record["summary"],
        "This paper summarizes past discussions on the Fare Adjustment Arrangement."
    );
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn typed_numbers_out_of_step_are_an_error_at_the_first_one() {
    let body = "1. One.\n\n2. Two.\n\n4. Four.\n";
    let site = TestSite::new().brief("fares", "en", &front("Fares", "tp", "2025-05-12"), body);
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains(
                "content/briefs/fares.en.md:10:1: error: paragraph typed as `4.` is paragraph 3 of the brief: \
                 legbrief numbers the brief's paragraphs itself"
            ),
            "{command}: {err}"
        );
    }
    let body = "Purpose.\n\nBackground.\n\n5. Five.\n\n6. Six.\n";
    let site = TestSite::new().brief("fares", "en", &front("Fares", "tp", "2025-05-12"), body);
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("fares.en.md:10:1: error: a list numbered from 5 stands where paragraph 3 comes"),
        "{err}"
    );
    assert!(err.contains("a list inside a paragraph starts at 1"), "{err}");
}

#[test]
fn a_list_inside_the_text_is_still_a_list() {
    let body = "The Government proposed:\n\n1. a fare cap;\n2. a review.\n\nMembers agreed.\n";
    let site = TestSite::new().brief("fares", "en", &front("Fares", "tp", "2025-05-12"), body);
    site.build_ok();
    let page = site.read("public/en/briefs/fares/index.html");
    assert_eq!(paragraph_ids(&page), ["p-1", "p-2"]);
    assert!(page.contains("<ol>"), "{page}");
}

const PDF: &str = "https://www.legco.gov.hk/yr2025/english/panels/tp/papers/tp20250512cb4-848-3-e.pdf";

fn with_source(url: &str) -> TestSite {
    TestSite::new().brief(
        "fares",
        "en",
        &format!("{}source_url = \"{url}\"\n", front("Fares", "tp", "2025-05-12")),
        "Purpose.\n",
    )
}

#[test]
fn the_official_paper_is_linked_on_the_page_and_in_the_data() {
    let site = with_source(PDF);
    site.build_ok();
    let page = site.read("public/en/briefs/fares/index.html");
    assert!(
        page.contains(&format!(
            "Authoritative version: <a href={PDF} rel=external>the paper as issued (PDF)</a>"
        )),
        "{page}"
    );
    assert_eq!(json(&site, "public/en/briefs/fares/index.json")["source_url"], PDF);
    let none = TestSite::new().brief("fares", "en", &front("Fares", "tp", "2025-05-12"), "Purpose.\n");
    none.build_ok();
    assert!(json(&none, "public/en/briefs/fares/index.json")["source_url"].is_null());
    assert!(!none.read("public/en/briefs/fares/index.html").contains("brief-source"));
}

#[test]
fn a_source_url_that_is_no_web_address_is_an_error_at_it() {
    for (url, problem) in [
        ("www.legco.gov.hk/paper.pdf", "is not an absolute http(s) address"),
        ("ftp://legco.gov.hk/paper.pdf", "is not an http(s) address"),
        ("https://legco.gov.hk/a paper.pdf", "contains a space"),
    ] {
        let out = with_source(url).build();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("fares.en.md:5:14: error in `source_url`: `{url}` {problem}")),
            "{err}"
        );
    }
}

/// On screen the link; on paper the address itself, so a printed copy says where the
/// authoritative version is.
#[test]
fn print_shows_the_official_papers_address() {
    let Some(browser) = common::browser::launch() else {
        return;
    };
    let site = with_source(PDF);
    site.build_ok();
    let base = common::http::static_server(site.path("public"));
    let page = browser.open(&format!("{base}/en/briefs/fares/"));
    let shown = "getComputedStyle(document.querySelector('.source-address')).display";
    assert_eq!(page.eval_string(shown), "none");
    assert_eq!(page.eval_string("document.querySelector('.brief-source a').href"), PDF);
    print_media(&page);
    assert_eq!(page.eval_string(shown), "inline");
    assert_eq!(
        page.eval_string("document.querySelector('.source-address').textContent"),
        PDF
    );
}

fn print_media(page: &common::browser::Page) {
    page.tab()
        .call_method(headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia {
            media: Some("print".into()),
            features: None,
        })
        .expect("print media");
}

/// A new site from `init`, built once.
fn initialised() -> (tempfile::TempDir, TestSite) {
    let holder = tempfile::tempdir().unwrap();
    let dir = holder.path().join("site");
    let out = assert_cmd::Command::cargo_bin("legbrief")
        .unwrap()
        .args(["init", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let site = TestSite::new();
    common::copy_dir(&dir, site.root());
    (holder, site)
}

#[test]
fn init_makes_a_site_whose_first_build_warns_only_of_the_example_address() {
    let (_holder, site) = initialised();
    let config = site.read("legbrief.toml");
    assert!(
        !config.contains("docs/config.md"),
        "no pointer to a file a binary user lacks"
    );
    assert!(config.contains("# [[terms]]: a brief belongs to the term its `meeting` date falls in"));
    // A brief of 2025, as a secretariat's first real one may be: on term 7's page, no warning.
    let brief = site
        .read("content/briefs/example-brief.en.md")
        .replace("meeting = 2026-03-09", "meeting = 2025-05-12");
    let site = site.write(
        "content/briefs/older.en.md",
        &brief.replace("CB(4)100/2026(01)", "CB(4)1/2025(01)"),
    );
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(err.contains("with 1 warning"), "{err}");
    assert!(
        err.contains("warning in `base_url`"),
        "the one warning is the example address: {err}"
    );
    assert!(site.exists("public/en/terms/7/index.html"));
    assert!(!site.exists("public/en/terms/other/index.html"));
    let out = site.run(&["build", "--base-url", "https://briefs.legco.test"]);
    assert!(stderr(&out).contains("with 0 warnings"), "{}", stderr(&out));
    // The lock file the build left is ignored by git.
    assert!(site.exists(".public.legbrief-lock"));
    assert!(site.read(".gitignore").lines().any(|l| l == "/.public.legbrief-*"));
    // The home lists terms newest first, as the terms page does.
    for page in ["public/en/index.html", "public/en/terms/index.html"] {
        let html = site.read(page);
        let eighth = html.find("Eighth Legislative Council").unwrap();
        let seventh = html.find("Seventh Legislative Council").unwrap();
        assert!(eighth < seventh, "{page}: newest term first");
    }
}

#[test]
fn the_home_lists_only_committees_with_briefs() {
    let site = TestSite::new().brief("fares", "en", &front("Fares", "tp", "2025-05-12"), "Purpose.\n");
    site.build_ok();
    let home = site.read("public/en/index.html");
    assert!(home.contains("Panel on Transport"));
    assert!(!home.contains("Panel on Information Technology"), "itb has no brief");
}

/// On paper the notice of a newer version keeps its words but not the link to a page
/// of the web site ("See what changed").
#[test]
fn print_hides_the_link_to_what_changed() {
    let Some(browser) = common::browser::launch() else {
        return;
    };
    let site = TestSite::new()
        .brief("fares", "en", &front("Fares", "tp", "2025-05-12"), "Purpose.\n")
        .brief(
            "fares-2",
            "en",
            &format!("{}supersedes = \"fares\"\n", front("Updated fares", "tp", "2025-06-12")),
            "Purpose, updated.\n",
        );
    site.build_ok();
    let base = common::http::static_server(site.path("public"));
    for path in ["fares", "fares-2"] {
        let page = browser.open(&format!("{base}/en/briefs/{path}/"));
        let visible = "[...document.querySelectorAll('.compare-link')].map(e => getComputedStyle(e).display)";
        let before = page.eval(visible);
        assert!(!before.as_array().unwrap().is_empty(), "{path}: a compare link");
        assert!(
            before.as_array().unwrap().iter().all(|d| d != "none"),
            "{path}: {before}"
        );
        print_media(&page);
        let after = page.eval(visible);
        assert!(after.as_array().unwrap().iter().all(|d| d == "none"), "{path}: {after}");
    }
}
