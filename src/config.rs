//! Stage 1: the site's `legbrief.toml`.
//!
//! The config is read once per build and shared read-only by every later stage. It is
//! validated completely up front (every key, type, date format and name) so that the
//! content stage can trust committee, topic and language keys without re-checking.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::toml_fields::{TableReader, TomlSource, type_name};

pub const CONFIG_FILE: &str = "legbrief.toml";

/// A name given per language, e.g. a committee's English and Chinese names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(BTreeMap<String, String>);

impl Names {
    /// The name in `lang`, else in the default language (the config check has
    /// already warned about the gap).
    pub fn get<'a>(&'a self, lang: &str, default_lang: &str) -> &'a str {
        self.0
            .get(lang)
            .or_else(|| self.0.get(default_lang))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    pub fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn has(&self, lang: &str) -> bool {
        self.0.contains_key(lang)
    }
}

#[derive(Debug, Clone)]
pub struct Language {
    /// The code used in file names and URLs: `en`, `zh-hk`.
    pub code: String,
    pub name: String,
    /// BCP 47 tag for `<html lang>`, e.g. `zh-Hant-HK`.
    pub lang_tag: String,
    pub title: String,
    pub issuer: String,
    /// strftime-style pattern, e.g. `%-d %B %Y` or `%Y年%-m月%-d日`.
    pub date_format: String,
    /// Where `[languages.<code>]` is in legbrief.toml, for errors about the language.
    pub at: Location,
}

impl Language {
    pub fn format_date(&self, date: Date) -> String {
        // Checked at load time, so formatting cannot fail here.
        date.strftime(&self.date_format).to_string()
    }
}

#[derive(Debug, Clone)]
pub struct Committee {
    pub key: String,
    pub names: Names,
    pub reference: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub key: String,
    pub names: Names,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub number: u32,
    pub names: Names,
    pub start: Date,
    pub end: Date,
}

impl Term {
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    /// Absolute URL of the site without a trailing slash, e.g. `https://example.org/briefs`.
    pub base_url: String,
    pub default_language: String,
    /// Default language first, then the others in config order.
    pub languages: Vec<Language>,
    pub committees: Vec<Committee>,
    pub topics: Vec<Topic>,
    pub terms: Vec<Term>,
    pub raw_html: bool,
    pub minify: bool,
    /// How listings are cut into pages (`[build]`), see [`Paging`].
    pub paging: Paging,
    /// The site theme's folder name under `themes/` (checked to be a plain name).
    pub theme: Option<String>,
    /// Where `theme` is set in legbrief.toml, for theme errors.
    pub theme_at: Option<Location>,
    /// Where `base_url` is set, for the warning while it is still an example host.
    pub base_url_at: Option<Location>,
}

/// How many items a page of each listing shows, from `[build]`. Every listing
/// grows with the archive; these bound every page whatever its size (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Briefs per page of a term's or committee's list (`briefs_per_page`).
    pub briefs: usize,
    /// Quoted topic sections per page of a topic (`sections_per_page`).
    pub sections: usize,
    /// Papers per page of the papers index (`papers_per_page`).
    pub papers: usize,
    /// Briefs in a language home's "latest" list (`latest_briefs`).
    pub latest: usize,
    /// URLs per sitemap file (`sitemap_urls`), at most the protocol's 50,000.
    pub sitemap_urls: usize,
}

impl Default for Paging {
    fn default() -> Paging {
        Paging {
            briefs: 50,
            sections: 20,
            papers: 200,
            latest: 10,
            sitemap_urls: SITEMAP_MAX_URLS,
        }
    }
}

/// The sitemaps protocol's limit of URLs per file.
pub const SITEMAP_MAX_URLS: usize = 50_000;

impl Config {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn committee(&self, key: &str) -> Option<&Committee> {
        self.committees.iter().find(|c| c.key == key)
    }

