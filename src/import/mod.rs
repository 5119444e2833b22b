//! `legbrief import`: turns the text of a brief *as published* (extracted from its PDF paper,
//! as in `seeds/`) into a legbrief source (DESIGN §2): TOML front matter between `+++` lines,
//! then the Markdown body.
//!
//! Secretariats have years of briefs published only as PDF papers; retyping them is not an
//! option. The importer reads the printed structure back: the header (paper number, file
//! reference, committee, meeting date, title), the numbered paragraphs (rejoining the
//! fragments a page break split off), the closing block (issuer and date of issue) and the
//! appendix "List of relevant papers" (which becomes `[[papers]]`).
//!
//! Everything here is a pure function of the text: no file I/O, so the CLI decides where to
//! write, whether to overwrite and what to print. Every input line the importer does not
//! understand is reported as an [`ImportWarning`] with its line number, never dropped
//! silently, so a user can check an archive import line by line.

mod appendix;
mod body;
pub mod command;
mod dates;
mod header;
pub mod limits;
mod markup;
mod output;
pub mod pdf;
mod plain;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;

/// Names the importer matches printed text against (from the site config).
#[derive(Debug, Clone, Default)]
pub struct ImportNames {
    /// committee key -> its names in every language, e.g.
    /// ("itb", ["Panel on Information Technology and Broadcasting", "資訊科技及廣播事務委員會"])
    pub committees: Vec<(String, Vec<String>)>,
    /// topic key -> names, e.g. ("smart-mobility", ["Smart Mobility", "智慧出行"])
    pub topics: Vec<(String, Vec<String>)>,
}

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// "en" | "zh-hk"; `None` = detect from the text.
    pub lang: Option<String>,
    /// `--slug`; `None` = derive one from the title (or the paper number).
    pub slug: Option<String>,
    /// The text is a PDF paper laid out by [`pdf`]: plain text (not the Markdown-flavoured
    /// extraction, though it marks its bold runs `**…**`, which paragraphs keep).
    pub from_pdf: bool,
}

/// A brief turned into a source, with what the CLI needs to place and report it.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The language given, or detected from the text ("en" or "zh-hk").
    pub lang: String,
    /// `--slug`, else derived from the title: ASCII, short, stable, matching
    /// `^[a-z0-9]+(-[a-z0-9]+)*$`. For Chinese titles it is derived from the paper number
    /// (e.g. "cb2-848-2025-03"); the CLI should prefer the slug of the English source with
    /// the same `paper_no`, so the two become one bilingual brief.
    pub slug: String,
    /// The paper number as printed, e.g. "CB(2)848/2025(03)".
    pub paper_no: Option<String>,
    /// The meeting date (front matter `meeting`), which places the brief in a term.
    pub meeting: jiff::civil::Date,
    /// The complete `.md` source: `+++` TOML front matter `+++`, then the Markdown body.
    pub source: String,
    /// Numbered paragraphs in the body (as the renderer will number them).
    pub paragraphs: usize,
    /// `[[papers]]` entries.
    pub papers: usize,
    /// Every input line not understood, with its 1-based line number (0 = not tied to a line,
    /// e.g. an invalid `--slug`).
    pub warnings: Vec<ImportWarning>,
}

/// An input line the importer did not (fully) understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based line number in the input; 0 when the warning is about the whole input.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a text could not be imported at all (nothing should be written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The text is not a brief, or lacks a field a source requires (title, meeting, committee).
    NotABrief { reason: String },
    /// The printed committee matches no committee of the config, in any language.
    UnknownCommittee {
        line: usize,
        found: String,
        known: Vec<String>,
        /// The printed file reference, which usually names the committee ("CB2/PL/HG").
        file_ref: Option<String>,
    },
    /// `--lang` names one language and the text is plainly in the other.
    WrongLanguage {
        given: String,
        detected: String,
        ideographs: usize,
        latin: usize,
    },
}

impl ImportError {
    /// What to do about the error: for an unknown committee, the exact table to add to
    /// `legbrief.toml`.
    pub fn help(&self) -> Option<String> {
        match self {
            ImportError::UnknownCommittee {
                found, file_ref, known, ..
            } => {
                let (key, lang, _) = committee_parts(found, file_ref.as_deref());
                Some(if known.contains(&key) {
                    // Proposing [committees.<key>] again would break the config.
                    format!(
                        "if it is the committee `{key}`, add this name to [committees.{key}] in legbrief.toml: {lang} = {}",
                        output::toml_string(found)
                    )
                } else {
                    format!(
                        "if it is a committee of the site, add to legbrief.toml:\n{}",
                        committee_table(found, file_ref.as_deref())
                    )
                })
            }
            ImportError::WrongLanguage { detected, .. } => Some(format!(
                "leave out --lang to have it detected, or pass --lang {detected}; import each language's paper on its own"
            )),
            ImportError::NotABrief { .. } => None,
        }
    }
}

