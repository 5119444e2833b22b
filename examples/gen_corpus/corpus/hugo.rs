//! The corpus as a Hugo site with the same pages as legbrief's: a page per brief
//! and language, topic, committee and term taxonomies, the papers index, an RSS
//! feed per language and the sitemap. Its small theme (`examples/gen_corpus/hugo/`)
//! does what legbrief's default theme does: numbered paragraphs with `p-n`
//! anchors, the appendix table, topic pages quoting each brief's section, the
//! language switcher and the lists.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::vocab::{COMMITTEES, TOPICS};
use super::{Body, Brief, TERMS, Text, toml_str, write_file};

/// The theme's files: (path in the site, contents).
const THEME: [(&str, &str); 17] = [
    (
        "layouts/_default/baseof.html",
        include_str!("../hugo/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("../hugo/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/taxonomy.html",
        include_str!("../hugo/layouts/_default/taxonomy.html"),
    ),
    (
        "layouts/_default/term.html",
        include_str!("../hugo/layouts/_default/term.html"),
    ),
    (
        "layouts/_default/papers.html",
        include_str!("../hugo/layouts/_default/papers.html"),
    ),
    (
        "layouts/_default/search.html",
        include_str!("../hugo/layouts/_default/search.html"),
    ),
    (
        "layouts/_default/search.searchindex.json",
        include_str!("../hugo/layouts/_default/search.searchindex.json"),
    ),
    ("layouts/index.html", include_str!("../hugo/layouts/index.html")),
    ("layouts/index.rss.xml", include_str!("../hugo/layouts/index.rss.xml")),
    ("layouts/404.html", include_str!("../hugo/layouts/404.html")),
    (
        "layouts/partials/numbered.html",
        include_str!("../hugo/layouts/partials/numbered.html"),
    ),
    (
        "layouts/partials/appendix.html",
        include_str!("../hugo/layouts/partials/appendix.html"),
    ),
    (
        "layouts/partials/brief-list.html",
        include_str!("../hugo/layouts/partials/brief-list.html"),
    ),
    (
        "layouts/partials/counted-list.html",
        include_str!("../hugo/layouts/partials/counted-list.html"),
    ),
    ("i18n/en.toml", include_str!("../hugo/i18n/en.toml")),
    ("i18n/zh-hk.toml", include_str!("../hugo/i18n/zh-hk.toml")),
    (
        "static/style.css",
        include_str!("../../../themes/default/static/style.css"),
    ),
];

const CONFIG: &str = r#"baseURL = "https://briefs.example.org/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
# legbrief has no page listing a section's pages.
disableKinds = ["section"]
rssLimit = 50

[outputFormats.SearchIndex]
mediaType = "application/json"
baseName = "index"
isPlainText = true
notAlternative = true

[taxonomies]
committee = "committees"
topic = "topics"
term = "terms"

[outputs]
home = ["HTML", "RSS"]
page = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[markup.goldmark.renderer]
unsafe = false

[languages.en]
languageName = "English"
contentDir = "content/en"
title = "LegCo Background Briefs"
weight = 1
[languages.en.params]
langTag = "en"
dateFormat = "2 January 2006"
issuer = "Council Business Divisions, Legislative Council Secretariat"

[languages.zh-hk]
languageName = "繁體中文"
contentDir = "content/zh-hk"
title = "立法會背景資料簡介"
weight = 2
[languages.zh-hk.params]
langTag = "zh-Hant-HK"
dateFormat = "2006年1月2日"
issuer = "立法會秘書處議會事務部"
"#;

const LANGS: [&str; 2] = ["en", "zh-hk"];

/// Config, theme, committee names, and the pages that are not briefs.
pub fn write_site(root: &Path) -> io::Result<()> {
    write_file(&root.join("config.toml"), CONFIG)?;
    for (path, contents) in THEME {
        write_file(&root.join(path), contents)?;
    }
    let mut data = String::new();
    for (rank, c) in COMMITTEES.iter().enumerate() {
        let _ = write!(
            data,
            "[{}]\nrank = \"{rank:02}\"\nen = {}\nzh-hk = {}\n\n",
            c.key,
            toml_str(c.en),
            toml_str(c.zh)
        );
    }
    write_file(&root.join("data/committees.toml"), &data)?;
    for lang in LANGS {
        let zh = lang != "en";
        let content = root.join("content").join(lang);
        let page = |title: &str, extra: &str| format!("+++\ntitle = {}\n{extra}+++\n", toml_str(title));
        let pick = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
        write_file(&content.join("_index.md"), "+++\n+++\n")?;
        write_file(
            &content.join("papers.md"),
            &page(pick("Relevant papers", "相關文件"), "layout = \"papers\"\n"),
        )?;
        write_file(
            &content.join("search.md"),
            &page(
                pick("Search", "搜尋"),
                "layout = \"search\"\noutputs = [\"HTML\", \"SearchIndex\"]\n",
            ),
        )?;
        write_file(
            &content.join("topics/_index.md"),
            &page(pick("Topic areas", "議題範疇"), ""),
        )?;
        write_file(
            &content.join("committees/_index.md"),
            &page(pick("Committees", "委員會"), ""),
        )?;
        write_file(
            &content.join("terms/_index.md"),
            &page(pick("Legislative terms", "立法會屆別"), ""),
        )?;
        for (key, en, zh_name) in TOPICS {
            write_file(
                &content.join(format!("topics/{key}/_index.md")),
                &page(pick(en, zh_name), ""),
            )?;
        }
        for c in &COMMITTEES {
            let lede = format!(
                "lede = {}\n",
                toml_str(&format!("{}: {}", pick("Ref", "檔號"), c.reference))
            );
            write_file(
                &content.join(format!("committees/{}/_index.md", c.key)),
                &page(pick(c.en, c.zh), &lede),
            )?;
        }
        for (number, start, end, en, zh_name) in TERMS {
            let dates = if zh {
                format!(
                    "{}年{}月{}日至{}年{}月{}日",
                    start.year(),
                    start.month(),
                    start.day(),
                    end.year(),
                    end.month(),
                    end.day()
                )
            } else {
                format!("{} to {}", start.strftime("%-d %B %Y"), end.strftime("%-d %B %Y"))
            };
            let extra = format!("dates = {}\nlede = {}\n", toml_str(&dates), toml_str(&dates));
            write_file(
                &content.join(format!("terms/{number}/_index.md")),
                &page(pick(en, zh_name), &extra),
            )?;
        }
    }
    Ok(())
}

/// Writes both language versions under `content/<lang>/briefs/`.
pub fn write_brief(root: &Path, brief: &Brief) -> io::Result<()> {
    for (lang, text) in [("en", &brief.en), ("zh-hk", &brief.zh)] {
        write_file(
            &root
                .join("content")
                .join(lang)
                .join(format!("briefs/{}.md", brief.slug)),
            &source(brief, lang, text),
        )?;
    }
    Ok(())
}

/// One language version as a Hugo page: taxonomies for committee, topics and term.
pub fn source(brief: &Brief, lang: &str, text: &Text) -> String {
    let mut s = front_matter(brief, lang, text);
    s.push_str(&text.body);
    s
}

/// The front matter of one language version, up to the blank line before the
/// body: the same in the plain Hugo site ([`super::hugo_plain`]).
pub fn front_matter(brief: &Brief, lang: &str, text: &Text) -> String {
    let zh = lang != "en";
    let mut s = String::with_capacity(text.body.len() + 6000);
    s.push_str("+++\n");
    s.push_str(&fields(brief, text));
    for paper in &brief.papers {
        s.push_str("\n[[papers]]\n");
        let body = match paper.body {
            Body::Committee(c) => COMMITTEES[c].key,
            Body::Council if zh => "立法會會議",
            Body::Council => "Council meeting",
        };
        let _ = writeln!(s, "body = {}", toml_str(body));
        let _ = writeln!(s, "date = \"{}\"", paper.date);
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
    s
}

/// The front matter's fields before the appendix: title, dates, taxonomies,
/// paper number, reference and summary, one `key = value` line each.
pub fn fields(brief: &Brief, text: &Text) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "title = {}", toml_str(&text.title));
    let _ = writeln!(s, "date = {}", brief.meeting);
    let _ = writeln!(s, "committees = [\"{}\"]", COMMITTEES[brief.committee].key);
    let topics: Vec<String> = brief.topics.iter().map(|&t| toml_str(TOPICS[t].0)).collect();
    let _ = writeln!(s, "topics = [{}]", topics.join(", "));
    if let Some(term) = super::term_of(brief.meeting) {
        let _ = writeln!(s, "terms = [\"{term}\"]");
    }
    let _ = writeln!(s, "paper_no = {}", toml_str(&brief.paper_no));
    let _ = writeln!(s, "file_ref = {}", toml_str(&brief.file_ref));
    let _ = writeln!(s, "issued = \"{}\"", brief.issued);
    let _ = writeln!(s, "summary = {}", toml_str(&text.summary));
    s
}
