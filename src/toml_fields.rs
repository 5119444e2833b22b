//! Reading TOML tables field by field, with positions.
//!
//! serde would stop at the first bad field and forget where things were; config
//! and front matter instead go through this reader, which keeps every value's span,
//! reports every wrong type, missing field and unknown key of a table in one pass,
//! and points at the exact line and column in the file the drafter edits.

use std::ops::Range;
use std::path::Path;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location, forbidden_char_error, is_forbidden_char};

/// The text a TOML document was parsed from, and where it sits in its file.
#[derive(Clone, Copy)]
pub struct TomlSource<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// Line of the file on which `text` starts (front matter starts on line 2).
    pub first_line: usize,
    /// The lines of `text`: every paper of a front matter asks for its line.
    pub lines: &'a LineIndex,
}

impl<'a> TomlSource<'a> {
    pub fn location(&self, span: &Range<usize>) -> Location {
        let (line, column) = self.lines.line_col(self.text, span.start);
        Location {
            path: self.path.to_path_buf(),
            line: line + self.first_line - 1,
            column,
        }
    }

    /// Parses the document, reporting every syntax error with its position.
    pub fn parse(&self, diags: &mut Diagnostics) -> Option<Spanned<DeTable<'a>>> {
        let (table, errors) = DeTable::parse_recoverable(self.text);
        if errors.is_empty() {
            return Some(table);
        }
        let mut date_lines = Vec::new();
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            if let Some((key, value_at, value)) = assignment_on_line(self.text, span.start)
                && !is_toml_date_shape(value)
                && let Some(reading) = crate::date_forms::read(value)
            {
                // One message per line: TOML may find several errors in `12 May 2025`.
                if !date_lines.contains(&value_at) {
                    date_lines.push(value_at);
                    diags.push(date_form_error(key, value, &reading).at(self.location(&(value_at..value_at))));
                }
                continue;
            }
            let mut diagnostic =
                Diagnostic::error(format!("invalid TOML: {}", error.message().trim())).at(self.location(&span));
            if let Some(key) = key_on_line(self.text, span.start) {
                diagnostic = diagnostic.field(key);
            }
            diags.push(diagnostic);
        }
        None
    }
}

/// The key assigned on the line holding byte `offset` (`meeting = 2025-02-30`), so a
/// syntax error inside a value can still name its field.
fn key_on_line(text: &str, offset: usize) -> Option<&str> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(key)
}

/// The key, the offset of the value and the value (without a trailing comment) of
/// the assignment on the line holding byte `offset`.
fn assignment_on_line(text: &str, offset: usize) -> Option<(&str, usize, &str)> {
    let key = key_on_line(text, offset)?;
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let eq = line.find('=')?;
    let after = &line[eq + 1..];
    let value_start = eq + 1 + (after.len() - after.trim_start().len());
    let value = line[value_start..].split(" #").next()?.trim_end();
    Some((key, start + value_start, value))
}

