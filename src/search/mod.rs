//! Search: an index per language, written at build time, read by the reader's
//! browser with no server.
//!
//! Readers look for what Members said about a subject across years of briefs, in
//! English and in Chinese, on the published site and in a term archive opened from
//! a USB stick. So:
//!
//! - **A hit is a paragraph**: brief, paragraph number, text, linking to
//!   `…/briefs/<slug>/#p-n`, the citation readers already use ([`index`]).
//! - **Chinese is indexed by character bigrams**, English by folded, lightly
//!   stemmed words; one tokenizer handles mixed text ([`tokenize`]).
//! - **No `fetch()`**: browsers refuse it between `file://` pages, so the index is
//!   written as script files that register their data, loaded with `<script src>`
//!   on demand, sharded by token prefix so a query downloads only the shards of its
//!   words and the texts of the results it shows ([`shards`]).
//!
//! Why not a library: Pagefind, the well-kept static search crate (with CJK
//! segmentation in its extended build), loads its index through ES modules,
//! `fetch()` and WebAssembly, none of which work from `file://`; its maintainers
//! say it needs a web server (Pagefind issue #202). A term archive must search
//! from disk, so legbrief writes its own index: a tokenizer, an index builder and
//! a shard writer, a few hundred lines with no dependency, mirrored by the theme's
//! `static/search.js`.
//!
//! The search page itself is `PageId::Search`, rendered from [`page::context`]
//! by the theme's `search.html`.

pub mod index;
pub mod page;
pub mod postings;
pub mod shards;
pub mod tokenize;

use crate::model::{PageId, Site};
use crate::output::OutputFile;

use std::sync::Mutex;

use crate::config::Language;
use index::LanguageIndex;
use shards::Position;

/// The index files of one language, in their fixed order.
pub fn language_files(site: &Site, lang: &Language) -> Vec<OutputFile> {
    language_files_as(site, lang, |file| file)
}

/// [`language_files`], each file handed to `keep` as soon as it is made and
/// what it returns held (dev mode keeps them compressed), in the fixed order.
pub fn language_files_as<F: Send>(site: &Site, lang: &Language, keep: impl Fn(OutputFile) -> F + Sync) -> Vec<F> {
    language_index_as(site, lang, keep).1
}

/// A language's index as dev mode keeps it: the index, and how each segment's
/// token shards were laid out and what they held, so an edit rewrites only the
/// shards it changed.
#[derive(Debug, Clone, Default)]
pub struct KeptIndex {
    pub index: LanguageIndex,
    /// Per segment, in order.
    pub shards: Vec<shards::Written>,
}

/// Every index file of the site, for a build that writes as it goes: each file is handed to
/// `emit` as soon as it is made, one language at a time, so a large archive's
/// index is never held in memory whole.
pub fn each_index_file(site: &Site, emit: &(dyn Fn(OutputFile) + Sync)) {
    for lang in &site.config.languages {
        each_language_file(site, lang, &|_, file| emit(file));
    }
}

/// Every index file of `lang`, each handed to `emit` as soon as it is made: the
/// texts files while the index is built (in parallel), then the token shards
/// and `meta.js`. Returns the index, which dev mode keeps to update it.
fn each_language_file(site: &Site, lang: &Language, emit: &(dyn Fn(Position, OutputFile) + Sync)) -> KeptIndex {
    let folder = PageId::Search(lang.code.clone()).path();
    // Segment names are unique: texts are numbered by segment in the order the
    // plan gives them.
    let plan: Vec<String> = {
        let versions = index::in_index_order(site, &lang.code);
        let terms: Vec<Option<u32>> = versions.iter().map(|v| v.term).collect();
        index::plan(&terms).into_iter().map(|(name, _)| name).collect()
    };
    let index = LanguageIndex::build(site, lang, &|segment, position, brief, paragraphs| {
        let file = shards::texts_file(&folder, segment, position, brief, paragraphs);
        let digest = shards::digest(&file);
        let at = plan.iter().position(|name| name == segment).unwrap_or(0);
        emit(Position::Texts(at, position), file);
        digest
    });
    let shards = shards::write_each(&index, &site.config, lang, &folder, emit);
    KeptIndex { index, shards }
}

