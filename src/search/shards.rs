//! Writes one language's index as script files beside its search page.
//!
//! A page opened from disk may not `fetch()` another file, but it may load one
//! with `<script src>`. So every index file is a script that hands its data to
//! `LegbriefSearch.add(kind, name, data)`, defined by the theme's `search.js`,
//! which inserts the scripts it needs on demand. `<lang>/search/` holds:
//!
//! | file | loaded | holds |
//! |---|---|---|
//! | `meta.js` | when the search page opens, never from a cache | the index's version and shard counts; committees, topics, terms; per brief its committee, term, topics and number of paragraphs |
//! | `t/<b>-<j>.js` | for a query's tokens | token → documents |
//! | `d/<i>.js` | for the results shown | brief *i*'s slug, title, meeting date and paragraph texts |
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
//! **Caches.** File names stay the same from build to build while contents change
//! (document numbers shift when a brief is added), so `meta.js` carries a digest
//! of the other files and `search.js` asks for them with `?v=<digest>`, and for
//! `meta.js` itself afresh on every visit: a browser or CDN cache never mixes two
//! builds' files.
//!
//! Everything is written in a fixed order, so the same site gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::{Config, Language};
use crate::output::OutputFile;

use super::index::{IndexedBrief, LanguageIndex};
use super::tokenize::shard_key;

/// About how large one token shard may grow before it is split.
pub const TARGET_SHARD_BYTES: usize = 32 * 1024;

/// The most buckets a language's index is spread over.
pub const MAX_BUCKETS: usize = 4096;

/// The version of the file format, checked by `search.js`.
pub const FORMAT: u32 = 1;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub buckets: u32,
    /// Buckets split into more than one sub-shard: bucket → sub-shards.
    pub split: BTreeMap<u32, u32>,
}

impl Layout {
    /// The file of `token`: `t/<bucket>-<sub>.js`.
    pub fn file_of(&self, token: &str) -> String {
        let bucket = fnv1a(shard_key(token)) % self.buckets;
        let subs = self.split.get(&bucket).copied().unwrap_or(1);
        format!("t/{bucket}-{}.js", fnv1a(token) % subs)
    }
}

/// Where a file comes in the fixed order of a language's index files: `meta.js`,
/// then the token shards, then the brief texts, each by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    Meta,
    Shard(usize),
    Texts(usize),
}

/// Brief `position`'s texts file, `d/<position>.js`: its slug, title, meeting
/// date and paragraph texts, loaded for the results a query shows.
pub fn texts_file(folder: &str, position: usize, brief: &IndexedBrief, paragraphs: &[String]) -> OutputFile {
    let paragraphs: Vec<String> = paragraphs.iter().map(|p| js_string(p)).collect();
    let data = format!(
        "{{\"slug\":{},\"title\":{},\"meeting\":{},\"paragraphs\":[{}]}}",
        js_string(&brief.slug),
        js_string(&brief.title),
        js_string(&brief.meeting),
        paragraphs.join(",")
    );
    OutputFile {
        path: format!("{folder}d/{position}.js"),
        contents: script("d", &position.to_string(), &data),
    }
}

/// The token shards and `meta.js` of `index` under `folder` (`en/search/`), each
/// handed to `emit` with its [`Position`] as soon as it is made; the texts files
/// were written as the index was built ([`texts_file`], their digests kept in
/// the index). `meta.js` comes last: it names the digest of the others.
pub fn write_each(
    index: &LanguageIndex,
    config: &Config,
    lang: &Language,
    folder: &str,
    emit: &(dyn Fn(Position, OutputFile) + Sync),
) {
    let entries: Vec<(&str, &str)> = index
        .postings
        .iter()
        .map(|(token, docs)| (token.as_str(), docs.as_str()))
        .collect();
    let (layout, shards) = token_shards(&entries);
    drop(entries);
    let mut digests = Vec::with_capacity(shards.len() + index.briefs.len());
    for (position, (name, body)) in shards.into_iter().enumerate() {
        let file = OutputFile {
            path: format!("{folder}t/{name}.js"),
            contents: script("t", &name, &body),
        };
        digests.push(digest(&file));
        emit(Position::Shard(position), file);
    }
    digests.extend(index.briefs.iter().map(|b| b.texts_digest));
    let version = version_of(&digests);
    emit(
        Position::Meta,
        OutputFile {
            path: format!("{folder}meta.js"),
            contents: script("meta", "", &meta(index, config, lang, &layout, &version)),
        },
    );
}

/// A digest of the token shards and texts. Their names stay the same from build
/// to build while their contents change (document numbers shift when a brief is
/// added), so `search.js` asks for them with `?v=<version>`: a browser or CDN
/// cache never mixes shards of two builds. `meta.js`, which names the version,
/// is always asked for afresh.
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
    let size = |(token, postings): &(&str, &str)| token.len() + postings.len() + 6;
    let total: usize = entries.iter().map(size).sum();
    let buckets = total.div_ceil(TARGET_SHARD_BYTES).clamp(1, MAX_BUCKETS);
    let buckets = u32::try_from(buckets).unwrap_or(1);
    let mut by_bucket: Vec<Vec<&(&str, &str)>> = vec![Vec::new(); buckets as usize];
    for entry in entries {
        by_bucket[(fnv1a(shard_key(entry.0)) % buckets) as usize].push(entry);
    }
    let mut layout = Layout {
        buckets,
        split: BTreeMap::new(),
    };
    let mut shards = Vec::new();
    for (bucket, members) in by_bucket.iter().enumerate() {
        let bytes: usize = members.iter().map(|e| size(e)).sum();
        let subs = u32::try_from(bytes.div_ceil(TARGET_SHARD_BYTES).max(1)).unwrap_or(1);
        if subs > 1 {
            layout.split.insert(bucket as u32, subs);
        }
        let mut bodies: Vec<String> = vec![String::from("{"); subs as usize];
        for (token, postings) in members {
            let body = &mut bodies[(fnv1a(token) % subs) as usize];
            if body.len() > 1 {
                body.push(',');
            }
            let _ = write!(body, "{}:\"{postings}\"", js_string(token));
        }
        for (sub, mut body) in bodies.into_iter().enumerate() {
            body.push('}');
            shards.push((format!("{bucket}-{sub}"), body));
        }
    }
    (layout, shards)
}

/// What the search page loads first: the layout, the names filters show, and
/// per brief what filters test and how many documents it has.
fn meta(index: &LanguageIndex, config: &Config, lang: &Language, layout: &Layout, version: &str) -> String {
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
    let split: Vec<String> = layout.split.iter().map(|(b, s)| format!("\"{b}\":{s}")).collect();
    let briefs: Vec<String> = index
        .briefs
        .iter()
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
        "{{\"format\":{FORMAT},\"version\":\"{version}\",\"lang\":{},\"buckets\":{},\"split\":{{{}}},\"documents\":{},\"committees\":[{}],\"topics\":[{}],\"terms\":[{}],\"briefs\":[{}]}}",
        js_string(&index.lang),
        layout.buckets,
        split.join(","),
        index.documents(),
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
