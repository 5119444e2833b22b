//! Bounds on what one input may cost, so a hostile or broken file is refused with a clear
//! error instead of exhausting memory or time: the size of a text, the pages of a paper,
//! and what the compressed streams of a PDF inflate to.
//!
//! A brief is a paper of a few to a few dozen pages; its text extracted is well under
//! 1 MB, its PDF a few MB with the fonts embedded. The limits are far above that and far
//! below what harms the machine.
//!
//! The PDF reader (`lopdf`, under `pdf-extract`) inflates compressed streams whole, with no
//! limit, and some of them (object streams) while merely opening the file: a 7 KB file can
//! ask for gigabytes. So [`check_streams`] reads the raw file first, before anything is
//! opened, and measures what each compressed stream inflates to without keeping it.

use std::io::Read;

/// The largest text an input may hold (extracted text, or a PDF's text laid out).
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// The most pages a paper may have (form feeds of extracted text, pages of a PDF).
pub const MAX_PAGES: usize = 1000;
/// The most a single compressed stream of a PDF may inflate to.
pub const MAX_STREAM_BYTES: u64 = 64 * 1024 * 1024;
/// The most all compressed streams of a PDF may inflate to together.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;
/// The most non-blank lines a header may take before its body starts.
pub const MAX_HEADER_LINES: usize = 60;

/// A stream that inflates past a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bomb {
    /// The object number of the stream ("12 0 obj"), when it could be read.
    pub object: Option<u32>,
    /// Whether it is an object stream (inflated when the file is opened, so on no page).
    pub object_stream: bool,
    /// What went over: the stream alone or the document's total.
    pub whole_document: bool,
    /// Bytes measured before stopping (more than the limit).
    pub inflated: u64,
    /// The limit that was passed, in bytes.
    pub limit: u64,
}

impl Bomb {
    /// What to tell the user, without the page (the caller finds it).
    pub fn message(&self) -> String {
        let what = match self.object {
            Some(n) => format!("object {n}"),
            None => "a stream".to_string(),
        };
        if self.whole_document {
            format!(
                "the PDF's compressed streams inflate to more than {} MiB together (reached at {what}); not read, as no brief needs that much",
                self.limit >> 20
            )
        } else {
            format!(
                "a compressed stream ({what}) inflates to more than {} MiB; not read, as no brief needs that much (a decompression bomb?)",
                self.limit >> 20
            )
        }
    }
}

/// Measures every Flate-compressed stream of a raw PDF file (see the module docs). Streams
/// the PDF reader would not inflate (images, which `pdf-extract` does not decode) are left
/// alone; an LZW-compressed stream is counted at its worst case, as it is not measured.
pub fn check_streams(bytes: &[u8]) -> Result<(), Bomb> {
    check_streams_within(bytes, MAX_STREAM_BYTES, MAX_DOCUMENT_BYTES)
}

fn check_streams_within(bytes: &[u8], max_stream: u64, max_document: u64) -> Result<(), Bomb> {
    let mut total: u64 = 0;
    let mut from = 0;
    while let Some(rel) = memchr::memmem::find(&bytes[from..], b"stream") {
        let at = from + rel;
        from = at + 6;
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let Some(start) = data_start(bytes, from) else {
            continue;
        };
        let Some(dict) = dict_before(bytes, at) else {
            continue;
        };
        let filters = filters(dict);
        let flate = filters
            .iter()
            .filter(|f| f.as_slice() == b"FlateDecode" || f.as_slice() == b"Fl")
            .count();
        let lzw = filters
            .iter()
            .any(|f| f.as_slice() == b"LZWDecode" || f.as_slice() == b"LZW");
        let object_stream = has_name(dict, b"/Type", b"/ObjStm");
        if has_name(dict, b"/Subtype", b"/Image") && !object_stream || (flate == 0 && !lzw) {
            continue;
        }
        let (end, exact) = data_end(bytes, start, dict);
        // Without a length to trust, inflate from the start to wherever the compressed data
        // itself ends: an `endstream` planted in the data must not hide the rest.
        let data = if exact { &bytes[start..end] } else { &bytes[start..] };
        let limit = max_stream.min(max_document - total.min(max_document));
        let inflated = if lzw {
            // At most 4096 bytes a code of at least 9 bits: the worst case, not measured.
            (data.len() as u64).saturating_mul(4096 * 8 / 9)
        } else {
            inflated_size(data, flate, limit + 1)
        };
        let bomb = |whole_document, limit| Bomb {
            object: object_number(bytes, at),
            object_stream,
            whole_document,
            inflated,
            limit,
        };
        if inflated > max_stream {
            return Err(bomb(false, max_stream));
        }
        total += inflated;
        if total > max_document {
            return Err(bomb(true, max_document));
        }
        from = end.max(from);
    }
    Ok(())
}

