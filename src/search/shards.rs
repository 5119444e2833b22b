//! Writes one language's index as script files beside its search page.
//!
//! A page opened from disk may not `fetch()` another file, but it may load one
//! with `<script src>`. So every index file is a script that hands its data to
//! `LegbriefSearch.add(kind, name, data)`, defined by the theme's `search.js`,
//! which inserts the scripts it needs on demand. `<lang>/search/` holds:
//!
//! | file | loaded | holds |
//! |---|---|---|
//! | `meta.js` | when the search page opens, never from a cache | the segments (name, version, shard counts, briefs, documents); committees, topics, terms; per brief, oldest first, its committee, term, topics and number of paragraphs |
//! | `<s>/t/<b>-<j>.js` | for a query's tokens, in every segment | token → documents of segment *s* |
//! | `<s>/d/<i>.js` | for the results shown | segment *s*'s brief *i*: slug, title, meeting date and paragraph texts |
//!
//! **Segments** ([`super::index::plan`]) each have their own shards and texts
//! and number their documents from 0, so a segment that gains no brief keeps
//! every byte of its files from build to build.
//!
//! **Token shards.** A token's *bucket* `b` is the FNV-1a hash of its
//! [shard key](super::tokenize::shard_key) modulo the number of buckets, chosen
//! so a bucket holds about [`TARGET_SHARD_BYTES`]. Keying by prefix keeps every
//! completion of a word typed so far (`lampp…`) and every bigram starting with one
//! Chinese character in the same bucket. A bucket larger than the target is split
//! into sub-shards `j` by the hash of the whole token, so looking up one token
//! still loads one file of about the target size; only a prefix query loads all
//! of a bucket's sub-shards.
//!
//! **Posting lists** are strings: each document number as the gap from the
//! previous one minus one, written as a little-endian varint of 5-bit digits in a
//! 64-letter alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`; 32 and up means "more
//! digits follow"). Common tokens have small gaps and cost one letter per
//! paragraph.
//!
//! **Caches.** A segment's file names stay the same while the segment grows, so
//! `meta.js` carries a digest of each segment's files and `search.js` asks for
//! them with `?v=<digest>`, and for `meta.js` itself afresh on every visit: a
//! browser or CDN cache never mixes two builds' files, and keeps a closed
//! segment's files for good.
//!
//! Everything is written in a fixed order, so the same site gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::{Config, Language};
use crate::output::OutputFile;

use super::index::{IndexedBrief, LanguageIndex, Segment};
use super::tokenize::shard_key;

/// About how large one token shard may grow before it is split.
pub const TARGET_SHARD_BYTES: usize = 32 * 1024;

/// The most buckets a language's index is spread over.
pub const MAX_BUCKETS: usize = 4096;

/// The version of the file format, checked by `search.js`.
pub const FORMAT: u32 = 2;

pub use super::postings::{decode_postings, encode_postings};

/// 32-bit FNV-1a of the UTF-8 bytes: tiny, and the same in JavaScript.
pub fn fnv1a(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// `text` as a JavaScript (and JSON) string literal.
pub fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Line separators end a line in older JavaScript; `<` keeps `</script>` out.
            '\u{2028}' | '\u{2029}' | '<' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A registration call: the whole content of one index file.
fn script(kind: &str, name: &str, data: &str) -> Vec<u8> {
    format!("LegbriefSearch.add({},{},{data});\n", js_string(kind), js_string(name)).into_bytes()
}

/// The sizes chosen for the token shards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub buckets: u32,
    /// Buckets split into more than one sub-shard: bucket → sub-shards.
    pub split: BTreeMap<u32, u32>,
}

impl Layout {
    /// The file of `token`: `t/<bucket>-<sub>.js`.
    pub fn file_of(&self, token: &str) -> String {
        let (bucket, sub) = self.shard_of(token);
        format!("t/{bucket}-{sub}.js")
    }

    /// The bucket and sub-shard of `token`.
    pub fn shard_of(&self, token: &str) -> (u32, u32) {
        let bucket = fnv1a(shard_key(token)) % self.buckets.max(1);
        (bucket, fnv1a(token) % self.subs(bucket))
    }

