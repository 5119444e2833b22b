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

/// The output folder of the theme's stylesheet and other static files.
pub const STATIC_DIR: &str = "static/";

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The language whose default strings define which keys every language needs.
const REFERENCE_STRINGS: &str = "i18n/en.toml";

/// The folder of site themes, under the site root.
pub const THEMES_DIR: &str = "themes";

/// The folder of the site theme `name`: it must exist and, with every symbolic
/// link resolved, lie inside the site's `themes/` folder, so a config cannot make
/// a build read (and publish the `static/` files of) a folder elsewhere.
fn theme_dir(config: &Config, name: &str) -> Result<PathBuf, Diagnostic> {
    let themes = config.root.join(THEMES_DIR);
    let dir = themes.join(name);
    if !crate::config::is_theme_name(name) {
        // Reported by the config check; never read such a path.
        return Err(Diagnostic::error(format!("`{name}` is not a theme name")));
    }
    if !dir.is_dir() {
        return Err(Diagnostic::error(format!(
            "theme `{name}` not found: no folder {THEMES_DIR}/{name}/"
        )));
    }
    let inside = match (themes.canonicalize(), dir.canonicalize()) {
        (Ok(themes), Ok(real)) => real.starts_with(&themes) && real != themes,
        _ => false,
    };
    if !inside {
        return Err(Diagnostic::error(format!(
            "{THEMES_DIR}/{name}/ leads outside the site's {THEMES_DIR}/ folder"
        ))
        .help(format!(
            "copy the theme into {THEMES_DIR}/{name}/ rather than linking to it"
        )));
    }
    Ok(dir)
}

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
            let at = config
                .theme_at
                .clone()
                .unwrap_or_else(|| Location::start_of(Path::new(crate::config::CONFIG_FILE)));
            let dir = match theme_dir(config, name) {
                Ok(dir) => dir,
                Err(diagnostic) => {
                    diags.push(diagnostic.at(at).field("theme"));
                    return Err(diags);
                }
            };
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(relative) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                // Editors' backups and dotfiles of a theme are not part of it
                // (its static files are published).
                if crate::content::is_ignored(relative) {
                    continue;
                }
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        let shown = Path::new(THEMES_DIR).join(name).join(relative);
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
    let text = match crate::diagnostics::utf8_text(&file.shown, file.contents.to_vec()) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let text = text.as_str();
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
                    .at(lang.at.clone())
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
