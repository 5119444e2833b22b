//! A PDF paper read directly: its glyphs, with their positions, laid out again as text of the
//! kind `pdftotext -layout` prints, which the plain-text importer ([`super::plain`] and
//! [`super::table`]) already reads.
//!
//! Why positions and not the PDF's own text order: a PDF draws its text in whatever order
//! its producer liked (Chromium draws the headings of a page before its paragraphs, and a
//! table's cells one after the other), so the order of the content stream is not the reading
//! order. Rebuilding lines from the glyphs' positions (top to bottom, then left to right), with
//! wide gaps kept as runs of spaces, gives back the reading order and the table columns.
//!
//! The glyphs come from the `pdf-extract` crate (on top of `lopdf`), which decodes the text
//! through the fonts' ToUnicode maps, so Chinese papers set in CID fonts read correctly.
//! Every output line remembers its page, so a warning can say "page 3".
//!
//! Bold runs are marked `**…**` in the text (see [`row_text`]): a glyph is bold when the font
//! it is drawn with is a bold face. `pdf-extract` does not say which font a glyph is drawn
//! with, so [`shown_bold`] reads the page's content stream itself (with `lopdf`, which
//! `pdf-extract` is built on) and follows its `Tf` operators, in step with `pdf-extract`:
//! both walk the same operators, and every string shown is one `begin_word` call of
//! [`OutputDev`]. The plain importer keeps the marks inside paragraphs only; headings and
//! the header block are bold by layout, not for emphasis.

use std::collections::HashMap;

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};

/// One glyph as drawn: its page (from 1), the left end and baseline of its box in points
/// from the page's top left corner, its advance width and font size in points, its text,
/// and whether its font is a bold face.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
    pub bold: bool,
}

/// A paper laid out as text: pages end with a form feed, as `pdftotext` prints them.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub text: String,
    /// The page (from 1) of each line of `text`, by line number from 1 (index 0 is line 1).
    pub line_pages: Vec<usize>,
    pub pages: usize,
}

impl Laid {
    /// The page of 1-based line `line` of the text; `None` for 0 (the whole paper).
    pub fn page_of(&self, line: usize) -> Option<usize> {
        line.checked_sub(1).and_then(|i| self.line_pages.get(i)).copied()
    }
}

/// Why a PDF gave no text to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfError {
    /// The page the problem is on, when it is on one.
    pub page: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.page {
            Some(page) => write!(f, "page {page}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Whether bytes are a PDF file (its header, which may follow some junk bytes).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.get(..1024).unwrap_or(bytes).windows(5).any(|w| w == b"%PDF-")
}

/// Reads the text of a PDF paper, laid out by position. See the module docs.
pub fn extract(bytes: &[u8]) -> Result<Laid, PdfError> {
    let glyphs = glyphs(bytes)?;
    let laid = lay_out(&glyphs);
    if laid.text.trim().is_empty() {
        return Err(PdfError {
            page: None,
            message: "the PDF has no text (a scanned paper? it needs OCR first)".to_string(),
        });
    }
    Ok(laid)
}

/// The glyphs of every page, from `pdf-extract`. It is a young parser that can panic on
/// malformed files, so it runs under `catch_unwind`: a bad file is an error, never a crash.
pub fn glyphs(bytes: &[u8]) -> Result<Vec<Glyph>, PdfError> {
    let whole = |message: String| PdfError { page: None, message };
    if !is_pdf(bytes) {
        return Err(whole("not a PDF file (no %PDF- header)".to_string()));
    }
    let bomb = super::limits::check_streams(bytes).err();
    if let Some(bomb) = &bomb
        && bomb.object_stream
    {
        // Object streams are inflated as the file is opened: they belong to no page.
        return Err(whole(bomb.message()));
    }
    let mut doc = quietly(|| pdf_extract::Document::load_mem(bytes))
        .ok_or_else(|| whole("cannot read the PDF: its structure is damaged".to_string()))?
        .map_err(|e| whole(format!("cannot read the PDF: {e}")))?;
    if let Some(bomb) = bomb {
        return Err(PdfError {
            page: bomb.object.and_then(|n| page_using(&doc, n)),
            message: bomb.message(),
        });
    }
    if doc.is_encrypted() {
        return Err(whole(
            "the PDF is encrypted; save an unprotected copy (or print it to PDF) and import that".to_string(),
        ));
    }
    spell_out_cid_widths(&mut doc);
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err(whole("the PDF has no pages".to_string()));
    }
    if pages.len() > super::limits::MAX_PAGES {
        return Err(whole(format!(
            "the PDF has {} pages, more than the {} a brief may have; not read",
            pages.len(),
            super::limits::MAX_PAGES
        )));
    }
    let mut sink = Sink::default();
    for (page, id) in pages {
        sink.shown = quietly(|| shown_bold(&doc, id)).flatten().unwrap_or_default();
        sink.shows = 0;
        let first = sink.glyphs.len();
        let done = quietly(|| pdf_extract::output_doc_page(&doc, &mut sink, page));
        if sink.shows != sink.shown.len() {
            // Out of step with pdf-extract (a content stream this reading does not follow):
            // no glyph of the page is taken for bold rather than the wrong ones.
            for g in &mut sink.glyphs[first..] {
                g.bold = false;
            }
        }
        let at = |message: String| PdfError {
            page: Some(page as usize),
            message,
        };
        match done {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(at(format!("cannot read the text: {e:?}"))),
            None => return Err(at("cannot read the text: the page's content is damaged".to_string())),
        }
    }
    Ok(sink.glyphs)
}

