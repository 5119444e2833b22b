//! The `legbrief import` command around the pure importer: reads the files (extracted text,
//! or PDF papers laid out as text by [`super::pdf`]), takes names from the site's config,
//! pairs a Chinese brief with its English twin by paper number, and writes the source of
//! every file that imported cleanly. A file that fails is reported and skipped: in an
//! archive of thousands, one damaged paper must not hold back the rest. Each source is
//! written whole (temporary file, then rename), so a failure never leaves half a file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, BRIEFS_DIR, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

use super::limits;
use super::pdf::{self, Laid};
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
    /// Write a `[committees.<key>]` table into legbrief.toml for each committee a paper
    /// names that the config lacks, instead of failing.
    pub add_committees: bool,
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

/// The extensions of the files a folder stands for: extracted text and PDF papers.
const INPUT_EXTENSIONS: [&str; 2] = ["txt", "pdf"];

/// The files to import: the files given, and in each folder given every `.txt` and `.pdf`
/// file below it, in name order.
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
                        .is_some_and(|e| INPUT_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
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

/// Imports every file and writes the source of each that imported without error (a failed
/// file is reported in the diagnostics and skipped). Returns the imported files with every
/// warning and error, or the errors of a config that cannot be read (nothing attempted).
///
/// With `add_committees`, the files naming a committee the config lacks are set aside; once
/// all files are read, one `[committees.<key>]` table per new committee (its names from
/// every file that printed it, so an English and a Chinese twin give both) is appended to
/// `legbrief.toml` and those files are imported again.
pub fn run(request: &ImportRequest) -> Result<(Vec<ImportedFile>, Diagnostics), Diagnostics> {
    let (config, diags) = Config::load(&request.root)?;
    let mut batch = Batch {
        names: names_from(&config),
        slugs_by_paper_no: existing_paper_numbers(&config),
        config,
        done: Vec::new(),
        diags,
    };
    let files = expand_inputs(&request.files);
    let mut empty = Diagnostics::new();
    for folder in request.files.iter().filter(|f| f.is_dir()) {
        if expand_inputs(std::slice::from_ref(folder)).is_empty() {
            empty.push(
                Diagnostic::error(format!(
                    "no brief found in the folder {}: no .txt or .pdf file in it or below",
                    folder.display()
                ))
                .help("give the folder that holds the extracted text or the PDF papers"),
            );
        }
    }
    if files.is_empty() {
        return Err(empty);
    }
    batch.diags.extend(empty);
    let mut new_committees: Vec<(PathBuf, NewCommittee)> = Vec::new();
    for (k, input) in files.iter().enumerate() {
        if let Some(progress) = request.progress {
            progress(k + 1, files.len(), input);
        }
        if let Some(new) = batch.take(request, input, request.add_committees) {
            new_committees.push((input.clone(), new));
        }
    }
    if !new_committees.is_empty() {
        let added = add_committees(&batch.config, request, &new_committees, &mut batch.diags);
        if let Some((config, retry)) = added {
            batch.names = names_from(&config);
            batch.config = config;
            for input in &retry {
                batch.take(request, input, false);
            }
        }
    }
    let Batch {
        mut done, mut diags, ..
    } = batch;
    if !request.dry_run {
        let mut written = Vec::with_capacity(done.len());
        for file in done {
            if !file.unchanged
                && let Err(e) = write_whole(&request.root.join(&file.target), &file.imported.source)
            {
                diags.push(
                    Diagnostic::error(format!("cannot write {}: {e}", file.target.display()))
                        .at(Location::start_of(&file.input)),
                );
                continue;
            }
            written.push(file);
        }
        done = written;
    }
    Ok((done, diags))
}

/// What a run has gathered so far.
struct Batch {
    config: Config,
    names: ImportNames,
    slugs_by_paper_no: BTreeMap<String, String>,
    done: Vec<ImportedFile>,
    diags: Diagnostics,
}

/// A committee the config lacks, as printed in a file.
#[derive(Debug, Clone)]
struct NewCommittee {
    found: String,
    file_ref: Option<String>,
}

impl Batch {
    /// Imports one file into the batch. With `defer_unknown`, a file naming an unknown
    /// committee is not an error yet: its committee is returned, for `--add-committees`.
    fn take(&mut self, request: &ImportRequest, input: &Path, defer_unknown: bool) -> Option<NewCommittee> {
        let attempt = import_file(
            &self.config,
            &self.names,
            request,
            input,
            &self.slugs_by_paper_no,
            defer_unknown,
            &mut self.diags,
        );
        let imported = match attempt {
            Attempt::Imported(imported) => imported,
            Attempt::Failed => return None,
            Attempt::UnknownCommittee(new) => return Some(new),
        };
        let diags = &mut self.diags;
        if let Some(no) = &imported.paper_no {
            self.slugs_by_paper_no
                .entry(no.clone())
                .or_insert_with(|| imported.slug.clone());
        }
        let target = Path::new(CONTENT_DIR)
            .join(BRIEFS_DIR)
            .join(format!("{}.{}.md", imported.slug, imported.lang));
        if self.done.iter().any(|d| d.target == target) {
            diags.push(
                Diagnostic::error(format!("two inputs would both become {}", target.display()))
                    .at(Location::start_of(input))
                    .help("import them separately with --slug"),
            );
            return None;
        }
        let existing = std::fs::read_to_string(request.root.join(&target)).ok();
        let unchanged = existing.as_deref() == Some(imported.source.as_str());
        if existing.is_some() && !unchanged && !request.force && !request.dry_run {
            diags.push(
                Diagnostic::error(format!("{} already exists", target.display()))
                    .at(Location::start_of(input))
                    .help("pass --force to overwrite it, or --dry-run to see the source"),
            );
            return None;
        }
        self.done.push(ImportedFile {
            input: input.to_path_buf(),
            target,
            imported,
            unchanged: unchanged && !request.force,
        });
        None
    }
}

/// Appends a `[committees.<key>]` table for each new committee to `legbrief.toml` (its
/// text and comments kept as they are) and reads the config again. `None`, with errors
/// reported for the files concerned, when that cannot be done; the file is then as before.
fn add_committees(
    config: &Config,
    request: &ImportRequest,
    new: &[(PathBuf, NewCommittee)],
    diags: &mut Diagnostics,
) -> Option<(Config, Vec<PathBuf>)> {
    let path = request.root.join(crate::config::CONFIG_FILE);
    let fail = |diags: &mut Diagnostics, why: String| {
        for (input, _) in new {
            diags.push(Diagnostic::error(why.clone()).at(Location::start_of(input)));
        }
        None
    };
    let original = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => return fail(diags, format!("cannot read legbrief.toml to add committees: {e}")),
    };
    // One table per key, in the order the files came.
    let mut tables: Vec<CommitteeTable> = Vec::new();
    let mut retry = Vec::new();
    for (input, c) in new {
        let (key, lang, file_ref) = super::committee_parts(&c.found, c.file_ref.as_deref());
        if config.committees.iter().any(|k| k.key == key) {
            // Its twin in another language was added before, or the key is taken.
            diags.push(
                Diagnostic::error(format!(
                    "unknown committee \"{}\", but legbrief.toml already has a committee `{key}`",
                    c.found
                ))
                .at(Location::start_of(input))
                .help(format!(
                    "if it is that committee, add its {lang} name to [committees.{key}]: {lang} = {}",
                    super::output::toml_string(&c.found)
                )),
            );
            continue;
        }
        let at = match tables.iter().position(|t| t.key == key) {
            Some(at) => at,
            None => {
                tables.push(CommitteeTable {
                    input: input.clone(),
                    key,
                    names: Vec::new(),
                    file_ref,
                });
                tables.len() - 1
            }
        };
        let names = &mut tables[at].names;
        if !names.iter().any(|(l, _)| *l == lang) {
            names.push((lang.to_string(), c.found.clone()));
        }
        retry.push(input.clone());
    }
    if tables.is_empty() {
        return None;
    }
    let mut text = original.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for table in &tables {
        text.push_str(&format!(
            "\n# Added by `legbrief import --add-committees`.\n{}\n",
            table.text()
        ));
    }
    if dry_run_note(request, &tables, diags) {
        return None;
    }
    if let Err(e) = write_whole(&path, &text) {
        return fail(diags, format!("cannot write legbrief.toml: {e}"));
    }
    match Config::load(&request.root) {
        Ok((config, _)) => {
            for table in &tables {
                diags.push(Diagnostic::warning(format!(
                    "added [committees.{}] to legbrief.toml; check its key and names",
                    table.key
                )));
            }
            Some((config, retry))
        }
        Err(errors) => {
            // Put the file back as it was: a config that no longer loads helps nobody.
            let _ = write_whole(&path, &original);
            let why = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            fail(
                diags,
                format!("the committees to add would break legbrief.toml ({why}); nothing added"),
            )
        }
    }
}

