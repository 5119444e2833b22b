//! Dates as people write them, recognised so that an error can name the TOML form.
//!
//! Front matter and config take a plain TOML date (`meeting = 2025-05-12`). A drafter
//! writes `12/05/2025`, `12 May 2025`, `2025/05/12` or `2025年5月12日`, quoted or not;
//! TOML itself then only says that a string must be quoted, and quoting it gives a
//! second error. [`read`] recognises these forms so the message can give the exact line
//! to write. Numeric dates with the day and month both 12 or less are read day first,
//! as the Legislative Council writes them (Hong Kong style), and the message says so.

use jiff::civil::Date;

/// A date recognised in a form other than TOML's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The date, when the form names one of the calendar.
    pub date: Option<Date>,
    /// How the text was read, when the reader should check it: "read as day/month/year,
    /// 12 May 2025, as the Legislative Council writes dates; for 5 December 2025, write
    /// {field} = 2025-12-05" (`{field}` stands for the field's name).
    pub note: Option<String>,
}

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

fn month_of(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep".to_string() } else { word };
    MONTHS.iter().position(|m| m.starts_with(&word)).map(|i| i as i8 + 1)
}

/// Full-width digits and separators as ASCII, spaces collapsed.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '／' => '/',
            '－' => '-',
            '．' => '.',
            '，' => ',',
            '\u{3000}' => ' ',
            _ => c,
        };
        out.push(c);
    }
    out
}

fn number(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A day written `12`, `12th`, `1st`, `2nd`, `3rd`.
fn day_number(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches(',');
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &s[digits.len()..];
    if !suffix.is_empty() && !["st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str()) {
        return None;
    }
    number(digits).filter(|d| (1..=31).contains(d))
}

fn date(year: i64, month: i64, day: i64) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

fn reading(year: i64, month: i64, day: i64, note: Option<String>) -> Reading {
    Reading {
        date: date(year, month, day),
        note,
    }
}

/// Recognises `text` as a date written as people write it (not TOML's `2025-05-12`
/// unquoted, which needs no help): `12/05/2025`, `12.05.2025`, `12-05-2025`,
/// `2025/05/12`, `2025-5-12`, `12 May 2025`, `May 12, 2025`, `2025年5月12日`, also with
/// full-width digits and inside quotes. `None` when it does not look like a date.
pub fn read(text: &str) -> Option<Reading> {
    let text = normalise(text);
    let text = text.trim_matches(|c| c == '"' || c == '\'').trim();
    if text.is_empty() || text.len() > 40 {
        return None;
    }
    if let Some(r) = read_chinese(text) {
        return Some(r);
    }
    if let Some(r) = read_numeric(text) {
        return Some(r);
    }
    read_words(text)
}

fn read_chinese(text: &str) -> Option<Reading> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (year, rest) = compact.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日').or_else(|| rest.strip_suffix('號'))?;
    Some(reading(number(year)?, number(month)?, number(day)?, None))
}

fn read_numeric(text: &str) -> Option<Reading> {
    let sep = ['/', '-', '.'].into_iter().find(|s| text.contains(*s))?;
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    if a.trim().len() == 4 {
        return Some(reading(a_n, b_n, c_n, None));
    }
    if c.trim().len() != 4 {
        return None;
    }
    let year = c_n;
    let (day, month, note) = if a_n > 12 {
        (a_n, b_n, None)
    } else if b_n > 12 {
        (
            b_n,
            a_n,
            Some("read as month/day/year, since there is no month 13 or later".to_string()),
        )
    } else if a_n == b_n {
        (a_n, b_n, None)
    } else {
        let note = date(year, b_n, a_n).zip(date(year, a_n, b_n)).map(|(d, other)| {
            format!(
                "read as day/month/year, {}, as the Legislative Council writes dates; \
                 for {}, write {{field}} = {other}",
                in_words(d),
                in_words(other)
            )
        });
        (a_n, b_n, note)
    };
    Some(reading(year, month, day, note))
}

fn in_words(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        capitalised(MONTHS[d.month() as usize - 1]),
        d.year()
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn read_words(text: &str) -> Option<Reading> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let year = number(c).filter(|_| c.len() == 4)?;
    if let Some(month) = month_of(b) {
        return Some(reading(year, i64::from(month), day_number(a)?, None));
    }
    let month = month_of(a)?;
    Some(reading(year, i64::from(month), day_number(b)?, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_date(text: &str) -> Option<String> {
        read(text).and_then(|r| r.date).map(|d| d.to_string())
    }

    #[test]
    fn the_forms_people_write() {
        for text in [
            "12/05/2025",
            "12.05.2025",
            "12-05-2025",
            "2025/05/12",
            "2025-5-12",
            "2025.5.12",
            "12 May 2025",
            "12th May, 2025",
            "May 12, 2025",
            "12 may 2025",
            "2025年5月12日",
            "２０２５年５月１２日",
            "2025 年 5 月 12 日",
            "\"12/05/2025\"",
            "'12 May 2025'",
        ] {
            assert_eq!(read_date(text).as_deref(), Some("2025-05-12"), "{text}");
        }
    }

    #[test]
    fn ambiguous_numeric_dates_are_day_first_and_say_so() {
        let r = read("12/05/2025").unwrap();
        let note = r.note.unwrap();
        assert!(note.contains("day/month/year, 12 May 2025,"), "{note}");
        assert!(
            note.contains("for 5 December 2025, write {field} = 2025-12-05"),
            "{note}"
        );
        assert_eq!(read("13/05/2025").unwrap().note, None);
        assert_eq!(read_date("05/13/2025").as_deref(), Some("2025-05-13"));
        assert!(read("05/13/2025").unwrap().note.unwrap().contains("month/day/year"));
        assert_eq!(read("05/05/2025").unwrap().note, None);
    }

    #[test]
    fn what_is_no_date_of_the_calendar_is_still_recognised() {
        let r = read("31/02/2025").unwrap();
        assert_eq!(r.date, None);
    }

    #[test]
    fn other_text_is_not_a_date() {
        for text in ["Council meeting", "12", "itb", "CB(2)848/2025(03)", "1/2/3", "May"] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
