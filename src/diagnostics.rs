//! Errors and warnings that a drafter can act on.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of returning on the first
//! failure: a build shows *all* of its problems at once, each with the file, line and
//! column, the field concerned, what was expected and, where we can guess, a "did you
//! mean" hint. Only the orchestrator decides whether errors stop the build.

use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// What the errors above add up to (a build refused for its broken links):
    /// said, but not counted as one more problem.
    Note,
}

/// A position in a source file, 1-based as editors show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The position of byte `offset` in `text`, which was read from `path`.
    /// `first_line` is the line of `text`'s first line in the file (front matter
    /// starts below the `+++` line, so its TOML errors must be shifted).
    pub fn at(path: &Path, text: &str, offset: usize, first_line: usize) -> Location {
        let (line, column) = line_col(text, offset);
        Location {
            path: path.to_path_buf(),
            line: line + first_line - 1,
            column,
        }
    }

    pub fn start_of(path: &Path) -> Location {
        Location {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
        }
    }
}

/// Where each line of a text starts, so that the positions of many offsets
/// (every paper of a front matter, every link of a body) are found without
/// counting the lines before each from the start.
pub struct LineIndex {
    /// Byte offset of the start of each line after the first.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1).collect(),
        }
    }

    /// [`line_col`] of byte `offset` of `text`, the text this index was made of.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = if line == 0 { 0 } else { self.starts[line - 1] };
        (line + 1, text[line_start..offset].chars().count() + 1)
    }
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Whether `c` may not appear in a source: C0 controls other than tab, line feed
/// and carriage return, DEL, the C1 controls U+0080–U+009F, and the noncharacters
/// U+FFFE and U+FFFF. They are invisible in an editor, make XML (the feeds, the
/// sitemap) malformed and are parse errors in HTML.
pub fn is_forbidden_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Byte offsets of the forbidden characters of `text` (see [`is_forbidden_char`]).
/// Scans bytes, so the common case of a clean file costs little.
pub fn forbidden_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        let candidate = match b {
            0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f => true,
            // U+0080–U+009F are C2 80 – C2 9F; U+FFFE/U+FFFF are EF BF BE/BF.
            0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
            0xef => bytes.get(i + 1) == Some(&0xbf) && bytes.get(i + 2).is_some_and(|n| *n >= 0xbe),
            _ => false,
        };
        if !candidate {
            return None;
        }
        text[i..]
            .chars()
            .next()
            .filter(|c| is_forbidden_char(*c))
            .map(|c| (i, c))
    })
}

/// "control character U+000B (vertical tab) in the text", for a character that
/// [`is_forbidden_char`] rejects.
pub fn forbidden_char_error(c: char) -> Diagnostic {
    let code = format!("U+{:04X}", u32::from(c));
    let name = match c {
        '\u{0}' => Some("NUL"),
        '\u{8}' => Some("backspace"),
        '\u{b}' => Some("vertical tab"),
        '\u{c}' => Some("form feed"),
        '\u{1b}' => Some("escape"),
        '\u{7f}' => Some("delete"),
        '\u{85}' => Some("next line"),
        _ => None,
    };
    let what = if matches!(c, '\u{fffe}' | '\u{ffff}') {
        "noncharacter"
    } else {
        "control character"
    };
    let message = match name {
        Some(name) => format!("{what} {code} ({name}) in the text"),
        None => format!("{what} {code} in the text"),
    };
    Diagnostic::error(message).help("delete it; it is invisible and not allowed in HTML or XML")
}

/// Reports the forbidden characters of a file's `text` (at most [`MAX_CHAR_ERRORS`],
/// then one line saying how many more); `first_line` as in [`Location::at`].
/// Returns whether there was any.
pub fn report_forbidden_chars(path: &Path, text: &str, first_line: usize, diags: &mut Diagnostics) -> bool {
    let mut found = 0;
    let mut more_at = None;
    for (offset, c) in forbidden_chars(text) {
        found += 1;
        if found <= MAX_CHAR_ERRORS {
            diags.push(forbidden_char_error(c).at(Location::at(path, text, offset, first_line)));
        } else if more_at.is_none() {
            more_at = Some(offset);
        }
    }
    if let Some(offset) = more_at {
        diags.push(
            Diagnostic::error(format!(
                "{} more control characters in this file",
                found - MAX_CHAR_ERRORS
            ))
            .at(Location::at(path, text, offset, first_line))
            .help("was a binary file or a PDF's raw text saved here? delete the control characters"),
        );
    }
    found > 0
}