    pub fn topic(&self, key: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.key == key)
    }

    pub fn term(&self, number: u32) -> Option<&Term> {
        self.terms.iter().find(|t| t.number == number)
    }

    pub fn term_of(&self, date: Date) -> Option<&Term> {
        self.terms.iter().find(|t| t.contains(date))
    }

    /// The path part of `base_url`, always starting and ending with `/`
    /// (`/` for a site at the host's root, `/briefs/` under a sub-path).
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let path = path.trim_end_matches('/');
        format!("{path}/")
    }

    pub fn path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// Reads and checks `legbrief.toml` in `root`.
    pub fn load(root: &Path) -> Result<(Config, Diagnostics), Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let display_path = PathBuf::from(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match crate::diagnostics::utf8_text(&display_path, bytes) {
                Ok(text) => text,
                Err(d) => return Err([d].into_iter().collect()),
            },
            Err(e) => {
                let message = if e.kind() == std::io::ErrorKind::NotFound {
                    format!(
                        "no {CONFIG_FILE} in {} (create a site with `legbrief init DIR`)",
                        root.display()
                    )
                } else {
                    format!("cannot read {}: {e}", path.display())
                };
                return Err([Diagnostic::error(message)].into_iter().collect());
            }
        };
        Config::parse(root, &display_path, &text)
    }

    /// Parses config text; `display_path` is the path shown in messages.
    pub fn parse(root: &Path, display_path: &Path, text: &str) -> Result<(Config, Diagnostics), Diagnostics> {
        let mut diags = Diagnostics::new();
        let lines = crate::diagnostics::LineIndex::new(text);
        let source = TomlSource {
            path: display_path,
            text,
            first_line: 1,
            lines: &lines,
        };
        if crate::diagnostics::report_forbidden_chars(display_path, text, 1, &mut diags) {
            return Err(diags);
        }
        let Some(doc) = source.parse(&mut diags) else {
            return Err(diags);
        };
        let config = read_config(root, source, doc.get_ref(), doc.span(), &mut diags);
        match config {
            Some(config) if !diags.has_errors() => Ok((config, diags)),
            _ => Err(diags),
        }
    }
}

/// The host of `url` when it is one of the example domains reserved by RFC 2606
/// (`example.org`, `example.com`, `example.net`, any name under them, or under
/// `.example`): what the sample and `init` configs ship, never a real address.
pub fn example_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or_default().trim_end_matches('.');
    let lower = host.to_ascii_lowercase();
    let example = ["example.org", "example.com", "example.net", "example"]
        .iter()
        .any(|d| lower == *d || lower.ends_with(&format!(".{d}")));
    example.then_some(host)
}

/// The warning `build` gives while `base_url` is still an example host: feeds,
/// the sitemap, canonical and sharing links would all point there.
pub fn example_base_url_warning(config: &Config) -> Option<Diagnostic> {
    let host = example_host(&config.base_url)?;
    let warning = Diagnostic::warning(format!(
        "`{}` is an example address (`{host}`): feeds, the sitemap and canonical links will point at it",
        config.base_url
    ))
    .field("base_url")
    .help("set base_url to the address the site is published at, or build with --base-url https://…");
    Some(match &config.base_url_at {
        Some(at) => warning.at(at.clone()),
        None => warning,
    })
}

/// What a `base_url` must look like, shown with any problem found in one.
pub const BASE_URL_HELP: &str = "feeds and sitemaps need an absolute http(s) URL with a host and no query, fragment or spaces, e.g. base_url = \"https://briefs.example.org\"";