    /// How many sub-shards `bucket` is split into.
    pub fn subs(&self, bucket: u32) -> u32 {
        self.split.get(&bucket).copied().unwrap_or(1)
    }
}

/// Where a file comes in the fixed order of a language's index files: `meta.js`,
/// then each segment's token shards, then each segment's brief texts, each by
/// number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    Meta,
    /// Segment, shard.
    Shard(usize, usize),
    /// Segment, brief in the segment.
    Texts(usize, usize),
}

/// The texts file of brief `position` of segment `segment`,
/// `<segment>/d/<position>.js`: its slug, title, meeting date and paragraph
/// texts, loaded for the results a query shows.
pub fn texts_file(
    folder: &str,
    segment: &str,
    position: usize,
    brief: &IndexedBrief,
    paragraphs: &[String],
) -> OutputFile {
    let paragraphs: Vec<String> = paragraphs.iter().map(|p| js_string(p)).collect();
    let data = format!(
        "{{\"slug\":{},\"title\":{},\"meeting\":{},\"paragraphs\":[{}]}}",
        js_string(&brief.slug),
        js_string(&brief.title),
        js_string(&brief.meeting),
        paragraphs.join(",")
    );
    OutputFile {
        path: format!("{folder}{segment}/d/{position}.js"),
        contents: script("d", &format!("{segment}/{position}"), &data),
    }
}

/// The token shards of every segment of `index` and `meta.js`, under `folder`
/// (`en/search/`), each handed to `emit` with its [`Position`] as soon as it is
/// made; the texts files were written as the index was built ([`texts_file`],
/// their digests kept in the index). `meta.js` comes last: it names the digest
/// of the others.
pub fn write_each(
    index: &LanguageIndex,
    config: &Config,
    lang: &Language,
    folder: &str,
    emit: &(dyn Fn(Position, OutputFile) + Sync),
) -> Vec<Written> {
    let written: Vec<Written> = index
        .segments
        .iter()
        .enumerate()
        .map(|(at, segment)| write_segment(segment, at, folder, emit))
        .collect();
    emit(Position::Meta, meta_file(index, config, lang, folder, &written));
    written
}

/// Every token shard of one segment (number `at`), handed to `emit`.
fn write_segment(segment: &Segment, at: usize, folder: &str, emit: &(dyn Fn(Position, OutputFile) + Sync)) -> Written {
    let entries: Vec<(&str, &str)> = segment
        .postings
        .iter()
        .map(|(token, docs)| (token.as_str(), docs.as_str()))
        .collect();
    let (layout, shards) = token_shards(&entries);
    drop(entries);
    let mut digests = Vec::with_capacity(shards.len());
    for (position, (name, body)) in shards.into_iter().enumerate() {
        let file = shard_file(folder, &segment.name, &name, &body);
        digests.push(digest(&file));
        emit(Position::Shard(at, position), file);
    }
    Written { layout, digests }
}

/// What [`write_each`] wrote of one segment's token shards, kept with the index
/// so that an update can rewrite only the shards whose tokens it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub layout: Layout,
    /// Each shard's [`digest`], in the order written.
    pub digests: Vec<u64>,
}

