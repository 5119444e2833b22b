//! Updated briefs as versions: which brief supersedes which.
//!
//! A brief names the earlier brief it updates with `supersedes = "<slug>"` in its
//! front matter. [`check`] refuses, at the field, a slug no loaded brief has, a
//! chain that loops back on itself, a brief superseded by two others and
//! translations naming different briefs. [`Lineage`] is the checked relation
//! between the briefs the site has (a term archive has only its term's), which
//! brief pages, comparison pages, listings and the data exports read.

use std::collections::{BTreeMap, BTreeSet};

use super::Brief;
use crate::content::BriefSource;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// Which brief supersedes which, among the briefs of a site.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct Lineage {
    /// slug → the slug of the earlier brief it supersedes.
    older: BTreeMap<String, String>,
    /// slug → the slug of the brief that supersedes it.
    newer: BTreeMap<String, String>,
}

/// The `supersedes` of a brief: the first of its versions (in the config's
/// language order) that sets it.
fn supersedes_of(brief: &Brief) -> Option<&str> {
    brief
        .versions
        .iter()
        .find_map(|v| v.source.front.supersedes.as_ref().map(|(s, _)| s.as_str()))
}

impl Lineage {
    /// The relation between `briefs` (sorted by slug), keeping only pairs whose
    /// both briefs are there. Sources that failed [`check`] never get here, but a
    /// loop is cut all the same, so nothing that walks the chain can spin.
    pub fn new(briefs: &[Brief]) -> Lineage {
        let has = |slug: &str| briefs.binary_search_by(|b| b.slug.as_str().cmp(slug)).is_ok();
        let mut lineage = Lineage::default();
        for brief in briefs {
            if let Some(old) = supersedes_of(brief)
                && old != brief.slug
                && has(old)
                && !lineage.newer.contains_key(old)
            {
                lineage.older.insert(brief.slug.clone(), old.to_string());
                lineage.newer.insert(old.to_string(), brief.slug.clone());
            }
        }
        // Cut any loop, at its smallest slug, so walks end.
        let slugs: Vec<String> = lineage.older.keys().cloned().collect();
        for start in slugs {
            let mut seen = BTreeSet::new();
            let mut at = start.clone();
            while let Some(old) = lineage.older.get(&at).cloned() {
                if !seen.insert(at.clone()) {
                    break;
                }
                if old == start {
                    lineage.older.remove(&at);
                    lineage.newer.remove(&old);
                    break;
                }
                at = old;
            }
        }
        lineage
    }

    /// The brief `slug` updates, if the site has it.
    pub fn supersedes(&self, slug: &str) -> Option<&str> {
        self.older.get(slug).map(String::as_str)
    }

    /// The brief that updates `slug`, if the site has it.
    pub fn superseded_by(&self, slug: &str) -> Option<&str> {
        self.newer.get(slug).map(String::as_str)
    }

    /// Every earlier version of `slug`, the one it supersedes first.
    pub fn earlier(&self, slug: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut at = slug;
        while let Some(old) = self.older.get(at) {
            if out.contains(&old.as_str()) || old == slug {
                break;
            }
            out.push(old);
            at = old;
        }
        out
    }

    /// The newest version of `slug`: itself when nothing supersedes it.
    pub fn newest<'a>(&'a self, slug: &'a str) -> &'a str {
        let mut at = slug;
        let mut steps = 0;
        while let Some(new) = self.newer.get(at) {
            steps += 1;
            if steps > self.newer.len() {
                break;
            }
            at = new;
        }
        at
    }

    /// The briefs related to `slug`: its earlier versions and its newer ones.
    pub fn related(&self, slug: &str) -> Vec<&str> {
        let mut out = self.earlier(slug);
        let mut at = slug;
        while let Some(new) = self.newer.get(at) {
            if out.contains(&new.as_str()) || new == slug {
                break;
            }
            out.push(new);
            at = new;
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.older.is_empty()
    }
}

/// What [`check`] needs of one source: its slug and file, and what it supersedes.
/// A build keeps one per source read, a term archive's of other terms too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub slug: String,
    pub path: std::path::PathBuf,
    pub supersedes: Option<(String, (usize, usize))>,
}