/// Checks a `base_url` (from legbrief.toml or `--base-url`): `http://` or
/// `https://`, a host, then an optional path; no query (`?`), fragment (`#`),
/// spaces or control characters, which would end up inside every feed and
/// sitemap link. `Err` says what is wrong, to follow the URL in a message.
pub fn check_base_url(url: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("is not an absolute http(s) URL");
    };
    if !(scheme == "https" || scheme == "http") {
        return Err("is not an http(s) URL");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains a space or control character");
    }
    if url.contains(['"', '<', '>', '`', '{', '}', '|', '\\', '^']) {
        return Err("contains a character a URL cannot hold (one of \" < > ` { } | \\ ^)");
    }
    if url.contains('?') {
        return Err("has a query (`?…`); a base URL cannot have one");
    }
    if url.contains('#') {
        return Err("has a fragment (`#…`); a base URL cannot have one");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err("has a user name or password in it");
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => ("", None),
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Err("has no host");
    }
    let host_char = |c: char| {
        if authority.starts_with('[') {
            c.is_ascii_hexdigit() || c == ':' || c == '.'
        } else {
            c.is_alphanumeric() || c == '-' || c == '.' || c == '_'
        }
    };
    if !host.chars().all(host_char) || host.starts_with(['.', '-']) {
        return Err("has a host name that is not one (letters, digits, `-` and `.`, or an IP address)");
    }
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err("has a port that is not a number");
    }
    Ok(())
}

/// A theme is named by a plain folder name under `themes/`: ASCII letters, digits,
/// `-` and `_`, so it can never reach outside that folder.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

