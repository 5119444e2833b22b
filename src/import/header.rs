//! The header of a printed brief: masthead, paper number, file reference, committee, meeting
//! date and title. These become front matter, not body.
//!
//! ```text
//! # 立法會 *Legislative Council*            立法會CB(2)848/2025(03)號文件
//! LC Paper No. CB(2)848/2025(03)            檔號：CB2/PL/ITB
//! Ref: CB2/PL/ITB                           ## **資訊科技及廣播事務委員會**
//! ## **Panel on Information Technology …**  **2025年5月12日會議**
//! **Meeting on 12 May 2025**                ### **數碼政府及智慧城市發展的背景資料簡介**
//! ### **Background brief on …**
//! ```

use jiff::civil::Date;

use super::markup::{bold_inner, heading, is_page_marker, join_lines, norm, plain, section_id, strip_prefix_ci};
use super::{ImportError, ImportNames, Line, Warnings, dates, key_for};

/// The header fields, and where the body starts (index into the lines).
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub paper_no: Option<String>,
    pub file_ref: Option<String>,
    /// A key of `[committees]`.
    pub committee: String,
    pub meeting: Date,
    pub title: String,
    pub end: usize,
}

/// Why a text with neither header line is not a brief.
pub(super) const NEITHER: &str = "found neither a paper number (\"LC Paper No. …\" / \"立法會…號文件\") nor a meeting line (\"Meeting on …\" / \"…會議\") at the top";

/// What one header line is.
#[derive(Debug)]
enum Item {
    Masthead,
    PaperNo(String),
    FileRef(String),
    /// A meeting line; `None` when its date could not be read.
    Meeting(Option<Date>),
    /// A heading or a line that is one bold run: committee or title.
    Heading(String),
    Other,
}

/// What the previous header line was, so a name or title wrapped over two lines is rejoined.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Last {
    #[default]
    Other,
    Title,
    Candidate,
}

/// The header as read so far.
#[derive(Debug, Default)]
struct State {
    paper_no: Option<String>,
    file_ref: Option<String>,
    meeting: Option<Date>,
    title: Option<String>,
    committee: Option<String>,
    /// A committee-like heading that matches no known committee: (line, text).
    candidate: Option<(usize, String)>,
    last: Last,
}

/// Reads the header from the top of the text; it ends at the first line that is none of the
/// header's items. Fails when the text is not a brief or lacks a required field.
pub(super) fn parse(lines: &[Line], names: &ImportNames, w: &mut Warnings) -> Result<Header, ImportError> {
    let mut st = State::default();
    let mut end = lines.len();
    let mut taken = 0;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trimmed();
        if t.is_empty() || is_page_marker(t) {
            continue;
        }
        taken += 1;
        // A header is a dozen lines; a text whose "header" runs on is not a brief, and
        // reading it further would only cost time.
        if taken > super::limits::MAX_HEADER_LINES {
            end = i;
            break;
        }
        if !st.take(line, classify(t), names, w) {
            end = i;
            break;
        }
    }
    st.finish(end, names, w)
}

/// Classifies one non-blank header line.
fn classify(t: &str) -> Item {
    let inner = heading(t).unwrap_or(t);
    let inner = bold_inner(inner).unwrap_or(inner);
    let text = plain(inner);
    if is_masthead(&text) {
        Item::Masthead
    } else if let Some(p) = paper_no(&text) {
        Item::PaperNo(p)
    } else if let Some(r) = file_ref(&text) {
        Item::FileRef(r)
    } else if let Some(m) = meeting(&text) {
        Item::Meeting(m)
    } else if heading(t).is_some() || bold_inner(t).is_some() {
        Item::Heading(text)
    } else {
        Item::Other
    }
}

/// The bilingual masthead "立法會 Legislative Council", which every paper carries.
fn is_masthead(text: &str) -> bool {
    let lower = text.to_lowercase();
    let rest = lower.replace("立法會", "").replace("legislative council", "");
    rest.trim().is_empty()
}

/// "LC Paper No. CB(2)848/2025(03)" or "立法會CB(2)848/2025(03)號文件" -> the number as
/// printed (both eras' forms, e.g. the older "CB(4)1234/18-19(03)").
fn paper_no(text: &str) -> Option<String> {
    let number = if let Some(rest) = strip_prefix_ci(text, "LC Paper No") {
        rest.trim_start_matches(['.', ':', '：', ' '])
    } else if let Some(rest) = text.strip_prefix("立法會") {
        rest.strip_suffix("號文件")?
    } else {
        return None;
    };
    let number = number.trim().trim_end_matches('.').trim();
    (number.chars().any(|c| c.is_ascii_digit()) && !number.contains(char::is_whitespace)).then(|| number.to_string())
}

