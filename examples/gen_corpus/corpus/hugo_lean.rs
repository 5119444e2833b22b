//! The corpus as the leanest plain Hugo site: the plain site of [`super::hugo_plain`]
//! (same config, taxonomies, pagination, feeds, sitemap and layouts) with what a
//! Hugo user would otherwise keep as text in each brief's content: the appendix is
//! a Markdown table after the body, written with the committee names and dates in
//! each language, and the numbered paragraphs are plain paragraphs starting with
//! their number (`1\.`, so Markdown does not make a list of them). Its single-page
//! layout (`examples/gen_corpus/hugo-lean/`) is the plain one without the appendix
//! partial; the front matter has no `[[papers]]`.

use std::io;
use std::path::Path;

use jiff::civil::Date;

use super::vocab::COMMITTEES;
use super::{Body, Brief, hugo, hugo_plain, write_file};

const SINGLE: &str = include_str!("../hugo-lean/layouts/_default/single.html");

/// The plain site's files, with the lean single-page layout.
pub fn write_site(root: &Path) -> io::Result<()> {
    hugo_plain::write_site(root)?;
    write_file(&root.join("layouts/_default/single.html"), SINGLE)?;
    std::fs::remove_file(root.join("layouts/partials/appendix.html"))
}

/// Writes both language versions under `content/<lang>/briefs/`: front matter
/// without the appendix, the numbered paragraphs, then the appendix table.
pub fn write_brief(root: &Path, brief: &Brief) -> io::Result<()> {
    for (lang, text) in [("en", &brief.en), ("zh-hk", &brief.zh)] {
        let zh = lang != "en";
        let mut source = String::with_capacity(text.body.len() + 4000);
        source.push_str("+++\n");
        source.push_str(&hugo::fields(brief, text));
        source.push_str("+++\n\n");
        source.push_str(&numbered_paragraphs(&text.body));
        source.push_str(&appendix(brief, zh));
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

/// The body's paragraphs as plain paragraphs numbered on from one heading to the
/// next, the number escaped so that Markdown keeps it as text.
fn numbered_paragraphs(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 20);
    let mut n = 0;
    for block in body.split("\n\n").filter(|b| !b.trim().is_empty()) {
        if !block.starts_with('#') {
            n += 1;
            out.push_str(&format!("{n}\\. "));
        }
        out.push_str(block);
        out.push_str("\n\n");
    }
    out
}

fn long_date(day: Date, zh: bool) -> String {
    if zh {
        format!("{}年{}月{}日", day.year(), day.month(), day.day())
    } else {
        day.strftime("%-d %B %Y").to_string()
    }
}

/// A cell's text with the characters a table cell cannot hold escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The appendix as a heading and a Markdown table: committee, date, paper.
fn appendix(brief: &Brief, zh: bool) -> String {
    let mut s = String::new();
    if zh {
        s.push_str("## 附錄：相關文件一覽表 {#appendix}\n\n| 委員會 | 會議日期 | 文件 |\n|---|---|---|\n");
    } else {
        s.push_str(
            "## Appendix: List of relevant papers {#appendix}\n\n| Committee | Date of meeting | Paper |\n|---|---|---|\n",
        );
    }
    for paper in &brief.papers {
        let body = match paper.body {
            Body::Committee(c) if zh => COMMITTEES[c].zh,
            Body::Committee(c) => COMMITTEES[c].en,
            Body::Council if zh => "立法會會議",
            Body::Council => "Council meeting",
        };
        let mut date = long_date(paper.date, zh);
        if paper.date_note {
            date.push_str(if zh { " (發出日期)" } else { " (Date of issue)" });
        }
        let title = cell(if zh { &paper.zh } else { &paper.en });
        let title = match &paper.url {
            Some(url) if zh => format!("[{title}]({})", url.replace("/english/", "/chinese/")),
            Some(url) => format!("[{title}]({url})"),
            None => title,
        };
        s.push_str(&format!("| {} | {date} | {title} |\n", cell(body)));
    }
    s
}
