//! The appendix table of plain extracted text, with no tabs or links: by column position
//! in `pdftotext -layout` text, by reading order in the default text.
//!
//! Both forms are turned into the same events (a table header, a committee name, a date, a
//! line of the papers cell) and one state machine makes the papers of them. In the default
//! reading order a table's cells come one after the other ("Committee", the name, "Date of
//! meeting", the date, "Paper", the papers), and a paper cell may come after the header of
//! the next table; papers therefore always belong to the last dated row.

use jiff::civil::Date;

use super::appendix::{Paper, clean_title, kind_of, legend};
use super::markup::{is_cjk, join_fragment, norm, plain};
use super::plain::{PLine, is_table_word_line};
use super::{ImportNames, Warnings, dates, key_for};

#[derive(Debug)]
enum Event {
    /// A table header line (its cells).
    Header(Vec<String>),
    /// A committee cell's line; `true` when it starts a new cell.
    Name(String, bool),
    Date(Date, bool),
    /// A line of a papers cell.
    Paper(String),
    Legend(String),
}

/// A committee or Council section: its printed name and the kind its header implies.
#[derive(Debug, Default)]
struct Group {
    name: String,
    line: usize,
    hint: Option<&'static str>,
}

#[derive(Debug)]
struct Row {
    line: usize,
    group: usize,
    date: Date,
    starred: bool,
    /// (line, title so far)
    papers: Vec<(usize, String)>,
}

/// Reads the papers of the appendix lines (everything after the body).
pub(super) fn parse(lines: &[PLine], names: &ImportNames, lang: &str, layout: bool, w: &mut Warnings) -> Vec<Paper> {
    let events = if layout {
        by_position(lines)
    } else {
        by_reading_order(lines)
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut legend_text: Option<String> = None;
    let mut seen_header = false;
    for (no, event) in events {
        match event {
            Event::Header(cells) => {
                seen_header = true;
                let first = cells.first().map(|c| norm(c)).unwrap_or_default();
                if first == "council meeting" || first == "立法會會議" {
                    groups.push(Group {
                        name: plain(&cells[0]),
                        line: no,
                        hint: cells.iter().skip(1).find_map(|c| hint(c)),
                    });
                } else if let Some(h) = cells.iter().find_map(|c| hint(c))
                    && let Some(g) = groups.last_mut()
                    && g.hint.is_none()
                    && is_council(&g.name)
                {
                    g.hint = Some(h);
                }
            }
            Event::Name(text, start) => {
                if !seen_header {
                    continue;
                }
                match groups.last_mut() {
                    Some(g) if !start && !is_council(&g.name) => join_fragment(&mut g.name, &text),
                    _ => groups.push(Group {
                        name: text,
                        line: no,
                        hint: None,
                    }),
                }
            }
            Event::Date(date, starred) => {
                if groups.is_empty() {
                    w.add(
                        no,
                        "appendix row without a committee or body (none named above it); dropped",
                    );
                    continue;
                }
                rows.push(Row {
                    line: no,
                    group: groups.len() - 1,
                    date,
                    starred,
                    papers: Vec::new(),
                });
            }
            Event::Paper(text) => {
                let Some(row) = rows.last_mut() else {
                    if seen_header {
                        w.add(no, "paper in the appendix before any dated row; dropped");
                    }
                    continue;
                };
                let continues = row
                    .papers
                    .last()
                    .is_some_and(|(_, t)| !is_paper_head(&text) || is_bare_head(t));
                match row.papers.last_mut() {
                    Some((_, title)) if continues => join_fragment(title, &text),
                    _ => row.papers.push((no, text)),
                }
            }
            Event::Legend(text) => legend_text = Some(text),
        }
    }
    finish(&groups, &rows, legend_text, names, lang, w)
}

fn is_council(name: &str) -> bool {
    let n = norm(name);
    n == "council meeting" || n == "立法會會議"
}

/// The kind a Council section header names.
fn hint(cell: &str) -> Option<&'static str> {
    let n = norm(cell);
    if n.contains("motion") || n.contains("議案") {
        Some("motion")
    } else if n.contains("question") || n.contains("質詢") {
        Some("question")
    } else {
        None
    }
}

