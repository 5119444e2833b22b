//! The appendix "List of relevant papers": tab-separated rows as extracted from the printed
//! table, which become `[[papers]]`.
//!
//! What the print does and the parser undoes: the table header is repeated on every page; a
//! committee is named once for all its dates (following rows start with a tab); one cell
//! holds several papers (`<a href="#">Agenda</a> Item III: … <a href="#">Minutes of
//! meeting</a>`); Council meetings come in sections with their own header rows
//! (`Council meeting\tQuestion`, sometimes in `<b>`), then `date\tpapers` rows; a `*` after a
//! date refers to the "\* Date of issue" legend; a page break can fall inside a cell.

use jiff::civil::Date;

use super::markup::{bold_inner, heading, is_cjk, join_fragment, link_at, norm, plain, strip_tags};
use super::{ImportNames, Line, Warnings, dates, key_for};

/// One `[[papers]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Paper {
    /// A committee key, or the printed body ("Council meeting").
    pub body: String,
    pub date: Date,
    pub title: String,
    /// Kept when the extraction kept a real link target.
    pub url: Option<String>,
    pub kind: &'static str,
    pub date_note: Option<String>,
}

/// Whether line `i` starts the appendix: its heading ("List of relevant papers",
/// "Appendix", "相關文件一覽表", "附錄"), a table row, or a heading right before such a
/// heading (the short title printed above the list).
pub(super) fn starts_at(lines: &[Line], i: usize) -> bool {
    let Some(line) = lines.get(i) else {
        return false;
    };
    let t = line.trimmed();
    if is_marker(t) || is_table_line(line) {
        return true;
    }
    if heading(t).is_none() && bold_inner(t).is_none() {
        return false;
    }
    let next = lines.iter().skip(i + 1).map(Line::trimmed).find(|t| !t.is_empty());
    next.is_some_and(is_marker)
}

/// An appendix heading line (with or without heading or bold markup).
fn is_marker(t: &str) -> bool {
    // Markers are short; checking the length first keeps long paragraphs cheap.
    if t.len() > 80 {
        return false;
    }
    let inner = heading(t).unwrap_or(t);
    let n = norm(bold_inner(inner).unwrap_or(inner));
    let n = n.trim_end_matches([':', '：']);
    matches!(n, "list of relevant papers" | "appendix" | "附錄" | "相關文件一覽表")
        || (n.starts_with("appendix ") && n.len() <= 14)
}

/// A row of the table: tab-separated, and not a numbered body paragraph ("2.\tText").
fn is_table_line(line: &Line) -> bool {
    let t = line.trimmed();
    let numbered = t
        .split('\t')
        .next()
        .is_some_and(|c| c.trim_end_matches('.').chars().all(|ch| ch.is_ascii_digit()) && c.ends_with('.'));
    line.text.contains('\t') && !numbered
}

/// One data row: a body (named on this row or an earlier one), a date and its papers cell.
#[derive(Debug)]
struct Row {
    line: usize,
    body: String,
    date: Date,
    starred: bool,
    cell: String,
    /// The kind the section header implies ("Question" -> question).
    hint: Option<&'static str>,
}

/// The appendix as read so far.
struct Parser<'n> {
    names: &'n ImportNames,
    body: Option<String>,
    hint: Option<&'static str>,
    rows: Vec<Row>,
    legend: Option<String>,
    /// Whether the last row may continue on the next line (a page break inside its cell).
    open: bool,
    seen_rows: bool,
}

/// Reads the appendix (everything after the body) into papers.
pub(super) fn parse(lines: &[Line], names: &ImportNames, lang: &str, w: &mut Warnings) -> Vec<Paper> {
    let mut p = Parser {
        names,
        body: None,
        hint: None,
        rows: Vec::new(),
        legend: None,
        open: false,
        seen_rows: false,
    };
    for line in lines {
        p.line(line, w);
    }
    p.finish(lang, w)
}

