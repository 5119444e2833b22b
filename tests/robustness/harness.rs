//! One brief file through every stage, for property tests (`tests/robustness.rs`)
//! and the fuzz target (`fuzz/`): front matter, Markdown, the model, every page of
//! the site rendered and minified, and the link check reading those pages back.
//!
//! It panics, so the caller reports a finding, when a stage panics or when a
//! failure is not a located error: a drafter must always be told the file, line
//! and column to fix.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use legbrief::check;
use legbrief::config::Config;
use legbrief::content::{self, Content};
use legbrief::diagnostics::{Diagnostic, Diagnostics};
use legbrief::links::LinkMode;
use legbrief::model::Site;
use legbrief::output::OutputFile;
use legbrief::pipeline;
use legbrief::render::Renderer;
use legbrief::theme::STATIC_DIR;
use legbrief::theme::Theme;

/// Two languages, topics, committees and terms, so every page kind exists.
pub const CONFIG: &str = r#"
base_url = "https://council.example.org/briefs"
default_language = "en"
[languages.en]
name = "English"
title = "Briefs"
issuer = "Secretariat"
date_format = "%-d %B %Y"
[languages.zh-hk]
name = "繁體中文"
lang_tag = "zh-Hant-HK"
title = "簡介"
issuer = "秘書處"
date_format = "%Y年%-m月%-d日"
[committees.itb]
name = { en = "Panel on IT", zh-hk = "資訊科技事務委員會" }
[committees.tp]
name = "Panel on Transport"
[topics.smart-mobility]
name = { en = "Smart Mobility", zh-hk = "智慧出行" }
[topics.smart-government]
name = { en = "Smart Government", zh-hk = "智慧政府" }
[[terms]]
number = 7
name = { en = "Seventh", zh-hk = "第七屆" }
start = 2022-01-01
end = 2025-12-31
"#;

/// Front matter that loads, for inputs that vary only the body.
pub const VALID_FRONT: &str = "title = \"A brief\"\ncommittee = \"itb\"\nmeeting = 2024-05-07\n\
    paper_no = \"CB(4)1/2024(01)\"\ntopics = [\"smart-mobility\"]\n\
    [[papers]]\nbody = \"itb\"\ndate = 2024-01-08\ntitle = \"Agenda\"\nkind = \"agenda\"\ndate_note = \"Date of issue\"\n";

/// A body that renders, for inputs that vary only the front matter.
pub const VALID_BODY: &str = "## Smart Mobility {#smart-mobility}\n\nOne[^n].\n\nSee [two](#p-2) and the [Appendix](#appendix).\n\n[^n]: A note.\n";

pub struct Harness {
    config: Arc<Config>,
    /// Static files of the theme, as the pipeline adds them.
    static_files: Vec<OutputFile>,
    published: Renderer,
    archive: Renderer,
}

impl Harness {
    pub fn new(raw_html: bool) -> Harness {
        let text = format!("{CONFIG}[markdown]\nraw_html = {raw_html}\n");
        let (config, _) =
            Config::parse(Path::new("."), Path::new("legbrief.toml"), &text).expect("the harness config loads");
        let theme = Theme::load(&config).expect("the built-in theme loads");
        let mode = LinkMode::Absolute {
            base_path: config.base_path(),
        };
        let published = Renderer::new(&theme, mode).expect("the built-in templates compile");
        let archive = Renderer::new(&theme, LinkMode::Relative).expect("the built-in templates compile");
        let static_files = theme
            .static_files()
            .map(|(name, file)| OutputFile {
                path: format!("{STATIC_DIR}{name}"),
                contents: file.contents.to_vec(),
            })
            .collect();
        Harness {
            config: Arc::new(config),
            static_files,
            published,
            archive,
        }
    }

    pub fn raw_html(&self) -> bool {
        self.config.raw_html
    }

    /// `text` as the file `content/briefs/<file_name>`, through every stage, in the
    /// published site and in a term archive.
    pub fn exercise(&self, file_name: &str, text: &str) {
        let shown = Path::new("content/briefs").join(file_name);
        let (source, diags) = content::parse_brief_file(&self.config, &shown, text);
        assert_located(&diags, text, "loading the file");
        let Some(source) = source else {
            assert!(
                diags.has_errors(),
                "a file that does not load must have an error:\n{}",
                show(&diags)
            );
            return;
        };
        let term = self.config.term_of(source.front.meeting).map(|t| t.number);
        let content = || Content {
            briefs: vec![source.clone()],
            assets: Vec::new(),
        };
        self.render_and_check(content(), None, text);
        if term.is_some() {
            self.render_and_check(content(), term, text);
        }
    }

    fn render_and_check(&self, content: Content, term: Option<u32>, text: &str) {
        let (site, diags) = Site::new(self.config.clone(), content, term);
        assert_located(&diags, text, "building the model");
        let renderer = if term.is_some() { &self.archive } else { &self.published };
        let mut files = match pipeline::render_pages(&site, renderer, &site.pages(), false) {
            Ok(files) => files,
            Err(diags) => panic!("rendering failed:\n{}", show(&diags)),
        };
        files.extend(self.static_files.iter().cloned());
        let verified = check::verify_output(&check::Output {
            site: &site,
            mode: &renderer.mode,
            files: &files,
            copies: &[],
        });
        if !self.raw_html() {
            // Without raw HTML every link and id of a page comes from the source or
            // the theme, and the theme's are never broken: each problem is located.
            assert_located(&verified.broken_links, text, "checking links");
            assert_located(&verified.other, text, "checking ids");
        }
    }
}

/// Every error has a file position inside `text` (or the line just after it).
pub fn assert_located(diags: &Diagnostics, text: &str, stage: &str) {
    let lines = text.split('\n').count();
    for d in diags.iter().filter(|d| d.is_error()) {
        let Some(location) = &d.location else {
            panic!("{stage}: an error without a location: {d}");
        };
        assert!(
            location.line >= 1 && location.line <= lines + 1 && location.column >= 1,
            "{stage}: an error outside the file ({lines} lines): {d}"
        );
    }
}

fn show(diags: &Diagnostics) -> String {
    diags.iter().map(Diagnostic::to_string).collect::<Vec<_>>().join("\n")
}

/// A brief file from a front matter and a body, as drafters write them.
pub fn brief_file(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

/// The fuzzer's bytes as a brief file: the first byte picks what varies (the whole
/// file, the body, the front matter, or both split at a 0xFF byte).
pub fn file_from_bytes(data: &[u8]) -> String {
    let Some((&mode, rest)) = data.split_first() else {
        return String::new();
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match mode % 4 {
        0 => text(rest),
        1 => brief_file(VALID_FRONT, &text(rest)),
        2 => brief_file(&text(rest), VALID_BODY),
        _ => match rest.iter().position(|&b| b == 0xFF) {
            Some(at) => brief_file(&text(&rest[..at]), &text(&rest[at + 1..])),
            None => brief_file(&text(rest), ""),
        },
    }
}