/// The `[committees.<key>]` table for a committee found in a paper: the key from the file
/// reference ("CB2/PL/HG" -> "hg") or else from the name, the name in the paper's language.
pub fn committee_table(found: &str, file_ref: Option<&str>) -> String {
    let (key, lang, r) = committee_parts(found, file_ref);
    committee_table_of(&key, &[(lang.to_string(), found.to_string())], r.as_deref())
}

/// For a committee found in a paper: its key (from the file reference, "CB2/PL/HG" -> "hg",
/// or else from the name), the language of the name, and the `ref` ("PL/HG").
pub fn committee_parts(found: &str, file_ref: Option<&str>) -> (String, &'static str, Option<String>) {
    let from_ref = file_ref
        .and_then(|r| r.rsplit('/').next())
        .map(|k| k.trim().to_ascii_lowercase())
        .filter(|k| output::is_slug(k) && !k.starts_with("cb"));
    let key = from_ref
        .or_else(|| {
            output::slug_from_title(
                found
                    .trim_start_matches("Panel on ")
                    .trim_start_matches("Subcommittee on ")
                    .trim_start_matches("Bills Committee on "),
            )
        })
        .unwrap_or_else(|| "new-committee".to_string());
    let lang = if found.chars().any(markup::is_ideograph) {
        "zh-hk"
    } else {
        "en"
    };
    let r = file_ref
        .and_then(|r| r.split_once('/'))
        .map(|(_, r)| r.to_string())
        .filter(|r| r.contains('/'));
    (key, lang, r)
}

/// A `[committees.<key>]` table with the names given as (language, name), English first.
pub fn committee_table_of(key: &str, names: &[(String, String)], file_ref: Option<&str>) -> String {
    let mut names: Vec<&(String, String)> = names.iter().collect();
    names.sort_by_key(|(lang, _)| lang != "en");
    let names: Vec<String> = names
        .iter()
        .map(|(lang, name)| format!("{lang} = {}", output::toml_string(name)))
        .collect();
    let mut table = format!("[committees.{key}]\nname = {{ {} }}", names.join(", "));
    if let Some(r) = file_ref {
        table.push_str(&format!("\nref = {}", output::toml_string(r)));
    }
    table
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotABrief { reason } => write!(f, "not a brief: {reason}"),
            ImportError::WrongLanguage {
                given,
                detected,
                ideographs,
                latin,
            } => write!(
                f,
                "--lang {given}, but the text reads as {} ({ideographs} Chinese characters against {latin} Latin letters); nothing imported",
                language_name(detected)
            ),
            ImportError::UnknownCommittee { line, found, known, .. } => write!(
                f,
                "line {line}: unknown committee \"{found}\" (known committees: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// One input line: its 1-based number and its text without the line ending.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    text: &'a str,
}

impl<'a> Line<'a> {
    /// The text without surrounding whitespace (including form feeds, which pdftotext uses
    /// for page breaks, and the two trailing spaces of a Markdown hard break).
    fn trimmed(&self) -> &'a str {
        self.text.trim()
    }
}

/// Collects warnings; a small type so every part reports the same way.
#[derive(Debug, Default)]
struct Warnings(Vec<ImportWarning>);

impl Warnings {
    fn add(&mut self, line: usize, message: impl Into<String>) {
        self.0.push(ImportWarning {
            line,
            message: message.into(),
        });
    }
}

/// Imports one brief as published. See the module docs.
pub fn import_brief(text: &str, names: &ImportNames, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let normalised = compatibility_normalised(text);
    let text = normalised.as_deref().unwrap_or(text);
    let lang = opts.lang.clone().unwrap_or_else(|| detect_lang(text));
    check_language(text, &lang)?;
    if !has_header_words(text) {
        return Err(ImportError::NotABrief {
            reason: header::NEITHER.to_string(),
        });
    }
    let mut warnings = Warnings::default();
    let prepared = (opts.from_pdf || plain::is_plain(text)).then(|| plain::prepare(text, names, &mut warnings));
    let lines = match &prepared {
        Some(p) => p
            .lines
            .iter()
            .map(|l| Line {
                no: l.no,
                text: &l.text,
            })
            .collect(),
        None => split_lines(text),
    };

    let head = header::parse(&lines, names, &mut warnings)?;
    let rest = lines.get(head.end..).unwrap_or_default();
    // Prepared text has its headings marked already: a bold line there is a bold fragment.
    let body = body::parse(rest, names, prepared.is_none(), &mut warnings);
    let rest_at = head.end + body.end;
    let papers = match &prepared {
        Some(p) => table::parse(
            &p.lines
                .get(rest_at..)
                .unwrap_or_default()
                .iter()
                .map(|l| plain::PLine {
                    text: markup::unbold(&l.text),
                    ..l.clone()
                })
                .collect::<Vec<_>>(),
            names,
            &lang,
            p.layout,
            &mut warnings,
        ),
        None => appendix::parse(lines.get(rest_at..).unwrap_or_default(), names, &lang, &mut warnings),
    };
    let notes = prepared.as_ref().map(|p| p.notes.as_slice()).unwrap_or_default();
    let end_line = lines.get(rest_at.saturating_sub(1)).map_or(0, |l| l.no);
    if body.closing.is_none() {
        warnings.add(
            end_line,
            "no closing block (issuer and date of issue) after the last paragraph; `issuer` and `issued` left out",
        );
    }
    if papers.is_empty() {
        warnings.add(
            lines.last().map_or(0, |l| l.no),
            "no appendix (\"List of relevant papers\" table) found; the brief has no [[papers]]",
        );
    }

    let slug = output::choose_slug(opts.slug.as_deref(), &head, &lang, &mut warnings);
    let source = output::source(&head, &body, &papers, notes);
    let mut warnings = warnings.0;
    warnings.sort_by_key(|w| w.line);
    Ok(Imported {
        lang,
        slug,
        paper_no: head.paper_no.clone(),
        meeting: head.meeting,
        source,
        paragraphs: body.paragraphs,
        papers: papers.len(),
        warnings,
    })
}

