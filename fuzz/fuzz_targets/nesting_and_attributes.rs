//! Bodies made of the pieces that nest or carry attributes (`>`, list markers,
//! `*`, `_`, `~~`, `[`, heading `{…}` blocks, footnotes), each repeated up to
//! 128 times, so a few bytes reach thousands of levels. No stage may panic or
//! overflow its stack, every error is located, and no heading on any page has an
//! attribute other than `id` and `class`.
#![no_main]

use std::sync::OnceLock;

use legbrief::markdown::{self, BlockKind, MarkdownOptions};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robustness/harness.rs"]
mod harness;

use harness::{Harness, VALID_FRONT, brief_file};

const PIECES: [&str; 32] = [
    ">",
    "> ",
    "- ",
    "1. ",
    "  ",
    "    ",
    "\n",
    "\n\n",
    "*",
    "_",
    "**",
    "~~",
    "[",
    "](#p-1)",
    "]",
    "x",
    "## ",
    "{#",
    "{.",
    "}",
    "a-1",
    " onclick=alert(1)",
    " style=x",
    "\"",
    "=",
    "[^a]",
    "[^a]: note\n",
    "`",
    "<div>",
    "</div>",
    "目的",
    "\\",
];

fn body_from_bytes(data: &[u8]) -> String {
    let mut body = String::new();
    for &b in data {
        let piece = PIECES[usize::from(b & 31)];
        for _ in 0..(1usize << (b >> 5) as usize).min(128) {
            body.push_str(piece);
        }
    }
    body
}

fn harness(raw_html: bool) -> &'static Harness {
    static ESCAPED: OnceLock<Harness> = OnceLock::new();
    static RAW: OnceLock<Harness> = OnceLock::new();
    if raw_html {
        RAW.get_or_init(|| Harness::new(true))
    } else {
        ESCAPED.get_or_init(|| Harness::new(false))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let raw_html = mode & 1 != 0;
    let body = body_from_bytes(rest);
    let rendered = markdown::render(
        &body,
        &MarkdownOptions {
            raw_html,
            topics: &["smart-mobility"],
        },
    );
    for block in &rendered.blocks {
        if let BlockKind::Heading { level, .. } = block.kind {
            let open = &block.html[..block.html.find('>').expect("a start tag")];
            let rest = open.strip_prefix(&format!("<h{level}")).expect("a heading tag");
            let rest = rest.strip_prefix(" id=\"").expect("an id");
            let (id, rest) = rest.split_once('"').expect("a quoted id");
            assert!(markdown::is_valid_id(id), "{id:?}");
            if let Some(classes) = rest.strip_prefix(" class=\"") {
                let classes = classes.strip_suffix('"').expect("a quoted class");
                assert!(classes.split(' ').all(markdown::is_valid_class), "{classes:?}");
            } else {
                assert!(rest.is_empty(), "an attribute other than id and class: {open}");
            }
        }
    }
    harness(raw_html).exercise("fuzzed.en.md", &brief_file(VALID_FRONT, &body));
});
