//! `legbrief import` of PDF papers read directly (no `pdftotext`): the sample brief typeset as
//! LegCo prints it (tests/fixtures/import/pdf/, made by make-fixtures.sh there), and what a
//! batch of papers does when some of them cannot be read.

mod common;

use common::{TestSite, stderr};

const PDF_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/pdf");
const SLUG: &str = "digital-government-smart-city-development";

fn fixture(file: &str) -> String {
    format!("{PDF_FIXTURES}/{file}")
}

/// Imports one file into the sample site (so it pairs with the sample brief by paper number)
/// with --dry-run: (source, stderr).
fn dry_run(file: &str) -> (String, String) {
    let site = TestSite::sample();
    let out = site.run(&["import", &fixture(file), "--dry-run"]);
    assert!(out.status.success(), "{file}: {}", stderr(&out));
    (String::from_utf8(out.stdout.clone()).unwrap(), stderr(&out))
}

/// A site with the sample's config and no briefs.
fn config_only() -> TestSite {
    TestSite::new().write(
        "legbrief.toml",
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/legbrief.toml")).unwrap(),
    )
}

fn config_with(edit: impl Fn(String) -> String) -> TestSite {
    let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/legbrief.toml")).unwrap();
    let edited = edit(config.clone());
    assert_ne!(edited, config, "the edit changed the config");
    TestSite::new().write("legbrief.toml", &edited)
}

const ITB_TABLE: &str = "[committees.itb]\nname = { en = \"Panel on Information Technology and Broadcasting\", zh-hk = \"資訊科技及廣播事務委員會\" }\nref = \"PL/ITB\"\n";

fn without_itb(config: String) -> String {
    config.replace(ITB_TABLE, "")
}

/// The PDF reads as the same brief as its `pdftotext -layout` text, which
/// tests/import_plain.rs compares with the sample source field by field, apart from the
/// bold runs of its paragraphs, which only the PDF shows (see `bold_runs_*` below).
fn assert_pdf_imports_as_its_layout_text(lang: &str, notes: [&str; 2]) {
    let (from_pdf, err) = dry_run(&format!("brief.{lang}.pdf"));
    let (from_text, _) = dry_run(&format!("brief.{lang}.layout.txt"));
    assert!(err.contains("18 paragraphs, 33 papers, 0 warnings"), "{err}");
    assert!(!err.contains("warning:"), "{err}");
    assert!(
        err.contains(&format!(
            "would become content/briefs/digital-government-smart-city.{lang}.md"
        )),
        "paired with the sample by paper number: {err}"
    );
    assert!(!from_text.contains("**"), "{lang}: pdftotext prints no bold");
    assert_eq!(
        from_pdf.replace("**", ""),
        from_text,
        "{lang}: the PDF and its -layout text give one source, bold aside"
    );
    for field in [
        "paper_no = \"CB(2)848/2025(03)\"",
        "file_ref = \"CB2/PL/ITB\"",
        "committee = \"itb\"",
        "meeting = 2025-05-12",
        "issued = 2025-05-07",
    ] {
        assert!(from_pdf.contains(field), "{lang}: {field}\n{from_pdf}");
    }
    assert_eq!(from_pdf.matches("[[papers]]").count(), 33);
    assert_eq!(from_pdf.matches("\n### ").count(), 6, "six topic sections");
    for topic in [
        "smart-government",
        "smart-mobility",
        "smart-living",
        "smart-environment",
        "smart-people",
        "smart-economy",
    ] {
        assert!(from_pdf.contains(&format!("{{#{topic}}}")), "{lang}: {topic}");
    }
    assert!(from_pdf.contains("kind = \"minutes\"") && from_pdf.contains("kind = \"agenda\""));
    for (k, note) in notes.iter().enumerate() {
        assert!(
            from_pdf.contains(&format!("[^{}]: {note}\n", k + 1)),
            "{lang}: note {}",
            k + 1
        );
    }
    for page in 2..=9 {
        for printed in [format!("-{page}-"), format!("- {page} -")] {
            assert!(!from_pdf.contains(&printed), "{lang}: page number {printed} left");
        }
    }
}

#[test]
fn the_english_pdf_imports_as_the_sample() {
    assert_pdf_imports_as_its_layout_text(
        "en",
        [
            "The Blueprint 2.0 can be downloaded from the website of the Digital Policy Office.",
            "“iAM Smart” is a one-stop personalized digital services platform for the public.",
        ],
    );
}

#[test]
fn the_chinese_pdf_imports_as_the_sample() {
    let (source, _) = dry_run("brief.zh-hk.pdf");
    assert!(
        source.contains("title = \"數碼政府及智慧城市發展的背景資料簡介\""),
        "{source}"
    );
    assert_pdf_imports_as_its_layout_text(
        "zh-hk",
        [
            "《藍圖2.0》可於數字政策辦公室的網站下載。",
            "「智方便」是為市民而設的一站式個人化數碼服務平台。",
        ],
    );
}

