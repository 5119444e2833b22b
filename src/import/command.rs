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
    /// Called before each file is read: (index from 1, count, file). For progress.
    pub progress: Option<fn(usize, usize, &Path)>,
}

/// One file's outcome, for the summary the CLI prints.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub input: PathBuf,
    /// Where the source goes, relative to the site root.
    pub target: PathBuf,
    pub imported: Imported,
    /// The source already there is the same as this import: nothing is written.
    pub unchanged: bool,
}

/// The files to import: the files given, and in each folder given every `.txt` file below
/// it, in name order.
pub fn expand_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    out
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
    let files = expand_inputs(&request.files);
    for (k, input) in files.iter().enumerate() {
        if let Some(progress) = request.progress {
            progress(k + 1, files.len(), input);
        }
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
        let existing = std::fs::read_to_string(request.root.join(&target)).ok();
        let unchanged = existing.as_deref() == Some(imported.source.as_str());
        if existing.is_some() && !unchanged && !request.force && !request.dry_run {
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
            unchanged: unchanged && !request.force,
        });
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if !request.dry_run {
        for file in done.iter().filter(|f| !f.unchanged) {
            let path = request.root.join(&file.target);
            let written = write_whole(&path, &file.imported.source);
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

/// Writes a file so that it is never seen half-written: into a temporary file beside it,
/// then renamed over it.
fn write_whole(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".import-tmp");
    let tmp = PathBuf::from(tmp);
    let result = std::fs::write(&tmp, contents).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
            let mut diag = Diagnostic::error(error.to_string()).at(Location {
                path: input.to_path_buf(),
                line: line.max(1),
                column: 1,
            });
            if let Some(help) = error.help() {
                diag = diag.help(help);
            }
            diags.push(diag);
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
    if !config.terms.is_empty() && !config.terms.iter().any(|t| t.contains(imported.meeting)) {
        diags.push(
            Diagnostic::warning(format!(
                "the meeting of {} falls in no configured term, so the brief belongs to no term page",
                imported.meeting
            ))
            .at(Location::start_of(input))
            .help(term_help(imported.meeting)),
        );
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

/// The terms of the Legislative Council of the HKSAR, for naming the term a brief belongs to.
const LEGCO_TERMS: &[(u32, &str, &str, &str, &str)] = &[
    (1, "First", "一", "1998-07-01", "2000-09-30"),
    (2, "Second", "二", "2000-10-01", "2004-09-30"),
    (3, "Third", "三", "2004-10-01", "2008-09-30"),
    (4, "Fourth", "四", "2008-10-01", "2012-09-30"),
    (5, "Fifth", "五", "2012-10-01", "2016-09-30"),
    (6, "Sixth", "六", "2016-10-01", "2021-12-31"),
    (7, "Seventh", "七", "2022-01-01", "2025-12-31"),
    (8, "Eighth", "八", "2026-01-01", "2029-12-31"),
];

/// The `[[terms]]` table to add for a meeting date, when it falls in a LegCo term.
fn term_help(meeting: jiff::civil::Date) -> String {
    let date = meeting.to_string();
    match LEGCO_TERMS
        .iter()
        .find(|(_, _, _, start, end)| *start <= date.as_str() && date.as_str() <= *end)
    {
        Some((n, en, zh, start, end)) => format!(
            "add its term to legbrief.toml:\n[[terms]]\nnumber = {n}\nname = {{ en = \"{en} Legislative Council\", zh-hk = \"第{zh}屆立法會\" }}\nstart = {start}\nend = {end}"
        ),
        None => "add a [[terms]] table whose start and end include the meeting date".to_string(),
    }
}
