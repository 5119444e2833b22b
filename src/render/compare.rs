//! The comparison page of an updated brief, `<lang>/briefs/<new>/compare/<old>/`:
//! paragraph by paragraph, what was added, removed and changed since an earlier
//! version, with the words (Chinese: the characters) of a changed paragraph
//! marked `<ins>` and `<del>`. Plain HTML: no script is needed to read it.

use serde::Serialize;
use similar::{Algorithm, DiffTag};
use tera::Context;

use super::context::{Link, PageContext, fill};
use crate::diagnostics::Diagnostic;
use crate::markdown::{BlockKind, is_cjk};
use crate::model::{BriefVersion, PageId};
use crate::render::strip_ids;
use crate::search::index::html_to_text;

/// One numbered paragraph of a version: number, HTML (for the page) and text (to compare).
struct Para {
    number: u32,
    html: String,
    text: String,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `same`, `changed`, `added` or `removed`.
    pub status: &'static str,
    pub label: String,
    /// The paragraph's number in the newer version, and a link to it.
    pub new: Option<u32>,
    pub new_href: Option<String>,
    pub old: Option<u32>,
    pub old_href: Option<String>,
    pub html: String,
}

/// A run of entries: unchanged runs are folded into a `<details>`.
#[derive(Serialize, Debug)]
pub struct Run {
    pub unchanged: bool,
    pub summary: String,
    pub entries: Vec<Entry>,
}

#[derive(Serialize)]
pub struct ComparePage {
    pub title: String,
    pub intro: String,
    pub new: VersionInfo,
    pub old: VersionInfo,
    pub counts: String,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
pub struct VersionInfo {
    pub link: Link,
    pub paper_no: Option<String>,
    pub issued: String,
    pub issued_iso: String,
}

impl PageContext<'_> {
    pub fn compare(&self, context: &mut Context, new: &str, old: &str) -> Result<(), Diagnostic> {
        let code = self.code();
        let version = |slug: &str| {
            self.site
                .brief(slug)
                .and_then(|b| b.version(code))
                .cloned()
                .ok_or_else(|| Diagnostic::error(format!("no brief `{slug}` in `{code}`")))
        };
        let (new_v, old_v) = (version(new)?, version(old)?);
        let info = |v: &BriefVersion| VersionInfo {
            link: Link {
                name: v.source.front.title.clone(),
                href: self.href(&PageId::Brief(code.to_string(), v.slug().to_string())),
            },
            paper_no: v.source.front.paper_no.clone(),
            issued: self.date(v.source.front.issued),
            issued_iso: v.source.front.issued.to_string(),
        };
        let new_info = info(&new_v);
        let old_info = info(&old_v);
        let entries = compare_paragraphs(&self.paras(&old_v), &self.paras(&new_v));
        let count = |status: &str| entries.iter().filter(|e| e.status == status).count().to_string();
        let counts = fill(
            &fill(
                &fill(self.t("compare_counts"), "changed", &count("changed")),
                "added",
                &count("added"),
            ),
            "removed",
            &count("removed"),
        );
        let runs = self.runs(entries, &new_info.link.href, &old_info.link.href);
        let title = fill(self.t("compare_title"), "title", &new_v.source.front.title);
        let intro = fill(
            &fill(self.t("compare_intro"), "old", &old_info.issued),
            "new",
            &new_info.issued,
        );
        let page = ComparePage {
            title: title.clone(),
            intro,
            new: new_info,
            old: old_info,
            counts,
            runs,
        };
        context.insert("page", &self.meta(title, page.intro.clone()));
        context.insert("compare", &page);
        Ok(())
    }

    /// The numbered paragraphs of `v` as this page shows them: links re-pointed,
    /// ids dropped (they are the brief page's), lists and tables that follow a
    /// paragraph kept with it.
    fn paras(&self, v: &BriefVersion) -> Vec<Para> {
        // In a build the HTML is packed: `body()` gives it back.
        let body = v.body();
        self.with_body_links(v, |links| {
            let mut out: Vec<Para> = Vec::new();
            let mut open = false;
            for block in &body.blocks {
                match block.kind {
                    BlockKind::Paragraph(n) => {
                        let html = strip_ids(&links.rewrite_html(&block.html));
                        out.push(Para {
                            number: n,
                            text: html_to_text(&html),
                            html: format!("<p>{html}</p>"),
                        });
                        open = true;
                    }
                    BlockKind::Other if open => {
                        if let Some(last) = out.last_mut() {
                            let html = strip_ids(&links.rewrite_html(&block.html));
                            let text = html_to_text(&html);
                            if !text.is_empty() {
                                last.text.push(' ');
                                last.text.push_str(&text);
                            }
                            last.html.push_str(&html);
                        }
                    }
                    BlockKind::Heading { .. } => open = false,
                    BlockKind::Other => {}
                }
            }
            out
        })
    }

