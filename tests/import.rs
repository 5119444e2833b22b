//! `legbrief import`: briefs as published become sources that build.

mod common;

use common::{TestSite, stderr};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_43a7662005da7c5f.txt");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// The sample site's config with no briefs, for importing into.
fn empty_sample() -> TestSite {
    let site = TestSite::new();
    let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/legbrief.toml")).unwrap();
    site.write("legbrief.toml", &config)
}

#[test]
fn the_seed_imports_into_a_site_that_builds() {
    let site = empty_sample();
    let out = site.run(&["import", SEED, "--slug", "digital-government-smart-city"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("18 paragraphs, 33 papers, 0 warnings"),
        "{}",
        stderr(&out)
    );
    let source = site.read("content/briefs/digital-government-smart-city.en.md");
    assert!(source.contains("paper_no = \"CB(2)848/2025(03)\""));
    assert!(source.contains("committee = \"itb\""));
    assert!(source.contains("meeting = 2025-05-12"));
    site.build_ok();
    let page = site.read("public/en/briefs/digital-government-smart-city/index.html");
    assert!(page.contains("id=p-18") && !page.contains("id=p-19"));
    assert!(page.contains("Question 13: Using artificial intelligence to optimize public service processes"));
    for topic in [
        "smart-government",
        "smart-mobility",
        "smart-living",
        "smart-environment",
        "smart-people",
        "smart-economy",
    ] {
        assert!(page.contains(&format!("id={topic}")), "topic section {topic}");
    }
}

/// The sample site's English source is the import of the seed, apart from two hand
/// edits: the `summary` field and one comment line above the appendix.
#[test]
fn the_sample_source_is_reproducible_from_the_seed() {
    let site = TestSite::sample();
    let out = site.run(&["import", SEED, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let imported = String::from_utf8(out.stdout.clone()).unwrap();
    let hand_edited = site.read("content/briefs/digital-government-smart-city.en.md");
    let without_hand_edits: String = hand_edited
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("summary = ") && !line.starts_with("# Appendix: "))
        .collect::<String>()
        .replace("\n\n\n", "\n\n");
    assert_eq!(imported, without_hand_edits);
    assert!(
        stderr(&out).contains("would become content/briefs/digital-government-smart-city.en.md"),
        "paired by paper number"
    );
}

#[test]
fn a_chinese_brief_pairs_with_its_english_twin() {
    let site = empty_sample();
    let zh = format!("{FIXTURES}/zh-brief.txt");
    let out = site.run(&["import", SEED, &zh]);
    assert!(out.status.success(), "{}", stderr(&out));
    let en_slug = "digital-government-smart-city-development";
    assert!(site.exists(&format!("content/briefs/{en_slug}.en.md")));
    assert!(
        site.exists(&format!("content/briefs/{en_slug}.zh-hk.md")),
        "{}",
        stderr(&out)
    );
    let zh_source = site.read(&format!("content/briefs/{en_slug}.zh-hk.md"));
    assert!(zh_source.contains("meeting = 2025-05-12"));
    site.build_ok();
    let page = site.read(&format!("public/zh-hk/briefs/{en_slug}/index.html"));
    assert!(page.contains("資訊科技及廣播事務委員會"));
    assert!(
        page.contains(&format!("href=/en/briefs/{en_slug}/ hreflang=en")),
        "the language switcher joins the twins"
    );
}

#[test]
fn an_existing_source_is_kept_unless_forced() {
    let site = empty_sample();
    let args = ["import", SEED, "--slug", "seed"];
    assert!(site.run(&args).status.success());
    let site = site.write(
        "content/briefs/seed.en.md",
        "+++\ntitle = \"Hand edited\"\ncommittee = \"itb\"\nmeeting = 2025-05-12\n+++\nMine.\n",
    );
    let out = site.run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/briefs/seed.en.md already exists"),
        "{}",
        stderr(&out)
    );
    assert!(
        site.read("content/briefs/seed.en.md").contains("Hand edited"),
        "not overwritten"
    );
    let forced = site.run(&["import", SEED, "--slug", "seed", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(!site.read("content/briefs/seed.en.md").contains("Hand edited"));
}

#[test]
fn garbage_is_an_error_and_does_not_hold_back_the_good_file() {
    let site = empty_sample();
    let garbage = format!("{FIXTURES}/garbage.txt");
    let out = site.run(&["import", SEED, &garbage]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("garbage.txt:1:1: error: not a brief"), "{err}");
    assert!(
        err.contains("Import failed for 1 of 2 files; the other file was written"),
        "{err}"
    );
    assert_eq!(
        site.files_under("content/briefs").len(),
        1,
        "the good file is written: {err}"
    );
}

#[test]
fn an_unknown_committee_lists_the_known_ones_with_its_line() {
    let site = empty_sample();
    let out = site.run(&["import", &format!("{FIXTURES}/unknown-committee.txt")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown-committee.txt:7:1: error: line 7: unknown committee"),
        "{err}"
    );
    assert!(err.contains("itb"), "{err}");
}

#[test]
fn lines_not_understood_are_warnings_with_their_line() {
    let site = empty_sample();
    let out = site.run(&["import", &format!("{FIXTURES}/appendix-page-break.txt"), "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("appendix-page-break.txt:39:1: warning:"), "{err}");
    assert!(!site.exists("content/briefs"), "a dry run writes nothing");
}

#[test]
fn slug_with_several_files_is_a_usage_error() {
    let site = empty_sample();
    let out = site.run(&["import", SEED, SEED, "--slug", "x"]);
    assert_eq!(out.status.code(), Some(2));
}
