//! Dates as printed in the papers: "12 May 2025" (also "May 12, 2025" and short month
//! names) and "2025年5月12日" (with ASCII or full-width digits).

use jiff::civil::Date;

/// A date making up the whole of `s` (surrounding whitespace aside), in either language.
/// `None` for anything else, including dates that do not exist (31 February): those must not
/// reach the source, where they are errors.
pub(super) fn parse(s: &str) -> Option<Date> {
    let s = ascii_digits(s.trim());
    parse_zh(&s).or_else(|| parse_en(&s))
}

/// A date cell of the appendix: the date and whether it is marked with `*` (or the
/// Markdown-escaped `\*`), which refers to the "Date of issue" legend.
pub(super) fn parse_cell(s: &str) -> Option<(Date, bool)> {
    let t = s.trim();
    let unstarred = t.trim_end_matches(['*', '\\', ' ', '\u{ff0a}']);
    let marks = t.get(unstarred.len()..).unwrap_or_default();
    let starred = marks.contains(['*', '\u{ff0a}']);
    parse(unstarred).map(|d| (d, starred))
}

/// Full-width digits (０-９) as ASCII, as some Chinese papers print them.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// "2025年5月12日", spaces allowed between the parts.
fn parse_zh(s: &str) -> Option<Date> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.trim_end().strip_suffix('日')?;
    ymd(y.trim(), m.trim(), d.trim())
}

/// "12 May 2025", "12 May, 2025", "May 12, 2025", "12th May 2025".
fn parse_en(s: &str) -> Option<Date> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, y] = words.as_slice() else {
        return None;
    };
    let (d, m) = match month(b) {
        Some(m) => (*a, m),
        None => (*b, month(a)?),
    };
    let d = d.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    ymd(y, &m.to_string(), d)
}

/// The month number of an English month name or its usual abbreviation.
fn month(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let found = MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(w.as_str())))?;
    u8::try_from(found + 1).ok()
}

/// A date from its printed parts; only years a brief can have (so the TOML date is always
/// four digits) and only dates that exist.
fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    let y: i16 = y.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    let d: i8 = d.parse().ok()?;
    if !(1900..=2199).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}