/// Splits into numbered lines, accepting LF and CRLF (and a stray CR) endings and a BOM, as
/// text extracted on different systems comes with either.
fn split_lines(text: &str) -> Vec<Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .map(|(i, l)| Line {
            no: i + 1,
            text: l.strip_suffix('\r').unwrap_or(l),
        })
        .collect()
}

/// Guesses the language when `--lang` is not given. The English papers carry a bilingual
/// masthead (立法會) and Chinese ones carry Latin paper numbers, acronyms and HTML link tags,
/// so the test is a ratio: Chinese text is mostly ideographs.
fn detect_lang(text: &str) -> String {
    let cjk = text.chars().filter(|&c| markup::is_ideograph(c)).count();
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if cjk * 2 > latin { "zh-hk" } else { "en" }.to_string()
}

/// Whether a character is a compatibility form a PDF's font map may give for an ordinary
/// ideograph: a Kangxi radical (U+2F00–U+2FDF, "⽴" for "立"), a CJK radical supplement
/// (U+2E80–U+2EFF) or a CJK compatibility ideograph (U+F900–U+FAFF, U+2F800–U+2FA1F).
fn is_compatibility_form(c: char) -> bool {
    matches!(c, '\u{2e80}'..='\u{2eff}' | '\u{2f00}'..='\u{2fdf}' | '\u{f900}'..='\u{faff}' | '\u{2f800}'..='\u{2fa1f}')
}

/// The text with its compatibility forms (see [`is_compatibility_form`]) replaced by the
/// ideographs they stand for (their NFKC form, as `pdftotext` prints them), so headers and
/// names match and the source reads right; `None` when there is none. Nothing else is
/// normalised: full-width punctuation is meant in Chinese text.
fn compatibility_normalised(text: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    if !text.chars().any(is_compatibility_form) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_compatibility_form(c) {
            out.extend(std::iter::once(c).nfkc());
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Refuses a text whose language is plainly not the one given: an English paper given
/// `--lang zh-hk` (its only Chinese the masthead and a few names) or a Chinese paper given
/// `--lang en`. Other languages are not checked.
fn check_language(text: &str, lang: &str) -> Result<(), ImportError> {
    let ideographs = text.chars().filter(|&c| markup::is_ideograph(c)).count();
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let detected = match lang {
        "zh-hk" if ideographs * 4 < latin => "en",
        "en" if latin * 2 < ideographs => "zh-hk",
        _ => return Ok(()),
    };
    Err(ImportError::WrongLanguage {
        given: lang.to_string(),
        detected: detected.to_string(),
        ideographs,
        latin,
    })
}

fn language_name(code: &str) -> &'static str {
    match code {
        "en" => "English",
        "zh-hk" => "Chinese",
        _ => "another language",
    }
}

/// Whether the top of a text (its first [`limits::MAX_HEADER_LINES`] non-blank lines) has
/// the words of a brief's header: a paper number or a meeting line, in either language. A
/// cheap test, so that a long text that is no brief is refused at once.
fn has_header_words(text: &str) -> bool {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(limits::MAX_HEADER_LINES)
        .any(|l| {
            let l = l.to_lowercase();
            l.contains("paper no") || l.contains("號文件") || l.contains("meeting") || l.contains("會議")
        })
}

/// The key of the entry (committee or topic) one of whose names is `text`, compared without
/// emphasis, case or apostrophe style, in any language.
fn key_for<'a>(entries: &'a [(String, Vec<String>)], text: &str) -> Option<&'a str> {
    let wanted = markup::norm(text);
    if wanted.is_empty() {
        return None;
    }
    entries
        .iter()
        .find(|(_, names)| names.iter().any(|n| markup::norm(n) == wanted))
        .map(|(key, _)| key.as_str())
}
