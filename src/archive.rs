//! Term archives: a self-contained copy of one legislative term's briefs.
//!
//! At the end of a term its briefs are frozen and put on an archive host, a USB
//! stick or a records system, where they must keep working for decades. An archive
//! is therefore the ordinary site built from that term's briefs only, with
//! [`LinkMode::Relative`](crate::links::LinkMode::Relative) links, so it works
//! opened from disk, under any sub-path of a host and on a host root:
//!
//! - every internal link is relative and names its file (`../briefs/x/index.html`),
//!   links drafters wrote in brief bodies included (see [`crate::body_links`]);
//! - a link to a page the archive does not hold (a brief of another term) points to
//!   the live site's absolute URL under `base_url`;
//! - the RSS feeds, the sitemap, canonical and `hreflang` links keep absolute
//!   `base_url` URLs: they are read by machines, which need one stable address.
//!
//! `build --all-terms` writes one archive per term that has briefs into
//! `term-<n>/` folders of one output, built in parallel, plus an index page of the
//! archives; the whole output is swapped into place at once. `--zip` also writes
//! each archive as a deterministic zip (fixed timestamps and permissions, entries
//! sorted by path), so the same sources give the same zip, byte for byte.

use std::collections::BTreeMap;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use zip::write::SimpleFileOptions;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{self, OutputFile};
use crate::pipeline::{self, BuildOptions, BuildReport, Gate, Links, Sink, StageClock};
use crate::render::ArchiveListing;
use crate::theme::STATIC_DIR;

/// The default output folder of `build --term N`, under the site's root.
pub fn default_term_output(root: &Path, term: u32) -> PathBuf {
    root.join(format!("public-term-{term}"))
}

/// The default output folder of `build --all-terms`, under the site's root.
pub fn default_all_terms_output(root: &Path) -> PathBuf {
    root.join("public-terms")
}

/// The folder of term `n`'s archive inside the output of `--all-terms`.
pub fn term_folder(term: u32) -> String {
    format!("term-{term}")
}

/// What an archive build wrote, for the summary.
pub struct ArchiveReport {
    pub build: BuildReport,
    /// The terms archived, in config order.
    pub terms: Vec<u32>,
    /// Zip files written.
    pub zips: Vec<PathBuf>,
}

impl ArchiveReport {
    pub fn summary(&self) -> String {
        let terms: Vec<String> = self.terms.iter().map(u32::to_string).collect();
        let mut text = format!(
            "{} (term archive{} {})",
            self.build.summary(),
            if self.terms.len() == 1 { "" } else { "s" },
            terms.join(", ")
        );
        for zip in &self.zips {
            text.push_str(&format!("\nWrote {}", zip.display()));
        }
        text
    }
}

/// `build --term N`: the archive of one term into `output`, and with `zip` also
/// `<output>.zip` beside it (its entries under the output folder's name), made
/// from what was written.
pub fn build_term(options: &BuildOptions, term: u32, output: &Path, zip: bool) -> Result<ArchiveReport, Diagnostics> {
    let started = Instant::now();
    let mut clock = StageClock::start();
    let options = BuildOptions {
        term: Some(term),
        ..options.clone()
    };
    // Before anything is rendered: may the output and its zip be replaced?
    let target = output::Target::check(&options.root, output).map_err(|d| Diagnostics::from_iter([d]))?;
    let folder = target.name();
    let zip_path = target.path().with_file_name(format!("{folder}.zip"));
    if zip {
        output::Target::check_zip(&zip_path).map_err(|d| Diagnostics::from_iter([d]))?;
    }
    let changes_file = pipeline::check_changes(&options, &target)?;
    let mut prepared = pipeline::prepare(&options, Links::ForCommand, &mut clock)?;
    let lock = target.lock().map_err(|e| with_error(&prepared.diagnostics, e))?;
    prepared.diagnostics.extend(lock.notes());
    let staging = output::Staging::begin(&target, &lock).map_err(|e| with_error(&prepared.diagnostics, e))?;
    let gate = Gate::Publish {
        allow_broken_links: options.allow_broken_links,
    };
    let published = match pipeline::publish(prepared, Sink::Folder(&staging, ""), gate, options.progress, &mut clock) {
        Ok(published) => published,
        Err(errors) => {
            staging.abandon();
            return Err(errors);
        }
    };
    let mut diagnostics = published.diagnostics;
    // The zip is written before and put in place after the archive, so a build
    // that cannot make it leaves both as they were.
    let staged_zip = if zip {
        match output::stage_zip_with(&zip_path, &lock, |file| zip_folder(staging.folder(), &folder, file)) {
            Ok(staged) => Some(staged),
            Err(e) => {
                staging.abandon();
                return Err(with_error(&diagnostics, e));
            }
        }
    } else {
        None
    };
    let changes = pipeline::commit(staging, changes_file.as_deref(), &mut diagnostics, &mut clock)?;
    let mut zips = Vec::new();
    if let Some(staged) = staged_zip {
        staged.commit().map_err(|e| with_error(&diagnostics, e))?;
        zips.push(zip_path);
    }
    drop(lock);
    Ok(ArchiveReport {
        build: BuildReport {
            pages: published.pages,
            languages: published.site.config.languages.len(),
            warnings: diagnostics.warning_count(),
            elapsed: started.elapsed(),
            output: output.to_path_buf(),
            diagnostics,
            changes,
        },
        terms: vec![term],
        zips,
    })
}