/// Forbidden characters reported one by one per file; the rest are counted.
pub const MAX_CHAR_ERRORS: usize = 10;

/// A file's bytes as text, or an error at the line and column of the first byte
/// that is not UTF-8, naming the byte.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The prefix is valid UTF-8 by definition.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(before, before.len());
        Diagnostic::error(format!("byte 0x{:02X} is not UTF-8 text", bytes[valid]))
            .at(Location {
                path: path.to_path_buf(),
                line,
                column,
            })
            .help("the file must be saved as UTF-8 (it may have been saved as Big5 or Windows-1252): re-save it with UTF-8 encoding")
    })
}

/// One problem found in the sources, config or templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    /// The field or key concerned, e.g. `committee` or `papers[3].date`.
    pub field: Option<String>,
    pub message: String,
    /// A hint such as "did you mean `smart-mobility`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            field: None,
            message: message.into(),
            help: None,
        }
    }

    /// A summary of problems reported beside it, not a problem of its own.
    pub fn note(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::warning(message)
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean" when one of `candidates` is close to `found`.
    pub fn suggest<'a>(self, found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
        match did_you_mean(found, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        if let Some(loc) = &self.location {
            let path = loc.path.to_string_lossy();
            write!(f, "{}:{}:{}: ", escape_controls(&path), loc.line, loc.column)?;
        }
        write!(f, "{label}")?;
        if let Some(field) = &self.field {
            write!(f, " in `{field}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// `text` with control characters (a line break in a file name, say) and bidi
/// controls written as escapes (`\n`, `\t`, `\u{202E}`), so that a message's
/// `file:line:col` stays on one line and reads in its own order.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_control() || is_bidi_control(c);
    if !text.chars().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs(c) => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The Unicode bidi embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069): they reorder the text shown after them ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The closest candidate to `found`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(found, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Problems collected across a stage, errors and warnings together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file and position so the report reads top to bottom and is
    /// the same on every run, whatever order parallel stages finished in.
    pub fn sorted(mut self) -> Diagnostics {
        self.items.sort_by(|a, b| {
            a.location
                .cmp(&b.location)
                .then_with(|| a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items.dedup();
        self
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_index_finds_what_line_col_counts() {
        let text = "ab\n中文\n\nx\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line_col(text, offset), line_col(text, offset), "{offset}");
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\n智慧x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        assert_eq!(line_col(text, 8), (2, 3));
    }

    #[test]
    fn forbidden_chars_are_found_bytewise() {
        let text = "a\u{b}b\u{85}c，\u{ffff}\td\u{a0}\r\n\u{7f}";
        let found: Vec<(usize, char)> = forbidden_chars(text).collect();
        assert_eq!(
            found,
            vec![(1, '\u{b}'), (3, '\u{85}'), (9, '\u{ffff}'), (18, '\u{7f}')]
        );
        assert!(forbidden_chars("智慧出行，「」\t\n\r").next().is_none());
    }

    #[test]
    fn non_utf8_byte_is_located() {
        let d = utf8_text(Path::new("f.md"), b"ab\nc\xffd".to_vec()).unwrap_err();
        assert_eq!(d.location.as_ref().map(|l| (l.line, l.column)), Some((2, 2)));
        assert_eq!(d.message, "byte 0xFF is not UTF-8 text");
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["smart-mobility", "smart-living"];
        assert_eq!(did_you_mean("smart-mobilty", keys), Some("smart-mobility"));
        assert_eq!(did_you_mean("budget", keys), None);
    }
}
