//! The `legbrief import` command around the pure importer: reads the files, takes
//! names from the site's config, pairs a Chinese brief with its English twin by
//! paper number, and writes sources only when every file imported cleanly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, BRIEFS_DIR, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

use super::{ImportError, ImportNames, ImportOptions, Imported, import_brief};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub files: Vec<PathBuf>,
    pub root: PathBuf,
    pub lang: Option<String>,
    pub slug: Option<String>,
    pub force: bool,
    pub dry_run: bool,
}

/// One file's outcome, for the summary the CLI prints.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub input: PathBuf,
    /// Where the source goes, relative to the site root.
    pub target: PathBuf,
    pub imported: Imported,
}

/// The names of committees and topics in every language, from the config.
pub fn names_from(config: &Config) -> ImportNames {
    let names = |n: &crate::config::Names| n.all().map(|(_, name)| name.to_string()).collect::<Vec<_>>();
    ImportNames {
        committees: config
            .committees
            .iter()
            .map(|c| (c.key.clone(), names(&c.names)))
            .collect(),
        topics: config.topics.iter().map(|t| (t.key.clone(), names(&t.names))).collect(),
    }
}

/// Imports every file; writes nothing unless all of them imported without error.
/// Returns the imported files and every warning, or every error.
pub fn run(request: &ImportRequest) -> Result<(Vec<ImportedFile>, Diagnostics), Diagnostics> {
    let (config, mut diags) = Config::load(&request.root)?;
    let names = names_from(&config);
    let mut slugs_by_paper_no = existing_paper_numbers(&config);
    let mut done: Vec<ImportedFile> = Vec::new();
    for input in &request.files {
        let Some(imported) = import_file(&config, &names, request, input, &slugs_by_paper_no, &mut diags) else {
            continue;
        };
        if let Some(no) = &imported.paper_no {
            slugs_by_paper_no
                .entry(no.clone())
                .or_insert_with(|| imported.slug.clone());
        }
        let target = Path::new(CONTENT_DIR)
            .join(BRIEFS_DIR)
            .join(format!("{}.{}.md", imported.slug, imported.lang));
        if done.iter().any(|d| d.target == target) {
            diags.push(
                Diagnostic::error(format!("two inputs would both become {}", target.display()))
                    .at(Location::start_of(input))
                    .help("import them separately with --slug"),
            );
            continue;
        }
        if request.root.join(&target).exists() && !request.force && !request.dry_run {
            diags.push(
                Diagnostic::error(format!("{} already exists", target.display()))
                    .at(Location::start_of(input))
                    .help("pass --force to overwrite it, or --dry-run to see the source"),
            );
            continue;
        }
        done.push(ImportedFile {
            input: input.clone(),
            target,
            imported,
        });
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if !request.dry_run {
        for file in &done {
            let path = request.root.join(&file.target);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, &file.imported.source));
            if let Err(e) = written {
                diags.push(Diagnostic::error(format!(
                    "cannot write {}: {e}",
                    file.target.display()
                )));
                return Err(diags);
            }
        }
    }
    Ok((done, diags))
}

fn import_file(
    config: &Config,
    names: &ImportNames,
    request: &ImportRequest,
    input: &Path,
    slugs_by_paper_no: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Option<Imported> {
    let text = match std::fs::read(input) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                diags.push(
                    Diagnostic::error("not UTF-8 text, so not a brief as extracted").at(Location::start_of(input)),
                );
                return None;
            }
        },
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read the file: {e}")).at(Location::start_of(input)));
            return None;
        }
    };
    if let Some(lang) = &request.lang
        && config.language(lang).is_none()
    {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        diags.push(Diagnostic::error(format!(
            "--lang `{lang}` is not a configured language ({})",
            codes.join(", ")
        )));
        return None;
    }
    let options = ImportOptions {
        lang: request.lang.clone(),
        slug: request.slug.clone(),
    };
    let mut imported = match import_brief(&text, names, &options) {
        Ok(imported) => imported,
        Err(error) => {
            let line = match &error {
                ImportError::UnknownCommittee { line, .. } => *line,
                ImportError::NotABrief { .. } => 1,
            };
            diags.push(Diagnostic::error(error.to_string()).at(Location {
                path: input.to_path_buf(),
                line: line.max(1),
                column: 1,
            }));
            return None;
        }
    };
    // A translation joins the brief already imported in another language.
    if request.slug.is_none()
        && let Some(slug) = imported.paper_no.as_ref().and_then(|no| slugs_by_paper_no.get(no))
    {
        imported.slug = slug.clone();
    }
    for warning in &imported.warnings {
        diags.push(Diagnostic::warning(warning.message.clone()).at(Location {
            path: input.to_path_buf(),
            line: warning.line.max(1),
            column: 1,
        }));
    }
    // The source must build: check it with the same reader as `build`.
    let shown = Path::new(CONTENT_DIR)
        .join(BRIEFS_DIR)
        .join(format!("{}.{}.md", imported.slug, imported.lang));
    let (parsed, problems) = content::parse_brief_file(config, &shown, &imported.source);
    if parsed.is_none() {
        for problem in problems.into_vec() {
            diags.push(problem.help(format!("the source imported from {} does not build", input.display())));
        }
        return None;
    }
    Some(imported)
}

/// Paper number → slug of every brief already in `content/briefs/`.
fn existing_paper_numbers(config: &Config) -> BTreeMap<String, String> {
    let (content, _) = content::load(config, true);
    content
        .briefs
        .into_iter()
        .filter_map(|b| b.front.paper_no.map(|no| (no, b.slug)))
        .collect()
}
