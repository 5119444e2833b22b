//! Text → index tokens, for English and Chinese alike.
//!
//! The same rules run twice: here at build time over every paragraph, and in the
//! reader's browser (`themes/default/static/search.js`) over the query. They must
//! agree exactly, so they are kept small enough to state in a few lines:
//!
//! 1. **Fold.** Full-width ASCII (`ＡＩ`, `５Ｇ`) becomes ASCII; everything is lowercased
//!    character by character.
//! 2. **Split.** A *word* is a run of letters and digits other than CJK characters;
//!    an apostrophe between two of them is dropped (`Government's` → `governments`).
//!    A *CJK run* is a run of Han, kana or Hangul characters. Everything else
//!    (spaces, punctuation, CJK punctuation) separates.
//! 3. **Words** of one character and [stop words](STOP_WORDS) are not indexed; the
//!    others are [stemmed](stem) (`lampposts` → `lamppost`, `charging` → `charg`).
//! 4. **CJK runs** give their character bigrams (`智慧出行` → `智慧 慧出 出行`) and,
//!    for the run's last character, a unigram (`行`). A query of two or more
//!    characters looks up its bigrams, so `出行` finds `智慧出行`; a query of one
//!    character `c` takes every token that *starts* with `c`: each occurrence of `c`
//!    is either followed by another character of its run (bigram `c?`) or ends the
//!    run (unigram `c`). That answers single-character queries without indexing a
//!    unigram for every character, which would double the Chinese index.
//!
//! Mixed text needs no special case: `AI 技術` and `AI技術` both give the word `ai`
//! and the bigram `技術` (and the unigram `術`).

use crate::markdown::is_cjk;

/// How many characters of a word token choose its index shard. A word typed so far
/// (`lampp`) can be completed from the shard of its first four characters; shorter
/// words are looked up whole.
pub const WORD_KEY_CHARS: usize = 4;

/// English words too common to find anything by: not indexed, ignored in queries.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on",
    "or", "that", "the", "this", "to", "was", "were", "which", "will", "with",
];

/// What the tokenizer found in a text, before stemming or bigrams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A folded word: `governments`, `5g`.
    Word(String),
    /// A run of CJK characters: `智慧出行`.
    Cjk(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Apostrophe,
    Separator,
}

/// Full-width ASCII to ASCII, then lowercase.
fn fold(c: char, out: &mut Vec<char>) {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    out.extend(c.to_lowercase());
}

fn class(c: char) -> Class {
    if c.is_alphanumeric() {
        if is_cjk(c) { Class::Cjk } else { Class::Word }
    } else if c == '\'' || c == '\u{2019}' {
        Class::Apostrophe
    } else {
        Class::Separator
    }
}

/// Splits `text` into folded words and CJK runs, in order.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    each_piece(text, |class, piece| match class {
        PieceClass::Word => out.push(Piece::Word(piece.to_string())),
        PieceClass::Cjk => out.push(Piece::Cjk(piece.to_string())),
    });
    out
}

/// Which kind of piece [`each_piece`] hands over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceClass {
    Word,
    Cjk,
}

/// [`pieces`] without an allocation per piece: each is lent to `emit` from one
/// buffer. The index tokenizes every paragraph of an archive (at 10,000 briefs,
/// 200 MB of text), so this is the search index's hot loop.
pub fn each_piece(text: &str, mut emit: impl FnMut(PieceClass, &str)) {
    let mut current = String::new();
    let mut current_class = Class::Separator;
    // An apostrophe after a word, kept until the next character tells whether it
    // joins two parts of one word (`Government's`) or separates.
    let mut apostrophe = false;
    let mut flush = |current: &mut String, class: Class| {
        if !current.is_empty() {
            match class {
                Class::Word => emit(PieceClass::Word, current),
                Class::Cjk => emit(PieceClass::Cjk, current),
                Class::Apostrophe | Class::Separator => {}
            }
            current.clear();
        }
    };
    let mut folded = Vec::with_capacity(3);
    for c in text.chars() {
        folded.clear();
        fold(c, &mut folded);
        for &c in &folded {
            let mut kind = class(c);
            if apostrophe {
                apostrophe = false;
                if kind == Class::Word {
                    current.push(c);
                    continue;
                }
                flush(&mut current, current_class);
                current_class = Class::Separator;
            }
            if kind == Class::Apostrophe {
                if current_class == Class::Word {
                    apostrophe = true;
                    continue;
                }
                kind = Class::Separator;
            }
            if kind != current_class {
                flush(&mut current, current_class);
                current_class = kind;
            }
            if kind != Class::Separator {
                current.push(c);
            }
        }
    }
    flush(&mut current, current_class);
}

