//! The start tags of a page legbrief wrote, read fast.
//!
//! Every page of the site is read for its ids and links, and a full HTML
//! tokenizer (html5gum) looks at each byte in turn: at 10,000 briefs that was a
//! sixth of the build. The pages are our own output, minified, so nearly all of
//! a page is plain text and tags with simple attributes. This reader jumps from
//! `<` to `<` and tokenizes each tag exactly as the HTML tokenizer's states do
//! (attribute names, quoted and unquoted values, `/`, end tags, comments, the
//! raw text of `script`, `style`, `textarea`…, switched to naively as html5gum
//! does). Where the page holds anything whose reading it does not model, such
//! as a character reference in a kept value, a carriage return, a CDATA section
//! or an odd comment, it gives up and the page is read by html5gum instead, so
//! the result is always what html5gum reads (a test compares the two).

use memchr::{memchr, memmem};

/// An attribute kept from a start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// `id`, or `name` on an `a` element.
    Id { is_id: bool },
    /// `href`, `src`, `cite` or `poster`.
    Link,
}

/// Hands `found` the kept attributes of every complete start tag of `html`, in
/// order, or returns `None` if the page holds something only the full
/// tokenizer reads right (then `found` may have seen some: start again). `keep` says which attribute
/// names are kept, given whether the tag is an `a`.
pub fn each_kept(
    html: &str,
    keep: impl Fn(&[u8], bool) -> Option<Kept>,
    mut found: impl FnMut(Kept, &str),
) -> Option<()> {
    let bytes = html.as_bytes();
    // Carriage returns are normalised and NULs replaced by the tokenizer.
    if memchr(b'\r', bytes).is_some() || memchr(0, bytes).is_some() {
        return None;
    }
    let mut at = 0;
    let mut kept: Vec<(Kept, &str)> = Vec::new();
    let mut names: Vec<&[u8]> = Vec::new();
    while let Some(lt) = memchr(b'<', &bytes[at..]) {
        let start = at + lt;
        let next = bytes.get(start + 1).copied();
        match next {
            Some(b) if b.is_ascii_alphabetic() => {
                let Some(tag) = read_tag(bytes, start + 1, &keep, &mut kept, &mut names)? else {
                    // Cut off by the end of the page: no tag.
                    return Some(());
                };
                for (kind, value) in kept.drain(..) {
                    found(kind, value);
                }
                at = tag.end;
                if let Some(raw) = raw_text_of(&tag.name) {
                    match skip_raw_text(html, at, raw, &tag.name)? {
                        Some(end) => at = end,
                        None => return Some(()),
                    }
                }
            }
            Some(b'/') => match bytes.get(start + 2).copied() {
                Some(b) if b.is_ascii_alphabetic() => {
                    // An end tag's attributes are read, to find its `>`, and dropped.
                    match read_tag(bytes, start + 2, &|_, _| None, &mut kept, &mut names)? {
                        Some(tag) => at = tag.end,
                        None => return Some(()),
                    }
                }
                Some(b'>') => at = start + 3,
                // `</` at the end is text; anything else opens a bogus comment.
                None => return Some(()),
                Some(_) => return None,
            },
            Some(b'!') => {
                let rest = &bytes[start + 2..];
                if rest.starts_with(b"--") {
                    at = skip_comment(bytes, start + 4)?;
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
                    // A doctype names no URL the check follows; it ends at `>`
                    // unless a quoted identifier holds one.
                    let close = memchr(b'>', rest)?;
                    if rest[..close].iter().any(|&b| b == b'"' || b == b'\'') {
                        return None;
                    }
                    at = start + 2 + close + 1;
                } else {
                    return None;
                }
            }
            Some(b'?') => return None,
            // `<` then anything else (a space, a digit, the end) is text.
            _ => at = start + 1,
        }
    }
    Some(())
}

/// A tag read up to its `>`.
struct Tag {
    /// Its name, in ASCII lower case.
    name: Vec<u8>,
    /// Offset just past its `>`.
    end: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b' ')
}

