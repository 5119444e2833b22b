//! The theme: templates, static files and UI strings.
//!
//! The default theme is compiled into the binary (see `build.rs`); a site's own
//! `themes/<name>/` overrides it file by file, so a web team can restyle one
//! template without copying the rest. UI strings are checked against the default
//! theme's English file: a language missing a string is a build error, not a blank.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The language whose default strings define which keys every language needs.
const REFERENCE_STRINGS: &str = "i18n/en.toml";

/// A file of the theme and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub contents: Cow<'static, [u8]>,
    /// Shown in messages: the site file, or `(built-in theme)/…`.
    pub shown: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Theme {
    /// Path inside the theme (`templates/base.html`) → file.
    pub files: BTreeMap<String, ThemeFile>,
    /// Language code → UI strings.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
}

impl Theme {
    pub fn load(config: &Config) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut files: BTreeMap<String, ThemeFile> = DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| {
                let file = ThemeFile {
                    contents: Cow::Borrowed(*bytes),
                    shown: PathBuf::from(format!("(built-in theme)/{path}")),
                };
                (path.to_string(), file)
            })
            .collect();
        if let Some(name) = &config.theme {
            let dir = config.root.join("themes").join(name);
            if !dir.is_dir() {
                diags.push(
                    Diagnostic::error(format!("theme `{name}` not found: no folder themes/{name}/"))
                        .at(Location::start_of(Path::new(crate::config::CONFIG_FILE)))
                        .field("theme"),
                );
                return Err(diags);
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(relative) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        let shown = entry
                            .path()
                            .strip_prefix(&config.root)
                            .unwrap_or(entry.path())
                            .to_path_buf();
                        files.insert(
                            key,
                            ThemeFile {
                                contents: Cow::Owned(bytes),
                                shown,
                            },
                        );
                    }
                    Err(e) => diags.push(Diagnostic::error(format!(
                        "cannot read {}: {e}",
                        entry.path().display()
                    ))),
                }
            }
        }
        let strings = load_strings(config, &files, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Theme { files, strings })
    }

    /// Templates: name (path below `templates/`) → source text.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(path, file)| path.strip_prefix("templates/").map(|name| (name, file)))
    }

    /// Static files: path below `static/` → file.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(path, file)| path.strip_prefix("static/").map(|name| (name, file)))
    }
}

fn parse_strings(file: &ThemeFile, diags: &mut Diagnostics) -> Option<BTreeMap<String, String>> {
    let text = match std::str::from_utf8(&file.contents) {
        Ok(text) => text,
        Err(_) => {
            diags.push(Diagnostic::error("not UTF-8 text").at(Location::start_of(&file.shown)));
            return None;
        }
    };
    match toml::from_str::<BTreeMap<String, String>>(text) {
        Ok(map) => Some(map),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            diags.push(
                Diagnostic::error(format!("invalid UI strings: {}", e.message().trim()))
                    .at(Location::at(&file.shown, text, offset, 1))
                    .help("UI string files hold lines such as `key = \"text\"`"),
            );
            None
        }
    }
}

fn load_strings(
    config: &Config,
    files: &BTreeMap<String, ThemeFile>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let reference: Vec<String> = DEFAULT_THEME
        .iter()
        .find(|(path, _)| *path == REFERENCE_STRINGS)
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
        .and_then(|text| toml::from_str::<BTreeMap<String, String>>(text).ok())
        .map(|map| map.into_keys().collect())
        .unwrap_or_default();
    let mut all = BTreeMap::new();
    for lang in &config.languages {
        let path = format!("i18n/{}.toml", lang.code);
        let Some(file) = files.get(&path) else {
            let theme = config.theme.as_deref().unwrap_or("default");
            diags.push(
                Diagnostic::error(format!("no UI strings for language `{}`", lang.code))
                    .at(Location::start_of(Path::new(crate::config::CONFIG_FILE)))
                    .field(format!("languages.{}", lang.code))
                    .help(format!(
                        "add themes/{theme}/i18n/{}.toml (copy the keys of the English file)",
                        lang.code
                    )),
            );
            continue;
        };
        let Some(strings) = parse_strings(file, diags) else {
            continue;
        };
        for key in &reference {
            if !strings.contains_key(key) {
                diags.push(
                    Diagnostic::error(format!("missing UI string `{key}` for language `{}`", lang.code))
                        .at(Location::start_of(&file.shown))
                        .field(key.clone())
                        .help(format!("add a line `{key} = \"…\"`")),
                );
            }
        }
        all.insert(lang.code.clone(), strings);
    }
    all
}
