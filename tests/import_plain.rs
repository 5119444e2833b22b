//! `legbrief import` of papers as they really exist: the sample brief typeset as LegCo prints
//! it (tests/fixtures/import/pdf/, made by make-fixtures.sh there), read from the text
//! `pdftotext` gives of it, in its default reading order and with `-layout`.

mod common;

use common::{TestSite, stderr};

const PDF_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/pdf");

/// A source without what import cannot know: the hand-written `summary`, the comment above
/// the appendix, bold runs (plain text has none) and footnotes (the sources have none), with
/// every paragraph on one line.
fn comparable(source: &str, zh: bool) -> String {
    let (front, body) = split(source);
    let front: String = front
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("summary = ") && !l.starts_with("# "))
        .collect::<String>()
        .replace("\n\n\n", "\n\n");
    let mut body: String = body
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("[^"))
        .collect::<String>()
        .replace("**", "");
    while let Some(at) = body.find("[^") {
        let end = body[at..].find(']').map_or(body.len(), |e| at + e + 1);
        body.replace_range(at..end, "");
    }
    let paragraphs: Vec<String> = body
        .trim()
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(if zh { "" } else { " " })
        })
        .collect();
    format!("{front}+++\n\n{}\n", paragraphs.join("\n\n"))
}

fn split(source: &str) -> (&str, &str) {
    let rest = source.strip_prefix("+++\n").unwrap();
    let end = rest.find("\n+++\n").unwrap();
    (&rest[..end + 1], &rest[end + 5..])
}

/// Imports one fixture into the sample site (so it pairs with the sample brief by paper
/// number) with --dry-run: (source, stderr).
fn import(file: &str, lang: &str) -> (String, String) {
    let site = TestSite::sample();
    let path = format!("{PDF_FIXTURES}/{file}");
    let out = site.run(&["import", &path, "--dry-run", "--lang", lang]);
    assert!(out.status.success(), "{file}: {}", stderr(&out));
    (String::from_utf8(out.stdout.clone()).unwrap(), stderr(&out))
}

fn sample(lang: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/content/briefs/digital-government-smart-city.{lang}.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn assert_imports_as_the_sample(file: &str, lang: &str, notes: &[&str]) {
    let (source, err) = import(file, lang);
    assert!(err.contains("18 paragraphs, 33 papers, 0 warnings"), "{file}: {err}");
    assert!(
        err.contains(&format!(
            "would become content/briefs/digital-government-smart-city.{lang}.md"
        )),
        "{file}: paired with the sample by paper number: {err}"
    );
    let zh = lang != "en";
    let mut expected = comparable(&sample(lang), zh);
    if !file.contains("layout") {
        // pdftotext's default mode drops the hyphen of a compound broken at a line end
        // ("charging-" / "enabling"); the text no longer says it was there.
        expected = expected
            .replace(
                "charging-enabling infrastructure at parking",
                "chargingenabling infrastructure at parking",
            )
            .replace("next-generation", "nextgeneration");
    }
    assert_eq!(comparable(&source, zh), expected, "{file}");
    for (k, note) in notes.iter().enumerate() {
        let n = k + 1;
        assert!(
            source.contains(&format!("[^{n}]: {note}\n")),
            "{file}: footnote {n}\n{source}"
        );
        assert_eq!(
            source.matches(&format!("[^{n}]")).count(),
            2,
            "{file}: one marker for note {n}"
        );
    }
    for page in 2..=9 {
        for printed in [format!("-{page}-"), format!("- {page} -")] {
            assert!(
                !source.contains(&printed),
                "{file}: page number {printed} left in the text"
            );
        }
    }
}

const EN_NOTES: [&str; 2] = [
    "The Blueprint 2.0 can be downloaded from the website of the Digital Policy Office.",
    "“iAM Smart” is a one-stop personalized digital services platform for the public.",
];
const ZH_NOTES: [&str; 2] = [
    "《藍圖2.0》可於數字政策辦公室的網站下載。",
    "「智方便」是為市民而設的一站式個人化數碼服務平台。",
];

#[test]
fn pdftotext_of_the_english_brief_imports_as_the_sample() {
    assert_imports_as_the_sample("brief.en.txt", "en", &EN_NOTES);
}

#[test]
fn pdftotext_layout_of_the_english_brief_imports_as_the_sample() {
    assert_imports_as_the_sample("brief.en.layout.txt", "en", &EN_NOTES);
}

#[test]
fn pdftotext_of_the_chinese_brief_imports_as_the_sample() {
    assert_imports_as_the_sample("brief.zh-hk.txt", "zh-hk", &ZH_NOTES);
}

#[test]
fn pdftotext_layout_of_the_chinese_brief_imports_as_the_sample() {
    assert_imports_as_the_sample("brief.zh-hk.layout.txt", "zh-hk", &ZH_NOTES);
}

#[test]
fn plain_text_imports_build() {
    let site = TestSite::new().write(
        "legbrief.toml",
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/legbrief.toml")).unwrap(),
    );
    let en = format!("{PDF_FIXTURES}/brief.en.layout.txt");
    let zh = format!("{PDF_FIXTURES}/brief.zh-hk.txt");
    let out = site.run(&["import", &en, &zh]);
    assert!(out.status.success(), "{}", stderr(&out));
    site.build_ok();
    let slug = "digital-government-smart-city-development";
    let page = site.read(&format!("public/en/briefs/{slug}/index.html"));
    assert!(page.contains("id=p-18") && !page.contains("id=p-19"), "18 paragraphs");
    assert!(
        page.contains("The Blueprint 2.0 can be downloaded"),
        "footnote rendered"
    );
    let zh_page = site.read(&format!("public/zh-hk/briefs/{slug}/index.html"));
    assert!(zh_page.contains("id=p-18"), "the Chinese twin has the same slug");
}