/// Dev mode's update of the token shards after [`Segment::replace_documents`]
/// changed the lists of the `touched` tokens of some segments (by number): in a
/// segment whose layout is what its shards were written with (`written`), only
/// the shards holding a touched token are made again, each exactly as
/// [`write_each`] makes it; a segment whose layout changed has every shard made
/// anew. Then `meta.js`. Returns the new record and the segments made anew.
/// With Chinese bigrams a language has over a thousand shards, 28 MB at 10,000
/// briefs, and an edit touches a few dozen.
pub fn write_changed(
    index: &LanguageIndex,
    written: &[Written],
    touched: &BTreeMap<usize, std::collections::BTreeSet<String>>,
    config: &Config,
    lang: &Language,
    folder: &str,
    emit: &(dyn Fn(Position, OutputFile) + Sync),
) -> (Vec<Written>, Vec<usize>) {
    let mut record = written.to_vec();
    record.resize(index.segments.len(), Written::default());
    let mut anew = Vec::new();
    for (&at, tokens) in touched {
        let Some(segment) = index.segments.get(at) else {
            continue;
        };
        let entries: Vec<(&str, &str)> = segment
            .postings
            .iter()
            .map(|(token, docs)| (token.as_str(), docs.as_str()))
            .collect();
        match changed_shards(&entries, &record[at], tokens) {
            Some((layout, redone)) => {
                let mut digests = record[at].digests.clone();
                for (position, name, body) in redone {
                    let file = shard_file(folder, &segment.name, &name, &body);
                    digests[position] = digest(&file);
                    emit(Position::Shard(at, position), file);
                }
                record[at] = Written { layout, digests };
            }
            None => {
                drop(entries);
                record[at] = write_segment(segment, at, folder, emit);
                anew.push(at);
            }
        }
    }
    emit(Position::Meta, meta_file(index, config, lang, folder, &record));
    (record, anew)
}

/// A token and its posting list, as the shards hold them.
type Entry<'a> = (&'a str, &'a str);

/// A shard made again: its position among the shards, its name and its body.
type RemadeShard = (usize, String, String);

