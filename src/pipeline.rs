//! The build pipeline: config → content → markdown → model → render → output.
//!
//! Each stage lives in its own module and hands plain data to the next; this module
//! only wires them and decides when problems stop the build. `build`, `check` and
//! `serve` all start from [`build_in_memory`], so what is checked and previewed is
//! exactly what would be published.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::LinkMode;
use crate::model::{PageId, Site};
use crate::output::{self, OutputFile};
use crate::render::{Renderer, STATIC_DIR};
use crate::theme::Theme;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Build only this term, as a self-contained archive.
    pub term: Option<u32>,
    /// Show progress on the terminal.
    pub progress: bool,
    /// Publish even if internal links or `#anchors` are broken (they become warnings).
    pub allow_broken_links: bool,
}

/// A site rendered in memory.
pub struct BuiltSite {
    pub site: Site,
    pub renderer: Renderer,
    pub files: Vec<OutputFile>,
    /// Files copied as they are: (source on disk, output path).
    pub copies: Vec<(PathBuf, String)>,
    /// Theme static files: (output path, contents).
    pub diagnostics: Diagnostics,
}

/// Loads the config and applies command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<(Config, Diagnostics), Diagnostics> {
    let (mut config, diags) = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err([Diagnostic::error(format!(
                "--base-url `{url}` is not an absolute http(s) URL"
            ))]
            .into_iter()
            .collect());
        }
        config.base_url = url.trim_end_matches('/').to_string();
    }
    if let Some(term) = options.term
        && config.term(term).is_none()
    {
        let known: Vec<String> = config
            .terms
            .iter()
            .map(|t| format!("{} ({} to {})", t.number, t.start, t.end))
            .collect();
        return Err([Diagnostic::error(format!(
            "unknown term {term}; the config defines: {}",
            if known.is_empty() {
                "no terms".to_string()
            } else {
                known.join(", ")
            }
        ))]
        .into_iter()
        .collect());
    }
    Ok((config, diags))
}

/// Runs every stage but writing; returns all problems if any is an error.
pub fn build_in_memory(options: &BuildOptions) -> Result<BuiltSite, Diagnostics> {
    let (config, mut diags) = load_config(options)?;
    let mode = if options.term.is_some() {
        LinkMode::Relative
    } else {
        LinkMode::Absolute {
            base_path: config.base_path(),
        }
    };
    // Theme and content do not depend on each other: report both sets of problems.
    let (theme, (content, content_diags)) =
        rayon::join(|| Theme::load(&config), || content::load(&config, options.drafts));
    diags.extend(content_diags);
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(theme_diags) => {
            diags.extend(theme_diags);
            None
        }
    };
    let renderer = match theme.as_ref().map(|t| Renderer::new(t, mode)) {
        Some(Ok(renderer)) => Some(renderer),
        Some(Err(template_diags)) => {
            diags.extend(template_diags);
            None
        }
        None => None,
    };
    let config = Arc::new(config);
    let (site, model_diags) = Site::new(config.clone(), content, options.term);
    diags.extend(model_diags);
    if let Some(term) = options.term
        && site.briefs.is_empty()
        && !diags.has_errors()
    {
        let with_briefs: Vec<String> = site_terms_with_briefs(options, &config)
            .into_iter()
            .map(|n| n.to_string())
            .collect();
        diags.push(Diagnostic::error(format!(
            "term {term} has no briefs; terms with briefs: {}",
            if with_briefs.is_empty() {
                "none".to_string()
            } else {
                with_briefs.join(", ")
            }
        )));
    }
    let (Some(renderer), Some(theme)) = (renderer, theme) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }

    let pages = site.pages();
    let files = render_pages(&site, &renderer, &pages, options.progress)?;
    let mut files = files;
    files.extend(crate::search::index_files(&site));
    for (name, file) in theme.static_files() {
        files.push(OutputFile {
            path: format!("{STATIC_DIR}{name}"),
            contents: file.contents.to_vec(),
        });
    }
    let copies = site
        .assets
        .iter()
        .map(|a| (a.source.clone(), a.output.clone()))
        .collect();
    Ok(BuiltSite {
        site,
        renderer,
        files,
        copies,
        diagnostics: diags,
    })
}

fn site_terms_with_briefs(options: &BuildOptions, config: &Arc<Config>) -> Vec<u32> {
    let (content, _) = content::load(config, options.drafts);
    let (site, _) = Site::new(config.clone(), content, None);
    site.terms_with_briefs().into_iter().collect()
}

/// Renders `pages` in parallel, minifying HTML when the config asks for it.
pub fn render_pages(
    site: &Site,
    renderer: &Renderer,
    pages: &[PageId],
    progress: bool,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let done = AtomicUsize::new(0);
    let total = pages.len();
    let show = progress && total > 200 && std::io::stderr().is_terminal();
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let rendered = renderer.render_page(site, page).map(|bytes| OutputFile {
                path: page.file(),
                contents: if site.config.minify && page.file().ends_with(".html") {
                    minify(&bytes)
                } else {
                    bytes
                },
            });
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if show && (n.is_multiple_of(500) || n == total) {
                eprint!("\rRendering pages {n}/{total}");
                if n == total {
                    eprintln!();
                }
            }
            rendered
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut files = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(files) }
}

pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(html, &cfg)
}

/// The outcome of a build, for the summary line.
pub struct BuildReport {
    pub pages: usize,
    pub languages: usize,
    pub warnings: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub diagnostics: Diagnostics,
}

impl BuildReport {
    pub fn summary(&self) -> String {
        format!(
            "Built {} pages in {} languages with {} warning{} in {:.2} s into {}",
            self.pages,
            self.languages,
            self.warnings,
            if self.warnings == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            self.output.display()
        )
    }
}

/// Builds the site and writes it to `output` atomically.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let mut built = build_in_memory(options)?;
    // A published brief is cited by paragraph for years: no broken link ships
    // unless the publisher says so.
    let verified = crate::check::verify_site(&built);
    if verified.other.has_errors() || (verified.broken_links.has_errors() && !options.allow_broken_links) {
        let mut diags = built.diagnostics;
        if verified.broken_links.has_errors() && !options.allow_broken_links {
            diags.push(Diagnostic::error(format!(
                "refusing to publish a site with {} broken internal link{}; fix them, or build with --allow-broken-links",
                verified.broken_links.error_count(),
                if verified.broken_links.error_count() == 1 { "" } else { "s" }
            )));
        }
        diags.extend(verified.broken_links);
        diags.extend(verified.other);
        return Err(diags);
    }
    built
        .diagnostics
        .extend(crate::check::as_warnings(verified.broken_links));
    built.diagnostics.extend(verified.other);
    output::write_site(output, &built.files, &built.copies).map_err(|e| {
        Diagnostics::from_iter([Diagnostic::error(format!(
            "cannot write the site to {}: {e}",
            output.display()
        ))])
    })?;
    let pages = built.files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok(BuildReport {
        pages,
        languages: built.site.config.languages.len(),
        warnings: built.diagnostics.warning_count(),
        elapsed: started.elapsed(),
        output: output.to_path_buf(),
        diagnostics: built.diagnostics,
    })
}
