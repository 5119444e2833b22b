//! What a build keeps of each brief between the moments it needs it, packed.
//!
//! A build needs a brief's HTML for the search index, its own page and every
//! topic page that quotes it, and its appendix for its page, the papers index
//! and the link check: moments far apart, so every brief is held until the
//! last. Held as rendered and parsed, at 10,000 bilingual briefs that was about
//! 450 MB of HTML and 190 MB of appendix entries (600,000 of them, each three
//! or four small allocations); packed into one LZ4 block each, under 120 MB.
//! LZ4 because it unpacks at gigabytes a second: reading a body back for each
//! page that shows it costs a fraction of rendering that page. Dev mode packs
//! the same, and keeps the files it serves packed too ([`pack_bytes`]).

use jiff::civil::Date;

use crate::content::{Paper, PaperKind};

/// Packs `strings` (length-prefixed) into one compressed block.
pub fn pack_strings<'a>(strings: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut raw = Writer::default();
    for s in strings {
        raw.str(s);
    }
    compress(&raw.0)
}

/// The strings [`pack_strings`] packed, in order; fewer if the block is damaged
/// (it never is: it was made in this process).
pub fn unpack_strings(packed: &[u8]) -> Vec<String> {
    let raw = decompress(packed);
    let mut reader = Reader(&raw);
    std::iter::from_fn(|| reader.str()).collect()
}

/// Packs a brief's appendix.
pub fn pack_papers(papers: &[Paper]) -> Vec<u8> {
    let mut raw = Writer::default();
    raw.u32(papers.len() as u32);
    for p in papers {
        raw.str(&p.body);
        raw.i16(p.date.year());
        raw.0.push(p.date.month() as u8);
        raw.0.push(p.date.day() as u8);
        raw.str(&p.title);
        raw.opt(p.url.as_deref());
        raw.0
            .push(PaperKind::ALL.iter().position(|(_, k)| *k == p.kind).unwrap_or(0) as u8);
        raw.opt(p.date_note.as_deref());
        raw.u32(u32::try_from(p.line).unwrap_or(u32::MAX));
    }
    compress(&raw.0)
}

/// The appendix [`pack_papers`] packed.
pub fn unpack_papers(packed: &[u8]) -> Vec<Paper> {
    let raw = decompress(packed);
    let mut r = Reader(&raw);
    let count = r.u32().unwrap_or(0) as usize;
    let mut papers = Vec::with_capacity(count);
    for _ in 0..count {
        let Some(paper) = r.paper() else { break };
        papers.push(paper);
    }
    papers
}

/// `bytes` compressed as one LZ4 block.
pub fn pack_bytes(bytes: &[u8]) -> Vec<u8> {
    compress(bytes)
}

/// The bytes [`pack_bytes`] packed.
pub fn unpack_bytes(packed: &[u8]) -> Vec<u8> {
    decompress(packed)
}

fn compress(raw: &[u8]) -> Vec<u8> {
    let mut packed = lz4_flex::block::compress_prepend_size(raw);
    packed.shrink_to_fit();
    packed
}

fn decompress(packed: &[u8]) -> Vec<u8> {
    lz4_flex::block::decompress_size_prepended(packed).unwrap_or_default()
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn i16(&mut self, n: i16) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u32(u32::try_from(s.len()).unwrap_or(u32::MAX));
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn str(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        self.take(len).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    fn opt(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            _ => self.str().map(Some),
        }
    }

    fn paper(&mut self) -> Option<Paper> {
        let body = self.str()?;
        let year = self.take(2).map(|b| i16::from_le_bytes([b[0], b[1]]))?;
        let (month, day) = (self.byte()?, self.byte()?);
        let date = Date::new(year, month as i8, day as i8).unwrap_or_default();
        let title = self.str()?;
        let url = self.opt()?;
        let kind = PaperKind::ALL
            .get(self.byte()? as usize)
            .map_or(PaperKind::Other, |(_, k)| *k);
        let date_note = self.opt()?;
        let line = self.u32()? as usize;
        Some(Paper {
            body,
            date,
            title,
            url,
            kind,
            date_note,
            line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_and_strings_round_trip() {
        let papers = vec![
            Paper {
                body: "itb".into(),
                date: Date::new(2024, 4, 8).unwrap(),
                title: "Agenda Item III: 數碼基建".into(),
                url: Some("https://www.legco.gov.hk/a.pdf".into()),
                kind: PaperKind::Agenda,
                date_note: Some("Date of issue".into()),
                line: 12,
            },
            Paper {
                body: "Council meeting".into(),
                date: Date::new(1999, 12, 31).unwrap(),
                title: String::new(),
                url: None,
                kind: PaperKind::Question,
                date_note: None,
                line: 40,
            },
        ];
        assert_eq!(unpack_papers(&pack_papers(&papers)), papers);
        assert!(unpack_papers(&pack_papers(&[])).is_empty());
        let strings = ["<p>a</p>", "", "中文"];
        assert_eq!(unpack_strings(&pack_strings(strings.into_iter())), strings);
    }
}