/// The layout of `entries` and the shards holding a `touched` token, as
/// (position, name, body) the way [`token_shards`] makes them, if the layout
/// and the number of shards are those `written` records.
fn changed_shards(
    entries: &[(&str, &str)],
    written: &Written,
    touched: &std::collections::BTreeSet<String>,
) -> Option<(Layout, Vec<RemadeShard>)> {
    let layout = layout_of(entries);
    if layout != written.layout {
        return None;
    }
    // Each bucket's first shard position, in the order `token_shards` writes them.
    let mut first = Vec::with_capacity(layout.buckets as usize);
    let mut count = 0usize;
    for bucket in 0..layout.buckets {
        first.push(count);
        count += layout.subs(bucket) as usize;
    }
    if count != written.digests.len() {
        return None;
    }
    let position = |token: &str| {
        let (bucket, sub) = layout.shard_of(token);
        (first[bucket as usize] + sub as usize, bucket, sub)
    };
    let mut members: BTreeMap<usize, (String, Vec<&Entry<'_>>)> = touched
        .iter()
        .map(|t| {
            let (at, bucket, sub) = position(t);
            (at, (format!("{bucket}-{sub}"), Vec::new()))
        })
        .collect();
    for entry in entries {
        if let Some((_, list)) = members.get_mut(&position(entry.0).0) {
            list.push(entry);
        }
    }
    let redone = members
        .into_iter()
        .map(|(at, (name, list))| (at, name, shard_body(&list)))
        .collect();
    Some((layout, redone))
}

fn shard_file(folder: &str, segment: &str, name: &str, body: &str) -> OutputFile {
    OutputFile {
        path: format!("{folder}{segment}/t/{name}.js"),
        contents: script("t", &format!("{segment}/{name}"), body),
    }
}

fn meta_file(index: &LanguageIndex, config: &Config, lang: &Language, folder: &str, written: &[Written]) -> OutputFile {
    OutputFile {
        path: format!("{folder}meta.js"),
        contents: script("meta", "", &meta(index, config, lang, written)),
    }
}

/// A segment's version: a digest of its token shards and texts. Their names
/// stay the same while the segment grows, so `search.js` asks for them with
/// `?v=<version>`: a browser or CDN cache never mixes shards of two builds.
/// `meta.js`, which names the versions, is always asked for afresh.
fn version_of(digests: &[u64]) -> String {
    let combined = digests
        .iter()
        .fold(FNV64_OFFSET, |hash, digest| fnv1a64(&digest.to_le_bytes(), hash));
    format!("{combined:016x}")
}

/// One file's part of the version: its path and contents.
pub fn digest(file: &OutputFile) -> u64 {
    fnv1a64(file.path.as_bytes(), fnv1a64(&file.contents, FNV64_OFFSET))
}

const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a of `bytes`, continuing from `hash`.
fn fnv1a64(bytes: &[u8], mut hash: u64) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Sizes the buckets and fills every shard, empty ones included (so a missing
/// file is an error, never a token that happens to be absent). Returns the
/// layout and each shard's name (`<b>-<j>`) with its object literal.
fn token_shards(entries: &[(&str, &str)]) -> (Layout, Vec<(String, String)>) {
    let layout = layout_of(entries);
    let mut by_shard: BTreeMap<(u32, u32), Vec<&(&str, &str)>> = BTreeMap::new();
    for bucket in 0..layout.buckets {
        for sub in 0..layout.subs(bucket) {
            by_shard.insert((bucket, sub), Vec::new());
        }
    }
    for entry in entries {
        if let Some(list) = by_shard.get_mut(&layout.shard_of(entry.0)) {
            list.push(entry);
        }
    }
    let shards = by_shard
        .into_iter()
        .map(|((bucket, sub), members)| (format!("{bucket}-{sub}"), shard_body(&members)))
        .collect();
    (layout, shards)
}

/// The bucket count for the entries' total size, and the buckets that must be
/// split, with their sub-shard counts.
fn layout_of(entries: &[(&str, &str)]) -> Layout {
    let total: usize = entries.iter().map(entry_size).sum();
    let buckets = total.div_ceil(TARGET_SHARD_BYTES).clamp(1, MAX_BUCKETS);
    let buckets = u32::try_from(buckets).unwrap_or(1);
    let mut sizes = vec![0usize; buckets as usize];
    for entry in entries {
        sizes[(fnv1a(shard_key(entry.0)) % buckets) as usize] += entry_size(entry);
    }
    let split = sizes
        .iter()
        .enumerate()
        .filter_map(|(bucket, &bytes)| {
            let subs = u32::try_from(bytes.div_ceil(TARGET_SHARD_BYTES).max(1)).unwrap_or(1);
            (subs > 1).then_some((bucket as u32, subs))
        })
        .collect();
    Layout { buckets, split }
}

fn entry_size((token, postings): &(&str, &str)) -> usize {
    token.len() + postings.len() + 6
}

/// One shard's data: its tokens (in index order) and their posting lists.
fn shard_body(members: &[&(&str, &str)]) -> String {
    let mut body = String::from("{");
    for (token, postings) in members {
        if body.len() > 1 {
            body.push(',');
        }
        let _ = write!(body, "{}:\"{postings}\"", js_string(token));
    }
    body.push('}');
    body
}

/// What the search page loads first: each segment's layout and version, the
/// names filters show, and per brief (oldest first) what filters test and how
/// many documents it has.
fn meta(index: &LanguageIndex, config: &Config, lang: &Language, written: &[Written]) -> String {
    let name = |names: &crate::config::Names| js_string(names.get(&lang.code, &config.default_language));
    let committees: Vec<String> = config
        .committees
        .iter()
        .map(|c| format!("[{},{}]", js_string(&c.key), name(&c.names)))
        .collect();
    let topics: Vec<String> = config
        .topics
        .iter()
        .map(|t| format!("[{},{}]", js_string(&t.key), name(&t.names)))
        .collect();
    let terms: Vec<String> = config
        .terms
        .iter()
        .map(|t| format!("[{},{}]", t.number, name(&t.names)))
        .collect();
    let empty = Written::default();
    let segments: Vec<String> = index
        .segments
        .iter()
        .enumerate()
        .map(|(at, segment)| {
            let written = written.get(at).unwrap_or(&empty);
            let digests: Vec<u64> = written
                .digests
                .iter()
                .copied()
                .chain(segment.briefs.iter().map(|b| b.texts_digest))
                .collect();
            let split: Vec<String> = written
                .layout
                .split
                .iter()
                .map(|(b, s)| format!("\"{b}\":{s}"))
                .collect();
            format!(
                "{{\"name\":{},\"version\":\"{}\",\"buckets\":{},\"split\":{{{}}},\"briefs\":{},\"documents\":{}}}",
                js_string(&segment.name),
                version_of(&digests),
                written.layout.buckets,
                split.join(","),
                segment.briefs.len(),
                segment.documents()
            )
        })
        .collect();
    let briefs: Vec<String> = index
        .segments
        .iter()
        .flat_map(|s| &s.briefs)
        .map(|b| {
            let topics: Vec<String> = b.topics.iter().map(usize::to_string).collect();
            format!(
                "[{},{},[{}],{}]",
                b.committee,
                b.term.unwrap_or(0),
                topics.join(","),
                b.paragraphs
            )
        })
        .collect();
    format!(
        "{{\"format\":{FORMAT},\"lang\":{},\"documents\":{},\"segments\":[{}],\"committees\":[{}],\"topics\":[{}],\"terms\":[{}],\"briefs\":[{}]}}",
        js_string(&index.lang),
        index.documents(),
        segments.join(","),
        committees.join(","),
        topics.join(","),
        terms.join(","),
        briefs.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn strings_are_safe_in_a_script() {
        assert_eq!(
            js_string("a\"b\\c\n</script>\u{2028}"),
            "\"a\\\"b\\\\c\\n\\u003c/script>\\u2028\""
        );
        assert_eq!(js_string("智慧"), "\"智慧\"");
    }

    #[test]
    fn an_update_remakes_exactly_the_shards_of_the_touched_tokens() {
        let before: Vec<(String, String)> = (0..6000).map(|i| (format!("w{i}"), "AB".repeat(i % 7 + 40))).collect();
        fn as_refs(p: &[(String, String)]) -> Vec<(&str, &str)> {
            p.iter().map(|(t, d)| (t.as_str(), d.as_str())).collect()
        }
        let mut sorted = before.clone();
        sorted.sort();
        let (layout, shards) = token_shards(&as_refs(&sorted));
        assert!(shards.len() > 10);
        let written = Written {
            layout,
            digests: vec![0; shards.len()],
        };
        // Three lists change, one token goes, one comes.
        let mut after = sorted.clone();
        for (token, docs) in after
            .iter_mut()
            .filter(|(t, _)| ["w5", "w77", "w4000"].contains(&t.as_str()))
        {
            docs.push_str("CD");
            assert!(!token.is_empty());
        }
        after.retain(|(t, _)| t != "w123");
        after.push(("w9999".into(), "A".into()));
        after.sort();
        let touched: std::collections::BTreeSet<String> = ["w5", "w77", "w4000", "w123", "w9999"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let (_, fresh) = token_shards(&as_refs(&after));
        let (_, redone) = changed_shards(&as_refs(&after), &written, &touched).expect("same layout");
        assert!(!redone.is_empty() && redone.len() <= touched.len());
        for (at, name, body) in &redone {
            assert_eq!((name, body), (&fresh[*at].0, &fresh[*at].1));
        }
        // Every shard not remade is as it was.
        for (at, shard) in fresh.iter().enumerate() {
            if !redone.iter().any(|(r, _, _)| *r == at) {
                assert_eq!(shard, &shards[at], "shard {at}");
            }
        }
        // A different layout is refused.
        let grown: Vec<(String, String)> = (0..60000).map(|i| (format!("w{i}"), "AB".repeat(50))).collect();
        assert!(changed_shards(&as_refs(&grown), &written, &touched).is_none());
    }

    #[test]
    fn big_buckets_are_split_and_every_token_has_one_file() {
        let postings: Vec<(String, String)> = (0..4000).map(|i| (format!("lamp{i}"), "A".repeat(40))).collect();
        let entries: Vec<(&str, &str)> = postings.iter().map(|(t, p)| (t.as_str(), p.as_str())).collect();
        let (layout, shards) = token_shards(&entries);
        // All share the key `lamp`, so one bucket holds them all, split in sub-shards.
        assert_eq!(layout.split.len(), 1);
        let subs = *layout.split.values().next().unwrap();
        assert!(subs > 1);
        for (token, _) in &entries {
            let file = layout.file_of(token);
            let name = file.trim_start_matches("t/").trim_end_matches(".js");
            let body = &shards.iter().find(|(n, _)| n == name).unwrap().1;
            assert!(body.contains(&format!("\"{token}\":")));
        }
        for (_, body) in &shards {
            assert!(body.len() <= TARGET_SHARD_BYTES * 2, "no shard is far above the target");
        }
    }
}