/// The first page whose content or resources lead to object `number` (through references,
/// at most a few levels deep), for naming the page of a stream that cannot be read.
fn page_using(doc: &Document, number: u32) -> Option<usize> {
    fn reaches(doc: &Document, o: &Object, number: u32, depth: usize, seen: &mut Vec<ObjectId>) -> bool {
        if depth > 12 {
            return false;
        }
        match o {
            Object::Reference(id) => {
                if id.0 == number {
                    return true;
                }
                if seen.contains(id) || seen.len() > 4096 {
                    return false;
                }
                seen.push(*id);
                doc.get_object(*id)
                    .is_ok_and(|o| reaches(doc, o, number, depth + 1, seen))
            }
            Object::Array(items) => items.iter().any(|o| reaches(doc, o, number, depth + 1, seen)),
            Object::Dictionary(d) => d
                .iter()
                .filter(|(k, _)| k.as_slice() != b"Parent")
                .any(|(_, o)| reaches(doc, o, number, depth + 1, seen)),
            Object::Stream(s) => s.dict.iter().any(|(_, o)| reaches(doc, o, number, depth + 1, seen)),
            _ => false,
        }
    }
    doc.get_pages().into_iter().find_map(|(page, id)| {
        let dict = doc.get_dictionary(id).ok()?;
        let mut seen = vec![id];
        let own = dict
            .iter()
            .filter(|(k, _)| k.as_slice() != b"Parent")
            .any(|(_, o)| reaches(doc, o, number, 0, &mut seen));
        let resources = inherited(doc, dict, b"Resources").is_some_and(|o| reaches(doc, o, number, 0, &mut seen));
        (own || resources).then_some(page as usize)
    })
}

/// Rewrites the `c_first c_last w` entries of every CID font's `/W` widths array as
/// `c_first [w w …]`, which mean the same.
///
/// Why: `pdf-extract` 0.12 reads only the second form; for the first it falls back to the
/// default width, so glyphs such as "i" and "l" advance too far and the words after them in
/// the same text run drift right, past the next run ("Administrationp ublished").
fn spell_out_cid_widths(doc: &mut pdf_extract::Document) {
    use pdf_extract::Object;
    let is_cid_font = |d: &pdf_extract::Dictionary| matches!(d.get(b"Subtype"), Ok(Object::Name(n)) if n == b"CIDFontType2" || n == b"CIDFontType0");
    let mut arrays = Vec::new();
    for (id, object) in &doc.objects {
        if let Object::Dictionary(d) = object
            && is_cid_font(d)
        {
            match d.get(b"W") {
                Ok(Object::Reference(w)) => arrays.push((*w, None)),
                Ok(Object::Array(_)) => arrays.push((*id, Some(()))),
                _ => {}
            }
        }
    }
    for (id, in_font) in arrays {
        let Some(object) = doc.objects.get_mut(&id) else {
            continue;
        };
        let w = match (in_font, object) {
            (Some(()), Object::Dictionary(d)) => d.get_mut(b"W").ok(),
            (None, w) => Some(w),
            _ => None,
        };
        if let Some(Object::Array(items)) = w {
            *items = spelled_out(items);
        }
    }
}

