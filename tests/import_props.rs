//! Property tests of the import readers (extracted text and PDF papers), on stable with a
//! bounded number of cases: whatever the bytes, a reader returns a result or an error and
//! never panics, and an import that succeeds gives a source with front matter. The cases
//! are seeded with the hostile inputs that once hurt: lorem ipsum (quadratic header),
//! lone numbers (footnotes), runs of brackets, form feeds, NUL bytes, and damaged or
//! bomb PDFs.

use legbrief::import::{ImportNames, ImportOptions, import_brief, pdf};
use proptest::prelude::*;

const SEED: &str = include_str!("../seeds/000_43a7662005da7c5f.txt");
const PLAIN: &str = include_str!("fixtures/import/pdf/brief.en.txt");
const LAYOUT: &str = include_str!("fixtures/import/pdf/brief.en.layout.txt");
const ZH: &str = include_str!("fixtures/import/zh-brief.txt");
const PDF: &[u8] = include_bytes!("fixtures/import/pdf/brief.en.pdf");
const BOMB: &[u8] = include_bytes!("fixtures/import/hostile/bomb-page-2.pdf");

fn names() -> ImportNames {
    ImportNames {
        committees: vec![(
            "itb".to_string(),
            vec![
                "Panel on Information Technology and Broadcasting".to_string(),
                "資訊科技及廣播事務委員會".to_string(),
            ],
        )],
        topics: vec![("smart-mobility".to_string(), vec!["Smart Mobility".to_string()])],
    }
}

/// Pieces hostile inputs are made of.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("lorem ipsum dolor and sit amet\n".to_string()),
        Just("LC Paper No. CB(2)848/2025(03)\n".to_string()),
        Just("Panel on Information Technology and Broadcasting and \n".to_string()),
        Just("Meeting on 12 May 2025\n".to_string()),
        (1usize..40).prop_map(|n| format!("{n}\n")),
        (1usize..40).prop_map(|n| format!("{n}. A numbered paragraph{n}.\n")),
        Just("[[[[[[[[[[[[[[[[[[[[".to_string()),
        Just("<a <a <a href=\"x\">".to_string()),
        Just("**bold**\n".to_string()),
        Just("\u{c}".to_string()),
        Just("\0".to_string()),
        Just("Appendix\n".to_string()),
        Just("Committee   Date of meeting   Paper\n".to_string()),
        Just("18 December 2024 Question 5 : x\n".to_string()),
        Just("\t|\t".to_string()),
        Just("⽴法會\n".to_string()),
        "[ -~\u{4e00}-\u{4e20}]{0,40}\n",
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    let base = prop_oneof![Just(SEED), Just(PLAIN), Just(LAYOUT), Just(ZH), Just("")];
    (
        base,
        proptest::collection::vec((any::<prop::sample::Index>(), piece()), 0..24),
    )
        .prop_map(|(base, inserts)| {
            let mut text = base.to_string();
            for (at, piece) in inserts {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                text.insert_str(i, &piece);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_text_reader_never_panics(text in hostile_text(), from_pdf in any::<bool>(), lang in prop_oneof![Just(None), Just(Some("en")), Just(Some("zh-hk"))]) {
        let opts = ImportOptions { lang: lang.map(str::to_string), slug: None, from_pdf };
        if let Ok(imported) = import_brief(&text, &names(), &opts) {
            prop_assert!(imported.source.starts_with("+++\n"));
        }
    }
}

proptest! {
    // Each case lays out a whole paper: fewer of them.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_pdf_reader_never_panics(
        base in prop_oneof![Just(PDF), Just(BOMB)],
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = base.to_vec();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        bytes.truncate(bytes.len() - cut.index(bytes.len() / 4 + 1));
        let _ = pdf::extract(&bytes);
    }
}

#[test]
fn a_bomb_pdf_is_an_error_naming_its_page() {
    let e = pdf::extract(BOMB).unwrap_err();
    assert_eq!(e.page, Some(2));
    assert!(e.message.contains("inflates to more than 64 MiB"), "{}", e.message);
}