fn read_config(
    root: &Path,
    source: TomlSource<'_>,
    doc: &DeTable<'_>,
    span: std::ops::Range<usize>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let mut r = TableReader::new(source, doc, span, "", diags);
    let title = r.string("title").map(|s| s.into_inner());
    let base_url = r.required_string("base_url");
    let default_language = r.required_string("default_language");
    let theme = r.string("theme");
    let languages_table = r.table("languages");
    let committees_table = r.table("committees");
    let topics_table = r.table("topics");
    let terms_tables = r.tables("terms");
    let markdown_table = r.table("markdown");
    let build_table = r.table("build");
    r.finish();

    let mut languages = Vec::new();
    match &languages_table {
        Some((table, _)) => {
            for (key, value) in table.iter() {
                let code = key.get_ref().to_string();
                if let Some(lang) = read_language(source, &code, value, diags) {
                    languages.push(lang);
                }
            }
        }
        None => diags.push(
            Diagnostic::error("missing `[languages.<code>]` tables")
                .at(Location::start_of(source.path))
                .field("languages")
                .help("add at least `[languages.en]` with name, lang_tag, title, issuer and date_format"),
        ),
    }

    let default_language = default_language?;
    let default_code = default_language.get_ref().clone();
    if !languages.is_empty() && !languages.iter().any(|l| l.code == default_code) {
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        diags.push(
            Diagnostic::error(format!(
                "`{default_code}` is not one of the configured languages ({})",
                codes.join(", ")
            ))
            .at(source.location(&default_language.span()))
            .field("default_language")
            .suggest(&default_code, codes.iter().copied()),
        );
    }
    languages.sort_by_key(|l| l.code != default_code);
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();

    let committees = keyed_entries(source, committees_table, "committees", diags, |r, key| {
        let names = read_names(r, "name", &codes, &default_code);
        let reference = r.string("ref").map(|s| s.into_inner());
        Committee {
            key: key.to_string(),
            names,
            reference,
        }
    });
    let topics = keyed_entries(source, topics_table, "topics", diags, |r, key| Topic {
        key: key.to_string(),
        names: read_names(r, "name", &codes, &default_code),
    });

    let mut terms: Vec<Term> = Vec::new();
    for (i, (table, span)) in terms_tables.into_iter().enumerate() {
        let mut r = TableReader::new(source, table, span, format!("terms[{i}]"), diags);
        let number = r.required_integer("number");
        let names = read_names(&mut r, "name", &codes, &default_code);
        let start = r.required_date("start");
        let end = r.required_date("end");
        let location = r.table_location();
        r.finish();
        let (Some(number), Some(start), Some(end)) = (number, start, end) else {
            continue;
        };
        let Ok(n) = u32::try_from(*number.get_ref()) else {
            diags.push(
                Diagnostic::error("a term number must be positive")
                    .at(location)
                    .field("number"),
            );
            continue;
        };
        let (start, end) = (start.into_inner(), end.into_inner());
        if end < start {
            diags.push(
                Diagnostic::error(format!("term {n} ends ({end}) before it starts ({start})")).at(location.clone()),
            );
        }
        if let Some(other) = terms
            .iter()
            .find(|t| t.number == n || (t.start <= end && start <= t.end))
        {
            let message = if other.number == n {
                format!("term {n} is defined twice")
            } else {
                format!(
                    "term {n} overlaps term {} ({} to {})",
                    other.number, other.start, other.end
                )
            };
            diags.push(Diagnostic::error(message).at(location));
            continue;
        }
        terms.push(Term {
            number: n,
            names,
            start,
            end,
        });
    }
    terms.sort_by_key(|t| t.number);

    let mut raw_html = false;
    if let Some((table, span)) = markdown_table {
        let mut r = TableReader::new(source, table, span, "markdown", diags);
        raw_html = r.bool("raw_html").unwrap_or(false);
        r.finish();
    }
    let mut minify = true;
    let mut paging = Paging::default();
    if let Some((table, span)) = build_table {
        let mut r = TableReader::new(source, table, span, "build", diags);
        minify = r.bool("minify").unwrap_or(true);
        let count = |r: &mut TableReader<'_, '_, '_>, key: &'static str, default: usize, max: usize| {
            let Some(value) = r.integer(key) else {
                return default;
            };
            match usize::try_from(*value.get_ref()) {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    r.error_at(
                        &value.span(),
                        key,
                        format!("expected a whole number from 1 to {max}, found {}", value.get_ref()),
                    );
                    default
                }
            }
        };
        paging.briefs = count(&mut r, "briefs_per_page", paging.briefs, 10_000);
        paging.sections = count(&mut r, "sections_per_page", paging.sections, 10_000);
        paging.papers = count(&mut r, "papers_per_page", paging.papers, 100_000);
        paging.latest = count(&mut r, "latest_briefs", paging.latest, 1_000);
        paging.sitemap_urls = count(&mut r, "sitemap_urls", paging.sitemap_urls, SITEMAP_MAX_URLS);
        r.finish();
    }

    let theme_at = theme.as_ref().map(|t| source.location(&t.span()));
    if let Some(theme) = &theme
        && !is_theme_name(theme.get_ref())
    {
        diags.push(
            Diagnostic::error(format!("`{}` is not a theme name", theme.get_ref()))
                .at(source.location(&theme.span()))
                .field("theme")
                .help("name a folder directly under themes/: letters, digits, `-` and `_`, no `/`, `\\` or `..`, not an absolute path"),
        );
    }

    let base_url = base_url?;
    let base_url_at = Some(source.location(&base_url.span()));
    let url = base_url.get_ref().trim_end_matches('/').to_string();
    if let Err(problem) = check_base_url(base_url.get_ref()) {
        diags.push(
            Diagnostic::error(format!("`{}` {problem}", base_url.get_ref()))
                .at(source.location(&base_url.span()))
                .field("base_url")
                .help(BASE_URL_HELP),
        );
    }

    Some(Config {
        root: root.to_path_buf(),
        title: title.unwrap_or_else(|| "Background briefs".to_string()),
        base_url: url,
        default_language: default_code,
        languages,
        committees,
        topics,
        terms,
        raw_html,
        minify,
        paging,
        theme: theme.map(toml::Spanned::into_inner),
        theme_at,
        base_url_at,
    })
}