/// The `/W` array with its ranges spelled out (see [`spell_out_cid_widths`]); a malformed
/// entry ends the array there, as a reader would stop.
fn spelled_out(items: &[pdf_extract::Object]) -> Vec<pdf_extract::Object> {
    use pdf_extract::Object;
    let num = |o: &Object| match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    };
    let mut out = Vec::with_capacity(items.len());
    let mut i = 0;
    while i + 1 < items.len() {
        match (&items[i], &items[i + 1], items.get(i + 2)) {
            (first, Object::Array(widths), _) => {
                out.push(first.clone());
                out.push(Object::Array(widths.clone()));
                i += 2;
            }
            (Object::Integer(first), Object::Integer(last), Some(w)) if last >= first && last - first < 65536 => {
                let Some(w) = num(w) else { break };
                out.push(Object::Integer(*first));
                out.push(Object::Array(
                    (*first..=*last).map(|_| Object::Real(w as f32)).collect(),
                ));
                i += 3;
            }
            _ => break,
        }
    }
    out
}

/// Whether each string a page shows (each operand of `Tj`, each string in a `TJ` array, in
/// the order `pdf-extract` shows them) is drawn in a bold font. `None` when the page's content
/// cannot be followed.
///
/// This walks the operators as `pdf-extract` 0.12 does (`Processor::process_stream`): the
/// page's content streams as one, `Tf` setting the font (and `Tr` the rendering mode),
/// `q`/`Q` saving and restoring them, and `Do` reading a form XObject's content with a fresh
/// state and its own resources.
fn shown_bold(doc: &Document, page: ObjectId) -> Option<Vec<bool>> {
    let page_dict = doc.get_dictionary(page).ok()?;
    let resources = inherited(doc, page_dict, b"Resources").and_then(|o| o.as_dict().ok());
    let content = doc.get_page_content(page).ok()?;
    let mut shown = Vec::new();
    shows_of(doc, &content, resources, 0, &mut shown)?;
    Some(shown)
}

/// Appends to `shown` the boldness of every string a content stream shows. See
/// [`shown_bold`].
fn shows_of(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    depth: usize,
    shown: &mut Vec<bool>,
) -> Option<()> {
    // pdf-extract itself has no limit; a form that draws itself must not hang this reading.
    if depth > 16 {
        return None;
    }
    let content = Content::decode(content).ok()?;
    let mut fonts: HashMap<&[u8], bool> = HashMap::new();
    // (the font is a bold face, the text is filled and stroked): a synthesized bold, as
    // word processors print a face that has no bold, strokes the outlines (`2 Tr`).
    let mut state = (false, false);
    let mut saved = Vec::new();
    for op in &content.operations {
        let bold = state.0 || state.1;
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands.first()?.as_name().ok()?;
                state.0 = *fonts
                    .entry(name)
                    .or_insert_with(|| font_named(doc, resources, name).is_some_and(|f| is_bold_font(doc, f)));
            }
            "Tr" => state.1 = matches!(op.operands.first(), Some(Object::Integer(2))),
            "q" => saved.push(state),
            "Q" => state = saved.pop().unwrap_or(state),
            "Tj" => {
                if let Some(Object::String(..)) = op.operands.first() {
                    shown.push(bold);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = op.operands.first() {
                    let strings = items.iter().filter(|o| matches!(o, Object::String(..))).count();
                    shown.extend(std::iter::repeat_n(bold, strings));
                }
            }
            "Do" => {
                let name = op.operands.first()?.as_name().ok()?;
                let xobjects = resource(doc, resources, b"XObject")?;
                let Object::Stream(form) = deref(doc, xobjects.get(name).ok()?)? else {
                    return None;
                };
                let own = form
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| deref(doc, o))
                    .and_then(|o| o.as_dict().ok());
                let data = if form.filters().is_ok() {
                    form.decompressed_content().unwrap_or_else(|_| form.content.clone())
                } else {
                    form.content.clone()
                };
                shows_of(doc, &data, own.or(resources), depth + 1, shown)?;
            }
            _ => {}
        }
    }
    Some(())
}

