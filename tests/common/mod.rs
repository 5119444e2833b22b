//! Shared helpers for integration tests: a fluent builder for throw-away sites.
//!
//! Each test gets its own site in a temporary folder, either copied from a fixture
//! under `tests/fixtures/` or written file by file, then runs the real `legbrief`
//! binary on it and inspects what it wrote.
#![allow(dead_code)]

pub mod browser;
pub mod http;
pub mod schema;
pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// A minimal valid config with two languages, two committees, three topics and two terms.
pub const CONFIG: &str = r#"title = "Test briefs"
base_url = "https://briefs.example.org"
default_language = "en"

[languages.en]
name = "English"
lang_tag = "en"
title = "Test Briefs"
issuer = "Council Business Divisions, Legislative Council Secretariat"
date_format = "%-d %B %Y"

[languages.zh-hk]
name = "繁體中文"
lang_tag = "zh-Hant-HK"
title = "測試簡介"
issuer = "立法會秘書處議會事務部"
date_format = "%Y年%-m月%-d日"

[committees.itb]
name = { en = "Panel on Information Technology and Broadcasting", zh-hk = "資訊科技及廣播事務委員會" }
ref = "PL/ITB"

[committees.tp]
name = { en = "Panel on Transport", zh-hk = "交通事務委員會" }

[topics.smart-government]
name = { en = "Smart Government", zh-hk = "智慧政府" }

[topics.smart-mobility]
name = { en = "Smart Mobility", zh-hk = "智慧出行" }

[topics.smart-living]
name = { en = "Smart Living", zh-hk = "智慧生活" }

[[terms]]
number = 6
name = { en = "Sixth Legislative Council", zh-hk = "第六屆立法會" }
start = 2016-10-01
end = 2021-12-31

[[terms]]
number = 7
name = { en = "Seventh Legislative Council", zh-hk = "第七屆立法會" }
start = 2022-01-01
end = 2025-12-31
"#;

pub struct TestSite {
    dir: TempDir,
}

impl TestSite {
    /// An empty site with [`CONFIG`].
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("legbrief.toml", CONFIG)
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        copy_dir(&from, site.root());
        site
    }

    /// The repository's own sample site (config, content, seeds).
    pub fn sample() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("legbrief.toml"), site.root().join("legbrief.toml")).expect("copy config");
        copy_dir(&repo.join("content"), &site.root().join("content"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Writes a file (creating folders), returning the site for chaining.
    pub fn write(self, relative: &str, contents: &str) -> TestSite {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
        std::fs::write(path, contents).expect("write file");
        self
    }

    /// Writes `content/briefs/<slug>.<lang>.md` from front matter and body.
    pub fn brief(self, slug: &str, lang: &str, front: &str, body: &str) -> TestSite {
        let text = format!("+++\n{}\n+++\n{}", front.trim(), body);
        self.write(&format!("content/briefs/{slug}.{lang}.md"), &text)
    }

    /// Runs `legbrief <args…>` with `--root` pointing at this site where relevant.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("legbrief")
            .expect("binary")
            .current_dir(self.root())
            .args(args)
            .output()
            .expect("run")
    }

    /// `legbrief build` in the site's folder.
    pub fn build(&self) -> Output {
        self.run(&["build"])
    }

    /// Builds and panics with the error output if the build failed.
    pub fn build_ok(&self) -> Output {
        let out = self.build();
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    /// A file of the output, as text.
    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// `<out>/data/catalogue.json`, parsed.
    pub fn catalogue(&self, out: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(&format!("{out}/data/catalogue.json"))).expect("catalogue.json is JSON")
    }

    /// The catalogue's parts of `kind` (`briefs`, `papers`) in `out`, in its
    /// order, each as its name and its text unzipped.
    pub fn parts(&self, out: &str, kind: &str) -> Vec<(String, String)> {
        let catalogue = self.catalogue(out);
        catalogue["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .filter(|p| p["kind"] == kind)
            .map(|p| {
                let name = p["name"].as_str().expect("name").to_string();
                let bytes = std::fs::read(self.path(&format!("{out}/{name}"))).expect("a listed part");
                (name, gunzip(&bytes))
            })
            .collect()
    }

    /// Every brief record in `out`, the briefs parts' lines joined in catalogue
    /// order: what `data/briefs.jsonl` held before the exports came in parts.
    pub fn briefs_export(&self, out: &str) -> String {
        self.parts(out, "briefs").into_iter().map(|(_, text)| text).collect()
    }

    /// Every papers row in `out`, the papers parts joined in catalogue order
    /// under one header row.
    pub fn papers_export(&self, out: &str) -> String {
        let mut csv = String::new();
        for (i, (_, text)) in self.parts(out, "papers").into_iter().enumerate() {
            let rows = if i == 0 {
                text.as_str()
            } else {
                text.split_once("\r\n").map_or("", |(_, rows)| rows)
            };
            csv.push_str(rows);
        }
        csv
    }

    /// Every file under `relative`, as sorted `/`-separated paths relative to it.
    pub fn files_under(&self, relative: &str) -> Vec<String> {
        let base = self.path(relative);
        let mut files: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }
}

/// A gzip file's bytes, unzipped, as text.
pub fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text).expect("gzip of UTF-8");
    text
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let relative = entry.path().strip_prefix(from).unwrap();
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The front matter of a typical brief, for tests that only vary the body.
pub fn front(title: &str, committee: &str, meeting: &str) -> String {
    format!("title = \"{title}\"\ncommittee = \"{committee}\"\nmeeting = {meeting}\n")
}

/// Every file under `dir` with its contents, by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}