/// "Ref: CB2/PL/ITB", "Ref : CB4/PL/ITB", "檔號：CB2/PL/ITB" -> "CB2/PL/ITB".
fn file_ref(text: &str) -> Option<String> {
    let rest = strip_prefix_ci(text, "File Ref")
        .or_else(|| strip_prefix_ci(text, "Ref"))
        .or_else(|| text.strip_prefix("檔號"))?;
    let rest = rest.trim_start_matches([' ', '.']);
    let value = rest.strip_prefix([':', '：'])?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// "Meeting on 12 May 2025" / "2025年5月12日會議". `Some(None)` for an English meeting line
/// whose date cannot be read (reported); Chinese lines count only with a readable date, as
/// "…會議" alone is too common an ending.
fn meeting(text: &str) -> Option<Option<Date>> {
    for prefix in [
        "Meeting on ",
        "Special meeting on ",
        "Joint meeting on ",
        "Joint special meeting on ",
    ] {
        if let Some(rest) = strip_prefix_ci(text, prefix) {
            return Some(dates::parse(rest.trim_end_matches('.')));
        }
    }
    let rest = ["聯席特別會議", "特別會議", "聯席會議", "會議"]
        .iter()
        .find_map(|end| text.strip_suffix(end))?;
    let rest = rest.strip_suffix('的').unwrap_or(rest);
    dates::parse(rest).map(Some)
}

/// A joint meeting's committee line ("Joint meeting of the Panel on Housing and the Panel on
/// Development", "房屋事務委員會與發展事務委員會聯席會議"): when every committee named is
/// configured, the first is the brief's `committee` (the brief is filed under it; the
/// others are named in its title and appendix).
fn joint_committee<'a>(committees: &'a [(String, Vec<String>)], text: &str) -> Option<&'a str> {
    let t = plain(text);
    let t = strip_prefix_ci(&t, "Joint meeting of the ")
        .or_else(|| strip_prefix_ci(&t, "Joint meeting of "))
        .unwrap_or(&t)
        .to_string();
    let t = t.strip_suffix("聯席會議").unwrap_or(&t);
    let keys = split_committees(committees, t, 0)?;
    (keys.len() >= 2).then(|| keys[0])
}

/// `text` as a list of configured committees joined by "and", ",", "與", "及" or "、"
/// (names may themselves contain "and": every split is tried).
fn split_committees<'a>(committees: &'a [(String, Vec<String>)], text: &str, depth: usize) -> Option<Vec<&'a str>> {
    let text = text.trim();
    // Every split point is tried, each against every name: bounded by the length of a
    // line naming a few committees, so a long text costs nothing.
    if text.chars().count() > 400 {
        return None;
    }
    let text = strip_prefix_ci(text, "the ").unwrap_or(text);
    if let Some(key) = key_for(committees, text) {
        return Some(vec![key]);
    }
    if depth > 4 {
        return None;
    }
    const SEPARATORS: [&str; 6] = [" and ", ", ", "與", "及", "、", "和"];
    for (at, _) in text.char_indices() {
        let Some(rest) = text.get(at..) else { continue };
        let Some(sep) = SEPARATORS.iter().find(|s| rest.starts_with(**s)) else {
            continue;
        };
        let head = text.get(..at).unwrap_or_default().trim();
        let Some(first) = key_for(committees, head) else {
            continue;
        };
        if let Some(mut more) = split_committees(committees, rest.get(sep.len()..).unwrap_or_default(), depth + 1) {
            more.insert(0, first);
            return Some(more);
        }
    }
    None
}

/// Whether a heading reads like a brief's title even before the meeting line.
fn looks_like_title(text: &str) -> bool {
    let t = norm(text);
    ["background brief", "information note", "背景資料簡介", "資料摘要"]
        .iter()
        .any(|k| t.contains(k))
}