fn read_language(
    source: TomlSource<'_>,
    code: &str,
    value: &toml::Spanned<DeValue<'_>>,
    diags: &mut Diagnostics,
) -> Option<Language> {
    let field = format!("languages.{code}");
    let DeValue::Table(table) = value.get_ref() else {
        diags.push(
            Diagnostic::error(format!("expected a table, found {}", type_name(value.get_ref())))
                .at(source.location(&value.span()))
                .field(field),
        );
        return None;
    };
    let mut r = TableReader::new(source, table, value.span(), field.clone(), diags);
    let name = r.required_string("name");
    let lang_tag = r.string("lang_tag");
    let title = r.required_string("title");
    let issuer = r.required_string("issuer");
    let date_format = r.required_string("date_format");
    r.finish();
    if !is_slug(code) {
        diags.push(
            Diagnostic::error(format!(
                "language code `{code}` must be lowercase letters, digits and dashes (e.g. `zh-hk`)"
            ))
            .at(source.location(&value.span()))
            .field(field.clone()),
        );
    }
    let date_format = date_format?;
    let sample = Date::constant(2025, 5, 7);
    if sample.strftime(date_format.get_ref()).to_string().is_empty()
        || jiff::fmt::strtime::format(date_format.get_ref().as_bytes(), sample).is_err()
    {
        diags.push(
            Diagnostic::error(format!("`{}` is not a usable date format", date_format.get_ref()))
                .at(source.location(&date_format.span()))
                .field(format!("{field}.date_format"))
                .help("use strftime directives, e.g. \"%-d %B %Y\" or \"%Y年%-m月%-d日\""),
        );
        return None;
    }
    Some(Language {
        code: code.to_string(),
        name: name?.into_inner(),
        lang_tag: lang_tag.map_or_else(|| code.to_string(), |t| t.into_inner()),
        title: title?.into_inner(),
        issuer: issuer?.into_inner(),
        date_format: date_format.into_inner(),
        at: source.location(&value.span()),
    })
}

