//! How pages link to each other.
//!
//! A published site links by absolute path under the `base_url`'s path
//! (`/briefs/en/topics/`), which works at any depth and on the 404 page. A term
//! archive must also work opened from disk, where `/` is the file system root and
//! folders do not serve `index.html`, so it links relatively and names the file
//! (`../../topics/index.html`). Every link in every page goes through a [`Linker`].

/// Which form internal links take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkMode {
    /// Root-relative under this path, which starts and ends with `/`.
    Absolute { base_path: String },
    /// Relative to the page, with `index.html` spelled out.
    Relative,
}

/// Makes links from one page.
#[derive(Debug, Clone)]
pub struct Linker {
    root: String,
    name_index: bool,
}

impl Linker {
    /// A linker for the page at `page_path` (output path of the page: `en/briefs/x/`
    /// for a folder page, `404.html` for a file).
    pub fn new(mode: &LinkMode, page_path: &str) -> Linker {
        match mode {
            LinkMode::Absolute { base_path } => Linker {
                root: base_path.clone(),
                name_index: false,
            },
            LinkMode::Relative => Linker {
                root: "../".repeat(page_path.matches('/').count()),
                name_index: true,
            },
        }
    }

    /// The link to `target`, an output path such as `en/topics/` or `static/style.css`.
    pub fn to(&self, target: &str) -> String {
        let mut href = String::with_capacity(self.root.len() + target.len() + 10);
        href.push_str(&self.root);
        href.push_str(target);
        if self.name_index && (target.is_empty() || target.ends_with('/')) {
            href.push_str("index.html");
        }
        if href.is_empty() {
            href.push_str("./");
        }
        href
    }
}

// ---- URL arithmetic --------------------------------------------------------------
//
// Shared by the two readers of links: `body_links` (re-pointing what drafters wrote)
// and `check` (following what the pages say). They must agree on what a link means,
// or a link the check passes could be rewritten into one that breaks.

/// True for `https:`, `mailto:`, `tel:` and other URLs with a scheme.
pub fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves a relative `path` against the site folder `folder` (`en/briefs/x/`);
/// `None` if it climbs above the site root. A result that names a folder ends in `/`.
pub fn resolve_in_folder(folder: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut is_folder = true;
    for segment in path.split('/') {
        match segment {
            "" | "." => is_folder = true,
            ".." => {
                segments.pop()?;
                is_folder = true;
            }
            s => {
                segments.push(s);
                is_folder = false;
            }
        }
    }
    let mut resolved = segments.join("/");
    if is_folder && !resolved.is_empty() {
        resolved.push('/');
    }
    Some(resolved)
}

/// `%20` → ` `; text that does not decode to UTF-8 is kept as written.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The URLs written in the `href`, `src`, `cite` and `poster` attributes of raw
/// HTML in a brief (`<a href="../other/">`), each with the byte offset of its tag
/// in `html`, so `check` can blame the line that wrote a broken one. A light
/// scan, not a parser: comments and text are skipped, entities in values decoded.
pub fn raw_html_links(html: &str) -> Vec<(String, usize)> {
    let bytes = html.as_bytes();
    let space = |b: u8| b.is_ascii_whitespace();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let tag = i + found;
        if html[tag..].starts_with("<!--") {
            i = html[tag..].find("-->").map_or(bytes.len(), |end| tag + end + 3);
            continue;
        }
        let mut j = tag + 1;
        if !bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
            i = j;
            continue;
        }
        while j < bytes.len() && !space(bytes[j]) && !matches!(bytes[j], b'>' | b'/') {
            j += 1;
        }
        loop {
            while j < bytes.len() && (space(bytes[j]) || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let name_start = j;
            while j < bytes.len() && !space(bytes[j]) && !matches!(bytes[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            while j < bytes.len() && space(bytes[j]) {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && space(bytes[j]) {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = html[j + 1..].find(quote as char).map_or(bytes.len(), |e| j + 1 + e);
                    let value = &html[j + 1..end];
                    j = (end + 1).min(bytes.len());
                    value
                }
                _ => {
                    let start = j;
                    while j < bytes.len() && !space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                    &html[start..j]
                }
            };
            if ["href", "src", "cite", "poster"].contains(&name.as_str()) {
                out.push((decode_entities(value), tag));
            }
        }
        i = j.max(tag + 1);
    }
    out
}

/// The few character references an attribute value of hand-written HTML has.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_links_of_raw_html_with_their_tags() {
        let html = "<p>See <a class=x href=\"../missing/\">it</a> <!-- <a href=no> --> <img src='/f.png?a=1&amp;b=2'>";
        let links = raw_html_links(html);
        assert_eq!(
            links,
            vec![
                ("../missing/".to_string(), html.find("<a").unwrap()),
                ("/f.png?a=1&b=2".to_string(), html.find("<img").unwrap())
            ]
        );
        assert!(raw_html_links("a < b and <br/>").is_empty());
    }

    #[test]
    fn absolute_links_keep_the_base_path() {
        let mode = LinkMode::Absolute {
            base_path: "/briefs/".into(),
        };
        let linker = Linker::new(&mode, "en/briefs/x/");
        assert_eq!(linker.to("en/topics/"), "/briefs/en/topics/");
        assert_eq!(linker.to(""), "/briefs/");
    }

    #[test]
    fn relative_links_climb_to_the_root_and_name_the_file() {
        let linker = Linker::new(&LinkMode::Relative, "en/briefs/x/");
        assert_eq!(linker.to("en/topics/"), "../../../en/topics/index.html");
        assert_eq!(linker.to("static/style.css"), "../../../static/style.css");
        let root = Linker::new(&LinkMode::Relative, "");
        assert_eq!(root.to(""), "index.html");
        assert_eq!(root.to("en/"), "en/index.html");
    }
}