/// `2025-02-30`: TOML's own form, which TOML's message (no such day) covers.
fn is_toml_date_shape(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The error for a date written as people write it (`12/05/2025`, `12 May 2025`,
/// `"2025年5月12日"`): it names the TOML form and the line to write.
pub fn date_form_error(key: &str, written: &str, reading: &crate::date_forms::Reading) -> Diagnostic {
    let field = key.rsplit('.').next().unwrap_or(key);
    let message = match reading.date {
        Some(_) => format!("`{written}` is not a date TOML reads: a date is written YYYY-MM-DD, without quotes"),
        None => format!(
            "`{written}` is no day of the calendar, and not a date TOML reads: a date is written YYYY-MM-DD, without quotes"
        ),
    };
    let diagnostic = Diagnostic::error(message).field(key.to_string());
    match reading.date {
        Some(date) => {
            let line = format!("write {field} = {date}");
            diagnostic.help(match &reading.note {
                Some(note) => format!("{line}: {note}", note = note.replace("{field}", field)),
                None => line,
            })
        }
        None => diagnostic.help(format!(
            "write the day that was meant as {field} = YYYY-MM-DD, e.g. {field} = 2025-05-12"
        )),
    }
}

/// Where in a basic string `literal` (as written, with its quotes) an escape
/// writes `c`: `\u000b`, `\U0000000B`, `\x0b`, `\b`, `\f` or `\e`.
fn escape_offset(literal: &str, c: char) -> Option<usize> {
    let bytes = literal.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let rest = &literal[i + 1..];
        let (decoded, len) = match rest.as_bytes().first() {
            Some(b'b') => (Some('\u{8}'), 1),
            Some(b'f') => (Some('\u{c}'), 1),
            Some(b'e') => (Some('\u{1b}'), 1),
            Some(&first @ (b'u' | b'U' | b'x')) => {
                let digits = match first {
                    b'u' => 4,
                    b'U' => 8,
                    _ => 2,
                };
                let hex = rest.get(1..1 + digits);
                let decoded = hex
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                (decoded, 1 + digits)
            }
            _ => (None, 1),
        };
        if decoded == Some(c) {
            return Some(i);
        }
        i += 1 + len;
    }
    None
}

/// The type name a drafter would recognise, for "expected a date, found a string".
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(_), Some(_)) => "a date-time",
            (None, Some(_)) => "a time",
            _ => "a date",
        },
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Reads the fields of one table; call [`TableReader::finish`] to report unknown keys.
pub struct TableReader<'t, 'a, 'd> {
    source: TomlSource<'a>,
    table: &'t DeTable<'a>,
    span: Range<usize>,
    /// Dotted path of this table, e.g. `papers[2]`, prefixed to field names.
    prefix: String,
    known: Vec<&'static str>,
    pub diags: &'d mut Diagnostics,
}

impl<'t, 'a, 'd> TableReader<'t, 'a, 'd> {
    pub fn new(
        source: TomlSource<'a>,
        table: &'t DeTable<'a>,
        span: Range<usize>,
        prefix: impl Into<String>,
        diags: &'d mut Diagnostics,
    ) -> Self {
        TableReader {
            source,
            table,
            span,
            prefix: prefix.into(),
            known: Vec::new(),
            diags,
        }
    }