/// The body of a source (after the front matter) as its paragraphs, each on one line: a
/// wrapped line joins the one before with a space, or with nothing next to Chinese.
fn body_paragraphs(source: &str) -> Vec<String> {
    let body = source.splitn(3, "+++\n").nth(2).expect("front matter");
    let cjk = |c: Option<char>| c.is_some_and(|c| c as u32 >= 0x2E80);
    body.split("\n\n")
        .map(|block| {
            let mut joined = String::new();
            for line in block.lines().map(str::trim) {
                if !joined.is_empty() && !cjk(joined.chars().last()) && !cjk(line.chars().next()) {
                    joined.push(' ');
                }
                joined.push_str(line);
            }
            joined
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// The bold runs (`**…**`) of a source's body, each with the paragraph it is in (counting
/// every block of the body) and its text.
fn bold_runs(source: &str) -> Vec<(usize, String)> {
    let mut runs = Vec::new();
    for (k, paragraph) in body_paragraphs(source).iter().enumerate() {
        let parts: Vec<&str> = paragraph.split("**").collect();
        assert!(parts.len() % 2 == 1, "unbalanced ** in block {k}: {paragraph}");
        runs.extend(parts.iter().skip(1).step_by(2).map(|run| (k, run.to_string())));
    }
    runs
}

/// The PDF prints in bold what the seed marks `**…**`: the import of the PDF has the same
/// bold runs in the same paragraphs as the import of the seed, and no other difference in
/// its body than the two footnotes (the seed has none).
#[test]
fn bold_runs_of_the_english_pdf_are_those_of_the_seed() {
    let site = TestSite::sample();
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_43a7662005da7c5f.txt");
    let out = site.run(&["import", seed, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let from_seed = String::from_utf8(out.stdout).unwrap();
    let (from_pdf, err) = dry_run("brief.en.pdf");
    assert!(err.contains("18 paragraphs, 33 papers, 0 warnings"), "{err}");

    let seed_runs = bold_runs(&from_seed);
    assert_eq!(seed_runs.len(), 28, "{seed_runs:?}");
    assert_eq!(bold_runs(&from_pdf), seed_runs);
    assert!(seed_runs.contains(&(
        4,
        "promoting the development of a \"smart government\", improving management efficiency and optimizing city management through leveraging technology".to_string()
    )), "the run the seed splits at its page break is one run: {seed_runs:?}");

    let without_notes = from_pdf
        .split("\n[^1]: ")
        .next()
        .unwrap()
        .replace("[^1]", "")
        .replace("[^2]", "");
    assert_eq!(body_paragraphs(&without_notes), body_paragraphs(&from_seed));
    // Headings and the header block are bold by layout, not emphasis.
    for heading in [
        "## Purpose",
        "## Background",
        "## Major views and concerns expressed by Members",
    ] {
        assert!(from_pdf.contains(&format!("\n{heading} {{#")), "{heading}: {from_pdf}");
    }
    assert!(from_pdf.contains("title = \"Background brief on digital government and smart city development\""));
}

/// The Chinese paper's bold runs are those of the sample's Chinese source it was typeset
/// from (there is no Chinese seed with the same text).
#[test]
fn bold_runs_of_the_chinese_pdf_are_those_of_its_source() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/briefs/digital-government-smart-city.zh-hk.md"
    ))
    .unwrap();
    let (from_pdf, err) = dry_run("brief.zh-hk.pdf");
    assert!(err.contains("18 paragraphs, 33 papers, 0 warnings"), "{err}");
    let runs = bold_runs(&from_pdf);
    assert_eq!(runs.len(), 27, "{runs:?}");
    let texts = |runs: Vec<(usize, String)>| runs.into_iter().map(|(_, t)| t).collect::<Vec<_>>();
    assert_eq!(texts(runs), texts(bold_runs(&source)));
    assert!(from_pdf.contains("\n## 目的 {#purpose}"), "{from_pdf}");
    assert!(from_pdf.contains("「**智慧政府**」、「**智慧出行**」"), "{from_pdf}");
}

#[test]
fn a_folder_of_pdfs_imports_as_one_bilingual_brief_that_builds() {
    let site = config_only();
    let papers = tempfile::tempdir().unwrap();
    for f in ["brief.en.pdf", "brief.zh-hk.pdf"] {
        std::fs::copy(fixture(f), papers.path().join(f)).unwrap();
    }
    let dir = papers.path().to_str().unwrap();
    let out = site.run(&["import", dir]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        site.files_under("content/briefs"),
        [format!("{SLUG}.en.md"), format!("{SLUG}.zh-hk.md")],
        "the Chinese paper pairs with the English one by paper number"
    );
    site.build_ok();
    let zh = site.read(&format!("public/zh-hk/briefs/{SLUG}/index.html"));
    assert!(zh.contains("id=p-18") && !zh.contains("id=p-19"), "18 paragraphs");
    assert!(
        zh.contains("「<strong>智慧政府</strong>」"),
        "bold runs are emphasis on the page"
    );
    let en = site.read(&format!("public/en/briefs/{SLUG}/index.html"));
    assert!(en.contains("<strong>establish city command centres</strong>"));

    // Again: nothing changed, nothing written; --force replaces.
    let again = site.run(&["import", dir]);
    assert!(again.status.success());
    let err = stderr(&again);
    assert_eq!(
        err.matches("unchanged").count(),
        4,
        "two lines and two summary rows: {err}"
    );
    let forced = site.run(&["import", dir, "--force"]);
    assert!(forced.status.success());
    assert_eq!(stderr(&forced).matches(" imported ").count(), 2, "{}", stderr(&forced));
}

/// A file named .pdf that is not one, and a PDF cut short: errors naming the file, no panic.
#[test]
fn garbage_and_truncated_pdfs_are_located_errors() {
    let bad = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("brief.en.pdf")).unwrap();
    std::fs::write(bad.path().join("garbage.pdf"), b"\x00\x01 not a pdf at all").unwrap();
    std::fs::write(bad.path().join("truncated.pdf"), &whole[..whole.len() / 3]).unwrap();
    let mut broken = whole.clone();
    // Scribble over the middle of the file: objects and streams damaged, header intact.
    let mid = broken.len() / 2;
    for b in &mut broken[mid - 2000..mid + 2000] {
        *b = b'#';
    }
    std::fs::write(bad.path().join("scribbled.pdf"), &broken).unwrap();
    std::fs::write(bad.path().join("empty.pdf"), b"").unwrap();
    for name in ["garbage.pdf", "truncated.pdf", "scribbled.pdf", "empty.pdf"] {
        let site = config_only();
        let path = bad.path().join(name);
        let out = site.run(&["import", path.to_str().unwrap()]);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{name}: {err}");
        if name == "scribbled.pdf" && out.status.success() {
            // A damaged stream can still leave a readable brief; then it imported.
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("error: {}: ", path.display())),
            "{name}: the error names the file: {err}"
        );
        assert!(!site.exists("content/briefs"), "{name}: nothing written");
    }
}

