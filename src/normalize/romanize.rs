//! Romanization: any script to lower-case ASCII letters and digits, one word at a time.
//!
//! Arabic script goes through our own consonantal table (`arabic`); every other script
//! through `any_ascii`, a maintained transliteration table (Cyrillic, Greek, Hebrew, CJK,
//! Hangul, Devanagari...). Han ideographs and Hangul syllables each stand for a syllable,
//! so each is followed by a space: 金正恩 reads "jin zheng en", not "jinzhengen".

use super::arabic;

/// Romanizes cleaned text (already case-folded and without diacritics).
pub fn romanize(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut latin = String::with_capacity(text.len() + 8);
    for word in text.split(' ') {
        if !latin.is_empty() {
            latin.push(' ');
        }
        romanize_word(word, &mut latin);
    }
    super::clean::collapse_whitespace(&latin)
}

fn romanize_word(word: &str, out: &mut String) {
    if word.chars().any(arabic::is_arabic) {
        out.push_str(&arabic::romanize_word(&arabic::fold_letters(word)));
        return;
    }
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if is_syllable_block(c) {
            out.push(' ');
            out.extend(any_ascii::any_ascii_char(c).chars().map(|c| c.to_ascii_lowercase()));
            out.push(' ');
        } else {
            push_ascii_letters(any_ascii::any_ascii_char(c), out);
        }
    }
}

/// Appends to `out` the letters and digits of a transliteration, lower-cased; any_ascii
/// spells some signs with punctuation (Hebrew geresh, Cyrillic soft sign as an
/// apostrophe). Written in place, where a string was allocated for every letter of a
/// Cyrillic, Greek or Hebrew word.
fn push_ascii_letters(latin: &str, out: &mut String) {
    out.extend(latin.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()));
}

fn is_syllable_block(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0xAC00..=0xD7A3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_greek_and_hebrew_romanize() {
        assert_eq!(romanize("сирия"), "siriya");
        assert_eq!(romanize("атабиев"), "atabiev");
        assert_eq!(romanize("αθηνα"), "athina");
        assert!(!romanize("סוריה").is_empty());
    }

    #[test]
    fn han_and_hangul_read_as_syllables() {
        assert_eq!(romanize("叙利亚"), "xu li ya");
        assert_eq!(romanize("김정은"), "gim jeong eun");
    }

    #[test]
    fn arabic_uses_the_consonantal_table() {
        assert_eq!(romanize("الدوله الاسلاميه"), "al dula al aslamia");
    }

    #[test]
    fn ascii_passes_through() {
        assert_eq!(romanize("hamas 2014"), "hamas 2014");
    }
}
