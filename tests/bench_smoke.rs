//! The benchmark corpus at a small size: the generator is deterministic, the
//! legbrief site it writes builds cleanly, and the Hugo twin (when Hugo is
//! installed) builds the same pages. Nothing here is timed; `bench/run.sh` does
//! that (see BENCHMARKS.md).

#[allow(dead_code)]
#[path = "../examples/gen_corpus/corpus/mod.rs"]
mod corpus;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

fn generate(briefs: usize, seed: u64, hugo: bool) -> (TempDir, corpus::Written) {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = corpus::generate(&corpus::Options {
        briefs,
        seed,
        out: dir.path().join("corpus"),
        hugo,
    })
    .expect("the corpus is written");
    (dir, written)
}

/// Every file under `root`, relative, `/`-separated, with its contents.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(root).expect("under root");
            (
                relative.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).expect("readable"),
            )
        })
        .collect();
    out.sort();
    out
}

/// HTML pages under a language prefix, as site paths.
fn language_pages(root: &Path) -> BTreeSet<String> {
    files(root)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| p.ends_with(".html") && (p.starts_with("en/") || p.starts_with("zh-hk/")))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_corpus_and_another_seed_another() {
    let (a, _) = generate(6, 42, true);
    let (b, _) = generate(6, 42, true);
    let (c, _) = generate(6, 43, false);
    let first = files(&a.path().join("corpus"));
    assert_eq!(first, files(&b.path().join("corpus")));
    assert_ne!(
        files(&a.path().join("corpus/legbrief")),
        files(&c.path().join("corpus/legbrief"))
    );
    // Six bilingual briefs, each in both languages, for both generators.
    let sources = |prefix: &str| first.iter().filter(|(p, _)| p.starts_with(prefix)).count();
    assert_eq!(sources("legbrief/content/briefs/"), 12);
    assert_eq!(
        sources("hugo/content/en/briefs/") + sources("hugo/content/zh-hk/briefs/"),
        12
    );
}

#[test]
fn briefs_have_the_shape_of_the_real_ones() {
    for i in 0..40 {
        let brief = corpus::brief(7, i);
        for text in [&brief.en, &brief.zh] {
            let numbered = text
                .body
                .split("\n\n")
                .filter(|block| !block.trim().is_empty() && !block.starts_with('#'))
                .count();
            assert_eq!(numbered, corpus::PARAGRAPHS, "brief {i}: {}", text.title);
        }
        assert!(
            (25..=35).contains(&brief.papers.len()),
            "brief {i}: {} papers",
            brief.papers.len()
        );
        assert!((4..=6).contains(&brief.topics.len()));
        assert!(corpus::FIRST_MEETING <= brief.meeting && brief.meeting <= corpus::LAST_MEETING);
        assert!(brief.zh.body.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)));
    }
}

#[test]
fn both_generators_build_the_same_pages_from_the_corpus() {
    let (dir, written) = generate(20, 42, true);
    let legbrief_out = dir.path().join("out-legbrief");
    let built = Command::new(env!("CARGO_BIN_EXE_legbrief"))
        .arg("build")
        .arg("--root")
        .arg(&written.legbrief_root)
        .arg("--output")
        .arg(&legbrief_out)
        .output()
        .expect("legbrief runs");
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "legbrief build failed:\n{stderr}");
    // The one warning: the corpus's base_url is an example host.
    assert!(stderr.contains("with 1 warning"), "{stderr}");
    assert!(stderr.contains("warning in `base_url`"), "{stderr}");
    let ours = language_pages(&legbrief_out);
    for lang in ["en", "zh-hk"] {
        let briefs = ours
            .iter()
            .filter(|p| p.starts_with(&format!("{lang}/briefs/")))
            .count();
        assert_eq!(briefs, 20, "brief pages in {lang}");
    }

    let hugo_root = written.hugo_root.expect("the Hugo site was written");
    let hugo_out = dir.path().join("out-hugo");
    let hugo = match Command::new("hugo")
        .arg("--quiet")
        .arg("--minify")
        .arg("--source")
        .arg(&hugo_root)
        .arg("--destination")
        .arg(&hugo_out)
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "hugo is missing but CI is set: .ci/run installs it"
            );
            eprintln!("hugo is not installed (apt-get install -y hugo): the Hugo half of this test is skipped");
            return;
        }
    };
    assert!(
        hugo.status.success(),
        "hugo failed:\n{}",
        String::from_utf8_lossy(&hugo.stderr)
    );
    // Hugo writes a 404 page per language where legbrief writes one for the site;
    // the emulating theme has each listing's overview but not its pages per term
    // (…/<listing>/terms/<t>/…), nor the open-data page that lists the bulk
    // exports (Hugo writes no exports); every other page exists in both.
    let per_term =
        |p: &String| ["/topics/", "/committees/", "/papers/"].iter().any(|l| p.contains(l)) && p.contains("/terms/");
    let ours: BTreeSet<String> = ours
        .into_iter()
        .filter(|p| !per_term(p) && !p.ends_with("/data/index.html"))
        .collect();
    let theirs: BTreeSet<String> = language_pages(&hugo_out)
        .into_iter()
        .filter(|p| !p.ends_with("/404.html"))
        .collect();
    assert_eq!(ours, theirs);
}

/// Runs `hugo --minify` on `source` into `out`; `None` when Hugo is not installed.
fn hugo_build(source: &Path, out: &Path) -> Option<std::process::Output> {
    Command::new("hugo")
        .arg("--quiet")
        .arg("--minify")
        .arg("--source")
        .arg(source)
        .arg("--destination")
        .arg(out)
        .output()
        .ok()
}

#[test]
fn the_lean_plain_site_has_the_plain_sites_pages_with_the_appendix_as_a_table() {
    let (dir, written) = generate(12, 42, true);
    let (plain_out, lean_out) = (dir.path().join("out-plain"), dir.path().join("out-lean"));
    let plain_root = written.hugo_plain_root.expect("the plain site was written");
    let lean_root = written.hugo_lean_root.expect("the lean site was written");
    let Some(plain) = hugo_build(&plain_root, &plain_out) else {
        eprintln!("hugo is not installed (apt-get install -y hugo): this test is skipped");
        return;
    };
    let lean = hugo_build(&lean_root, &lean_out).expect("hugo runs");
    for out in [&plain, &lean] {
        assert!(
            out.status.success(),
            "hugo failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let pages = |root: &Path| -> BTreeSet<String> { files(root).into_iter().map(|(p, _)| p).collect() };
    assert_eq!(pages(&plain_out), pages(&lean_out));
    let brief = corpus::brief(42, 0);
    for lang in ["en", "zh-hk"] {
        let page = std::fs::read_to_string(lean_out.join(format!("{lang}/briefs/{}/index.html", brief.slug)))
            .expect("the brief page");
        assert!(page.contains("<h2 id=appendix>"), "{lang}: the appendix heading");
        // A header row and one row per paper, and no list of paragraphs.
        assert_eq!(page.matches("<tr>").count(), brief.papers.len() + 1, "{lang}");
        assert!(!page.contains("<ol>"), "{lang}: the paragraphs are numbered as text");
        assert!(page.contains("<p>1. "), "{lang}: the first paragraph's number");
    }
}