/// `[committees.<key>]`-style tables: checks each key is a slug and reads the entry.
fn keyed_entries<T>(
    source: TomlSource<'_>,
    table: Option<(&DeTable<'_>, std::ops::Range<usize>)>,
    section: &str,
    diags: &mut Diagnostics,
    mut read: impl FnMut(&mut TableReader<'_, '_, '_>, &str) -> T,
) -> Vec<T> {
    let mut out = Vec::new();
    let Some((table, _)) = table else {
        return out;
    };
    for (key, value) in table.iter() {
        let key_text = key.get_ref().as_ref();
        let field = format!("{section}.{key_text}");
        if !is_slug(key_text) {
            diags.push(
                Diagnostic::error(format!(
                    "`{key_text}` is not a valid key: use lowercase letters, digits and single dashes"
                ))
                .at(source.location(&key.span()))
                .field(field.clone()),
            );
        }
        let DeValue::Table(entry) = value.get_ref() else {
            diags.push(
                Diagnostic::error(format!("expected a table, found {}", type_name(value.get_ref())))
                    .at(source.location(&value.span()))
                    .field(field),
            );
            continue;
        };
        let mut r = TableReader::new(source, entry, value.span(), field, diags);
        let item = read(&mut r, key_text);
        r.finish();
        out.push(item);
    }
    out
}

/// `name = "…"` for every language, or `name = { en = "…", zh-hk = "…" }`.
fn read_names(r: &mut TableReader<'_, '_, '_>, key: &'static str, codes: &[String], default: &str) -> Names {
    let mut names = BTreeMap::new();
    let Some(value) = r.raw(key) else {
        let location = r.table_location();
        r.diags.push(
            Diagnostic::error(format!("missing required field `{key}`"))
                .at(location)
                .field(r.field_name(key))
                .help("give a name per language: name = { en = \"…\", zh-hk = \"…\" }"),
        );
        return Names::default();
    };
    let span = value.span();
    match value.get_ref() {
        DeValue::String(s) => {
            r.check_text(key, &span, s);
            for code in codes {
                names.insert(code.clone(), s.to_string());
            }
        }
        DeValue::Table(table) => {
            for (lang, name) in table.iter() {
                let lang = lang.get_ref().as_ref();
                let field = format!("{}.{lang}", r.field_name(key));
                if !codes.iter().any(|c| c == lang) {
                    let location = r.location(&name.span());
                    r.diags.push(
                        Diagnostic::error(format!("`{lang}` is not a configured language"))
                            .at(location)
                            .field(field)
                            .suggest(lang, codes.iter().map(String::as_str)),
                    );
                    continue;
                }
                match name.get_ref() {
                    DeValue::String(s) => {
                        r.check_text(&format!("{key}.{lang}"), &name.span(), s);
                        names.insert(lang.to_string(), s.to_string());
                    }
                    other => {
                        let location = r.location(&name.span());
                        r.diags.push(
                            Diagnostic::error(format!("expected a string, found {}", type_name(other)))
                                .at(location)
                                .field(field),
                        );
                    }
                }
            }
            for code in codes {
                if !names.contains_key(code) && code != default {
                    let location = r.location(&span);
                    r.diags.push(
                        Diagnostic::warning(format!("no `{code}` name; the `{default}` name is used"))
                            .at(location)
                            .field(r.field_name(key)),
                    );
                }
            }
        }
        other => {
            let message = format!(
                "expected a string or a table of names per language, found {}",
                type_name(other)
            );
            r.error_at(&span, key, message);
        }
    }
    Names(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Config, Diagnostics), Diagnostics> {
        Config::parse(Path::new("."), Path::new(CONFIG_FILE), text)
    }

    const MINIMAL: &str = r#"
base_url = "https://example.org/briefs/"
default_language = "en"
[languages.en]
name = "English"
title = "Briefs"
issuer = "Secretariat"
date_format = "%-d %B %Y"
"#;

    #[test]
    fn base_path_keeps_the_sub_path() {
        let (config, _) = parse(MINIMAL).unwrap();
        assert_eq!(config.base_url, "https://example.org/briefs");
        assert_eq!(config.base_path(), "/briefs/");
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let text = format!("{MINIMAL}\n[build]\nminfy = false\n");
        let diags = parse(&text).unwrap_err();
        let d = diags.iter().next().unwrap();
        assert_eq!(d.location.as_ref().unwrap().line, 11);
        assert_eq!(d.help.as_deref(), Some("did you mean `minify`?"));
    }

    #[test]
    fn example_hosts_are_recognised() {
        for url in [
            "https://briefs.example.org",
            "https://example.com/briefs/",
            "http://EXAMPLE.NET:8080",
            "https://a.b.example",
            "https://user@www.example.org./x",
        ] {
            assert!(example_host(url).is_some(), "{url}");
        }
        for url in [
            "https://www.legco.gov.hk/briefs",
            "https://example.org.hk",
            "https://myexample.org",
            "https://example.organic.com",
        ] {
            assert_eq!(example_host(url), None, "{url}");
        }
    }

    #[test]
    fn base_url_rules() {
        for good in [
            "https://briefs.example.org",
            "http://localhost:1111/",
            "https://example.org/briefs/",
            "https://[::1]:8080/x",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("https://example.org/?x=1", "query"),
            ("https://example.org/#top", "fragment"),
            ("https://example.org/my briefs", "space"),
            ("ftp://example.org", "http(s)"),
            ("https:///briefs", "host"),
            ("https://:80", "host"),
            ("example.org", "absolute"),
            ("https://user:pw@example.org", "password"),
            ("https://example.org:x/", "port"),
            ("https://\"><script>alert(1)</script>", "cannot hold"),
            ("https://ex%61mple.org/", "host name"),
            ("https://example.org/a\"b", "cannot hold"),
            ("https://[::g]/", "host name"),
        ] {
            let problem = check_base_url(bad).unwrap_err();
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }

    #[test]
    fn theme_names_are_plain_folder_names() {
        assert!(is_theme_name("mine"));
        assert!(is_theme_name("My_Theme-2"));
        for bad in ["", "..", "../../x", "/etc", "a/b", "a\\b", ".hidden", "C:x"] {
            assert!(!is_theme_name(bad), "{bad}");
        }
    }

    #[test]
    fn slug_rule() {
        assert!(is_slug("smart-mobility"));
        assert!(is_slug("a1"));
        assert!(!is_slug("Smart"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