#[test]
fn one_bad_paper_does_not_hold_back_the_others() {
    let site = config_only();
    let papers = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("brief.en.pdf"), papers.path().join("a-good.pdf")).unwrap();
    std::fs::write(papers.path().join("b-bad.pdf"), b"%PDF-1.7\nnothing else").unwrap();
    let out = site.run(&["import", papers.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(site.files_under("content/briefs"), [format!("{SLUG}.en.md")], "{err}");
    assert!(
        err.contains("Import failed for 1 of 2 files; the other file was written"),
        "{err}"
    );
    let rows: Vec<&str> = err.lines().filter(|l| l.contains(".pdf  ")).collect();
    assert_eq!(rows.len(), 2, "a summary row per file: {err}");
    assert!(rows[0].contains("a-good.pdf") && rows[0].contains("imported"), "{err}");
    assert!(rows[1].contains("b-bad.pdf") && rows[1].contains("failed"), "{err}");
    let leftovers: Vec<String> = site
        .files_under("content")
        .into_iter()
        .filter(|f| f.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}

#[test]
fn an_unknown_committee_prints_the_table_to_add() {
    let site = config_with(without_itb);
    let out = site.run(&["import", &fixture("brief.en.pdf")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "error: {}: page 1: unknown committee \"Panel on Information Technology and Broadcasting\"",
            fixture("brief.en.pdf")
        )),
        "{err}"
    );
    assert!(
        err.contains(
            "add to legbrief.toml:\n[committees.itb]\nname = { en = \"Panel on Information Technology and Broadcasting\" }\nref = \"PL/ITB\""
        ),
        "{err}"
    );
    assert!(!site.exists("content/briefs"));
}

#[test]
fn add_committees_writes_the_table_with_both_names_and_keeps_the_config_text() {
    let site = config_with(without_itb);
    let before = site.read("legbrief.toml");
    let out = site.run(&[
        "import",
        &fixture("brief.en.pdf"),
        &fixture("brief.zh-hk.pdf"),
        "--add-committees",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let after = site.read("legbrief.toml");
    assert!(after.starts_with(&before), "the file's text and comments are kept");
    assert!(after.ends_with(ITB_TABLE), "the table with both names:\n{after}");
    assert_eq!(site.files_under("content/briefs").len(), 2, "{err}");
    site.build_ok();
    // Now known: importing again needs no flag and adds nothing.
    let again = site.run(&["import", &fixture("brief.en.pdf")]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(site.read("legbrief.toml"), after);
}

#[test]
fn add_committees_in_a_dry_run_writes_nothing() {
    let site = config_with(without_itb);
    let before = site.read("legbrief.toml");
    let out = site.run(&["import", &fixture("brief.en.pdf"), "--add-committees", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("would add:\n[committees.itb]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(site.read("legbrief.toml"), before);
}

#[test]
fn a_meeting_in_no_configured_term_is_a_warning_naming_the_term() {
    let site = config_with(|c| {
        c.replace("end = 2025-12-31", "end = 2024-12-31")
            .replace("start = 2026-01-01", "start = 2027-01-01")
    });
    let out = site.run(&["import", &fixture("brief.en.pdf"), "--dry-run"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "warning: {}: the meeting of 2025-05-12 falls in no configured term",
            fixture("brief.en.pdf")
        )),
        "{err}"
    );
    assert!(
        err.contains(
            "[[terms]]\nnumber = 7\nname = { en = \"Seventh Legislative Council\", zh-hk = \"第七屆立法會\" }"
        ),
        "{err}"
    );
}

/// A warning from a PDF names its page: a committee of the appendix that the config lacks
/// is kept as printed text, with a warning on the page its row is printed on.
#[test]
fn warnings_from_a_pdf_name_the_page() {
    let site = config_with(|c| {
        c.replace(
            "[committees.sc-smart-city]\nname = { en = \"Subcommittee on Matters Relating to the Development of Smart City\", zh-hk = \"推動智慧城市發展事宜小組委員會\" }\n",
            "",
        )
    });
    let file = fixture("brief.en.pdf");
    let out = site.run(&["import", &file, "--dry-run"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "warning: {file}: page 7: \"Subcommittee on Matters Relating to the Development of Smart City\" is not a committee"
        )),
        "{err}"
    );
    assert!(err.contains("33 papers, 1 warnings"), "{err}");
}

/// A small well-formed PDF of the given objects (numbered from 1; 1 is the catalog), with
/// `trailer` added to its trailer dictionary.
fn tiny_pdf(objects: &[&str], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

const ONE_PAGE: [&str; 4] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    "<< /Length 10 >>\nstream\n0123456789\nendstream",
];

fn import_bytes(name: &str, bytes: &[u8]) -> (Option<i32>, String) {
    let site = config_only();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = site.run(&["import", path.to_str().unwrap()]);
    assert!(!site.exists("content/briefs"), "{name}: nothing written");
    let err = stderr(&out).replace(&format!("{}", path.display()), name);
    (out.status.code(), err)
}

#[test]
fn a_pdf_without_text_says_it_needs_ocr() {
    let (code, err) = import_bytes("scan.pdf", &tiny_pdf(&ONE_PAGE, ""));
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error: scan.pdf: the PDF has no text (a scanned paper? it needs OCR first)"),
        "{err}"
    );
}

#[test]
fn an_encrypted_pdf_is_a_clear_error() {
    let zeros = "00".repeat(32);
    let ones = "11".repeat(32);
    let encrypt = format!("<< /Filter /Standard /V 1 /R 2 /O <{zeros}> /U <{ones}> /P -4 >>");
    let mut objects = ONE_PAGE.to_vec();
    objects.push(&encrypt);
    let (code, err) = import_bytes("locked.pdf", &tiny_pdf(&objects, "/Encrypt 5 0 R /ID [<abcd> <abcd>]"));
    assert_eq!(code, Some(1));
    assert!(err.contains("error: locked.pdf: the PDF is encrypted"), "{err}");
}

/// A twin imported later finds its committee's key taken (by the English name added
/// before): it is told to add its name to that table, and legbrief.toml stays valid.
#[test]
fn add_committees_does_not_add_a_key_twice() {
    let site = config_with(without_itb);
    let en = site.run(&["import", &fixture("brief.en.pdf"), "--add-committees"]);
    assert!(en.status.success(), "{}", stderr(&en));
    let config = site.read("legbrief.toml");
    let zh = site.run(&["import", &fixture("brief.zh-hk.pdf"), "--add-committees"]);
    let err = stderr(&zh);
    assert_eq!(zh.status.code(), Some(1), "{err}");
    assert!(err.contains("legbrief.toml already has a committee `itb`"), "{err}");
    assert!(
        err.contains("add its zh-hk name to [committees.itb]: zh-hk = \"資訊科技及廣播事務委員會\""),
        "{err}"
    );
    assert_eq!(site.read("legbrief.toml"), config);
}
