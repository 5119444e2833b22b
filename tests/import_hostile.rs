//! `legbrief import` on hostile and faulty inputs: each is refused with an error that names
//! the file and where in it (line and column of a text, page of a PDF), quickly and without
//! exhausting memory, and the closing line counts exactly.

mod common;

use std::path::Path;

use common::{TestSite, stderr};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_43a7662005da7c5f.txt");
const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/hostile");
const PDF_EN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/pdf/brief.en.txt");

fn empty_sample() -> TestSite {
    let site = TestSite::new();
    let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/legbrief.toml")).unwrap();
    site.write("legbrief.toml", &config)
}

/// Writes `bytes` as an input file of the site and returns its path.
fn input(site: &TestSite, name: &str, bytes: &[u8]) -> String {
    let path = site.path(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn briefs_written(site: &TestSite) -> usize {
    let dir = site.path("content/briefs");
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

// C1: decompression bombs.

#[test]
fn a_pdf_whose_page_stream_inflates_to_4_gib_is_refused_naming_the_page() {
    let site = empty_sample();
    let file = format!("{HOSTILE}/bomb-page-2.pdf");
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{file}: page 2: a compressed stream (object 7) inflates to more than 64 MiB"
        )),
        "{err}"
    );
    assert!(
        err.contains("Import failed for 1 of 1 file; nothing was written"),
        "{err}"
    );
    assert_eq!(briefs_written(&site), 0);
}

#[test]
fn a_pdf_whose_object_stream_is_a_bomb_is_refused_before_it_is_opened() {
    let site = empty_sample();
    let file = format!("{HOSTILE}/bomb-object-stream.pdf");
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{file}: a compressed stream (object 5) inflates to more than 64 MiB"
        )),
        "{err}"
    );
}

#[test]
fn a_pdf_whose_streams_together_inflate_past_the_document_limit_is_refused() {
    let site = empty_sample();
    let file = format!("{HOSTILE}/bomb-document.pdf");
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("inflate to more than 256 MiB together (reached at object 24)"),
        "{err}"
    );
    assert!(err.contains(&format!("{file}: page 5: ")), "{err}");
}

// H1: time and pages.

#[test]
fn a_pdf_of_more_pages_than_a_brief_has_is_refused() {
    let site = empty_sample();
    let file = format!("{HOSTILE}/pages-1001.pdf");
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the PDF has 1001 pages, more than the 1000 a brief may have"),
        "{err}"
    );
}

#[test]
fn text_of_more_pages_than_a_brief_has_is_refused() {
    let site = empty_sample();
    let file = input(&site, "in/pages.txt", "page\u{c}".repeat(1001).as_bytes());
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{file}:1:1: error: the text has 1001 pages")),
        "{err}"
    );
}

#[test]
fn fifty_megabytes_that_are_no_brief_are_refused_by_their_size() {
    let site = empty_sample();
    let line = "lorem ipsum dolor sit amet and consectetur adipiscing elit\n";
    let file = input(
        &site,
        "in/big.txt",
        line.repeat(50 * 1024 * 1024 / line.len()).as_bytes(),
    );
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the text is 50.0 MB, more than the 16 MB a brief may have"),
        "{err}"
    );
}

#[test]
fn forty_thousand_lines_of_lorem_ipsum_are_not_a_brief() {
    // The reported case: the header reader once tried every split of the whole text.
    let site = empty_sample();
    let words = ["lorem", "ipsum", "and", "dolor", "sit", "amet", "elit"];
    let text: String = (0..40_000)
        .map(|i| format!("{} {} {}\n", words[i % 7], words[(i / 7) % 7], words[(i / 49) % 7]))
        .collect();
    let file = input(&site, "in/lorem.txt", text.as_bytes());
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{file}:1:1: error: not a brief: found neither a paper number")),
        "{err}"
    );
}