    /// Labels and links the entries, and folds unchanged runs.
    fn runs(&self, entries: Vec<Entry>, new_href: &str, old_href: &str) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for mut entry in entries {
            let n = |k: Option<u32>| k.map(|n| n.to_string()).unwrap_or_default();
            entry.label = match entry.status {
                "changed" if entry.new != entry.old => fill(
                    &fill(self.t("compare_changed_moved"), "n", &n(entry.new)),
                    "old",
                    &n(entry.old),
                ),
                "changed" => fill(self.t("compare_changed"), "n", &n(entry.new)),
                "added" => fill(self.t("compare_added"), "n", &n(entry.new)),
                "removed" => fill(self.t("compare_removed"), "old", &n(entry.old)),
                _ => fill(self.t("paragraph_label"), "n", &n(entry.new)),
            };
            entry.new_href = entry.new.map(|n| format!("{new_href}#p-{n}"));
            entry.old_href = entry.old.map(|n| format!("{old_href}#p-{n}"));
            let unchanged = entry.status == "same";
            match runs.last_mut() {
                Some(run) if run.unchanged && unchanged => run.entries.push(entry),
                _ => runs.push(Run {
                    unchanged,
                    summary: String::new(),
                    entries: vec![entry],
                }),
            }
        }
        for run in runs.iter_mut().filter(|r| r.unchanged) {
            let first = run.entries.first().and_then(|e| e.new).unwrap_or_default();
            let last = run.entries.last().and_then(|e| e.new).unwrap_or_default();
            run.summary = if first == last {
                fill(self.t("compare_unchanged_one"), "n", &first.to_string())
            } else {
                fill(
                    &fill(self.t("compare_unchanged_many"), "first", &first.to_string()),
                    "last",
                    &last.to_string(),
                )
            };
        }
        runs
    }
}