    pub fn source(&self) -> TomlSource<'a> {
        self.source
    }

    pub fn field_name(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// Where the table itself starts: missing fields are reported there.
    pub fn table_location(&self) -> Location {
        self.source.location(&self.span)
    }

    pub fn location(&self, span: &Range<usize>) -> Location {
        self.source.location(span)
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'a>>> {
        self.known.push(key);
        self.table.get(key)
    }

    pub fn error_at(&mut self, span: &Range<usize>, key: &str, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(message)
            .at(self.source.location(span))
            .field(self.field_name(key));
        self.diags.push(diagnostic);
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'a>>, expected: &str) {
        let found = type_name(value.get_ref());
        self.error_at(&value.span(), key, format!("expected {expected}, found {found}"));
    }

    fn missing(&mut self, key: &str, expected: &str) {
        let diagnostic = Diagnostic::error(format!("missing required field `{key}` ({expected})"))
            .at(self.table_location())
            .field(self.field_name(key));
        self.diags.push(diagnostic);
    }

    /// A value of any type with its span, for fields that accept several shapes.
    pub fn raw(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'a>>> {
        self.get(key)
    }

    /// Reports a control character in a string value (written as an escape such
    /// as `\u000b`: TOML itself rejects them raw), at the escape that wrote it.
    pub fn check_text(&mut self, key: &str, span: &Range<usize>, value: &str) {
        if let Some(c) = value.chars().find(|c| is_forbidden_char(*c)) {
            let literal = self.source.text.get(span.clone()).unwrap_or_default();
            let at = escape_offset(literal, c).map_or(span.start, |i| span.start + i);
            let diagnostic = forbidden_char_error(c)
                .at(self.source.location(&(at..at)))
                .field(self.field_name(key));
            self.diags.push(diagnostic);
        }
    }

    pub fn string(&mut self, key: &'static str) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => {
                self.check_text(key, &value.span(), s);
                Some(Spanned::new(value.span(), s.to_string()))
            }
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &'static str) -> Option<Spanned<String>> {
        if !self.table.contains_key(key) {
            self.known.push(key);
            self.missing(key, "a string");
            return None;
        }
        self.string(key)
    }

    pub fn bool(&mut self, key: &'static str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, "true or false");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &'static str) -> Option<Spanned<i64>> {
        let value = self.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(key, value, "a whole number");
        }
        parsed.map(|n| Spanned::new(value.span(), n))
    }

    pub fn required_integer(&mut self, key: &'static str) -> Option<Spanned<i64>> {
        if !self.table.contains_key(key) {
            self.known.push(key);
            self.missing(key, "a whole number");
            return None;
        }
        self.integer(key)
    }

    /// A calendar date written as a TOML local date (`2025-05-12`, unquoted).
    pub fn date(&mut self, key: &'static str) -> Option<Spanned<Date>> {
        let value = self.get(key)?;
        let span = value.span();
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date,
            DeValue::Datetime(dt) => {
                let (found, help) = match dt.date {
                    Some(date) => ("a date-time", format!("write {key} = {date}")),
                    None => ("a time", format!("write the date, e.g. {key} = 2025-05-12")),
                };
                let drop = if dt.date.is_some() {
                    "drop the time"
                } else {
                    "give a date"
                };
                self.diags.push(
                    Diagnostic::error(format!(
                        "expected a date such as 2025-05-12, found {found} ({dt}); {drop}"
                    ))
                    .at(self.source.location(&span))
                    .field(self.field_name(key))
                    .help(help),
                );
                return None;
            }
            DeValue::String(s)
                if Date::strptime("%Y-%m-%d", s.as_ref()).is_err()
                    && let Some(reading) = crate::date_forms::read(s) =>
            {
                let written = self.source.text.get(span.clone()).unwrap_or(s);
                self.diags
                    .push(date_form_error(&self.field_name(key), written, &reading).at(self.source.location(&span)));
                return None;
            }
            DeValue::String(s) => {
                let hint = if Date::strptime("%Y-%m-%d", s.as_ref()).is_ok() {
                    format!("write the date without quotes: {key} = {s}")
                } else {
                    "dates are written YYYY-MM-DD, without quotes".to_string()
                };
                self.diags.push(
                    Diagnostic::error("expected a date, found a string")
                        .at(self.source.location(&span))
                        .field(self.field_name(key))
                        .help(hint),
                );
                return None;
            }
            _ => {
                self.wrong_type(key, value, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        let date = date?;
        match Date::new(date.year as i16, date.month as i8, date.day as i8) {
            Ok(d) => Some(Spanned::new(span, d)),
            Err(_) => {
                self.error_at(&span, key, format!("{date} is not a date of the calendar"));
                None
            }
        }
    }

    pub fn required_date(&mut self, key: &'static str) -> Option<Spanned<Date>> {
        if !self.table.contains_key(key) {
            self.known.push(key);
            self.missing(key, "a date such as 2025-05-12");
            return None;
        }
        self.date(key)
    }

    pub fn string_array(&mut self, key: &'static str) -> Option<Vec<Spanned<String>>> {
        let value = self.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => {
                    self.check_text(&format!("{key}[{i}]"), &item.span(), s);
                    out.push(Spanned::new(item.span(), s.to_string()));
                }
                _ => self.wrong_type(&format!("{key}[{i}]"), item, "a string"),
            }
        }
        Some(out)
    }

    pub fn table(&mut self, key: &'static str) -> Option<(&'t DeTable<'a>, Range<usize>)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some((t, value.span())),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// `[[key]]` entries, each with its span.
    pub fn tables(&mut self, key: &'static str) -> Vec<(&'t DeTable<'a>, Range<usize>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of tables ([[...]])");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, item.span())),
                _ => self.wrong_type(&format!("{key}[{i}]"), item, "a table"),
            }
        }
        out
    }

    /// Reports every key that no reader method asked for.
    pub fn finish(self) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.known.contains(&name) {
                continue;
            }
            let expected = self.known.join("`, `");
            let diagnostic = Diagnostic::error(format!("unknown field `{name}`"))
                .at(self.source.location(&key.span()))
                .field(self.field_name(name))
                .suggest(name, self.known.iter().copied());
            let diagnostic = if diagnostic.help.is_none() {
                diagnostic.help(format!("expected one of `{expected}`"))
            } else {
                diagnostic
            };
            self.diags.push(diagnostic);
        }
    }
}
