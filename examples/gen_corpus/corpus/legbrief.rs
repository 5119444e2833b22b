//! The corpus as a legbrief site: `legbrief.toml` and `content/briefs/<slug>.<lang>.md`.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::vocab::{COMMITTEES, TOPICS};
use super::{Body, Brief, TERMS, Text, toml_str, write_file};

/// The config: the sample site's languages, topics and terms, and twenty committees.
pub fn config() -> String {
    let mut toml = String::from(
        r#"# A generated archive of background briefs, for benchmarks.
title = "Background briefs"
base_url = "https://briefs.example.org"
default_language = "en"

[languages.en]
name = "English"
lang_tag = "en"
title = "LegCo Background Briefs"
issuer = "Council Business Divisions, Legislative Council Secretariat"
date_format = "%-d %B %Y"

[languages.zh-hk]
name = "繁體中文"
lang_tag = "zh-Hant-HK"
title = "立法會背景資料簡介"
issuer = "立法會秘書處議會事務部"
date_format = "%Y年%-m月%-d日"

[markdown]
raw_html = false

[build]
minify = true
"#,
    );
    for c in &COMMITTEES {
        let _ = write!(
            toml,
            "\n[committees.{}]\nname = {{ en = {}, zh-hk = {} }}\nref = {}\n",
            c.key,
            toml_str(c.en),
            toml_str(c.zh),
            toml_str(c.reference)
        );
    }
    for (key, en, zh) in TOPICS {
        let _ = write!(
            toml,
            "\n[topics.{key}]\nname = {{ en = {}, zh-hk = {} }}\n",
            toml_str(en),
            toml_str(zh)
        );
    }
    for (number, start, end, en, zh) in TERMS {
        let _ = write!(
            toml,
            "\n[[terms]]\nnumber = {number}\nname = {{ en = {}, zh-hk = {} }}\nstart = {start}\nend = {end}\n",
            toml_str(en),
            toml_str(zh)
        );
    }
    toml
}

pub fn write_site(root: &Path) -> io::Result<()> {
    write_file(&root.join("legbrief.toml"), &config())
}

/// Writes both language versions; returns the bytes written.
pub fn write_brief(root: &Path, brief: &Brief) -> io::Result<u64> {
    let mut bytes = 0;
    for (lang, text) in [("en", &brief.en), ("zh-hk", &brief.zh)] {
        let source = source(brief, lang, text);
        bytes += source.len() as u64;
        write_file(
            &root.join("content/briefs").join(format!("{}.{lang}.md", brief.slug)),
            &source,
        )?;
    }
    Ok(bytes)
}

/// One language version as a brief source: TOML front matter, then the body.
pub fn source(brief: &Brief, lang: &str, text: &Text) -> String {
    let zh = lang != "en";
    let mut s = String::with_capacity(text.body.len() + 6000);
    s.push_str("+++\n");
    let _ = writeln!(s, "title = {}", toml_str(&text.title));
    let _ = writeln!(s, "committee = \"{}\"", COMMITTEES[brief.committee].key);
    let _ = writeln!(s, "meeting = {}", brief.meeting);
    let _ = writeln!(s, "paper_no = {}", toml_str(&brief.paper_no));
    let _ = writeln!(s, "file_ref = {}", toml_str(&brief.file_ref));
    let _ = writeln!(s, "issued = {}", brief.issued);
    let topics: Vec<String> = brief.topics.iter().map(|&t| toml_str(TOPICS[t].0)).collect();
    let _ = writeln!(s, "topics = [{}]", topics.join(", "));
    let _ = writeln!(s, "summary = {}", toml_str(&text.summary));
    for paper in &brief.papers {
        s.push_str("\n[[papers]]\n");
        let body = match paper.body {
            Body::Committee(c) => COMMITTEES[c].key,
            Body::Council if zh => "立法會會議",
            Body::Council => "Council meeting",
        };
        let _ = writeln!(s, "body = {}", toml_str(body));
        let _ = writeln!(s, "date = {}", paper.date);
        if paper.date_note {
            let _ = writeln!(
                s,
                "date_note = {}",
                toml_str(if zh { "發出日期" } else { "Date of issue" })
            );
        }
        let _ = writeln!(s, "title = {}", toml_str(if zh { &paper.zh } else { &paper.en }));
        if let Some(url) = &paper.url {
            let url = if zh {
                url.replace("/english/", "/chinese/")
            } else {
                url.clone()
            };
            let _ = writeln!(s, "url = {}", toml_str(&url));
        }
        let _ = writeln!(s, "kind = \"{}\"", paper.kind);
    }
    s.push_str("+++\n\n");
    s.push_str(&text.body);
    s
}