#[test]
fn a_brief_followed_by_a_megabyte_of_short_lines_still_imports() {
    // Every reader after the header is linear: a run of short "headings" and a line of
    // brackets once cost their square.
    let site = empty_sample();
    let head: String = std::fs::read_to_string(PDF_EN)
        .unwrap()
        .lines()
        .take(10)
        .map(|l| format!("{l}\n"))
        .collect();
    let mut text = head;
    text.push_str(&"Short Heading\n\n".repeat(40_000));
    text.push_str(&"[".repeat(200_000));
    let file = input(&site, "in/long.txt", text.as_bytes());
    let out = site.run(&["import", &file, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

// U1: encodings and control characters, located in the input.

#[test]
fn big5_text_is_located_at_its_first_byte_that_is_not_utf8() {
    let site = empty_sample();
    // "LC Paper No. 1\n" then 立法會 in Big5 (A5 DF AA 6B B7 7C).
    let file = input(&site, "in/big5.txt", b"LC Paper No. 1\nab \xa5\xdf\xaa\x6b\xb7\x7c\n");
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{file}:2:4: error: byte 0xA5 is not UTF-8 text")),
        "{err}"
    );
    assert!(err.contains("iconv -f BIG5-HKSCS -t UTF-8"), "{err}");
    assert!(
        err.contains("Import failed for 1 of 1 file; nothing was written"),
        "{err}"
    );
}

#[test]
fn latin1_text_is_located_too() {
    let site = empty_sample();
    let file = input(&site, "in/latin1.txt", b"Meeting on 1 May 2025\nCaf\xe9\n");
    let out = site.run(&["import", &file]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{file}:2:4: error: byte 0xE9 is not UTF-8 text")),
        "{err}"
    );
    assert!(err.contains("WINDOWS-1252"), "{err}");
}

#[test]
fn utf16_text_is_named_as_such() {
    let site = empty_sample();
    for (name, bytes) in [
        (
            "bom.txt",
            [
                &[0xff, 0xfe][..],
                &"LC Paper No. 1\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>(),
            ]
            .concat(),
        ),
        (
            "nobom.txt",
            "LC Paper No. 1\nMeeting on 1 May 2025\n"
                .encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect(),
        ),
    ] {
        let file = input(&site, &format!("in/{name}"), &bytes);
        let out = site.run(&["import", &file]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("{file}:1:1: error: the text is UTF-16, not UTF-8")),
            "{err}"
        );
    }
}

#[test]
fn a_nul_byte_is_located_in_the_input_and_the_summary_counts_it() {
    let site = empty_sample();
    let mut text = std::fs::read_to_string(SEED).unwrap();
    let at = text.match_indices('\n').nth(29).unwrap().0 + 1;
    text.insert(at + 3, '\0');
    let bad = input(&site, "in/a-nul.txt", text.as_bytes());
    let out = site.run(&["import", &bad, SEED]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{bad}:31:4: error: control character U+0000 (NUL) in the text"
        )),
        "{err}"
    );
    assert!(
        err.contains("Import failed for 1 of 2 files; the other file was written"),
        "{err}"
    );
    assert_eq!(briefs_written(&site), 1);
}

#[test]
fn the_summary_counts_failures_exactly() {
    let site = empty_sample();
    let a = input(&site, "in/a.txt", b"not a brief\n");
    let b = input(&site, "in/b.txt", b"nor this\n");
    let out = site.run(&["import", &a, &b]);
    let err = stderr(&out);
    assert!(
        err.contains("Import failed for 2 of 2 files; nothing was written"),
        "{err}"
    );
}

// W4: the language given against the language printed.

#[test]
fn an_english_paper_given_lang_zh_hk_is_refused_naming_english() {
    let site = empty_sample();
    let out = site.run(&["import", SEED, "--lang", "zh-hk"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--lang zh-hk, but the text reads as English"), "{err}");
    assert_eq!(briefs_written(&site), 0);
    let zh = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/zh-brief.txt");
    let out = site.run(&["import", zh, "--lang", "en"]);
    assert!(
        stderr(&out).contains("--lang en, but the text reads as Chinese"),
        "{}",
        stderr(&out)
    );
}

// W5: a folder with nothing to import.

#[test]
fn an_empty_folder_is_an_error_saying_no_brief_was_found() {
    let site = empty_sample();
    let dir = site.path("in/empty");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.md"), "not an input").unwrap();
    let out = site.run(&["import", &dir.display().to_string()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("no brief found in the folder {}", dir.display())),
        "{err}"
    );
    assert!(Path::new(&site.path("legbrief.toml")).exists());
}