impl Claim {
    pub fn of(source: &BriefSource) -> Claim {
        Claim {
            slug: source.slug.clone(),
            path: source.path.clone(),
            supersedes: source.front.supersedes.clone(),
        }
    }
}

fn location(source: &Claim) -> Option<(&str, Location)> {
    source.supersedes.as_ref().map(|(slug, (line, column))| {
        (
            slug.as_str(),
            Location {
                path: source.path.clone(),
                line: *line,
                column: *column,
            },
        )
    })
}

/// Every problem of the `supersedes` fields of `sources` (all the briefs loaded,
/// sorted by slug): each an error at the field.
pub fn check<'a>(sources: impl IntoIterator<Item = &'a Claim>) -> Diagnostics {
    let sources: Vec<&Claim> = sources.into_iter().collect();
    let mut diags = Diagnostics::new();
    let slugs: BTreeSet<&str> = sources.iter().map(|s| s.slug.as_str()).collect();
    // Brief-level relation: slug → (target, the source that set it first).
    let mut relation: BTreeMap<&str, (&str, &Claim)> = BTreeMap::new();
    for source in &sources {
        let Some((target, at)) = location(source) else {
            continue;
        };
        if target == source.slug {
            diags.push(
                Diagnostic::error(format!("brief `{target}` supersedes itself"))
                    .at(at)
                    .field("supersedes")
                    .help("name the earlier brief this one updates, or remove the field"),
            );
            continue;
        }
        if !slugs.contains(target) {
            let help = match crate::diagnostics::did_you_mean(target, slugs.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "name an existing brief by its file name without language and `.md` (a draft counts only with --drafts)"
                    .to_string(),
            };
            diags.push(
                Diagnostic::error(format!("no brief has the slug `{target}`"))
                    .at(at)
                    .field("supersedes")
                    .help(help),
            );
            continue;
        }
        match relation.get(source.slug.as_str()) {
            Some((first, first_source)) if first != &target => diags.push(
                Diagnostic::error(format!(
                    "this translation supersedes `{target}`, but {} supersedes `{first}`",
                    first_source.path.display()
                ))
                .at(at)
                .field("supersedes")
                .help("every language of a brief updates the same earlier brief"),
            ),
            Some(_) => {}
            None => {
                relation.insert(source.slug.as_str(), (target, source));
            }
        }
    }
    // Superseded twice: the second brief (by slug) to name a target is the error.
    let mut by_target: BTreeMap<&str, &str> = BTreeMap::new();
    let mut twice: BTreeSet<&str> = BTreeSet::new();
    for (slug, (target, source)) in &relation {
        match by_target.get(target) {
            Some(first) => {
                twice.insert(slug);
                if let Some((_, at)) = location(source) {
                    diags.push(
                        Diagnostic::error(format!(
                            "brief `{target}` is already superseded by `{first}`; a brief has one newer version"
                        ))
                        .at(at)
                        .field("supersedes")
                        .help(format!(
                            "let this brief supersede `{first}` instead, which continues the line of versions"
                        )),
                    );
                }
            }
            None => {
                by_target.insert(target, slug);
            }
        }
    }
    // Cycles: reported once, at the smallest slug on the loop.
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for start in relation.keys() {
        if reported.contains(start) || twice.contains(start) {
            continue;
        }
        let mut path = vec![*start];
        let mut at = *start;
        while let Some((next, _)) = relation.get(at) {
            if *next == *start {
                let smallest = path.iter().min().copied().unwrap_or(start);
                reported.extend(path.iter().copied());
                let chain = path
                    .iter()
                    .chain(std::iter::once(start))
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" → ");
                if let Some((_, at)) = relation.get(smallest).and_then(|(_, s)| location(s)) {
                    diags.push(
                        Diagnostic::error(format!("the versions form a loop: {chain} (each supersedes the next)"))
                            .at(at)
                            .field("supersedes")
                            .help("the oldest brief of a line of versions supersedes none; remove its field"),
                    );
                }
                break;
            }
            if path.contains(next) {
                break;
            }
            path.push(next);
            at = next;
        }
    }
    diags
}
