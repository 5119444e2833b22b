//! legbrief replaces only a folder it wrote itself (issue 14): every output carries
//! a marker, and the sources, the site's folder, the home folder and folders of
//! other things are refused before anything is rendered. Publishing is exclusive
//! (a lock per output) and atomic (a build killed at any moment leaves the
//! previous output as it was).
//!
//! Every output these tests name is inside a fresh temporary folder.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use common::{TestSite, snapshot, stderr};

const MARKER: &str = ".legbrief-output";

fn names(snapshot: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    snapshot.keys().map(String::as_str).collect()
}

/// The names in `dir` that start with `prefix`.
fn entries_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(prefix))
        .collect();
    found.sort();
    found
}

fn legbrief() -> Command {
    Command::new(env!("CARGO_BIN_EXE_legbrief"))
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    legbrief().current_dir(dir).args(args).output().expect("run")
}

/// Asserts the build was refused before anything was written, naming `named`.
fn assert_refused(out: &Output, named: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("refusing to build into"), "{err}");
    assert!(err.contains(named), "the refusal names {named}: {err}");
    assert!(err.contains("help: "), "the refusal says what to do instead: {err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!err.contains("Built "), "{err}");
    err
}

/// Asserts `site`'s folder holds only what it held before (no output, no lock,
/// no temporary folder) and its sources are unchanged.
fn assert_sources_intact(site: &TestSite, before: &BTreeMap<String, Vec<u8>>) {
    assert!(snapshot(site.root()) == *before, "the site's files changed");
}

#[test]
fn output_content_folder_is_refused() {
    let site = TestSite::fixture("basic");
    let before = snapshot(site.root());
    for output in ["content", "content/", "./content", "content/briefs/.."] {
        let out = site.run(&["build", "--output", output]);
        let err = assert_refused(&out, "content");
        assert!(
            err.contains("it is the site's content/ folder, which holds the sources"),
            "{err}"
        );
        assert_sources_intact(&site, &before);
    }
}

#[test]
fn output_briefs_folder_is_refused() {
    let site = TestSite::fixture("basic");
    let before = snapshot(site.root());
    let out = site.run(&["build", "--output", "content/briefs"]);
    let err = assert_refused(&out, "content/briefs");
    assert!(err.contains("inside the site's content/ folder"), "{err}");
    assert_sources_intact(&site, &before);
    // Themes and seeds alike, even once marked as an output.
    let site = site
        .write("themes/mine/templates/x.html", "x")
        .write("seeds/a.txt", "seed")
        .write(&format!("themes/{MARKER}"), "legbrief output\n");
    let before = snapshot(site.root());
    for output in ["themes", "themes/mine", "seeds"] {
        assert_refused(&site.run(&["build", "--output", output]), output);
        assert_sources_intact(&site, &before);
    }
}

#[test]
fn output_site_root_absolute_is_refused() {
    let site = TestSite::fixture("basic");
    let before = snapshot(site.root());
    let root = site.root().to_string_lossy().to_string();
    for output in [
        root.clone(),
        format!("{root}/"),
        format!("{root}/content/.."),
        ".".into(),
    ] {
        let out = site.run(&["build", "--output", &output]);
        let err = assert_refused(&out, &root);
        assert!(err.contains("it is the site's folder"), "{err}");
        assert_sources_intact(&site, &before);
    }
    // Through a symbolic link too.
    #[cfg(unix)]
    {
        let other = tempfile::tempdir().unwrap();
        let link = other.path().join("link");
        std::os::unix::fs::symlink(site.root(), &link).unwrap();
        let out = site.run(&["build", "--output", &link.to_string_lossy()]);
        assert_refused(&out, "it is the site's folder");
        assert_sources_intact(&site, &before);
    }
}

#[test]
fn output_unrelated_folder_is_refused() {
    let site = TestSite::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let folder = elsewhere.path().join("photos");
    std::fs::create_dir_all(folder.join("2024")).unwrap();
    std::fs::write(folder.join("2024/harbour.jpg"), "not really a photo").unwrap();
    std::fs::write(folder.join("index.html"), "<p>my own page</p>").unwrap();
    let before = snapshot(&folder);
    let out = site.run(&["build", "--output", &folder.to_string_lossy()]);
    let err = assert_refused(&out, &folder.to_string_lossy());
    assert!(err.contains("it is not empty and legbrief did not write it"), "{err}");
    assert!(err.contains("delete it once by hand"), "{err}");
    assert!(snapshot(&folder) == before, "the folder's files changed");
    assert_eq!(entries_starting(elsewhere.path(), "."), Vec::<String>::new());
}