/// With `--dry-run` nothing is written, legbrief.toml included: say what would be added.
/// Returns whether it was a dry run.
fn dry_run_note(request: &ImportRequest, tables: &[CommitteeTable], diags: &mut Diagnostics) -> bool {
    if !request.dry_run {
        return false;
    }
    for table in tables {
        diags.push(
            Diagnostic::error(format!(
                "committee `{}` is not in legbrief.toml; without --dry-run, --add-committees would add:\n{}",
                table.key,
                table.text()
            ))
            .at(Location::start_of(&table.input)),
        );
    }
    true
}

/// A `[committees.<key>]` table to add: the first file naming it, its names as (language,
/// name), its `ref`.
struct CommitteeTable {
    input: PathBuf,
    key: String,
    names: Vec<(String, String)>,
    file_ref: Option<String>,
}

impl CommitteeTable {
    fn text(&self) -> String {
        super::committee_table_of(&self.key, &self.names, self.file_ref.as_deref())
    }
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

/// The closing line of a run that had errors, exact in its counts: "Import failed for 1 of
/// 3 files; the other 2 files were written". A file failed when it was not imported.
pub fn failure_line(inputs: &[PathBuf], imported: &[ImportedFile], dry_run: bool) -> String {
    let n = inputs.len();
    let done = inputs
        .iter()
        .filter(|i| imported.iter().any(|f| &f.input == *i))
        .count();
    let failed = n - done;
    let written = imported.iter().filter(|f| !f.unchanged).count();
    let unchanged = imported.len() - written;
    let files = |k: usize| if k == 1 { "file" } else { "files" };
    let rest = if dry_run || written == 0 {
        match unchanged {
            0 => "nothing was written".to_string(),
            u => format!("nothing was written ({u} {} unchanged)", files(u)),
        }
    } else if written == done && done == 1 {
        "the other file was written".to_string()
    } else if written == done {
        format!("the other {written} files were written")
    } else {
        format!(
            "{written} {} written, {unchanged} unchanged",
            if written == 1 { "was" } else { "were" }
        )
    };
    format!("Import failed for {failed} of {n} {}; {rest}", files(n))
}

/// What became of one file.
enum Attempt {
    Imported(Imported),
    /// Reported in the diagnostics.
    Failed,
    /// Set aside for `--add-committees` (not reported).
    UnknownCommittee(NewCommittee),
}

fn import_file(
    config: &Config,
    names: &ImportNames,
    request: &ImportRequest,
    input: &Path,
    slugs_by_paper_no: &BTreeMap<String, String>,
    defer_unknown: bool,
    diags: &mut Diagnostics,
) -> Attempt {
    let Some((text, laid)) = read_input(input, diags) else {
        return Attempt::Failed;
    };
    let laid = laid.as_ref();
    if let Some(lang) = &request.lang
        && config.language(lang).is_none()
    {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        diags.push(Diagnostic::error(format!(
            "--lang `{lang}` is not a configured language ({})",
            codes.join(", ")
        )));
        return Attempt::Failed;
    }
    let options = ImportOptions {
        lang: request.lang.clone(),
        slug: request.slug.clone(),
        from_pdf: laid.is_some(),
    };
    let mut imported = match import_brief(&text, names, &options) {
        Ok(imported) => imported,
        Err(ImportError::UnknownCommittee { found, file_ref, .. }) if defer_unknown => {
            return Attempt::UnknownCommittee(NewCommittee { found, file_ref });
        }
        Err(error) => {
            let line = match &error {
                ImportError::UnknownCommittee { line, .. } => *line,
                ImportError::NotABrief { .. } | ImportError::WrongLanguage { .. } => 1,
            };
            let message = match (&error, laid) {
                // For a PDF the line of the laid-out text means nothing to the reader.
                (ImportError::UnknownCommittee { found, known, .. }, Some(_)) => format!(
                    "unknown committee \"{found}\" (known committees: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
                _ => error.to_string(),
            };
            let mut diag = located(Diagnostic::error(message), input, laid, line);
            if let Some(help) = error.help() {
                diag = diag.help(help);
            }
            diags.push(diag);
            return Attempt::Failed;
        }
    };
    // A translation joins the brief already imported in another language.
    if request.slug.is_none()
        && let Some(slug) = imported.paper_no.as_ref().and_then(|no| slugs_by_paper_no.get(no))
    {
        imported.slug = slug.clone();
    }
    for warning in &imported.warnings {
        diags.push(located(
            Diagnostic::warning(warning.message.clone()),
            input,
            laid,
            warning.line,
        ));
    }
    if !config.terms.is_empty() && !config.terms.iter().any(|t| t.contains(imported.meeting)) {
        let warning = Diagnostic::warning(format!(
            "the meeting of {} falls in no configured term, so the brief belongs to no term page",
            imported.meeting
        ));
        diags.push(located(warning, input, laid, 0).help(term_help(imported.meeting)));
    }
    // The source must build: check it with the same reader as `build`.
    let shown = Path::new(CONTENT_DIR)
        .join(BRIEFS_DIR)
        .join(format!("{}.{}.md", imported.slug, imported.lang));
    let (parsed, problems) = content::parse_brief_file(config, &shown, &imported.source);
    if parsed.is_none() {
        // The problem is in the source that would be written, which does not exist: say so,
        // and place it at the input.
        for problem in problems.into_vec() {
            let at = problem
                .location
                .as_ref()
                .map(|l| format!(" ({}:{}:{})", l.path.display(), l.line, l.column))
                .unwrap_or_default();
            let diag = Diagnostic::error(format!(
                "the source it would become does not build{at}: {}",
                problem.message
            ));
            let diag = Diagnostic {
                help: problem.help.clone(),
                field: problem.field.clone(),
                ..located(diag, input, laid, 0)
            };
            diags.push(diag);
        }
        return Attempt::Failed;
    }
    Attempt::Imported(imported)
}

/// The text of an input: a PDF paper laid out as text (with the page of each line), or the
/// text extracted from one. `None` after reporting why it cannot be read.
fn read_input(input: &Path, diags: &mut Diagnostics) -> Option<(String, Option<Laid>)> {
    let bytes = match std::fs::read(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read the file: {e}")).at(Location::start_of(input)));
            return None;
        }
    };
    let named_pdf = input
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if named_pdf || pdf::is_pdf(&bytes) {
        return match pdf::extract(&bytes) {
            Ok(laid) if laid.text.len() > limits::MAX_TEXT_BYTES => {
                diags.push(page_diagnostic(
                    Diagnostic::error(too_long(laid.text.len())),
                    input,
                    None,
                ));
                None
            }
            Ok(laid) => Some((laid.text.clone(), Some(laid))),
            Err(e) => {
                diags.push(page_diagnostic(Diagnostic::error(e.message), input, e.page));
                None
            }
        };
    }
    text_input(input, bytes)
        .map_err(|d| diags.push(d))
        .ok()
        .map(|text| (text, None))
}

/// The text of an extracted-text input, or the first reason it is not one, located at its
/// line and column: too large, UTF-16, not UTF-8 (Big5, Latin-1), a control character
/// (a NUL byte: a binary file), or more pages than a brief has.
fn text_input(input: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() > limits::MAX_TEXT_BYTES {
        return Err(Diagnostic::error(too_long(bytes.len())).at(Location::start_of(input)));
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) || looks_utf16(&bytes) {
        return Err(Diagnostic::error("the text is UTF-16, not UTF-8")
            .at(Location::start_of(input))
            .help(
                "convert it first, e.g. `iconv -f UTF-16 -t UTF-8`, or extract it again with `pdftotext -enc UTF-8`",
            ));
    }
    let text = crate::diagnostics::utf8_text(input, bytes).map_err(|d| {
        let help = "import reads UTF-8 only: convert it first, e.g. `iconv -f BIG5-HKSCS -t UTF-8` for Big5 or `iconv -f WINDOWS-1252 -t UTF-8` for Latin-1, or extract it again with `pdftotext -enc UTF-8`";
        Diagnostic { help: Some(help.to_string()), ..d }
    })?;
    // pdftotext ends each page with a form feed: that one control character belongs there.
    if let Some((offset, c)) = crate::diagnostics::forbidden_chars(&text).find(|(_, c)| *c != '\u{c}') {
        let mut diag = crate::diagnostics::forbidden_char_error(c).at(Location::at(input, &text, offset, 1));
        if c == '\0' {
            diag = diag.help("a NUL byte is never in extracted text: is this a binary file? extract the text again");
        }
        return Err(diag);
    }
    let pages = text.bytes().filter(|&b| b == b'\x0c').count();
    if pages > limits::MAX_PAGES {
        return Err(Diagnostic::error(format!(
            "the text has {pages} pages (form feeds), more than the {} a brief may have; not read",
            limits::MAX_PAGES
        ))
        .at(Location::start_of(input)));
    }
    Ok(text)
}

/// "the file is 17.0 MB …": an input larger than [`limits::MAX_TEXT_BYTES`].
fn too_long(len: usize) -> String {
    format!(
        "the text is {:.1} MB, more than the {} MB a brief may have (a brief's text is well under 1 MB); not read",
        len as f64 / 1_048_576.0,
        limits::MAX_TEXT_BYTES >> 20
    )
}

/// Whether bytes read as UTF-16 without a byte-order mark: in the first KB, every other
/// byte is NUL (ASCII text in UTF-16) far more often than text ever has one.
fn looks_utf16(bytes: &[u8]) -> bool {
    let head = bytes.get(..1024).unwrap_or(bytes);
    if head.len() < 8 {
        return false;
    }
    let nul_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    nul_at(0) * 10 > half * 7 || nul_at(1) * 10 > half * 7
}

/// A diagnostic placed at `line` of an input: its line in a text file, its page in a PDF
/// paper ("brief.pdf: page 3: …"; 0 = the whole input).
fn located(diag: Diagnostic, input: &Path, laid: Option<&Laid>, line: usize) -> Diagnostic {
    match laid {
        Some(laid) => page_diagnostic(diag, input, laid.page_of(line)),
        None => diag.at(Location {
            path: input.to_path_buf(),
            line: line.max(1),
            column: 1,
        }),
    }
}

/// A diagnostic about a PDF paper, on a page: "brief.pdf: page 3: …". A PDF has no lines a
/// reader can go to, so the message names the file and page instead of a line location
/// (see [`is_about`] for tying it back to its file).
fn page_diagnostic(mut diag: Diagnostic, input: &Path, page: Option<usize>) -> Diagnostic {
    diag.message = match page {
        Some(page) => format!("{}: page {page}: {}", input.display(), diag.message),
        None => format!("{}: {}", input.display(), diag.message),
    };
    diag
}

/// Whether a diagnostic of an import is about `input`: located in it, or a PDF's diagnostic
/// naming it (see [`page_diagnostic`]).
pub fn is_about(diag: &Diagnostic, input: &Path) -> bool {
    match &diag.location {
        Some(l) => l.path == input,
        None => diag
            .message
            .strip_prefix(input.display().to_string().as_str())
            .is_some_and(|rest| rest.starts_with(": ")),
    }
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