/// [`language_files_as`] that also returns the index, for dev mode to keep.
pub fn language_index_as<F: Send>(
    site: &Site,
    lang: &Language,
    keep: impl Fn(OutputFile) -> F + Sync,
) -> (KeptIndex, Vec<F>) {
    let files = Mutex::new(Vec::new());
    let index = each_language_file(site, lang, &|position, file| {
        let kept = keep(file);
        if let Ok(mut files) = files.lock() {
            files.push((position, kept));
        }
    });
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_unstable_by_key(|(position, _)| *position);
    (index, files.into_iter().map(|(_, file)| file).collect())
}

/// What [`update_language_index`] made.
pub struct Updated<F> {
    pub kept: KeptIndex,
    /// The files that may differ from the previous ones, in the fixed order.
    pub files: Vec<F>,
    /// Token-shard folders (`en/search/8-1/t/`) whose every file is among
    /// `files`: a file under them that is not is stale. Every other file of the
    /// language's index is as it was.
    pub remade: Vec<String>,
}

/// Dev mode's fast path after an edit: `kept`, the index of `lang` as it was
/// built, updated for the briefs whose indexed versions were `changed` (as
/// they were then), without tokenizing any other brief. Possible when every
/// document keeps its number: the same briefs in the same segments in the same
/// order, each with as many paragraphs and the same title, date, committee,
/// term and topics; otherwise `None` (then the index is made anew). Returns
/// `meta.js`, the texts files of the changed briefs and the token shards holding
/// a token they changed (every shard of a segment whose layout changed). The
/// result is what [`language_files`] would make.
pub fn update_language_index<F: Send>(
    site: &Site,
    lang: &Language,
    kept: &KeptIndex,
    changed: &[std::sync::Arc<crate::model::BriefVersion>],
    keep: impl Fn(OutputFile) -> F + Sync,
) -> Option<Updated<F>> {
    let folder = PageId::Search(lang.code.clone()).path();
    let versions = index::in_index_order(site, &lang.code);
    let previous = &kept.index;
    let terms: Vec<Option<u32>> = versions.iter().map(|v| v.term).collect();
    let plan = index::plan(&terms);
    let same_plan = plan.len() == previous.segments.len()
        && plan
            .iter()
            .zip(&previous.segments)
            .all(|((name, range), segment)| *name == segment.name && range.len() == segment.briefs.len());
    if !same_plan {
        return None;
    }
    let mut index = previous.clone();
    let mut files = Vec::new();
    let mut touched: std::collections::BTreeMap<usize, std::collections::BTreeSet<String>> = Default::default();
    for old in changed {
        let at = versions.iter().position(|v| v.slug() == old.slug())?;
        let seg = plan.iter().position(|(_, range)| range.contains(&at))?;
        let position = at - plan[seg].1.start;
        let segment = &mut index.segments[seg];
        if segment.briefs.get(position).is_none_or(|b| b.slug != old.slug()) {
            return None;
        }
        let now = versions[at];
        let paragraphs = index::paragraph_texts(&now.body());
        let mut brief = index::indexed_brief(site, lang, now, paragraphs.len());
        brief.texts_digest = segment.briefs[position].texts_digest;
        if brief != segment.briefs[position] {
            return None;
        }
        let start: u32 = segment.briefs[..position]
            .iter()
            .map(|b| u32::try_from(b.paragraphs).unwrap_or(u32::MAX))
            .sum();
        touched.entry(seg).or_default().extend(segment.replace_documents(
            start,
            &index::paragraph_texts(&old.body()),
            &paragraphs,
        ));
        let file = shards::texts_file(&folder, &segment.name, position, &brief, &paragraphs);
        segment.briefs[position].texts_digest = shards::digest(&file);
        files.push((Position::Texts(seg, position), keep(file)));
    }
    let made = Mutex::new(files);
    let emit = |position, file| {
        let kept = keep(file);
        if let Ok(mut made) = made.lock() {
            made.push((position, kept));
        }
    };
    let (written, anew) = shards::write_changed(&index, &kept.shards, &touched, &site.config, lang, &folder, &emit);
    let mut files = made.into_inner().unwrap_or_default();
    files.sort_unstable_by_key(|(position, _)| *position);
    let remade = anew
        .iter()
        .map(|&at| format!("{folder}{}/t/", index.segments[at].name))
        .collect();
    Some(Updated {
        kept: KeptIndex { index, shards: written },
        files: files.into_iter().map(|(_, file)| file).collect(),
        remade,
    })
}