/// Where a stream's data starts: after the end of line that follows the keyword.
fn data_start(bytes: &[u8], after_keyword: usize) -> Option<usize> {
    // Spaces may come before the end of line, as the PDF reader allows.
    let after_keyword = after_keyword
        + bytes
            .get(after_keyword..)?
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
    match bytes.get(after_keyword..after_keyword + 2)? {
        [b'\r', b'\n'] => Some(after_keyword + 2),
        [b'\n', _] | [b'\r', _] => Some(after_keyword + 1),
        _ => None,
    }
}

/// The dictionary text before a `stream` keyword: back to the `obj` that opens it (at most
/// 64 KB back), if it ends with `>>`.
fn dict_before(bytes: &[u8], keyword: usize) -> Option<&[u8]> {
    let head = &bytes[keyword.saturating_sub(65536)..keyword];
    let trimmed = head.trim_ascii_end();
    if !trimmed.ends_with(b">>") {
        return None;
    }
    let open = memchr::memmem::rfind(trimmed, b"obj").map_or(0, |i| i + 3);
    Some(&trimmed[open..])
}

/// The object number before the `obj` that opens the stream at `keyword`.
fn object_number(bytes: &[u8], keyword: usize) -> Option<u32> {
    let head = &bytes[keyword.saturating_sub(65536)..keyword];
    let obj = memchr::memmem::rfind(head, b"obj")?;
    let text = std::str::from_utf8(head.get(obj.saturating_sub(24)..obj)?).ok()?;
    let mut words = text.split_ascii_whitespace().rev();
    let _generation = words.next()?;
    words.next()?.parse().ok()
}

