//! Republishing (issue 26): a build into an output legbrief wrote before writes
//! only the files whose bytes change and hard-links every other file from the
//! previous output into its staging folder, so unchanged files keep their inode
//! and modification time; the result is byte for byte a fresh build's. The
//! summary line counts the files added, changed and removed, and `--changes
//! FILE` lists them for a deployer.
//!
//! Every output these tests name is inside a fresh temporary folder.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use common::{TestSite, front, snapshot, stderr};

const MARKER: &str = ".legbrief-output";

/// Every file under `dir` with its inode and modification time.
fn inodes(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            let meta = e.metadata().unwrap();
            (relative, (meta.ino(), meta.mtime(), meta.mtime_nsec()))
        })
        .collect()
}

/// The `A`/`M`/`D` lines that turn `before` into `after`, sorted by path,
/// markers left out: what `--changes` must write.
fn expected_changes(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|p| Path::new(p).file_name().is_none_or(|n| n != MARKER))
        .filter_map(|p| match (before.get(p), after.get(p)) {
            (None, Some(_)) => Some(format!("A {p}")),
            (Some(_), None) => Some(format!("D {p}")),
            (Some(a), Some(b)) if a != b => Some(format!("M {p}")),
            _ => None,
        })
        .collect()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

/// `legbrief build <args…> --output OUT --changes CHANGES`, which must succeed;
/// returns its summary line (`Built …`).
fn build(site: &TestSite, args: &[&str], output: &Path, changes: &Path) -> String {
    let mut all: Vec<String> = vec!["build".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    all.extend([
        "--output".into(),
        output.to_string_lossy().to_string(),
        "--changes".into(),
        changes.to_string_lossy().to_string(),
    ]);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = site.run(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let summary = err.lines().find(|l| l.starts_with("Built "));
    summary.unwrap_or_else(|| panic!("no summary line: {err}")).to_string()
}

/// A fresh build of `site` into a folder of its own, as files.
fn fresh(site: &TestSite, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = elsewhere.path().join("fresh");
    let summary = build(site, args, &output, &elsewhere.path().join("changes.txt"));
    assert!(summary.contains("; first build, "), "{summary}");
    snapshot(&output)
}

#[test]
fn an_unchanged_rebuild_changes_nothing_and_keeps_every_inode() {
    let site = TestSite::fixture("basic");
    let tmp = tempfile::tempdir().unwrap();
    let (output, changes) = (tmp.path().join("out"), tmp.path().join("changes.txt"));
    let summary = build(&site, &[], &output, &changes);
    let first = snapshot(&output);
    let files = first.keys().filter(|p| !p.ends_with(MARKER)).count();
    assert!(summary.ends_with(&format!("; first build, {files} files")), "{summary}");
    // A first build adds every file.
    let added: Vec<String> = first
        .keys()
        .filter(|p| *p != MARKER)
        .map(|p| format!("A {p}"))
        .collect();
    assert_eq!(lines(&changes), added);
    let before = inodes(&output);
    let summary = build(&site, &[], &output, &changes);
    assert!(summary.ends_with("; 0 files added, 0 changed, 0 removed"), "{summary}");
    assert_eq!(std::fs::read_to_string(&changes).unwrap(), "", "an empty list");
    assert!(snapshot(&output) == first, "the same bytes");
    assert_eq!(
        inodes(&output),
        before,
        "every file is the one the previous build wrote"
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        3,
        "only the output, its lock and the list beside it"
    );
}

/// What a step does to the site, the slug of the brief it touches, and the
/// letter the brief's own files get.
type Step = (&'static str, Box<dyn Fn(TestSite) -> TestSite>, &'static str, char);

#[test]
fn edits_additions_and_deletions_are_listed_and_the_rebuild_is_a_fresh_build() {
    let brief = |n: usize, text: &str| {
        (
            format!("brief-{n}"),
            front(
                &format!("Background brief {n}"),
                "itb",
                &format!("2023-03-{:02}", 10 + n),
            ),
            format!("Members discussed item {n}: {text}.\n\nA second paragraph.\n"),
        )
    };
    let mut site = TestSite::new();
    for n in 0..4 {
        let (slug, front, body) = brief(n, "first words");
        site = site.brief(&slug, "en", &front, &body);
    }
    let tmp = tempfile::tempdir().unwrap();
    let (output, changes) = (tmp.path().join("out"), tmp.path().join("changes.txt"));
    build(&site, &[], &output, &changes);

    let mut previous = snapshot(&output);
    let steps: [Step; 3] = [
        (
            "an edited brief",
            Box::new(move |site| {
                let (slug, front, body) = brief(1, "revised words");
                site.brief(&slug, "en", &front, &body)
            }),
            "brief-1",
            'M',
        ),
        (
            "a new brief",
            Box::new(move |site| {
                let (slug, front, body) = brief(5, "new words");
                site.brief(&slug, "en", &front, &body)
            }),
            "brief-5",
            'A',
        ),
        (
            "a deleted brief",
            Box::new(|site| {
                std::fs::remove_file(site.path("content/briefs/brief-2.en.md")).unwrap();
                site
            }),
            "brief-2",
            'D',
        ),
    ];
    for (what, change, slug, letter) in steps {
        site = change(site);
        let before = inodes(&output);
        let summary = build(&site, &[], &output, &changes);
        let now = snapshot(&output);
        let listed = lines(&changes);
        assert_eq!(
            listed,
            expected_changes(&previous, &now),
            "{what}: the list is exactly what changed"
        );
        let own: Vec<&String> = listed
            .iter()
            .filter(|l| l.contains(&format!("/briefs/{slug}/")))
            .collect();
        assert!(
            own.iter().any(|l| l.ends_with("/index.html")),
            "{what}: its page is listed: {listed:?}"
        );
        assert!(own.iter().all(|l| l.starts_with(letter)), "{what}: {own:?}");
        let count = |l: char| listed.iter().filter(|x| x.starts_with(l)).count();
        assert!(
            summary.ends_with(&format!(
                "; {} file{} added, {} changed, {} removed",
                count('A'),
                if count('A') == 1 { "" } else { "s" },
                count('M'),
                count('D')
            )),
            "{what}: {summary}"
        );
        // What did not change is the previous build's file itself.
        let after = inodes(&output);
        for (path, inode) in &after {
            if path.ends_with(MARKER) || !listed.iter().any(|l| &l[2..] == path) {
                assert_eq!(Some(inode), before.get(path), "{what}: {path} was written again");
            } else {
                assert_ne!(Some(&inode.0), before.get(path).map(|i| &i.0), "{what}: {path}");
            }
        }
        assert!(
            now == fresh(&site, &[]),
            "{what}: the rebuild is byte for byte a fresh build"
        );
        previous = now;
    }
}

#[test]
fn copied_assets_are_linked_when_unchanged() {
    let site = TestSite::fixture("basic")
        .write("content/files/paper.txt", "a paper")
        .write("content/files/other.txt", "another paper");
    let tmp = tempfile::tempdir().unwrap();
    let (output, changes) = (tmp.path().join("out"), tmp.path().join("changes.txt"));
    build(&site, &[], &output, &changes);
    let copied: Vec<String> = snapshot(&output)
        .into_keys()
        .filter(|p| p.ends_with("paper.txt"))
        .collect();
    assert_eq!(copied.len(), 1, "{copied:?}");
    let before = inodes(&output);
    let site = site.write("content/files/other.txt", "another paper, revised");
    build(&site, &[], &output, &changes);
    let after = inodes(&output);
    assert_eq!(after[&copied[0]], before[&copied[0]], "the unchanged asset is linked");
    let listed = lines(&changes);
    assert!(listed.iter().all(|l| !l.ends_with("paper.txt")), "{listed:?}");
    assert!(
        listed.iter().any(|l| l.starts_with("M ") && l.ends_with("other.txt")),
        "{listed:?}"
    );
}

#[test]
fn term_archives_are_rebuilt_the_same_way() {
    for args in [&["--term", "7"][..], &["--all-terms", "--zip"][..]] {
        let site = TestSite::fixture("archive");
        let tmp = tempfile::tempdir().unwrap();
        let (output, changes) = (tmp.path().join("out"), tmp.path().join("changes.txt"));
        let summary = build(&site, args, &output, &changes);
        assert!(summary.contains("; first build, "), "{args:?}: {summary}");
        let first = snapshot(&output);
        let before = inodes(&output);
        let summary = build(&site, args, &output, &changes);
        assert!(
            summary.contains("; 0 files added, 0 changed, 0 removed"),
            "{args:?}: {summary}"
        );
        assert!(snapshot(&output) == first);
        let after = inodes(&output);
        for (path, inode) in &after {
            // Zips are written again (with the same bytes), not linked.
            if !path.ends_with(".zip") {
                assert_eq!(Some(inode), before.get(path), "{args:?}: {path} was written again");
            }
        }
        if args[0] == "--all-terms" {
            assert!(first.keys().any(|p| p.starts_with("term-7/en/")), "{:?}", first.keys());
            // A new brief of term 7 changes term 7's archive and the index, not term 6's.
            let site = site.brief(
                "late-brief",
                "en",
                &front("A late brief", "itb", "2023-05-02"),
                "Members discussed a late item.\n",
            );
            build(&site, args, &output, &changes);
            let listed = lines(&changes);
            assert!(
                listed.contains(&"A term-7/en/briefs/late-brief/index.html".to_string()),
                "{listed:?}"
            );
            assert!(listed.iter().all(|l| !l[2..].starts_with("term-6/")), "{listed:?}");
            assert!(snapshot(&output) == fresh(&site, args));
        }
    }
}

#[test]
fn a_changes_file_inside_the_output_is_refused() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = snapshot(&site.path("public"));
    for changes in [
        "public/changes.txt",
        "public",
        "public/en/../x.txt",
        "./public/deep/er.txt",
    ] {
        let out = site.run(&["build", "--changes", changes]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{changes}: {err}");
        assert!(err.contains("refusing to write the list of changes to"), "{err}");
        assert!(err.contains("inside the output"), "{err}");
        assert!(err.contains("help: "), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(
            snapshot(&site.path("public")) == before,
            "{changes}: the output changed"
        );
    }
    let elsewhere = tempfile::tempdir().unwrap();
    for (changes, why) in [
        (".public.legbrief-lock", "keeps that name"),
        ("content", "it is the site's content/ folder"),
        ("content/briefs/x.en.md", "inside the site's content/ folder"),
        ("legbrief.toml", "it is the site's config"),
        (elsewhere.path().to_str().unwrap(), "it is a folder"),
        ("no/such/folder.txt", "its folder does not exist"),
    ] {
        let out = site.run(&["build", "--changes", changes]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{changes}: {err}");
        assert!(err.contains(why), "{changes}: {err}");
        assert!(err.contains("nothing was written"), "{err}");
    }
    // Beside the output it is written, and the build replaces the output.
    let out = site.run(&["build", "--changes", "changes.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(site.read("changes.txt"), "");
    // The same for a term archive.
    let site = TestSite::fixture("archive");
    let out = site.run(&["build", "--term", "7", "--changes", "public-term-7/changes.txt"]);
    assert!(stderr(&out).contains("inside the output"), "{}", stderr(&out));
    assert!(!site.exists("public-term-7"), "refused before anything was written");
}

fn legbrief() -> Command {
    Command::new(env!("CARGO_BIN_EXE_legbrief"))
}

fn run_build(site: &TestSite, output: &Path) -> Output {
    legbrief()
        .current_dir(site.root())
        .args(["build", "--output", &output.to_string_lossy()])
        .output()
        .expect("run")
}

#[test]
fn a_killed_rebuild_leaves_the_previous_output_intact() {
    // Enough briefs that a build takes a while to kill.
    let mut site = TestSite::new();
    for i in 0..300 {
        site = site.brief(
            &format!("brief-{i:04}"),
            "en",
            &front(&format!("Background brief number {i}"), "itb", "2023-03-13"),
            &format!("Members discussed item {i}.\n\nA second paragraph about it.\n"),
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let output = tmp.path().join("out");
    assert!(run_build(&site, &output).status.success());
    let previous = snapshot(&output);
    let previous_inodes = inodes(&output);
    let site = site.brief(
        "brief-0001",
        "en",
        &front("Background brief number 1, revised", "itb", "2023-03-13"),
        "Revised text.\n",
    );
    let started = Instant::now();
    let next = fresh(&site, &[]);
    let duration = started.elapsed();
    assert!(next != previous);
    let mut untouched = 0;
    let mut expected = previous.clone();
    for step in 0..8u32 {
        let delay = duration * step / 8;
        let mut child = legbrief()
            .current_dir(site.root())
            .args(["build", "--output", &output.to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a build");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&output);
        if now == expected {
            if expected == previous {
                untouched += 1;
                // Its files are the previous build's own, never written through.
                assert_eq!(inodes(&output), previous_inodes, "killed after {delay:?}");
            }
        } else {
            assert!(
                now == next,
                "killed after {delay:?}: the output is neither the previous nor the next site"
            );
            expected = now;
        }
    }
    assert!(
        untouched > 0,
        "no kill landed before the swap (a build takes {duration:?})"
    );
    let out = run_build(&site, &output);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(snapshot(&output) == next);
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".out"))
        .collect();
    assert_eq!(left, [".out.legbrief-lock"], "no temporary folder is left");
}

/// Re-dating a brief into another term, translating one and superseding one:
/// each rebuild lists exactly what changed and is byte for byte a fresh build.
#[test]
fn re_dating_translating_and_superseding_rebuild_to_a_fresh_build() {
    let brief = |n: usize, meeting: &str, extra: &str| {
        (
            format!("brief-{n}"),
            format!("{}{extra}", front(&format!("Background brief {n}"), "itb", meeting)),
            format!("Members discussed item {n}.\n\nA second paragraph.\n"),
        )
    };
    let mut site = TestSite::new();
    for n in 0..4 {
        let (slug, front, body) = brief(n, &format!("2023-03-{:02}", 10 + n), "");
        site = site.brief(&slug, "en", &front, &body);
    }
    let tmp = tempfile::tempdir().unwrap();
    let (output, changes) = (tmp.path().join("out"), tmp.path().join("changes.txt"));
    build(&site, &[], &output, &changes);
    let mut previous = snapshot(&output);
    type Edit = Box<dyn Fn(TestSite) -> TestSite>;
    let steps: [(&str, Edit); 3] = [
        (
            "a brief re-dated into term 6",
            Box::new(move |site| {
                let (slug, front, body) = brief(0, "2019-05-06", "");
                site.brief(&slug, "en", &front, &body)
            }),
        ),
        (
            "a translation added",
            Box::new(move |site| {
                let (slug, front, _) = brief(1, "2023-03-11", "");
                site.brief(
                    &slug,
                    "zh-hk",
                    &front.replace("Background brief 1", "背景資料簡介一"),
                    "委員曾討論。\n",
                )
            }),
        ),
        (
            "a brief superseded",
            Box::new(move |site| {
                let (slug, front, body) = brief(6, "2023-06-01", "supersedes = \"brief-3\"\n");
                site.brief(&slug, "en", &front, &body)
            }),
        ),
    ];
    for (what, change) in steps {
        site = change(site);
        build(&site, &[], &output, &changes);
        let now = snapshot(&output);
        assert_eq!(
            lines(&changes),
            expected_changes(&previous, &now),
            "{what}: the list is exactly what changed"
        );
        assert!(!lines(&changes).is_empty(), "{what}: something changed");
        assert!(
            now == fresh(&site, &[]),
            "{what}: the rebuild is byte for byte a fresh build"
        );
        previous = now;
    }
    // Each step did what it says.
    assert!(String::from_utf8_lossy(&previous["en/terms/6/index.html"]).contains("Background brief 0"));
    assert!(previous.contains_key("zh-hk/briefs/brief-1/index.html"));
    assert!(previous.contains_key("en/briefs/brief-6/compare/brief-3/index.html"));
}