/// Whether a line starts a paper of a papers cell: it opens with the words every paper's
/// link starts with.
fn is_paper_head(t: &str) -> bool {
    const EN: &[&str] = &[
        "agenda",
        "minutes",
        "report",
        "progress report",
        "members' motion",
        "member's motion",
        "motion",
        "question",
        "urgent question",
        "administration's",
        "background brief",
        "updated background brief",
        "information note",
        "letter",
        "submission",
        "paper",
        "legco brief",
        "legislative council brief",
        "research",
        "fact sheet",
    ];
    const ZH: &[&str] = &[
        "議程",
        "會議紀要",
        "紀要",
        "進度報告",
        "議員議案",
        "議案",
        "政府當局",
        "背景資料簡介",
        "最新背景資料簡介",
        "資料摘要",
        "小組委員會報告",
        "報告",
        "立法會參考資料摘要",
        "文件",
        "函件",
        "質詢",
    ];
    let n = norm(t);
    let word_start = |k: &&str| {
        n.strip_prefix(*k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':', '：']))
    };
    if EN.iter().any(word_start) || ZH.iter().any(|k| n.starts_with(k)) {
        return true;
    }
    // "第18項質詢：…"
    n.strip_prefix('第').is_some_and(|rest| {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest.get(digits..).is_some_and(|r| r.starts_with("項質詢"))
    })
}

/// A paper head printed alone, whose subject follows on the next line ("Agenda" /
/// "Item III: …").
fn is_bare_head(t: &str) -> bool {
    matches!(norm(t).as_str(), "agenda" | "議程")
}