/// Lines up the paragraphs of two versions: equal texts are the same paragraph;
/// within a stretch that differs, paragraphs alike enough are one paragraph
/// changed, the others added or removed.
fn compare_paragraphs(old: &[Para], new: &[Para]) -> Vec<Entry> {
    let old_texts: Vec<&str> = old.iter().map(|p| p.text.as_str()).collect();
    let new_texts: Vec<&str> = new.iter().map(|p| p.text.as_str()).collect();
    let mut entries = Vec::new();
    let entry = |status, old: Option<&Para>, new: Option<&Para>, html: String| Entry {
        status,
        label: String::new(),
        new: new.map(|p| p.number),
        new_href: None,
        old: old.map(|p| p.number),
        old_href: None,
        html,
    };
    for op in similar::capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts) {
        let (tag, olds, news) = op.as_tag_tuple();
        let olds = &old[olds];
        let news = &new[news];
        match tag {
            DiffTag::Equal => {
                for (o, n) in olds.iter().zip(news) {
                    entries.push(entry("same", Some(o), Some(n), n.html.clone()));
                }
            }
            DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                let (mut i, mut j) = (0, 0);
                while i < olds.len() || j < news.len() {
                    let alike = |i: usize, j: usize| {
                        i < olds.len() && j < news.len() && similarity(&olds[i].text, &news[j].text) >= 0.5
                    };
                    if alike(i, j) {
                        let html = format!("<p>{}</p>", mark_words(&olds[i].text, &news[j].text));
                        entries.push(entry("changed", Some(&olds[i]), Some(&news[j]), html));
                        i += 1;
                        j += 1;
                    } else if j < news.len() && (i >= olds.len() || alike(i, j + 1)) {
                        let html = format!("<ins class=\"block\">{}</ins>", news[j].html);
                        entries.push(entry("added", None, Some(&news[j]), html));
                        j += 1;
                    } else if i < olds.len() {
                        let html = format!("<del class=\"block\">{}</del>", olds[i].html);
                        entries.push(entry("removed", Some(&olds[i]), None, html));
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
        }
    }
    entries
}

/// Pieces to compare: a word (letters and digits of a non-CJK script), one CJK
/// character, a run of white space, or one other character.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let class = |c: char| {
        if is_cjk(c) {
            0
        } else if c.is_alphanumeric() || c == '\'' || c == '’' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        }
    };
    let mut last_class = 4;
    for (i, c) in text.char_indices() {
        let k = class(c);
        let joins = k == last_class && (k == 1 || k == 2);
        if !joins {
            if let Some(s) = start {
                out.push(&text[s..i]);
            }
            start = Some(i);
        }
        last_class = k;
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// How alike two texts are, from 0 to 1: the share of their pieces in common.
fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() && tb.is_empty() {
        return 1.0;
    }
    let same: usize = similar::capture_diff_slices(Algorithm::Myers, &ta, &tb)
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .map(|op| op.old_range().len())
        .sum();
    2.0 * same as f64 / (ta.len() + tb.len()) as f64
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `new` as HTML with what `old` lacked in `<ins>` and what it had and `new`
/// lacks in `<del>`, word by word (character by character in Chinese). A space
/// between two changed words goes inside the mark, so a changed phrase is one mark.
pub fn mark_words(old: &str, new: &str) -> String {
    let (to, tn) = (tokens(old), tokens(new));
    let ops = similar::capture_diff_slices(Algorithm::Myers, &to, &tn);
    // Pieces as (tag, text) with Replace split into a deletion and an insertion.
    let mut pieces: Vec<(DiffTag, String)> = Vec::new();
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        let old_text: String = to[o].concat();
        let new_text: String = tn[n].concat();
        match tag {
            DiffTag::Equal => pieces.push((DiffTag::Equal, new_text)),
            DiffTag::Delete => pieces.push((DiffTag::Delete, old_text)),
            DiffTag::Insert => pieces.push((DiffTag::Insert, new_text)),
            DiffTag::Replace => {
                pieces.push((DiffTag::Delete, old_text));
                pieces.push((DiffTag::Insert, new_text));
            }
        }
    }
    // A lone space kept between two changes joins them: "<del>a</del> <del>b</del>"
    // reads better as one "<del>a b</del>" (and the same for the insertions).
    let mut merged: Vec<(DiffTag, String)> = Vec::new();
    let mut k = 0;
    while k < pieces.len() {
        let (tag, text) = &pieces[k];
        let is_gap = *tag == DiffTag::Equal && text.trim().is_empty() && !text.is_empty();
        if is_gap
            && k > 0
            && k + 1 < pieces.len()
            && pieces[k - 1].0 != DiffTag::Equal
            && pieces[k + 1].0 != DiffTag::Equal
        {
            // Put the space into both sides of the change.
            let space = text.clone();
            let dels = merged.iter().rposition(|(t, _)| *t == DiffTag::Delete);
            let inss = merged.iter().rposition(|(t, _)| *t == DiffTag::Insert);
            if let Some(d) = dels {
                merged[d].1.push_str(&space);
            } else {
                merged.push((DiffTag::Delete, space.clone()));
            }
            if let Some(i) = inss {
                merged[i].1.push_str(&space);
            } else {
                merged.push((DiffTag::Insert, space));
            }
            k += 1;
            continue;
        }
        match merged.last_mut() {
            Some((last, t)) if *last == *tag && *tag != DiffTag::Equal => t.push_str(text),
            _ => {
                // Keep a deletion before the insertion it pairs with.
                if *tag == DiffTag::Delete
                    && let Some(pos) = merged.iter().rposition(|(t, _)| *t == DiffTag::Delete)
                    && merged[pos + 1..].iter().all(|(t, _)| *t != DiffTag::Equal)
                {
                    merged[pos].1.push_str(text);
                } else {
                    merged.push((*tag, text.clone()));
                }
            }
        }
        k += 1;
    }
    let mut html = String::new();
    for (tag, text) in merged {
        match tag {
            DiffTag::Equal => html.push_str(&escape(&text)),
            DiffTag::Delete => html.push_str(&format!("<del>{}</del>", escape(&text))),
            DiffTag::Insert => html.push_str(&format!("<ins>{}</ins>", escape(&text))),
            DiffTag::Replace => {}
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_chinese_characters_are_the_pieces() {
        assert_eq!(tokens("The 5G net."), vec!["The", " ", "5G", " ", "net", "."]);
        assert_eq!(tokens("智慧城市 AI"), vec!["智", "慧", "城", "市", " ", "AI"]);
    }

    #[test]
    fn changed_words_are_marked() {
        assert_eq!(
            mark_words("launched in 2024 to help", "launched in 2026 to help"),
            "launched in <del>2024</del><ins>2026</ins> to help"
        );
        assert_eq!(mark_words("政府推出", "政府已推出"), "政府<ins>已</ins>推出");
        assert_eq!(
            mark_words("a old words b", "a new text b"),
            "a <del>old words</del><ins>new text</ins> b"
        );
    }

    fn para(n: u32, text: &str) -> Para {
        Para {
            number: n,
            html: format!("<p>{text}</p>"),
            text: text.to_string(),
        }
    }

    #[test]
    fn paragraphs_line_up_as_same_changed_added_and_removed() {
        let old = [
            para(1, "Purpose of the paper."),
            para(2, "The scheme began in 2024 with ten sites."),
            para(3, "Members asked about privacy."),
        ];
        let new = [
            para(1, "Purpose of the paper."),
            para(2, "The scheme began in 2024 with forty sites."),
            para(3, "A wholly new paragraph about the 2026 review, unlike any other."),
        ];
        let statuses: Vec<(&str, Option<u32>, Option<u32>)> = compare_paragraphs(&old, &new)
            .into_iter()
            .map(|e| (e.status, e.old, e.new))
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("same", Some(1), Some(1)),
                ("changed", Some(2), Some(2)),
                ("removed", Some(3), None),
                ("added", None, Some(3)),
            ]
        );
    }
}