/// Reads the tag whose name starts at `from`, pushing the attributes `keep`
/// keeps (the first of two of the same name) into `kept`. `Ok(None)` if the page
/// ends inside the tag; the outer `None` if a kept value holds a character
/// reference.
fn read_tag<'h>(
    bytes: &'h [u8],
    from: usize,
    keep: &impl Fn(&[u8], bool) -> Option<Kept>,
    kept: &mut Vec<(Kept, &'h str)>,
    names: &mut Vec<&'h [u8]>,
) -> Option<Option<Tag>> {
    kept.clear();
    names.clear();
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = bytes[from..i].to_ascii_lowercase();
    let is_anchor = name == b"a";
    loop {
        // Before an attribute name.
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { return Some(None) };
        match b {
            b'>' => return Some(Some(Tag { name, end: i + 1 })),
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // The attribute's name: its first character may be `=`.
        let name_start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attribute = &bytes[name_start..i];
        if attribute.iter().any(u8::is_ascii_uppercase) {
            // The tokenizer lowers it; our pages write names in lower case.
            return None;
        }
        let first = !names.contains(&attribute);
        let kind = if first { keep(attribute, is_anchor) } else { None };
        if first {
            names.push(attribute);
        }
        // After the name.
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            if let Some(kind) = kind {
                kept.push((kind, ""));
            }
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let Some(&quote) = bytes.get(i) else { return Some(None) };
        let value: &[u8] = match quote {
            b'"' | b'\'' => {
                let Some(len) = memchr(quote, &bytes[i + 1..]) else {
                    return Some(None);
                };
                let value = &bytes[i + 1..i + 1 + len];
                i += len + 2;
                // After a quoted value: a space, `/` or `>`; anything else
                // starts the next attribute at once (a parse error, same reading).
                value
            }
            b'>' => {
                // `name=>`: the value is missing, the tag ends.
                if let Some(kind) = kind {
                    kept.push((kind, ""));
                }
                return Some(Some(Tag { name, end: i + 1 }));
            }
            _ => {
                let start = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                if i == bytes.len() {
                    return Some(None);
                }
                &bytes[start..i]
            }
        };
        if let Some(kind) = kind {
            if memchr(b'&', value).is_some() {
                return None;
            }
            // Delimiters are ASCII, so the value is whole UTF-8 characters.
            kept.push((kind, std::str::from_utf8(value).ok()?));
        }
    }
}

/// How the tokenizer reads what follows a start tag of `name`, as html5gum's
/// naive state switching has it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Script data: its escaped states (`<!--` inside a script) are not modelled.
    Script,
    /// Raw text or RCDATA: up to the matching end tag.
    Text,
    /// Plain text: the rest of the page.
    Plain,
}

fn raw_text_of(name: &[u8]) -> Option<Raw> {
    match name {
        b"script" => Some(Raw::Script),
        b"textarea" | b"title" | b"style" | b"iframe" | b"xmp" | b"noembed" | b"noframe" | b"noscript" => {
            Some(Raw::Text)
        }
        b"plaintext" => Some(Raw::Plain),
        _ => None,
    }
}

/// The offset of the `<` of the end tag that closes the raw text of `name`
/// starting at `from`; `Ok(None)` if it runs to the end of the page.
fn skip_raw_text(html: &str, from: usize, raw: Raw, name: &[u8]) -> Option<Option<usize>> {
    let bytes = html.as_bytes();
    if raw == Raw::Plain {
        return Some(None);
    }
    let mut at = from;
    while let Some(found) = memmem::find(&bytes[at..], b"</") {
        let lt = at + found;
        let after = lt + 2 + name.len();
        let matches = bytes.len() >= after
            && bytes[lt + 2..after].eq_ignore_ascii_case(name)
            && bytes.get(after).is_some_and(|&b| is_space(b) || b == b'/' || b == b'>');
        if raw == Raw::Script && memmem::find(&bytes[from..lt], b"<!--").is_some() {
            return None;
        }
        if matches {
            return Some(Some(lt));
        }
        at = lt + 2;
    }
    if raw == Raw::Script && memmem::find(&bytes[from..], b"<!--").is_some() {
        return None;
    }
    Some(None)
}

/// The offset just past the comment whose text starts at `from` (after `<!--`),
/// or `None` for the comments whose ends the tokenizer reads in its own way
/// (`<!-->`, `<!--->`, `--!>`, a comment left open).
fn skip_comment(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    if rest.starts_with(b">") || rest.starts_with(b"->") {
        return None;
    }
    let end = memmem::find(rest, b"-->")?;
    if memmem::find(&rest[..end], b"--!").is_some() {
        return None;
    }
    Some(from + end + 3)
}