/// An object, or the object a reference points to.
fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// A page's entry, or its nearest ancestor's in the page tree (as `Resources` is inherited).
fn inherited<'a>(doc: &'a Document, mut dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    for _ in 0..32 {
        if let Ok(o) = dict.get(key) {
            return deref(doc, o);
        }
        dict = deref(doc, dict.get(b"Parent").ok()?)?.as_dict().ok()?;
    }
    None
}

/// A resource dictionary of a kind (`Font`, `XObject`).
fn resource<'a>(doc: &'a Document, resources: Option<&'a Dictionary>, kind: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, resources?.get(kind).ok()?)?.as_dict().ok()
}

/// The font dictionary a `Tf` operator names.
fn font_named<'a>(doc: &'a Document, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, resource(doc, resources, b"Font")?.get(name).ok()?)?
        .as_dict()
        .ok()
}

/// Whether a font is a bold face: its name says so ("LiberationSerif-Bold", "Arial,Bold",
/// "cwTeXHeiBold", "…-Black", "…-Heavy"; a subset's "ABCDEF+" prefix aside), or its
/// descriptor gives a weight of 600 or more or the ForceBold flag. For a composite (Type 0)
/// font, its descendant font's descriptor.
fn is_bold_font(doc: &Document, font: &Dictionary) -> bool {
    let name = |d: &Dictionary| {
        d.get(b"BaseFont")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).to_lowercase())
    };
    if let Some(name) = name(font) {
        let name = name.split_once('+').map_or(name.as_str(), |(_, n)| n);
        if ["bold", "black", "heavy"].iter().any(|w| name.contains(w)) {
            return true;
        }
    }
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let descriptor = descendant
        .unwrap_or(font)
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let Some(descriptor) = descriptor else {
        return false;
    };
    let number = |key: &[u8]| match descriptor.get(key).ok().and_then(|o| deref(doc, o)) {
        Some(Object::Integer(i)) => Some(*i as f64),
        Some(Object::Real(r)) => Some(f64::from(*r)),
        _ => None,
    };
    const FORCE_BOLD: i64 = 1 << 18;
    number(b"FontWeight").is_some_and(|w| w >= 600.0) || number(b"Flags").is_some_and(|f| (f as i64) & FORCE_BOLD != 0)
}

/// Runs `f`, turning a panic into `None` without printing the panic message (the caller
/// reports a located error instead).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    std::panic::set_hook(hook);
    result
}

/// Collects the glyphs `pdf-extract` reports, in page coordinates from the top, each bold
/// when the string it is part of is (the page's `shown`, counted by `begin_word`).
#[derive(Default)]
struct Sink {
    page: usize,
    top: f64,
    glyphs: Vec<Glyph>,
    /// Whether each string the page shows is bold (from [`shown_bold`]).
    shown: Vec<bool>,
    /// Strings shown so far on the page.
    shows: usize,
}