/// The filter names of a stream dictionary (`/Filter /FlateDecode` or `/Filter [/A /B]`).
fn filters(dict: &[u8]) -> Vec<Vec<u8>> {
    let Some(at) = memchr::memmem::find(dict, b"/Filter") else {
        return Vec::new();
    };
    let rest = dict[at + 7..].trim_ascii_start();
    let list = match rest.first() {
        Some(b'[') => &rest[1..rest.iter().position(|&b| b == b']').unwrap_or(rest.len())],
        Some(b'/') => {
            let end = rest[1..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(rest.len(), |i| i + 1);
            &rest[..end]
        }
        _ => return Vec::new(),
    };
    list.split(|&b| b == b'/' || b.is_ascii_whitespace())
        .filter(|n| !n.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Whether a dictionary's `key` is the name `value` (`/Type /ObjStm`, `/Type/ObjStm`).
fn has_name(dict: &[u8], key: &[u8], value: &[u8]) -> bool {
    memchr::memmem::find_iter(dict, key).any(|at| {
        let rest = dict[at + key.len()..].trim_ascii_start();
        rest.starts_with(value) && rest.get(value.len()).is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// Where a stream's data ends: by its `/Length` when that is a number inside the file
/// (`true`), else at the next `endstream` (`false`).
fn data_end(bytes: &[u8], start: usize, dict: &[u8]) -> (usize, bool) {
    let length = memchr::memmem::find(dict, b"/Length").and_then(|at| {
        let rest = std::str::from_utf8(&dict[at + 7..]).ok()?;
        let mut words = rest.split(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>');
        let n: usize = words.find(|w| !w.is_empty())?.parse().ok()?;
        // "12 0 R" is a reference, not the length.
        let after = rest.trim_start().get(n.to_string().len()..)?.trim_start();
        (!after.starts_with(|c: char| c.is_ascii_digit())).then_some(n)
    });
    match length {
        Some(n) if start.checked_add(n).is_some_and(|e| e <= bytes.len()) => (start + n, true),
        _ => (
            memchr::memmem::find(&bytes[start..], b"endstream").map_or(bytes.len(), |i| start + i),
            false,
        ),
    }
}

/// How many bytes `data` inflates to through `stages` Flate filters, counted up to `limit`
/// and never held whole. A damaged stream counts what it gave before the damage; zlib data
/// with a bad header is read as raw deflate, as the PDF reader does.
fn inflated_size(data: &[u8], stages: usize, limit: u64) -> u64 {
    let zlib = count(chain(data, stages, false), limit);
    if zlib > 0 || data.len() <= 2 {
        return zlib;
    }
    count(chain(&data[2..], stages, true), limit)
}

fn chain(data: &[u8], stages: usize, raw_first: bool) -> Box<dyn Read + '_> {
    let mut reader: Box<dyn Read + '_> = if raw_first {
        Box::new(flate2::read::DeflateDecoder::new(data))
    } else {
        Box::new(flate2::read::ZlibDecoder::new(data))
    };
    for _ in 1..stages.min(8) {
        reader = Box::new(flate2::read::ZlibDecoder::new(reader));
    }
    reader
}

fn count(mut reader: impl Read, limit: u64) -> u64 {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    while total < limit {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n as u64,
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn pdf_with(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n7 0 obj\n".to_vec();
        out.extend_from_slice(dict.as_bytes());
        out.extend_from_slice(b"\nstream\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        out
    }

    #[test]
    fn a_small_stream_passes() {
        let data = deflate(b"BT /F1 12 Tf (Hello) Tj ET");
        let pdf = pdf_with(&format!("<< /Length {} /Filter /FlateDecode >>", data.len()), &data);
        assert_eq!(check_streams(&pdf), Ok(()));
    }

    #[test]
    fn a_stream_inflating_past_the_limit_is_caught_without_inflating_it_whole() {
        let data = deflate(&vec![0u8; 1 << 20]);
        let pdf = pdf_with(
            &format!("<< /Type /ObjStm /Length {} /Filter /FlateDecode >>", data.len()),
            &data,
        );
        assert_eq!(check_streams(&pdf), Ok(()));
        let bomb = check_streams_within(&pdf, 1 << 19, 1 << 30).unwrap_err();
        assert_eq!(bomb.object, Some(7));
        assert!(bomb.object_stream && !bomb.whole_document);
        assert!(bomb.message().contains("object 7"), "{}", bomb.message());
        let mut two = pdf.clone();
        two.extend_from_slice(&pdf[9..]);
        let bomb = check_streams_within(&two, 1 << 21, (1 << 20) + 1000).unwrap_err();
        assert!(bomb.whole_document);
    }

    #[test]
    fn doubly_compressed_streams_are_measured_through_both_stages() {
        let inner = deflate(&vec![b'x'; 1 << 20]);
        let outer = deflate(&inner);
        let pdf = pdf_with("<< /Filter [/FlateDecode /FlateDecode] >>", &outer);
        assert!(check_streams_within(&pdf, 1 << 19, 1 << 30).is_err());
        let once = pdf_with("<< /Filter /FlateDecode >>", &outer);
        assert_eq!(check_streams_within(&once, 1 << 19, 1 << 30), Ok(()));
    }

    #[test]
    fn filters_and_names_are_read_in_both_spellings() {
        assert_eq!(
            filters(b"<< /Filter/FlateDecode/Length 3 >>"),
            vec![b"FlateDecode".to_vec()]
        );
        assert_eq!(filters(b"<< /Filter [/A85 /Fl] >>").len(), 2);
        assert!(has_name(b"<</Type/ObjStm/N 3>>", b"/Type", b"/ObjStm"));
        assert!(!has_name(b"<</Type/ObjStmX>>", b"/Type", b"/ObjStm"));
    }
}