impl Parser<'_> {
    /// Takes one line of the appendix.
    fn line(&mut self, line: &Line, w: &mut Warnings) {
        let t = line.trimmed();
        if t.is_empty() || super::markup::is_page_marker(t) || is_marker(t) {
            return;
        }
        if is_table_line(line) {
            self.row(line, w);
        } else if let Some(text) = legend(t) {
            self.open = false;
            if text.is_empty() {
                w.add(line.no, "\"*\" legend without text; ignored");
            } else {
                self.legend = Some(text);
            }
        } else if heading(t).is_some() || bold_inner(t).is_some() {
            if self.seen_rows {
                w.add(line.no, "heading inside the appendix not understood; dropped");
            }
            // Before the table: the brief's short title, printed above the list.
        } else if !self.continue_row(t) {
            w.add(line.no, "text in the appendix not understood; dropped");
        }
    }

    /// A tab-separated row: data, repeated table header, or a section header.
    fn row(&mut self, line: &Line, w: &mut Warnings) {
        let cells: Vec<&str> = line.text.split('\t').map(str::trim).collect();
        let date_at = cells.iter().position(|c| dates::parse_cell(&strip_tags(c)).is_some());
        self.seen_rows = true;
        match date_at {
            Some(k) => self.data_row(line.no, &cells, k, w),
            None if is_header_row(&cells) => {}
            None if cells.first().is_some_and(|c| c.is_empty()) || cells.iter().any(|c| has_link(c)) => {
                self.continuation_row(line.no, &cells, w);
            }
            None => self.section_row(line.no, &cells, w),
        }
    }

    /// `body\tdate\tpapers`, `\tdate\tpapers` (same body as before) or `date\tpapers`.
    fn data_row(&mut self, no: usize, cells: &[&str], k: usize, w: &mut Warnings) {
        let Some((date, starred)) = cells.get(k).and_then(|c| dates::parse_cell(&strip_tags(c))) else {
            return;
        };
        let named = join_cells(cells.get(..k).unwrap_or_default());
        if !named.is_empty() {
            self.set_body(no, &named, w);
            self.hint = None;
        }
        let Some(body) = self.body.clone() else {
            w.add(
                no,
                "appendix row without a committee or body (none named above it); dropped",
            );
            self.open = false;
            return;
        };
        self.rows.push(Row {
            line: no,
            body,
            date,
            starred,
            cell: join_cells(cells.get(k + 1..).unwrap_or_default()),
            hint: self.hint,
        });
        self.open = true;
    }

    /// A row with no date whose first cells are empty: the rest of the previous row's cell
    /// after a page break (`\t\tenterprises <a href="#">Minutes of meeting</a>`).
    fn continuation_row(&mut self, no: usize, cells: &[&str], w: &mut Warnings) {
        let first_filled = cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
        let text = join_cells(cells);
        if !(first_filled > 0 && self.open && self.append_to_last(&text)) {
            w.add(no, "appendix row without a date not understood; dropped");
        }
    }

    /// `Council meeting\tQuestion`: names the body of the rows that follow, and the kind of
    /// their papers.
    fn section_row(&mut self, no: usize, cells: &[&str], w: &mut Warnings) {
        let name = cells.first().map(|c| plain(c)).unwrap_or_default();
        if name.is_empty() || cells.len() > 3 {
            w.add(no, "appendix row not understood (no date that exists in it); dropped");
            return;
        }
        self.set_body(no, &name, w);
        self.hint = cells.iter().skip(1).find_map(|c| section_hint(c));
        self.open = false;
    }

    /// Sets the body of the following rows: a committee key where the printed name is a known
    /// committee, else the printed text.
    fn set_body(&mut self, no: usize, name: &str, w: &mut Warnings) {
        let name = plain(name);
        let body = match key_for(&self.names.committees, &name) {
            Some(key) => key.to_string(),
            None => {
                let n = norm(&name);
                if ["panel", "committee", "委員會"].iter().any(|k| n.contains(k)) {
                    w.add(
                        no,
                        format!("\"{name}\" is not a committee of the config; kept as printed text"),
                    );
                }
                name
            }
        };
        self.body = Some(body);
    }

    /// A line without tabs after a row: the rest of its cell, when it reads like one (papers,
    /// or text that cannot start a line of its own).
    fn continue_row(&mut self, t: &str) -> bool {
        let fits = has_link(t)
            || t.starts_with(|c: char| c.is_lowercase() || is_cjk(c))
            || self
                .rows
                .last()
                .is_some_and(|r| r.cell.trim_end().ends_with([':', '：', ',', '，']));
        self.open && fits && self.append_to_last(t)
    }

    fn append_to_last(&mut self, text: &str) -> bool {
        match self.rows.last_mut() {
            Some(row) => {
                join_fragment(&mut row.cell, text);
                true
            }
            None => false,
        }
    }

    /// The papers of every row, with the legend's date note on starred dates.
    fn finish(self, lang: &str, w: &mut Warnings) -> Vec<Paper> {
        let first_star = self.rows.iter().find(|r| r.starred).map(|r| r.line);
        let note = match (&self.legend, first_star) {
            (Some(legend), _) => legend.clone(),
            (None, star) => {
                let default = if lang.starts_with("zh") {
                    "發出日期"
                } else {
                    "Date of issue"
                };
                if let Some(line) = star {
                    w.add(
                        line,
                        format!("date marked \"*\" but no \"*\" legend found; date_note set to \"{default}\""),
                    );
                }
                default.to_string()
            }
        };
        let mut papers = Vec::new();
        for row in &self.rows {
            let drafts = split_papers(&row.cell);
            if drafts.is_empty() {
                w.add(row.line, "appendix row without papers; dropped");
            }
            papers.extend(drafts.into_iter().map(|d| Paper {
                body: row.body.clone(),
                date: row.date,
                kind: d.kind(row.hint),
                title: d.title,
                url: d.url,
                date_note: row.starred.then(|| note.clone()),
            }));
        }
        papers
    }
}