impl OutputDev for Sink {
    fn begin_page(
        &mut self,
        page: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = page as usize;
        self.top = media_box.ury;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // The text matrix scales the font size; a rotated or skewed glyph keeps the area.
        let (vx, vy) = (size * (trm.m11 + trm.m21), size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let glyph = Glyph {
            page: self.page,
            x: trm.m31,
            y: self.top - trm.m32,
            width: width * size,
            size,
            text: text.to_string(),
            bold: self
                .shows
                .checked_sub(1)
                .and_then(|i| self.shown.get(i))
                .copied()
                .unwrap_or(false),
        };
        if glyph.x.is_finite() && glyph.y.is_finite() && glyph.width.is_finite() && size.is_finite() && size > 0.0 {
            self.glyphs.push(glyph);
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        // pdf-extract begins a word for every string it shows (`show_text`).
        self.shows += 1;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Points per column of the laid-out text. Smaller than any glyph is wide, so a cell's text
/// never reaches past the column where the next cell starts, and columns stay aligned.
const PITCH: f64 = 3.0;
/// A gap wider than this many font sizes separates cells (table columns, a hanging paragraph
/// number from its text); justified text never spaces words this far apart.
const CELL_GAP: f64 = 1.1;
/// A gap wider than this many font sizes is a space between words even without a space
/// glyph; spaced-out Chinese text (0.1) stays together.
const WORD_GAP: f64 = 0.2;
/// Baselines further apart than this many font sizes have a blank line between them
/// (paragraphs, table rows); lines of one paragraph are 1.5 apart.
const BLANK_GAP: f64 = 2.0;

/// A line being gathered: its glyphs and its tallest glyph's baseline and size.
#[derive(Debug)]
struct Row<'a> {
    base: f64,
    size: f64,
    glyphs: Vec<&'a Glyph>,
}

/// The vertical extent of a glyph of `size` on `base`: ascent 0.8, descent 0.2.
fn extent(base: f64, size: f64) -> (f64, f64) {
    (base - 0.8 * size, base + 0.2 * size)
}

/// Whether two vertical extents overlap by at least half the smaller one: glyphs of one
/// printed line (the masthead's larger 立法會 beside the paper number, a raised footnote
/// marker beside its word).
fn same_line((a0, a1): (f64, f64), (b0, b1): (f64, f64)) -> bool {
    let overlap = a1.min(b1) - a0.max(b0);
    overlap >= 0.5 * (a1 - a0).min(b1 - b0)
}

/// Lays glyphs out as text, page by page. See the module docs.
pub fn lay_out(glyphs: &[Glyph]) -> Laid {
    let pages = glyphs.iter().map(|g| g.page).max().unwrap_or(0);
    let mut laid = Laid {
        pages,
        ..Laid::default()
    };
    for page in 1..=pages {
        let mut on_page: Vec<&Glyph> = glyphs.iter().filter(|g| g.page == page).collect();
        on_page.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        let rows = split_markers(rows_of(&on_page));
        let mut last: Option<(f64, f64)> = None;
        for row in &rows {
            if let Some((base, size)) = last
                && row.base - base > BLANK_GAP * size.max(row.size)
            {
                laid.push_line("", page);
            }
            let text = row_text(&row.glyphs);
            if !text.trim().is_empty() {
                laid.push_line(&text, page);
                last = Some((row.base, row.size));
            }
        }
        laid.text.push('\u{c}');
    }
    laid
}

impl Laid {
    fn push_line(&mut self, text: &str, page: usize) {
        self.text.push_str(text);
        self.text.push('\n');
        self.line_pages.push(page);
    }
}

/// Groups a page's glyphs (sorted by baseline) into printed lines.
fn rows_of<'a>(glyphs: &[&'a Glyph]) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = Vec::new();
    for &g in glyphs {
        let ext = extent(g.y, g.size);
        // Only the last few lines can still be reached, as glyphs come down the page.
        let start = rows.len().saturating_sub(3);
        let found = rows
            .iter_mut()
            .skip(start)
            .find(|r| same_line(extent(r.base, r.size), ext));
        match found {
            Some(row) => {
                if g.size > row.size && !g.text.trim().is_empty() {
                    row.base = g.y;
                    row.size = g.size;
                }
                row.glyphs.push(g);
            }
            None => rows.push(Row {
                base: g.y,
                size: g.size,
                glyphs: vec![g],
            }),
        }
    }
    for row in &mut rows {
        row.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    rows.sort_by(|a, b| a.base.total_cmp(&b.base));
    rows
}

/// A footnote's number printed raised at the start of the note ("¹ The Blueprint …") is a
/// line of its own, as `pdftotext` prints it and the plain importer expects; a raised marker
/// glued to the word before it stays in its line.
fn split_markers(rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
    let mut out = Vec::with_capacity(rows.len());
    for mut row in rows {
        let raised = |g: &Glyph| g.size < 0.8 * row.size && row.base - g.y > 0.15 * row.size;
        let lead = row
            .glyphs
            .iter()
            .take_while(|g| g.text.trim().is_empty() || raised(g))
            .count();
        let marker: Vec<&Glyph> = row.glyphs[..lead]
            .iter()
            .copied()
            .filter(|g| !g.text.trim().is_empty())
            .collect();
        if !marker.is_empty() && lead < row.glyphs.len() {
            let (base, size) = (marker[0].y, marker[0].size);
            row.glyphs.drain(..lead);
            out.push(Row {
                base,
                size,
                glyphs: marker,
            });
        }
        out.push(row);
    }
    out
}

/// The text of one line: glyphs left to right, a space where a space glyph or a word gap
/// is, and each cell after a wide gap placed at the column of its position. A run of bold
/// glyphs is marked `**…**`, closed at the end of its cell; the marks take no column, so
/// the text without them is laid out as if there were none.
fn row_text(glyphs: &[&Glyph]) -> String {
    let mut text = String::new();
    let mut col = 0usize;
    let mut end: Option<(f64, f64)> = None;
    let mut spaced = false;
    let mut bold = false;
    for g in glyphs {
        let t = g.text.trim();
        if t.is_empty() || t.chars().all(char::is_control) {
            spaced = spaced || !g.text.is_empty();
            continue;
        }
        let target = (g.x / PITCH).round().max(0.0) as usize;
        match end {
            None => {
                pad(&mut text, &mut col, target, 0);
            }
            Some((x_end, size)) => {
                let gap = g.x - x_end;
                if gap > CELL_GAP * size {
                    close_bold(&mut text, &mut bold);
                    pad(&mut text, &mut col, target, 2);
                } else if spaced || gap > WORD_GAP * size {
                    if !g.bold {
                        close_bold(&mut text, &mut bold);
                    }
                    text.push(' ');
                    col += 1;
                }
            }
        }
        if g.bold != bold {
            text.push_str("**");
            bold = g.bold;
        }
        text.push_str(t);
        col += t.chars().count();
        end = Some((g.x + g.width, g.size));
        spaced = false;
    }
    close_bold(&mut text, &mut bold);
    text.trim_end().to_string()
}

fn close_bold(text: &mut String, bold: &mut bool) {
    if *bold {
        text.push_str("**");
        *bold = false;
    }
}

/// Spaces up to column `target`, and at least `min` of them.
fn pad(text: &mut String, col: &mut usize, target: usize, min: usize) {
    let n = target.saturating_sub(*col).max(min);
    text.extend(std::iter::repeat_n(' ', n));
    *col += n;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(page: usize, x: f64, y: f64, size: f64, text: &str) -> Glyph {
        Glyph {
            page,
            x,
            y,
            width: 0.5 * size * text.chars().count() as f64,
            size,
            text: text.to_string(),
            bold: false,
        }
    }

    #[test]
    fn lines_in_reading_order_with_cells_kept_apart() {
        let glyphs = vec![
            g(1, 72.0, 100.0, 12.0, "ab"),
            g(1, 84.0, 100.0, 12.0, " "),
            g(1, 90.0, 100.0, 12.0, "cd"),
            g(1, 72.0, 82.0, 12.0, "top"),
            g(1, 300.0, 100.0, 12.0, "far"),
            g(2, 72.0, 72.0, 12.0, "next"),
        ];
        let laid = lay_out(&glyphs);
        let lines: Vec<&str> = laid.text.lines().map(|l| l.trim_matches(' ')).collect();
        assert_eq!(lines[0], "top");
        assert!(lines[1].starts_with("ab cd  "), "{lines:?}");
        assert!(lines[1].ends_with("far"));
        assert!(lines[2].starts_with('\u{c}'), "a form feed starts page 2");
        assert_eq!(lines[2].trim(), "next");
        assert_eq!(laid.page_of(3), Some(2));
        assert_eq!(laid.page_of(0), None);
    }

    #[test]
    fn a_raised_marker_glued_to_a_word_stays_and_a_note_number_leaves() {
        let glyphs = vec![
            g(1, 72.0, 100.0, 12.0, "word"),
            g(1, 96.0, 95.0, 7.0, "1"),
            g(1, 72.0, 700.0, 7.0, "1"),
            g(1, 80.0, 704.0, 10.0, "Note"),
        ];
        let laid = lay_out(&glyphs);
        let lines: Vec<&str> = laid.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["word1", "1", "Note"]);
    }