/// `build --all-terms`: an archive of every term with briefs under `term-<n>/`,
/// and an index page of them at the root of `output`; with `zip`, also
/// `term-<n>.zip` beside each folder, linked from the index.
///
/// The sources are read once: each term's archive is cut from the site loaded
/// whole ([`Prepared::term`](crate::pipeline)), written into its folder of the
/// staging area and dropped before the next, so the archives are never in
/// memory together (each renders its pages in parallel).
pub fn build_all_terms(options: &BuildOptions, output: &Path, zip: bool) -> Result<ArchiveReport, Diagnostics> {
    let started = Instant::now();
    let mut clock = StageClock::start();
    // Before anything is rendered: may the output be replaced?
    let target = output::Target::check(&options.root, output).map_err(|d| Diagnostics::from_iter([d]))?;
    let changes_file = pipeline::check_changes(options, &target)?;
    let whole = BuildOptions {
        term: None,
        progress: false,
        ..options.clone()
    };
    let mut full = pipeline::prepare(&whole, Links::Relative, &mut clock)?;
    let mut diags = std::mem::take(&mut full.diagnostics);
    let terms = terms_to_archive(&full.site, &mut diags).map_err(|e| {
        let mut all = diags.clone();
        all.extend(e);
        all.sorted()
    })?;
    let lock = target.lock().map_err(|e| with_error(&diags, e))?;
    diags.extend(lock.notes());
    let staging = output::Staging::begin(&target, &lock).map_err(|e| with_error(&diags, e))?;
    let gate = Gate::Publish {
        allow_broken_links: options.allow_broken_links,
    };
    let mut errors = Diagnostics::new();
    let mut listings = Vec::new();
    let mut pages = 0;
    for &term in &terms {
        let folder = term_folder(term);
        // Marked as it is when built alone, so a later build may replace it.
        if let Err(e) = staging.write(&format!("{folder}/{}", output::MARKER), output::MARKER_TEXT.as_bytes()) {
            let error = with_error(&diags, staging.write_error(&e));
            staging.abandon();
            return Err(error);
        }
        let published = full
            .term(term)
            .and_then(|archive| pipeline::publish(archive, Sink::Folder(&staging, &folder), gate, false, &mut clock));
        let published = match published {
            Ok(published) => published,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        diags.extend(published.diagnostics);
        if errors.has_errors() {
            // Nothing will be published: only the other terms' errors are wanted.
            continue;
        }
        let zip_name = zip.then(|| format!("{folder}.zip"));
        if let Some(name) = &zip_name {
            let zipped = staging
                .create(name)
                .and_then(|file| zip_folder(&staging.folder().join(&folder), &folder, file));
            if let Err(e) = zipped {
                let error = Diagnostic::error(format!("cannot make {name}: {e}"));
                staging.abandon();
                return Err(with_error(&diags, error));
            }
        }
        pages += published.pages;
        listings.push(ArchiveListing {
            term,
            folder,
            briefs: briefs_per_language(&published.site),
            zip: zip_name,
        });
    }
    if errors.has_errors() {
        staging.abandon();
        errors.extend(diags);
        return Err(errors.sorted());
    }
    // What the index page needs of the whole site is its config: the briefs can go.
    full.site.briefs = Vec::new();
    let index = match full.renderer.render_archive_index(&full.site, &listings) {
        Ok(index) => index,
        Err(d) => {
            staging.abandon();
            return Err(Diagnostics::from_iter([d]));
        }
    };
    let index = if full.site.config.minify {
        pipeline::minify(&index)
    } else {
        index
    };
    // The index page and its stylesheet: the theme's static files, once more at the root.
    let statics = full
        .theme
        .static_files()
        .map(|(name, file)| (format!("{STATIC_DIR}{name}"), file.contents.to_vec()));
    let root_files = std::iter::once(("index.html".to_string(), index)).chain(statics);
    for (path, contents) in root_files {
        if let Err(e) = staging.write(&path, &contents) {
            let error = staging.write_error(&e);
            staging.abandon();
            return Err(with_error(&diags, error));
        }
    }
    pages += 1;
    let changes = pipeline::commit(staging, changes_file.as_deref(), &mut diags, &mut clock)?;
    drop(lock);

    let zips = if zip {
        terms
            .iter()
            .map(|&t| output.join(format!("{}.zip", term_folder(t))))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ArchiveReport {
        build: BuildReport {
            pages,
            languages: full.site.config.languages.len(),
            warnings: diags.warning_count(),
            elapsed: started.elapsed(),
            output: output.to_path_buf(),
            diagnostics: diags.sorted(),
            changes,
        },
        terms,
        zips,
    })
}

/// Zips the archive written in `root` into `into`, every entry under
/// `folder/`, reading back what was written (the files of a large term are
/// never all in memory, nor is the zip), in the deterministic form of
/// [`zip_archive`].
fn zip_folder(root: &Path, folder: &str, into: std::fs::File) -> std::io::Result<()> {
    let mut written: Vec<(PathBuf, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file()
            && let Ok(relative) = entry.path().strip_prefix(root)
        {
            let relative = relative.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
            written.push((entry.path().to_path_buf(), relative));
        }
    }
    zip_archive(folder, &[], &written, std::io::BufWriter::new(into))?;
    Ok(())
}

/// The terms that have briefs, in config order; warns about briefs in no term,
/// which no archive holds. An error when no term has briefs.
fn terms_to_archive(full: &Site, diags: &mut Diagnostics) -> Result<Vec<u32>, Diagnostics> {
    let with_briefs = full.terms_with_briefs();
    let orphans: Vec<&str> = full
        .briefs
        .iter()
        .filter(|b| b.versions.iter().all(|v| v.term.is_none()))
        .map(|b| b.slug.as_str())
        .collect();
    if !orphans.is_empty() {
        diags.push(
            Diagnostic::warning(format!(
                "{} brief{} meeting date in no configured term and {} in no archive: {}",
                orphans.len(),
                if orphans.len() == 1 { " has its" } else { "s have their" },
                if orphans.len() == 1 { "is" } else { "are" },
                orphans.join(", ")
            ))
            .help("add a [[terms]] entry covering their meeting dates to legbrief.toml"),
        );
    }
    let terms: Vec<u32> = full
        .config
        .terms
        .iter()
        .map(|t| t.number)
        .filter(|n| with_briefs.contains(n))
        .collect();
    if terms.is_empty() {
        return Err(Diagnostics::from_iter([Diagnostic::error(format!(
            "no term has briefs, so there is nothing to archive; the config defines: {}",
            known_terms(&full.config)
        ))]));
    }
    Ok(terms)
}

/// `6 (2016-10-01 to 2021-12-31), 7 (…)`, or `no terms`.
pub fn known_terms(config: &Config) -> String {
    if config.terms.is_empty() {
        return "no terms".to_string();
    }
    config
        .terms
        .iter()
        .map(|t| format!("{} ({} to {})", t.number, t.start, t.end))
        .collect::<Vec<_>>()
        .join(", ")
}

fn briefs_per_language(site: &Site) -> BTreeMap<String, usize> {
    site.config
        .languages
        .iter()
        .map(|l| (l.code.clone(), site.versions_in(&l.code).len()))
        .collect()
}

/// The problems so far and the error that stopped the build.
fn with_error(diags: &Diagnostics, error: Diagnostic) -> Diagnostics {
    let mut all = diags.clone();
    all.push(error);
    all.sorted()
}

/// Where a zip entry's bytes come from: rendered in memory, or a copied source file.
enum EntrySource<'a> {
    Bytes(&'a [u8]),
    File(&'a Path),
}

/// A zip of the archive with every entry under `folder/`, sorted by path, dated
/// 1980-01-01 00:00 (the format's earliest date) and with fixed permissions, so
/// the same site gives the same bytes.
pub fn zip_archive<W: Write + Seek>(
    folder: &str,
    files: &[OutputFile],
    copies: &[(PathBuf, String)],
    into: W,
) -> std::io::Result<W> {
    // The marker too, so the zip unpacks into a folder a later build may replace.
    let marker = [(output::MARKER, EntrySource::Bytes(output::MARKER_TEXT.as_bytes()))];
    let mut entries: Vec<(&str, EntrySource<'_>)> = files
        .iter()
        .map(|f| (f.path.as_str(), EntrySource::Bytes(&f.contents)))
        .chain(copies.iter().map(|(from, to)| (to.as_str(), EntrySource::File(from))))
        .chain(marker)
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(into);
    // The comment by which a later build knows the zip as its own.
    writer.set_comment(output::ZIP_COMMENT).map_err(std::io::Error::other)?;
    for (path, source) in entries {
        writer
            .start_file(format!("{folder}/{path}"), options)
            .map_err(std::io::Error::other)?;
        match source {
            EntrySource::Bytes(bytes) => writer.write_all(bytes)?,
            EntrySource::File(from) => writer.write_all(&std::fs::read(from)?)?,
        }
    }
    writer.finish().map_err(std::io::Error::other)
}
