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
    let files = Mutex::new(Vec::new());
    each_language_file(site, lang, &|position, file| {
        let kept = keep(file);
        if let Ok(mut files) = files.lock() {
            files.push((position, kept));
        }
    });
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_unstable_by_key(|(position, _)| *position);
    files.into_iter().map(|(_, file)| file).collect()
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
/// and `meta.js`.
fn each_language_file(site: &Site, lang: &Language, emit: &(dyn Fn(Position, OutputFile) + Sync)) {
    let folder = PageId::Search(lang.code.clone()).path();
    let index = LanguageIndex::build(site, lang, &|position, brief, paragraphs| {
        let file = shards::texts_file(&folder, position, brief, paragraphs);
        let digest = shards::digest(&file);
        emit(Position::Texts(position), file);
        digest
    });
    shards::write_each(&index, &site.config, lang, &folder, emit);
}
