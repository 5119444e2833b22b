//! The index of one language: every numbered paragraph as a document, and for
//! every token the documents that contain it.
//!
//! Documents are numbered in the order results are shown: briefs newest meeting
//! first (as on the language's home page), then paragraphs in order. A brief's
//! paragraphs are consecutive numbers, so the index stores only how many each brief
//! has, and a posting list, already sorted, is the list of results in display order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::config::Language;
use crate::markdown::{BlockKind, RenderedBody};
use crate::model::{BriefVersion, Site};

use super::postings::{PostingList, decode_postings};
use super::tokenize;

/// One brief as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedBrief {
    pub slug: String,
    pub title: String,
    /// Index of its committee in the config's committees.
    pub committee: usize,
    pub term: Option<u32>,
    /// Indexes of its topics in the config's topics.
    pub topics: Vec<usize>,
    /// The meeting date as the language writes it.
    pub meeting: String,
    /// How many numbered paragraphs (documents) it has.
    pub paragraphs: usize,
    /// What [`LanguageIndex::build`]'s `texts` returned for its paragraph texts:
    /// the digest of the file they were written to.
    pub texts_digest: u64,
}

/// The search index of one language.
#[derive(Debug, Clone, Default)]
pub struct LanguageIndex {
    pub lang: String,
    /// In document order: newest meeting first.
    pub briefs: Vec<IndexedBrief>,
    /// Token → ascending document numbers.
    pub postings: Vec<(String, PostingList)>,
}

impl LanguageIndex {
    /// Builds the index of `lang` from the site (for a term archive, the site
    /// holds only that term's briefs, and so does the index). The paragraph texts
    /// are not kept: each brief's are handed to `texts` with its position in
    /// document order as soon as they are made (to be written out), which returns
    /// a digest of what it made of them. At 10,000 briefs the texts of one
    /// language are 150 MB; the postings a fraction of that.
    pub fn build(
        site: &Site,
        lang: &Language,
        texts: &(dyn Fn(usize, &IndexedBrief, &[String]) -> u64 + Sync),
    ) -> LanguageIndex {
        let versions = site.versions_in(&lang.code);
        // Each brief's first document number: its paragraphs follow the previous brief's.
        let starts: Vec<u32> = versions
            .iter()
            .scan(0u32, |next, v| {
                let start = *next;
                *next = next.saturating_add(u32::try_from(paragraph_count(v.outline())).unwrap_or(u32::MAX));
                Some(start)
            })
            .collect();
        // Tokenize in parallel, each worker filling postings for a run of consecutive
        // briefs; runs are merged left to right, so every list stays ascending. No
        // token list of the whole language is ever held (at 10,000 briefs it was
        // gigabytes).
        type Fold = (Vec<IndexedBrief>, HashMap<String, PostingList>);
        let (briefs, map): Fold = versions
            .par_iter()
            .zip(starts.par_iter())
            .enumerate()
            .fold(
                || (Vec::new(), HashMap::new()),
                |(mut briefs, mut map): Fold, (position, (v, &start))| {
                    let paragraphs = paragraph_texts(&v.body());
                    for (doc, paragraph) in (start..).zip(&paragraphs) {
                        // Documents come in ascending order, so a token met twice in
                        // one paragraph already ends its list with `doc`.
                        tokenize::each_index_token(paragraph, |token| match map.get_mut(token) {
                            Some(docs) if docs.ends_with(doc) => {}
                            Some(docs) => docs.push(doc),
                            None => {
                                let mut docs = PostingList::default();
                                docs.push(doc);
                                map.insert(token.to_string(), docs);
                            }
                        });
                    }
                    let mut brief = indexed_brief(site, lang, v, paragraphs.len());
                    brief.texts_digest = texts(position, &brief, &paragraphs);
                    briefs.push(brief);
                    (briefs, map)
                },
            )
            .reduce(
                || (Vec::new(), HashMap::new()),
                |(mut left_briefs, mut left), (right_briefs, right)| {
                    left_briefs.extend(right_briefs);
                    for (token, docs) in right {
                        left.entry(token).or_default().append(docs);
                    }
                    (left_briefs, left)
                },
            );
        let mut postings: Vec<(String, PostingList)> = map
            .into_iter()
            .map(|(token, mut docs)| {
                docs.shrink_to_fit();
                (token, docs)
            })
            .collect();
        postings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        LanguageIndex {
            lang: lang.code.clone(),
            briefs,
            postings,
        }
    }

