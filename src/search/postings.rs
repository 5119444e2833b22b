//! Posting lists as the shards write them, built in that form.
//!
//! A list is a string of document numbers, each the gap from the previous one
//! minus one, written as a little-endian varint of 5-bit digits in a 64-letter
//! alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`; 32 and up means "more digits
//! follow"). Common tokens have small gaps and cost one letter per paragraph.
//!
//! The index is built in this form rather than as numbers: a `u32` per posting,
//! with a growing vector's slack, made the postings of a large archive's Chinese
//! index several times larger than the shards they become.

/// The 64 letters of the varint alphabet.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// An ascending list of document numbers, kept encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingList {
    encoded: String,
    /// One more than the last document, or 0 when empty: where the next gap starts.
    next: u32,
}

impl PostingList {
    /// Adds `doc` unless it is already the last; documents must come in
    /// ascending order (a smaller one is ignored).
    pub fn push(&mut self, doc: u32) {
        if self.next > doc {
            return;
        }
        push_gap(&mut self.encoded, doc - self.next);
        self.next = doc.saturating_add(1);
    }

    /// Whether `doc` is the last document of the list.
    pub fn ends_with(&self, doc: u32) -> bool {
        self.next == doc.saturating_add(1) && !self.encoded.is_empty()
    }

    /// Appends `other`, whose documents all come after this list's: only its
    /// first gap is written anew, the rest is copied as it is.
    pub fn append(&mut self, other: PostingList) {
        let Some((first, rest)) = first_gap(&other.encoded) else {
            return;
        };
        // `other` was built from 0: its first gap is its first document.
        if first < self.next {
            return;
        }
        push_gap(&mut self.encoded, first - self.next);
        self.encoded.push_str(rest);
        self.next = other.next;
    }

    /// The list as the shard writes it.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    pub fn shrink_to_fit(&mut self) {
        self.encoded.shrink_to_fit();
    }
}

fn push_gap(out: &mut String, mut gap: u32) {
    loop {
        let digit = (gap & 31) as usize;
        gap >>= 5;
        if gap == 0 {
            out.push(DIGITS[digit] as char);
            return;
        }
        out.push(DIGITS[digit | 32] as char);
    }
}

/// The first gap of an encoded list and the rest of it.
fn first_gap(text: &str) -> Option<(u32, &str)> {
    let mut gap: u32 = 0;
    let mut shift = 0u32;
    for (i, byte) in text.bytes().enumerate() {
        let digit = DIGITS.iter().position(|&d| d == byte)? as u32;
        gap |= (digit & 31).checked_shl(shift)?;
        if digit & 32 == 0 {
            return Some((gap, &text[i + 1..]));
        }
        shift += 5;
    }
    None
}

/// A sorted list of document numbers as a varint string.
pub fn encode_postings(docs: &[u32]) -> String {
    let mut list = PostingList::default();
    for &doc in docs {
        list.push(doc);
    }
    list.encoded
}

/// The inverse of [`encode_postings`]; `None` for a string it cannot have made.
pub fn decode_postings(text: &str) -> Option<Vec<u32>> {
    let mut docs = Vec::new();
    let mut next: u32 = 0;
    let mut gap: u32 = 0;
    let mut shift = 0u32;
    for byte in text.bytes() {
        let digit = DIGITS.iter().position(|&d| d == byte)? as u32;
        gap |= (digit & 31).checked_shl(shift)?;
        if digit & 32 != 0 {
            shift += 5;
            continue;
        }
        let doc = next.checked_add(gap)?;
        docs.push(doc);
        next = doc.saturating_add(1);
        gap = 0;
        shift = 0;
    }
    (shift == 0).then_some(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_through_the_varint_alphabet() {
        let docs = vec![0, 1, 2, 31, 32, 33, 1_000, 1_001, 250_000, u32::MAX];
        let text = encode_postings(&docs);
        assert!(text.bytes().all(|b| DIGITS.contains(&b)));
        assert_eq!(decode_postings(&text), Some(docs));
        // Consecutive paragraphs cost one letter each.
        assert_eq!(encode_postings(&[5, 6, 7]), "FAA");
        assert_eq!(decode_postings("g"), None, "a digit that promises more and ends");
    }

    #[test]
    fn appended_lists_equal_one_list_built_in_order() {
        let all = [3u32, 4, 40, 41, 1_000, 1_033, 70_000];
        for cut in 0..=all.len() {
            let mut left = PostingList::default();
            all[..cut].iter().for_each(|&d| left.push(d));
            let mut right = PostingList::default();
            all[cut..].iter().for_each(|&d| right.push(d));
            left.append(right);
            assert_eq!(left.as_str(), encode_postings(&all), "cut at {cut}");
            assert_eq!(decode_postings(left.as_str()).unwrap(), all);
        }
    }

    #[test]
    fn a_document_met_twice_is_listed_once() {
        let mut list = PostingList::default();
        for doc in [0, 0, 7, 7, 7, 9] {
            if !list.ends_with(doc) {
                list.push(doc);
            }
        }
        assert_eq!(decode_postings(list.as_str()).unwrap(), vec![0, 7, 9]);
        assert!(!PostingList::default().ends_with(0));
    }
}