#[test]
fn output_home_folder_is_refused() {
    let site = TestSite::fixture("basic");
    // An empty home: only the home rule refuses it (an empty folder is accepted).
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_string_lossy().to_string();
    for output in [home_path.clone(), format!("{home_path}/")] {
        let out = legbrief()
            .current_dir(site.root())
            .env("HOME", home.path())
            .args(["build", "--output", &output])
            .output()
            .unwrap();
        let err = assert_refused(&out, &home_path);
        assert!(err.contains("it is the home folder"), "{err}");
        assert_eq!(
            std::fs::read_dir(home.path()).unwrap().count(),
            0,
            "the home folder is as it was"
        );
    }
    // A folder inside the home is an output like any other.
    let inside = home.path().join("site-output");
    let out = legbrief()
        .current_dir(site.root())
        .env("HOME", home.path())
        .args(["build", "--output", &inside.to_string_lossy()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn output_ancestor_of_site_is_refused() {
    // The site one level down in a temporary folder, so its parent is temporary too.
    let holder = tempfile::tempdir().unwrap();
    let root = holder.path().join("site");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &root,
    );
    std::fs::write(holder.path().join(MARKER), "legbrief output\n").unwrap();
    let before = snapshot(holder.path());
    for output in ["..", "../", "../site/.."] {
        let out = run_in(&root, &["build", "--output", output]);
        let err = assert_refused(&out, output);
        assert!(err.contains("it holds the site's folder"), "{err}");
        assert!(snapshot(holder.path()) == before, "the folder holding the site changed");
    }
    let holder_path = holder.path().to_string_lossy().to_string();
    let out = run_in(&root, &["build", "--output", &holder_path]);
    assert_refused(&out, &holder_path);
}

#[test]
fn term_output_guarded() {
    let site = TestSite::fixture("archive");
    let before = snapshot(site.root());
    for output in ["content", "content/briefs", "."] {
        assert_refused(&site.run(&["build", "--term", "7", "--output", output]), output);
        assert_refused(
            &site.run(&["build", "--term", "7", "--zip", "--output", output]),
            output,
        );
        assert_sources_intact(&site, &before);
    }
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    let out = site.run(&["build", "--term", "7", "--output", &elsewhere.path().to_string_lossy()]);
    assert_refused(&out, &elsewhere.path().to_string_lossy());
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(),
        "mine"
    );
    // Its own output it replaces, and the archive carries the marker.
    for _ in 0..2 {
        let out = site.run(&["build", "--term", "7"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(site.exists(&format!("public-term-7/{MARKER}")));
}

#[test]
fn all_terms_output_guarded() {
    let site = TestSite::fixture("archive");
    let before = snapshot(site.root());
    for output in ["content", "themes", "."] {
        assert_refused(&site.run(&["build", "--all-terms", "--output", output]), output);
        assert_refused(
            &site.run(&["build", "--all-terms", "--zip", "--output", output]),
            output,
        );
        assert_sources_intact(&site, &before);
    }
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    let out = site.run(&["build", "--all-terms", "--output", &elsewhere.path().to_string_lossy()]);
    assert_refused(&out, &elsewhere.path().to_string_lossy());
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(),
        "mine"
    );
    for _ in 0..2 {
        let out = site.run(&["build", "--all-terms", "--zip"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // The output and each archive in it carry the marker.
    for marker in [
        MARKER.to_string(),
        format!("term-6/{MARKER}"),
        format!("term-7/{MARKER}"),
    ] {
        assert!(site.exists(&format!("public-terms/{marker}")), "no {marker}");
    }
}

#[test]
fn zip_not_ours_is_refused() {
    let site = TestSite::fixture("archive").write("public-term-7.zip", "someone's own zip");
    let out = site.run(&["build", "--term", "7", "--zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(err.contains("public-term-7.zip"), "{err}");
    assert!(err.contains("help: "), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(site.read("public-term-7.zip"), "someone's own zip");
    assert!(!site.exists("public-term-7"), "refused before anything was written");
    // A zip legbrief wrote it replaces.
    std::fs::remove_file(site.path("public-term-7.zip")).unwrap();
    for _ in 0..2 {
        let out = site.run(&["build", "--term", "7", "--zip"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let zip = zip::ZipArchive::new(std::fs::File::open(site.path("public-term-7.zip")).unwrap()).unwrap();
    assert_eq!(zip.comment(), b"legbrief output");
    assert!(
        zip.file_names()
            .flatten()
            .any(|n| n == format!("public-term-7/{MARKER}"))
    );
}

#[test]
fn rebuild_into_own_output_works() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let first = snapshot(&site.path("public"));
    assert!(
        first.get(MARKER).is_some_and(|m| m.starts_with(b"legbrief output\n")),
        "the output carries the marker"
    );
    site.build_ok();
    assert!(
        snapshot(&site.path("public")) == first,
        "a rebuild gives the same output"
    );
    // Another folder, given with `..` and a trailing slash.
    for _ in 0..2 {
        let out = site.run(&["build", "--output", "content/../elsewhere/"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(snapshot(&site.path("elsewhere")) == first);
    assert_eq!(
        entries_starting(site.root(), "."),
        [".elsewhere.legbrief-lock", ".public.legbrief-lock"],
        "only the lock files stay beside the outputs"
    );
}

#[test]
fn empty_folder_accepted() {
    let site = TestSite::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = site.run(&["build", "--output", &elsewhere.path().to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(elsewhere.path().join(MARKER).exists());
    assert!(elsewhere.path().join("en/index.html").exists());
}

/// A site of `n` short English briefs, with every third a draft.
fn many_briefs(n: usize, version: &str) -> TestSite {
    let mut site = TestSite::new();
    for i in 0..n {
        let front = format!(
            "{}topics = [\"smart-mobility\"]\n{}",
            common::front(&format!("Background brief number {i}"), "itb", "2023-03-13"),
            if i % 3 == 0 { "draft = true\n" } else { "" }
        );
        site = site.brief(
            &format!("brief-{i:04}"),
            "en",
            &front,
            &format!("Members discussed item {i} ({version}).\n\nA second paragraph about it.\n"),
        );
    }
    site
}

fn build_into(site: &TestSite, output: &Path, drafts: bool) -> BTreeMap<String, Vec<u8>> {
    let mut args = vec!["build", "--output"];
    let output_text = output.to_string_lossy().to_string();
    args.push(&output_text);
    if drafts {
        args.push("--drafts");
    }
    let out = site.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    snapshot(output)
}

#[test]
fn two_builds_into_one_output_never_interleave() {
    let site = many_briefs(60, "v1");
    let refs = tempfile::tempdir().unwrap();
    let normal = build_into(&site, &refs.path().join("normal"), false);
    let drafts = build_into(&site, &refs.path().join("drafts"), true);
    assert!(
        names(&drafts).len() > names(&normal).len(),
        "the drafts build has more pages"
    );
    let shared = site.path("shared");
    for round in 0..3 {
        let start = |drafts: bool| {
            let mut command = legbrief();
            command
                .current_dir(site.root())
                .args(["build", "--output", "shared"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            if drafts {
                command.arg("--drafts");
            }
            command.spawn().expect("start a build")
        };
        let (a, b) = if round % 2 == 0 {
            (start(true), start(false))
        } else {
            (start(false), start(true))
        };
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let result = snapshot(&shared);
        assert!(
            result == normal || result == drafts,
            "round {round}: the output is neither build's complete result ({} files; normal {}, drafts {})",
            result.len(),
            normal.len(),
            drafts.len()
        );
        assert_eq!(
            entries_starting(site.root(), ".shared"),
            [".shared.legbrief-lock"],
            "no temporary folder is left"
        );
    }
}

#[test]
fn kill_during_build_leaves_previous_output_intact() {
    let site = many_briefs(300, "v1");
    site.build_ok();
    let previous = snapshot(&site.path("public"));
    // The sources change, so a build that got as far as the swap is told apart.
    let site = site.brief(
        "brief-0001",
        "en",
        &common::front("Background brief number 1, revised", "itb", "2023-03-13"),
        "Revised text.\n",
    );
    let refs = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let next = build_into(&site, &refs.path().join("next"), false);
    let duration = started.elapsed();
    assert!(next != previous);
    let mut untouched = 0;
    let mut expected = previous;
    for step in 0..8u32 {
        let delay = duration * step / 8;
        let mut child = legbrief()
            .current_dir(site.root())
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a build");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = snapshot(&site.path("public"));
        if now == expected {
            untouched += 1;
        } else {
            // Killed after its swap: the new site, complete, is the output now.
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
    // The next build repairs what the killed ones left and succeeds.
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(snapshot(&site.path("public")) == next);
    assert_eq!(
        entries_starting(site.root(), ".public"),
        [".public.legbrief-lock"],
        "no temporary folder is left"
    );
}