    /// A bold run is marked in its line, closed where its cell ends, and the marks take no
    /// column: without them the line is laid out as with no bold at all.
    #[test]
    fn bold_runs_are_marked_and_take_no_column() {
        let bold = |mut g: Glyph| {
            g.bold = true;
            g
        };
        let glyphs = vec![
            g(1, 72.0, 100.0, 12.0, "to"),
            bold(g(1, 90.0, 100.0, 12.0, "set")),
            bold(g(1, 112.0, 100.0, 12.0, "up")),
            g(1, 124.0, 100.0, 12.0, ","),
            bold(g(1, 300.0, 100.0, 12.0, "cell")),
            g(1, 330.0, 100.0, 12.0, "x"),
        ];
        let marked = lay_out(&glyphs).text;
        assert!(marked.contains("to **set up**,  "), "{marked:?}");
        assert!(marked.trim_end().ends_with("**cell** x"), "{marked:?}");
        let unmarked: Vec<Glyph> = glyphs.into_iter().map(|g| Glyph { bold: false, ..g }).collect();
        assert_eq!(marked.replace("**", ""), lay_out(&unmarked).text);
    }

    /// A small PDF of two standard fonts: the strings drawn in Helvetica-Bold are bold,
    /// through `Tf`, a `q`/`Q` that restores the font, and a `TJ` array; and so are those
    /// drawn filled and stroked (`2 Tr`, a synthesized bold).
    #[test]
    fn glyphs_drawn_in_a_bold_font_are_bold() {
        let content = "BT /F1 12 Tf 72 700 Td (Plain ) Tj /F2 12 Tf (bold) Tj ET \
                       q BT /F1 12 Tf 72 680 Td (inside) Tj ET Q \
                       BT 72 660 Td [(still) -250 (bold)] TJ ET \
                       BT /F1 12 Tf 72 640 Td (made) Tj 2 Tr ( bold) Tj 0 Tr ( not) Tj ET";
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>"
                .to_string(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>".to_string(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for offset in offsets {
            pdf.extend(format!("{offset:010} 00000 n \n").bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        let lines: Vec<String> = extract(&pdf)
            .unwrap()
            .text
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            lines,
            ["Plain **bold**", "inside", "**still bold**", "made **bold** not"]
        );
    }

    #[test]
    fn bold_faces_by_name_weight_or_flag() {
        use pdf_extract::{Dictionary, Document, Object};
        let doc = Document::new();
        let font = |name: &str, descriptor: Option<(&str, i64)>| {
            let mut d = Dictionary::new();
            d.set("BaseFont", Object::Name(name.as_bytes().to_vec()));
            if let Some((key, value)) = descriptor {
                let mut fd = Dictionary::new();
                fd.set(key, Object::Integer(value));
                d.set("FontDescriptor", Object::Dictionary(fd));
            }
            is_bold_font(&doc, &d)
        };
        assert!(font("BAAAAA+LiberationSerif-Bold", None));
        assert!(font("AAAAAA+cwTeXHeiBold", None));
        assert!(font("Arial,BoldItalic", None));
        assert!(font("SourceHanSans-Heavy", None));
        assert!(!font("CAAAAA+LiberationSerif", None));
        assert!(!font("DAAAAA+LiberationSerif-Italic", None));
        assert!(!font("BOLDAA+Serif", None), "the subset tag is no part of the name");
        assert!(font("F1", Some(("FontWeight", 700))));
        assert!(!font("F1", Some(("FontWeight", 400))));
        assert!(font("F1", Some(("Flags", 1 << 18))));
        assert!(!font("F1", Some(("Flags", 34))));
    }

    /// The fixture cut short or scribbled on at many places: each is text or an error.
    #[test]
    fn damaged_copies_of_a_paper_never_panic() {
        let whole: &[u8] = include_bytes!("../../tests/fixtures/import/pdf/brief.en.pdf");
        for k in 1..12 {
            let at = whole.len() * k / 12;
            let _ = extract(&whole[..at]);
            let mut scribbled = whole.to_vec();
            for (i, b) in scribbled[at..].iter_mut().take(512).enumerate() {
                *b = (i * 37 % 251) as u8;
            }
            let _ = extract(&scribbled);
        }
    }

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        assert!(extract(b"hello").unwrap_err().message.contains("not a PDF"));
        assert!(extract(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage").is_err());
        assert!(extract(b"%PDF-").is_err());
    }
}