/// The "\* Date of issue" / "* 發出日期" legend -> its text.
pub(super) fn legend(t: &str) -> Option<String> {
    if t.starts_with("**") {
        return None;
    }
    let rest = t
        .strip_prefix("\\*")
        .or_else(|| t.strip_prefix('*'))
        .or_else(|| t.strip_prefix('＊'))?;
    Some(plain(rest.trim_end_matches('*')))
}

/// The repeated table header: `Committee\tDate of meeting\tPaper` / `委員會\t會議日期\t文件`.
fn is_header_row(cells: &[&str]) -> bool {
    const WORDS: &[&str] = &[
        "committee",
        "date of meeting",
        "date",
        "meeting",
        "paper",
        "papers",
        "委員會",
        "會議日期",
        "日期",
        "文件",
    ];
    let filled: Vec<String> = cells.iter().filter(|c| !c.is_empty()).map(|c| norm(c)).collect();
    filled.len() >= 2 && filled.iter().all(|c| WORDS.contains(&c.as_str()))
}

/// The kind a section header names: "Member's motion" -> motion, "Question" -> question.
fn section_hint(cell: &str) -> Option<&'static str> {
    let n = norm(cell);
    if n.contains("motion") || n.contains("議案") {
        Some("motion")
    } else if n.contains("question") || n.contains("質詢") {
        Some("question")
    } else {
        None
    }
}

fn has_link(cell: &str) -> bool {
    cell.contains("<a ") || cell.contains("<a>") || cell.contains("](")
}

/// The non-empty cells joined with a space.
fn join_cells(cells: &[&str]) -> String {
    cells
        .iter()
        .filter(|c| !c.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One paper of a cell, before its body and date are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    /// The link text ("Agenda", "Minutes of meeting"), which names the kind best.
    head: Option<String>,
    title: String,
    url: Option<String>,
}

impl Draft {
    /// The kind: from the link text, else the title, else the section, else "other".
    fn kind(&self, hint: Option<&'static str>) -> &'static str {
        self.head
            .as_deref()
            .and_then(kind_of)
            .or_else(|| kind_of(&self.title))
            .or(hint)
            .unwrap_or("other")
    }
}

/// Splits a papers cell at its links: each link starts a paper, whose title is the link text
/// and the text after it; text before the first link is a paper of its own.
fn split_papers(cell: &str) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut text = String::new();
    let mut rest = cell;
    while let Some(at) = rest.find(['[', '<']) {
        let (before, from) = rest.split_at(at);
        text.push_str(before);
        let used = match link_at(from) {
            Some((link, used)) => {
                flush_text(&mut drafts, &mut text);
                drafts.push(Draft {
                    head: Some(link.text.clone()),
                    url: (!link.is_dead()).then(|| link.href.trim().to_string()),
                    title: link.text,
                });
                used
            }
            None => {
                // '[' and '<' are one byte long.
                text.push_str(from.get(..1).unwrap_or_default());
                1
            }
        };
        rest = from.get(used..).unwrap_or_default();
    }
    text.push_str(rest);
    flush_text(&mut drafts, &mut text);
    drafts
        .into_iter()
        .map(|d| Draft {
            title: clean_title(&d.title),
            ..d
        })
        .filter(|d| !d.title.is_empty())
        .collect()
}

/// Text between links belongs to the paper before it.
fn flush_text(drafts: &mut Vec<Draft>, text: &mut String) {
    match drafts.last_mut() {
        Some(last) => last.title.push_str(text),
        None if !text.trim().is_empty() => drafts.push(Draft {
            head: None,
            title: text.clone(),
            url: None,
        }),
        None => {}
    }
    text.clear();
}

/// "Members' motion : Developing digital education" -> "Members' motion: Developing digital
/// education"; markup and spare whitespace removed.
pub(super) fn clean_title(s: &str) -> String {
    plain(s)
        .replace(" : ", ": ")
        .replace(" ：", "：")
        .replace("： ", "：")
        .trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '：')
        .to_string()
}

/// The kind of paper a text names, if it names one.
pub(super) fn kind_of(text: &str) -> Option<&'static str> {
    let t = norm(text);
    let has = |keys: &[&str]| keys.iter().any(|k| t.contains(k));
    if has(&["progress report", "進度報告"]) {
        Some("progress-report")
    } else if t.starts_with("agenda") || has(&["議程"]) {
        Some("agenda")
    } else if has(&["minutes", "紀要"]) {
        Some("minutes")
    } else if has(&["report", "報告"]) {
        Some("report")
    } else if has(&["motion", "議案"]) {
        Some("motion")
    } else if t.starts_with("question") || has(&["質詢"]) {
        Some("question")
    } else if has(&[
        "paper",
        "background brief",
        "information note",
        "文件",
        "背景資料簡介",
        "資料摘要",
    ]) {
        Some("paper")
    } else {
        None
    }
}
