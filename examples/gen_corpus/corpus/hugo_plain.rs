//! The corpus as a plain Hugo site: what a Hugo user would build from the same
//! briefs, made the way Hugo's documentation makes a multilingual site with
//! taxonomies and pagination. Content per language (`content/en/`,
//! `content/zh-hk/`), a home page listing the latest 20 briefs, the briefs section
//! paginated by 50, topic, committee and term taxonomies with paginated term
//! pages, a page per brief with its header block and appendix table, UI strings
//! from `i18n/`, an RSS feed of 20 items per language and Hugo's own sitemap. The
//! numbered paragraphs are Markdown ordered lists. Its layouts
//! (`examples/gen_corpus/hugo-plain/`) are minimal; none of legbrief's extra pages
//! (topic quotes, the papers index, the search index) is there.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::vocab::{COMMITTEES, TOPICS};
use super::{Brief, TERMS, hugo, toml_str, write_file};

/// The site's config, layouts and UI strings: (path in the site, contents).
const FILES: [(&str, &str); 12] = [
    ("hugo.toml", include_str!("../hugo-plain/hugo.toml")),
    (
        "layouts/_default/baseof.html",
        include_str!("../hugo-plain/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/list.html",
        include_str!("../hugo-plain/layouts/_default/list.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("../hugo-plain/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/taxonomy.html",
        include_str!("../hugo-plain/layouts/_default/taxonomy.html"),
    ),
    (
        "layouts/_default/term.html",
        include_str!("../hugo-plain/layouts/_default/term.html"),
    ),
    ("layouts/index.html", include_str!("../hugo-plain/layouts/index.html")),
    ("layouts/404.html", include_str!("../hugo-plain/layouts/404.html")),
    (
        "layouts/partials/brief-summary.html",
        include_str!("../hugo-plain/layouts/partials/brief-summary.html"),
    ),
    (
        "layouts/partials/appendix.html",
        include_str!("../hugo-plain/layouts/partials/appendix.html"),
    ),
    ("i18n/en.toml", include_str!("../hugo-plain/i18n/en.toml")),
    ("i18n/zh-hk.toml", include_str!("../hugo-plain/i18n/zh-hk.toml")),
];

const LANGS: [&str; 2] = ["en", "zh-hk"];

/// Config, layouts, committee names for the appendix, and the section and
/// taxonomy pages' titles in both languages.
pub fn write_site(root: &Path) -> io::Result<()> {
    for (path, contents) in FILES {
        write_file(&root.join(path), contents)?;
    }
    let mut data = String::new();
    for c in &COMMITTEES {
        let _ = write!(
            data,
            "[{}]\nen = {}\nzh-hk = {}\n\n",
            c.key,
            toml_str(c.en),
            toml_str(c.zh)
        );
    }
    write_file(&root.join("data/committees.toml"), &data)?;
    for lang in LANGS {
        let zh = lang != "en";
        let pick = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
        let content = root.join("content").join(lang);
        let page = |path: &str, title: &str| {
            write_file(
                &content.join(path).join("_index.md"),
                &format!("+++\ntitle = {}\n+++\n", toml_str(title)),
            )
        };
        page("briefs", pick("Background briefs", "背景資料簡介"))?;
        page("topics", pick("Topic areas", "議題範疇"))?;
        page("committees", pick("Committees", "委員會"))?;
        page("terms", pick("Legislative terms", "立法會屆別"))?;
        for (key, en, zh_name) in TOPICS {
            page(&format!("topics/{key}"), pick(en, zh_name))?;
        }
        for c in &COMMITTEES {
            page(&format!("committees/{}", c.key), pick(c.en, c.zh))?;
        }
        for (number, _, _, en, zh_name) in TERMS {
            page(&format!("terms/{number}"), pick(en, zh_name))?;
        }
    }
    Ok(())
}

/// Writes both language versions under `content/<lang>/briefs/`: the emulating
/// site's front matter, and the body with its paragraphs as one numbered list.
pub fn write_brief(root: &Path, brief: &Brief) -> io::Result<()> {
    for (lang, text) in [("en", &brief.en), ("zh-hk", &brief.zh)] {
        let mut source = hugo::front_matter(brief, lang, text);
        source.push_str(&numbered_list(&text.body));
        write_file(
            &root
                .join("content")
                .join(lang)
                .join(format!("briefs/{}.md", brief.slug)),
            &source,
        )?;
    }
    Ok(())
}

/// The body's paragraphs as Markdown list items numbered on from one heading to
/// the next (`1.` after "Purpose", `2.` and `3.` after "Background", …), their
/// wrapped lines indented under the marker; headings are left as they are.
pub fn numbered_list(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 20);
    let mut n = 0;
    let mut in_list = false;
    for block in body.split("\n\n").filter(|b| !b.trim().is_empty()) {
        if block.starts_with('#') {
            if in_list {
                out.push('\n');
            }
            out.push_str(block);
            out.push_str("\n\n");
            in_list = false;
            continue;
        }
        n += 1;
        let marker = format!("{n}. ");
        let indent = " ".repeat(marker.len());
        for (i, line) in block.lines().enumerate() {
            out.push_str(if i == 0 { &marker } else { &indent });
            out.push_str(line);
            out.push('\n');
        }
        in_list = true;
    }
    out
}