    /// Replaces documents `start..start + old.len()`, whose texts were `old`, by
    /// `new` (as many): the posting lists of the tokens of either are made
    /// again, every other list is left as it is, and the lists stay sorted by
    /// token as [`LanguageIndex::build`] sorts them. Returns the tokens whose
    /// lists changed.
    pub fn replace_documents(&mut self, start: u32, old: &[String], new: &[String]) -> BTreeSet<String> {
        let end = start.saturating_add(u32::try_from(old.len()).unwrap_or(u32::MAX));
        // Each token's documents among the replaced ones, before and after.
        let in_range = |texts: &[String]| {
            let mut found: BTreeMap<String, Vec<u32>> = BTreeMap::new();
            for (doc, text) in (start..).zip(texts) {
                tokenize::each_index_token(text, |token| {
                    let docs = found.entry(token.to_string()).or_default();
                    if docs.last() != Some(&doc) {
                        docs.push(doc);
                    }
                });
            }
            found
        };
        let removed = in_range(old);
        let added = in_range(new);
        let mut touched: BTreeSet<&String> = removed.keys().collect();
        touched.extend(added.keys());
        let mut changed = BTreeSet::new();
        for token in touched {
            // Found in the same documents of the range: its list is as it was, and
            // decoding a common token's list of 100,000 documents is not free.
            if removed.get(token) == added.get(token) {
                continue;
            }
            let token = token.clone();
            let at = self.postings.binary_search_by(|(t, _)| t.as_str().cmp(&token));
            let mut docs: Vec<u32> = match at {
                Ok(i) => decode_postings(self.postings[i].1.as_str()).unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            docs.retain(|d| !(start..end).contains(d));
            docs.extend(added.get(&token).into_iter().flatten());
            docs.sort_unstable();
            let mut list = PostingList::default();
            docs.iter().for_each(|&d| list.push(d));
            // A token of a paragraph the edit left alone keeps its list.
            if at.is_ok_and(|i| self.postings[i].1 == list) {
                continue;
            }
            changed.insert(token.clone());
            match (at, docs.is_empty()) {
                (Ok(i), true) => {
                    self.postings.remove(i);
                }
                (Ok(i), false) => self.postings[i].1 = list,
                (Err(_), true) => {}
                (Err(i), false) => self.postings.insert(i, (token, list)),
            }
        }
        changed
    }

    /// How many documents (paragraphs) the index has.
    pub fn documents(&self) -> usize {
        self.briefs.iter().map(|b| b.paragraphs).sum()
    }
}

/// How many numbered paragraphs `body` has: one document each.
fn paragraph_count(body: &RenderedBody) -> usize {
    body.blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
        .count()
}

pub fn indexed_brief(site: &Site, lang: &Language, v: &BriefVersion, paragraphs: usize) -> IndexedBrief {
    let config = &site.config;
    let front = &v.source.front;
    IndexedBrief {
        slug: v.slug().to_string(),
        title: front.title.clone(),
        committee: config
            .committees
            .iter()
            .position(|c| c.key == front.committee)
            .unwrap_or(0),
        term: v.term,
        topics: v
            .topics
            .iter()
            .filter_map(|key| config.topics.iter().position(|t| &t.key == key))
            .collect(),
        meeting: lang.format_date(front.meeting),
        paragraphs,
        texts_digest: 0,
    }
}

/// The text of each numbered paragraph. A list, table or quote that follows a
/// paragraph belongs to it (`The measures include:` and its list), so its words
/// find that paragraph; anything before paragraph 1 and headings are not indexed.
pub fn paragraph_texts(body: &RenderedBody) -> Vec<String> {
    let mut texts: Vec<String> = Vec::with_capacity(body.paragraphs as usize);
    for block in &body.blocks {
        match block.kind {
            BlockKind::Paragraph(_) => texts.push(html_to_text(&block.html)),
            BlockKind::Other => {
                if let Some(last) = texts.last_mut() {
                    let more = html_to_text(&block.html);
                    if !more.is_empty() {
                        last.push(' ');
                        last.push_str(&more);
                    }
                }
            }
            BlockKind::Heading { .. } => {}
        }
    }
    texts
}

/// Inline elements, which do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "del", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong", "sub",
    "sup", "u",
];

/// Plain text of rendered HTML: tags dropped (block tags become spaces), entities
/// decoded, footnote reference numbers left out, white space collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        raw.push_str(&decode_entities(&rest[..open]));
        let after = &rest[open..];
        // A footnote reference: `<sup class="fn-ref">…</sup>` is a number, not text.
        if after.starts_with("<sup class=\"fn-ref\">")
            && let Some(end) = after.find("</sup>")
        {
            rest = &after[end + "</sup>".len()..];
            continue;
        }
        let Some(close) = after.find('>') else {
            raw.push_str(&decode_entities(after));
            rest = "";
            break;
        };
        let name: String = after[1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if !INLINE.contains(&name.as_str()) {
            raw.push(' ');
        }
        rest = &after[close + 1..];
    }
    raw.push_str(&decode_entities(rest));
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        match after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&after[1..end]).map(|c| (c, end)))
        {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{MarkdownOptions, render};

    #[test]
    fn html_becomes_text_without_footnote_numbers() {
        assert_eq!(
            html_to_text(
                "A <em>smart</em> lamp&amp;post<sup class=\"fn-ref\"><a href=\"#fn-1\" id=\"ref-fn-1\">1</a></sup>."
            ),
            "A smart lamp&post."
        );
        assert_eq!(html_to_text("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"), "one two");
        assert_eq!(html_to_text("&lt;b&gt; &#x41;&#66; &bogus; & x"), "<b> AB &bogus; & x");
    }

    #[test]
    fn lists_belong_to_the_paragraph_before_them() {
        let body = render(
            "Before.\n\n## Heading\n\nThe measures include:\n\n- lampposts\n- sensors\n\nLast.\n",
            &MarkdownOptions {
                raw_html: false,
                topics: &[],
            },
        );
        assert_eq!(
            paragraph_texts(&body),
            ["Before.", "The measures include: lampposts sensors", "Last."]
        );
    }
}