/// Cells of a `-layout` line: runs of text separated by two or more spaces, with the
/// column (in characters) each starts at.
fn cells(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    let mut spaces = 0;
    for (col, c) in text.chars().enumerate() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 && !cur.is_empty() {
            out.push((start, std::mem::take(&mut cur)));
        }
        if cur.is_empty() {
            start = col;
        } else if spaces == 1 {
            cur.push(' ');
        }
        spaces = 0;
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// Events of `-layout` text: cells placed by column. A row's date cell gives the columns:
/// text left of it is the committee's name, text from the papers column on is papers.
fn by_position(lines: &[PLine]) -> Vec<(usize, Event)> {
    let mut out = Vec::new();
    let mut date_col: Option<usize> = None;
    let mut paper_col: Option<usize> = None;
    let mut name_open = false;
    for l in lines {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        let single = cells(&l.text);
        if name_open && single.len() == 1 && date_col.is_some_and(|dc| single[0].0 < dc) {
            // The rest of a committee's name ("推動智慧城市發展事宜小組" / "委員會").
            out.push((l.no, Event::Name(t.to_string(), false)));
            continue;
        }
        name_open = false;
        if is_table_word_line(t) {
            out.push((
                l.no,
                Event::Header(cells(&l.text).into_iter().map(|(_, c)| c).collect()),
            ));
            continue;
        }
        if let Some(text) = legend(t) {
            out.push((l.no, Event::Legend(text)));
            continue;
        }
        let cs = cells(&l.text);
        if let Some(k) = cs.iter().position(|(_, c)| dates::parse_cell(c).is_some()) {
            let (col, cell) = &cs[k];
            let Some((date, starred)) = dates::parse_cell(cell) else {
                continue;
            };
            let name: Vec<&str> = cs[..k].iter().map(|(_, c)| c.as_str()).collect();
            if !name.is_empty() {
                out.push((l.no, Event::Name(name.join(" "), true)));
                name_open = true;
            }
            out.push((l.no, Event::Date(date, starred)));
            date_col = Some(*col);
            if let Some((pc, _)) = cs.get(k + 1) {
                paper_col = Some(*pc);
            }
            let papers: Vec<&str> = cs[k + 1..].iter().map(|(_, c)| c.as_str()).collect();
            if !papers.is_empty() {
                out.push((l.no, Event::Paper(papers.join(" "))));
            }
            continue;
        }
        let mut name = Vec::new();
        let mut papers = Vec::new();
        for (col, c) in &cs {
            let in_papers = paper_col.is_some_and(|pc| *col + 3 >= pc) || date_col.is_some_and(|dc| *col > dc + 4);
            if in_papers {
                papers.push(c.as_str());
            } else {
                name.push(c.as_str());
            }
        }
        if !name.is_empty() {
            out.push((l.no, Event::Name(name.join(" "), date_col.is_none())));
            name_open = true;
        }
        if !papers.is_empty() {
            out.push((l.no, Event::Paper(papers.join(" "))));
        }
    }
    out
}

/// Events of default-order text: one line, one cell's line. Text after a paper line in the
/// same block continues that paper; other text is a committee's name.
fn by_reading_order(lines: &[PLine]) -> Vec<(usize, Event)> {
    let mut out = Vec::new();
    // What the previous line of the same block was.
    #[derive(PartialEq)]
    enum Prev {
        None,
        Paper,
        Name,
        Other,
    }
    let mut prev = Prev::None;
    let mut seen_header = false;
    for l in lines {
        let t = l.text.trim();
        if t.is_empty() {
            prev = Prev::None;
            continue;
        }
        if seen_header && prev == Prev::Name && !t.starts_with(['*', '＊']) && dates::parse_cell(t).is_none() {
            // The rest of a committee's name ("推動智慧城市發展事宜小組" / "委員會").
            out.push((l.no, Event::Name(t.to_string(), false)));
        } else if is_table_word_line(t) {
            out.push((l.no, Event::Header(vec![t.to_string()])));
            seen_header = true;
            prev = Prev::Other;
        } else if let Some(text) = legend(t) {
            out.push((l.no, Event::Legend(text)));
            prev = Prev::Other;
        } else if let Some((date, starred)) = dates::parse_cell(t) {
            out.push((l.no, Event::Date(date, starred)));
            prev = Prev::Other;
        } else if is_paper_head(t) || prev == Prev::Paper {
            out.push((l.no, Event::Paper(t.to_string())));
            prev = Prev::Paper;
        } else if t.starts_with(|c: char| c.is_lowercase()) && prev == Prev::None {
            // The rest of a papers cell after a page break.
            out.push((l.no, Event::Paper(t.to_string())));
            prev = Prev::Paper;
        } else {
            out.push((l.no, Event::Name(t.to_string(), prev != Prev::Name)));
            prev = Prev::Name;
        }
    }
    out
}

/// The papers of every row, with bodies resolved and the legend's note on starred dates.
fn finish(
    groups: &[Group],
    rows: &[Row],
    legend_text: Option<String>,
    names: &ImportNames,
    lang: &str,
    w: &mut Warnings,
) -> Vec<Paper> {
    let bodies: Vec<String> = groups
        .iter()
        .map(|g| {
            let name = plain(&g.name);
            match key_for(&names.committees, &name) {
                Some(key) => key.to_string(),
                None => {
                    let n = norm(&name);
                    if ["panel", "committee", "委員會"].iter().any(|k| n.contains(k)) {
                        w.add(
                            g.line,
                            format!("\"{name}\" is not a committee of the config; kept as printed text"),
                        );
                    }
                    name
                }
            }
        })
        .collect();
    let note = legend_text.unwrap_or_else(|| {
        if let Some(r) = rows.iter().find(|r| r.starred) {
            w.add(
                r.line,
                "date marked \"*\" but no \"*\" legend found; date_note set to the usual text",
            );
        }
        if lang.starts_with("zh") {
            "發出日期"
        } else {
            "Date of issue"
        }
        .to_string()
    });
    let mut papers = Vec::new();
    for row in rows {
        if row.papers.is_empty() {
            w.add(row.line, "appendix row without papers; dropped");
        }
        let group = &groups[row.group];
        for (_, title) in &row.papers {
            let title = clean_title(&tidy(title));
            if title.is_empty() {
                continue;
            }
            let kind = kind_of(&title).or(group.hint).unwrap_or("other");
            papers.push(Paper {
                body: bodies[row.group].clone(),
                date: row.date,
                title,
                url: None,
                kind,
                date_note: row.starred.then(|| note.clone()),
            });
        }
    }
    papers
}

/// "Members' motion : Developing" and "第18項質詢 ：人工智能" as the link-split titles read.
fn tidy(title: &str) -> String {
    let mut t = title.to_string();
    if t.chars().any(is_cjk) {
        t = t.replace(" ：", "：").replace("： ", "：");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_heads() {
        assert!(is_paper_head("Agenda"));
        assert!(is_paper_head("Minutes of meeting"));
        assert!(is_paper_head("Question 13 : Using artificial intelligence"));
        assert!(is_paper_head("第18項質詢：人工智能的發展和應用"));
        assert!(!is_paper_head("第III項：加強數碼基建"));
        assert!(!is_paper_head("Hong Kong"));
        assert!(!is_paper_head("Item III: Enhancing digital"));
    }

    #[test]
    fn layout_cells_with_columns() {
        let c = cells("Panel on Information         8 April 2024        Agenda");
        assert_eq!(c[0], (0, "Panel on Information".to_string()));
        assert_eq!(c[1].1, "8 April 2024");
        assert_eq!(c[2].1, "Agenda");
    }
}
