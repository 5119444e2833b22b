//! What the search page template gets: where the index and the script are, how
//! to link a result, and the choices of its filters.

use serde::Serialize;

use crate::config::Language;
use crate::links::Linker;
use crate::model::{PageId, Site};
use crate::theme::STATIC_DIR;

/// One option of a filter.
#[derive(Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub name: String,
}

/// The search page's context (`search` in `search.html`).
#[derive(Debug, Serialize)]
pub struct SearchPage {
    /// The folder of the index files as this page links to it, ending in `/`.
    pub index: String,
    /// The search script of the theme.
    pub script: String,
    /// A brief's page with `{slug}` in place of its slug; `#p-n` is appended.
    pub brief_href: String,
    /// Committees, topics and terms that have briefs in this language (in a term
    /// archive, only that term's), in config order.
    pub committees: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub terms: Vec<Choice>,
}

/// The context of the search page of `lang`, linked with `linker`.
pub fn context(site: &Site, lang: &Language, linker: &Linker) -> SearchPage {
    let config = &site.config;
    let code = lang.code.as_str();
    let name = |names: &crate::config::Names| names.get(code, &config.default_language).to_string();
    let versions = site.versions_in(code);
    let folder = PageId::Search(code.to_string()).path();
    // A file inside the folder links the same way in either link mode; its folder
    // would not (relative links to folders name `index.html`).
    let meta = linker.to(&format!("{folder}meta.js"));
    SearchPage {
        index: meta.strip_suffix("meta.js").unwrap_or_default().to_string(),
        script: linker.to(&format!("{STATIC_DIR}search.js")),
        brief_href: linker.to(&PageId::Brief(code.to_string(), "{slug}".to_string()).path()),
        committees: config
            .committees
            .iter()
            .filter(|c| versions.iter().any(|v| v.source.front.committee == c.key))
            .map(|c| Choice {
                value: c.key.clone(),
                name: name(&c.names),
            })
            .collect(),
        topics: config
            .topics
            .iter()
            .filter(|t| versions.iter().any(|v| v.topics.contains(&t.key)))
            .map(|t| Choice {
                value: t.key.clone(),
                name: name(&t.names),
            })
            .collect(),
        terms: config
            .terms
            .iter()
            .filter(|t| versions.iter().any(|v| v.term == Some(t.number)))
            .map(|t| Choice {
                value: t.number.to_string(),
                name: name(&t.names),
            })
            .collect(),
    }
}