impl State {
    /// Takes one header line; `false` when the line is not part of the header (the body
    /// starts there).
    fn take(&mut self, line: &Line, item: Item, names: &ImportNames, w: &mut Warnings) -> bool {
        let last = std::mem::take(&mut self.last);
        match item {
            Item::Masthead => {}
            Item::PaperNo(p) => set_once(&mut self.paper_no, p, line.no, "paper number", w),
            Item::FileRef(r) => set_once(&mut self.file_ref, r, line.no, "file reference", w),
            Item::Meeting(Some(d)) => set_once(&mut self.meeting, d, line.no, "meeting line", w),
            Item::Meeting(None) => w.add(line.no, "meeting line whose date could not be read"),
            Item::Heading(text) => return self.heading(line.no, text, last, names),
            Item::Other => return false,
        }
        true
    }

    /// A heading in the header: the committee, the title, or the first body heading.
    fn heading(&mut self, no: usize, text: String, last: Last, names: &ImportNames) -> bool {
        if section_id(&text).is_some() {
            return false;
        }
        if self.committee.is_none() && self.try_committee(&text, last, names) {
            return true;
        }
        if self.title.is_none() && (self.meeting.is_some() || self.committee.is_some() || looks_like_title(&text)) {
            self.title = Some(text);
            self.last = Last::Title;
            return true;
        }
        if let (Last::Title, Some(title)) = (last, self.title.as_mut())
            && text.starts_with(|c: char| c.is_lowercase())
        {
            *title = join_lines(&[title.clone(), text], " ");
            self.last = Last::Title;
            return true;
        }
        if self.committee.is_none() && self.title.is_none() {
            self.candidate = Some(match (last, self.candidate.take()) {
                // A committee name wraps over two or three lines, not more.
                (Last::Candidate, Some((first, prev))) if prev.chars().count() < 300 => {
                    (first, join_lines(&[prev, text], " "))
                }
                _ => (no, text),
            });
            self.last = Last::Candidate;
            return true;
        }
        false
    }

    /// Matches a heading (or it joined to the previous unmatched one: a long name wrapped
    /// over two lines) against the committees' names.
    fn try_committee(&mut self, text: &str, last: Last, names: &ImportNames) -> bool {
        let mut tries = vec![text.to_string()];
        if let (Last::Candidate, Some((_, prev))) = (last, &self.candidate) {
            tries.push(join_lines(&[prev.clone(), text.to_string()], " "));
        }
        let found = tries
            .iter()
            .find_map(|t| key_for(&names.committees, t).or_else(|| joint_committee(&names.committees, t)));
        if let Some(key) = found {
            self.committee = Some(key.to_string());
            if tries.len() > 1 && key_for(&names.committees, text).is_none() {
                self.candidate = None;
            }
        }
        found.is_some()
    }

    /// The header, or why the text cannot be imported.
    fn finish(self, end: usize, names: &ImportNames, w: &mut Warnings) -> Result<Header, ImportError> {
        let not_a_brief = |reason: &str| ImportError::NotABrief {
            reason: reason.to_string(),
        };
        if self.paper_no.is_none() && self.meeting.is_none() {
            return Err(not_a_brief(NEITHER));
        }
        let Some(committee) = self.committee else {
            return Err(match self.candidate {
                Some((line, found)) => ImportError::UnknownCommittee {
                    line,
                    found,
                    known: names.committees.iter().map(|(k, _)| k.clone()).collect(),
                    file_ref: self.file_ref.clone(),
                },
                None => not_a_brief("no committee name in the header"),
            });
        };
        if let Some((line, text)) = self.candidate {
            w.add(
                line,
                format!("heading \"{text}\" in the header not understood; dropped"),
            );
        }
        let meeting = self
            .meeting
            .ok_or_else(|| not_a_brief("no meeting line (\"Meeting on 12 May 2025\" / \"2025年5月12日會議\")"))?;
        let title = self
            .title
            .ok_or_else(|| not_a_brief("no title heading after the meeting line"))?;
        Ok(Header {
            paper_no: self.paper_no,
            file_ref: self.file_ref,
            committee,
            meeting,
            title,
            end,
        })
    }
}

/// Sets a header field, reporting a second, different occurrence instead of overwriting.
fn set_once<T: PartialEq>(slot: &mut Option<T>, value: T, no: usize, what: &str, w: &mut Warnings) {
    match slot {
        Some(old) if *old != value => w.add(no, format!("second {what}, different from the first; ignored")),
        Some(_) => {}
        None => *slot = Some(value),
    }
}