/// True if the folded word is indexed: two characters or more, not a stop word.
pub fn is_indexed_word(word: &str) -> bool {
    word.chars().nth(1).is_some() && !STOP_WORDS.contains(&word)
}

/// The tokens a paragraph is indexed under, in text order, repeats included.
pub fn index_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    each_index_token(text, |token| tokens.push(token.to_string()));
    tokens
}

/// [`index_tokens`], each token lent to `emit` rather than allocated.
pub fn each_index_token(text: &str, mut emit: impl FnMut(&str)) {
    let mut stemmed = String::new();
    let mut pair = String::new();
    each_piece(text, |class, piece| match class {
        PieceClass::Word => {
            if is_indexed_word(piece) {
                stemmed.clear();
                stemmed.push_str(piece);
                stem_in_place(&mut stemmed);
                emit(&stemmed);
            }
        }
        PieceClass::Cjk => {
            let mut chars = piece.chars().peekable();
            while let Some(c) = chars.next() {
                pair.clear();
                pair.push(c);
                if let Some(&next) = chars.peek() {
                    pair.push(next);
                }
                emit(&pair);
            }
        }
    });
}

/// The part of a token that chooses its shard: the first character of a CJK
/// token, the first [`WORD_KEY_CHARS`] characters of a word.
pub fn shard_key(token: &str) -> &str {
    let take = if token.chars().next().is_some_and(is_cjk) {
        1
    } else {
        WORD_KEY_CHARS
    };
    match token.char_indices().nth(take) {
        Some((end, _)) => &token[..end],
        None => token,
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A light English stemmer: plurals, `-ed`, `-ing` and a final `-e`, so that
/// `charge`, `charges`, `charged` and `charging` meet at `charg`. Deliberately far
/// simpler than Porter's: it runs again in the browser on every keystroke, and
/// two copies of a rule set must stay identical. Only words of plain ASCII
/// letters longer than three are touched; a stem keeps at least three letters.
pub fn stem(word: &str) -> String {
    let mut s = word.to_string();
    stem_in_place(&mut s);
    s
}

/// [`stem`], shortening `s` where it stands.
pub fn stem_in_place(s: &mut String) {
    if s.len() <= 3 || !s.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    // Plurals.
    if s.ends_with("sses") {
        s.truncate(s.len() - 2);
    } else if s.ends_with("ies") && s.len() > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("ss") || s.ends_with("us") || s.ends_with("is") {
        // class, status, basis: not plurals.
    } else if s.ends_with('s') {
        s.pop();
    }
    // Past tense and participles.
    if s.ends_with("ied") && s.len() > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if let Some(suffix) = ["ing", "ed"].into_iter().find(|suffix| s.ends_with(suffix)) {
        let base = &s[..s.len() - suffix.len()];
        if base.len() >= 3 && base.bytes().any(is_vowel) {
            let bytes = base.as_bytes();
            let last = bytes[bytes.len() - 1];
            let doubled = last == bytes[bytes.len() - 2] && !is_vowel(last) && !matches!(last, b'l' | b's' | b'z');
            let keep = if doubled { base.len() - 1 } else { base.len() };
            s.truncate(keep);
        }
    }
    // A final silent e: `charge` meets `charging`.
    if s.ends_with('e') && s.len() > 3 {
        s.pop();
    }
}

/// Suffixes [`stem`] may remove: a word typed so far that is a stem plus the start
/// of one of these (`chargin`) can still become a word with that stem.
pub const STRIPPED_SUFFIXES: &[&str] = &["ing", "ed", "es", "e", "s"];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        index_tokens(text)
    }

    #[test]
    fn english_is_folded_and_stemmed() {
        assert_eq!(words("Smart LAMPPOSTS"), ["smart", "lamppost"]);
        assert_eq!(words("lamppost"), ["lamppost"]);
        for form in ["charge", "charges", "charged", "charging"] {
            assert_eq!(stem(form), "charg", "{form}");
        }
        assert_eq!(stem("policies"), "policy");
        assert_eq!(stem("policy"), "policy");
        assert_eq!(stem("planned"), "plan");
        assert_eq!(stem("planning"), "plan");
        assert_eq!(stem("plans"), "plan");
        assert_eq!(stem("falling"), "fall");
        assert_eq!(stem("meetings"), "meet");
        assert_eq!(stem("studied"), "study");
        // Not plurals, and too short to touch.
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("analysis"), "analysis");
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("buses"), "bus");
        assert_eq!(stem("thing"), "thing");
    }

    #[test]
    fn stop_words_single_letters_and_punctuation_are_dropped() {
        assert_eq!(
            words("The Government's plans, e.g. for the 5G network."),
            ["government", "plan", "5g", "network"]
        );
        assert_eq!(words("Members’ views"), ["member", "view"]);
        assert_eq!(words("'quoted'"), ["quot"]);
    }

    #[test]
    fn an_apostrophe_joins_only_between_two_word_characters() {
        assert_eq!(words("rock'n'roll"), ["rocknroll"]);
        assert_eq!(words("dog''s day"), ["dog", "day"]);
        assert_eq!(words("Members' 5G"), ["member", "5g"]);
        assert_eq!(words("智慧's"), ["智慧", "慧"]);
        assert_eq!(words("AB'智慧"), ["ab", "智慧", "慧"]);
    }

    #[test]
    fn full_width_latin_is_folded_to_ascii() {
        assert_eq!(words("ＡＩ和５Ｇ"), ["ai", "和", "5g"]);
    }

    #[test]
    fn chinese_gives_bigrams_and_the_last_character() {
        assert_eq!(words("智慧出行"), ["智慧", "慧出", "出行", "行"]);
        assert_eq!(words("路"), ["路"]);
        // Punctuation ends a run.
        assert_eq!(words("智慧燈柱，試驗"), ["智慧", "慧燈", "燈柱", "柱", "試驗", "驗"]);
    }

    #[test]
    fn a_bigram_query_finds_a_longer_run() {
        let indexed = words("推動智慧出行的發展");
        assert!(indexed.contains(&"出行".to_string()));
        assert!(indexed.contains(&"智慧".to_string()));
    }

    #[test]
    fn mixed_text_splits_at_the_script_boundary() {
        assert_eq!(words("AI 技術"), ["ai", "技術", "術"]);
        assert_eq!(words("AI技術"), ["ai", "技術", "術"]);
        assert_eq!(words("5G網絡覆蓋"), ["5g", "網絡", "絡覆", "覆蓋", "蓋"]);
        assert_eq!(
            pieces("使用AI技術 in Hong Kong"),
            [
                Piece::Cjk("使用".into()),
                Piece::Word("ai".into()),
                Piece::Cjk("技術".into()),
                Piece::Word("in".into()),
                Piece::Word("hong".into()),
                Piece::Word("kong".into()),
            ]
        );
    }

    #[test]
    fn shard_keys_are_prefixes() {
        assert_eq!(shard_key("lamppost"), "lamp");
        assert_eq!(shard_key("ai"), "ai");
        assert_eq!(shard_key("智慧"), "智");
        assert_eq!(shard_key("行"), "行");
        assert_eq!(shard_key("éducation"), "éduc");
    }
}
