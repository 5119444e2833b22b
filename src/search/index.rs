//! The index of one language: every numbered paragraph as a document, and for
//! every token the documents that contain it, in segments that close with their
//! term.
//!
//! **Order.** Briefs are taken oldest meeting first (the reverse of the
//! language's home page), then paragraphs in order, so a brief added at the
//! newest end gives new documents and moves none: every file of the index that
//! does not hold it keeps its bytes, and a deployer uploads only what changed.
//! The browser shows hits newest brief first, as before.
//!
//! **Segments.** The briefs are cut into segments ([`plan`]): each closed term
//! (every term before the newest that has briefs) is one segment; the newest
//! term, where briefs arrive, is cut into blocks of [`BLOCK_BRIEFS`], of which
//! only the last still grows. Each segment numbers its own documents from 0 and
//! has its own token shards and texts files, so adding a brief rewrites the
//! shards of one block, not of the whole index. A query loads its tokens' shard
//! in every segment and joins them in segment order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Language;
use crate::markdown::{BlockKind, RenderedBody};
use crate::model::{BriefVersion, Site};

use super::postings::{PostingList, decode_postings};
use super::tokenize;

/// How many briefs a block of the newest term holds before the next begins.
/// Larger blocks mean fewer files per query; smaller ones fewer files and bytes
/// changed when a brief is added (at 10,000 briefs a full block's token shards
/// are about 40 files, 1 MB, in both languages).
pub const BLOCK_BRIEFS: usize = 256;

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

/// One segment of a language's index: a run of briefs in index order, with
/// documents numbered from 0 within it.
#[derive(Debug, Clone, Default)]
pub struct Segment {
    /// Its folder under the search folder: `<term>-<k>` (`x-<k>` for briefs on
    /// no term), `k` counting the term's segments from 0.
    pub name: String,
    /// Oldest first.
    pub briefs: Vec<IndexedBrief>,
    /// Token → ascending document numbers within the segment.
    pub postings: Vec<(String, PostingList)>,
}

/// The search index of one language.
#[derive(Debug, Clone, Default)]
pub struct LanguageIndex {
    pub lang: String,
    /// In index order: oldest first.
    pub segments: Vec<Segment>,
}

/// The briefs of `lang` in index order: oldest meeting first, the exact reverse
/// of the order listings show them.
pub fn in_index_order<'s>(site: &'s Site, lang: &str) -> Vec<&'s Arc<BriefVersion>> {
    let mut versions = site.versions_in(lang);
    versions.reverse();
    versions
}

/// How briefs with these terms (in index order) are cut into segments: each run
/// of one term is a segment, except from the last run that has a term on, where
/// briefs still arrive: those runs are cut into blocks of [`BLOCK_BRIEFS`].
/// Returns each segment's name and its range of briefs.
pub fn plan(terms: &[Option<u32>]) -> Vec<(String, Range<usize>)> {
    let mut runs: Vec<(Option<u32>, Range<usize>)> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        match runs.last_mut() {
            Some((t, range)) if t == term => range.end = i + 1,
            _ => runs.push((*term, i..i + 1)),
        }
    }
    let open_from = runs.iter().rposition(|(t, _)| t.is_some()).unwrap_or(0);
    let mut counts: BTreeMap<Option<u32>, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (at, (term, range)) in runs.into_iter().enumerate() {
        let key = term.map_or_else(|| "x".to_string(), |t| t.to_string());
        let pieces: Vec<Range<usize>> = if at >= open_from {
            range
                .clone()
                .step_by(BLOCK_BRIEFS)
                .map(|start| start..(start + BLOCK_BRIEFS).min(range.end))
                .collect()
        } else {
            vec![range]
        };
        for piece in pieces {
            let k = counts.entry(term).or_default();
            out.push((format!("{key}-{k}"), piece));
            *k += 1;
        }
    }
    out
}

/// Where [`LanguageIndex::build`] hands each brief's paragraph texts: its
/// segment's name, its position in the segment, the brief and the texts; returns
/// a digest of the file made of them.
pub type TextsSink<'a> = dyn Fn(&str, usize, &IndexedBrief, &[String]) -> u64 + Sync + 'a;

impl LanguageIndex {
    /// Builds the index of `lang` from the site (for a term archive, the site
    /// holds only that term's briefs, and so does the index). The paragraph texts
    /// are not kept: each brief's are handed to `texts` with its segment's name
    /// and its position in the segment as soon as they are made (to be written
    /// out), which returns a digest of what it made of them. At 10,000 briefs the
    /// texts of one language are 150 MB; the postings a fraction of that.
    pub fn build(site: &Site, lang: &Language, texts: &TextsSink<'_>) -> LanguageIndex {
        let versions = in_index_order(site, &lang.code);
        let terms: Vec<Option<u32>> = versions.iter().map(|v| v.term).collect();
        let segments = plan(&terms)
            .into_iter()
            .map(|(name, range)| {
                let texts = |position: usize, brief: &IndexedBrief, paragraphs: &[String]| {
                    texts(&name, position, brief, paragraphs)
                };
                let (briefs, postings) = build_segment(site, lang, &versions[range], &texts);
                Segment { name, briefs, postings }
            })
            .collect();
        LanguageIndex {
            lang: lang.code.clone(),
            segments,
        }
    }

    /// How many documents (paragraphs) the index has.
    pub fn documents(&self) -> usize {
        self.segments.iter().map(Segment::documents).sum()
    }
}

/// The briefs and postings of one segment: `versions` in index order, documents
/// numbered from 0.
fn build_segment(
    site: &Site,
    lang: &Language,
    versions: &[&Arc<BriefVersion>],
    texts: &(dyn Fn(usize, &IndexedBrief, &[String]) -> u64 + Sync),
) -> (Vec<IndexedBrief>, Vec<(String, PostingList)>) {
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
    (briefs, postings)
}

impl Segment {
    /// How many documents (paragraphs) the segment has.
    pub fn documents(&self) -> usize {
        self.briefs.iter().map(|b| b.paragraphs).sum()
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
    fn closed_terms_are_one_segment_and_the_newest_term_is_cut_in_blocks() {
        let names = |terms: &[Option<u32>]| -> Vec<(String, usize)> {
            plan(terms)
                .into_iter()
                .map(|(name, range)| (name, range.len()))
                .collect()
        };
        let mut terms = vec![None, Some(6), Some(6), Some(7)];
        terms.extend(std::iter::repeat_n(Some(8), BLOCK_BRIEFS + 3));
        assert_eq!(
            names(&terms),
            [
                ("x-0".to_string(), 1),
                ("6-0".to_string(), 2),
                ("7-0".to_string(), 1),
                ("8-0".to_string(), BLOCK_BRIEFS),
                ("8-1".to_string(), 3)
            ]
        );
        // A brief added at the newest end grows the last block only.
        let mut more = terms.clone();
        more.push(Some(8));
        let (before, after) = (plan(&terms), plan(&more));
        assert_eq!(before[..4], after[..4]);
        assert_eq!(after[4].1.len(), 4);
        // Briefs after the newest term (on no term) are blocks too; so is a site with no terms.
        assert_eq!(
            names(&[Some(8), None]),
            [("8-0".to_string(), 1), ("x-0".to_string(), 1)]
        );
        assert_eq!(
            names(&vec![None; BLOCK_BRIEFS + 1]),
            [("x-0".to_string(), BLOCK_BRIEFS), ("x-1".to_string(), 1)]
        );
        assert!(plan(&[]).is_empty());
    }

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
