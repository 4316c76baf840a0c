//! Script-preserving cleanup: the steps that make two spellings of the same characters
//! equal without changing which letters they are.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFKC folds compatibility forms: full-width letters, ligatures, Arabic presentation forms.
pub fn nfkc(text: &str) -> String {
    // Sized once for the usual case (NFKC rarely lengthens a name), where collecting grew
    // the string a character at a time: `nfkc()` gives no size hint.
    let mut out = String::with_capacity(text.len());
    out.extend(text.nfkc());
    out
}

/// Drops control, format and bidi characters (ZWJ, ZWNJ, LRM, RLM, RLO...), and the Arabic
/// tatweel, which only stretches a word. Line breaks and tabs become spaces.
pub fn strip_invisible(text: &str) -> String {
    // Never longer than the text (a line break becomes one space): sized once, where
    // collecting through `filter_map` (no size hint) grew it a character at a time.
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().filter_map(|c| match c {
        '\t' | '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' => Some(' '),
        '\u{0640}' => None,
        c if is_invisible(c) => None,
        c => Some(c),
    }));
    out
}

fn is_invisible(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    // Every ASCII character is assigned, and only its controls are invisible: most names
    // are ASCII, and the category table's search was most of a query's normalization.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(get_general_category(c), G::Control | G::Format | G::Surrogate | G::PrivateUse | G::Unassigned)
}

/// Full case folding: lower case plus the multi-letter folds `to_lowercase` leaves out.
pub fn case_fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ß' | 'ẞ' => folded.push_str("ss"),
            'ς' => folded.push('σ'),
            'ı' => folded.push('i'),
            c => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// Strips diacritics: decomposes, drops the combining marks of the alphabetic scripts
/// (Latin, Greek, Cyrillic, Hebrew points, Arabic harakat), recomposes. Marks of the
/// Brahmic scripts are vowels, not accents, and are kept.
pub fn strip_diacritics(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    // Never longer than the text but for rare recompositions: sized once, as in `nfkc`.
    let mut out = String::with_capacity(text.len());
    out.extend(text.nfd().filter(|&c| !(is_combining_mark(c) && is_accent_block(c))).nfc());
    out
}

fn is_accent_block(c: char) -> bool {
    let code = c as u32;
    code < 0x0800
        || (0x1AB0..=0x1AFF).contains(&code)
        || (0x1DC0..=0x1DFF).contains(&code)
        || (0x20D0..=0x20FF).contains(&code)
        || (0xFE20..=0xFE2F).contains(&code)
}

/// Apostrophes and quotes vanish (Qur'an = Quran, Ba`ath = Baath); hyphens, dashes,
/// slashes and other punctuation become spaces; `&` becomes the word "and"; dots join
/// a dotted acronym (U.S.A. = USA) and otherwise separate words.
pub fn fold_punctuation(text: &str) -> String {
    let mut spaced = String::with_capacity(text.len());
    if text.is_ascii() {
        // Most names are ASCII: each byte's fold is read from a table made by the same
        // rules, rather than classing every character again (0.8% of resolve's
        // instructions, callgrind).
        let table = ascii_punctuation();
        for byte in text.bytes() {
            push_punctuation_folded(table[usize::from(byte & 0x7F)], char::from(byte), &mut spaced);
        }
    } else {
        for c in text.chars() {
            push_punctuation_folded(punctuation_fold(c), c, &mut spaced);
        }
    }
    join_tokens(&spaced)
}

/// [`fold_punctuation`] of an ASCII text lower-cased and stripped of its invisible
/// characters ([`strip_invisible`]: a tab or line break is a space, another control is
/// dropped), in one pass over the bytes: stripping and lower-casing first were a string
/// and a pass more for most names, whose text is ASCII.
///
/// Bytes throughout, not characters: pushing each byte as a `char` and splitting on
/// Unicode white space were a quarter of this function's instructions.
pub fn fold_ascii(text: &str) -> String {
    let table = ascii_punctuation();
    let mut spaced: Vec<u8> = Vec::with_capacity(text.len());
    for byte in text.bytes() {
        let byte = match byte {
            b'\t' | b'\n' | b'\r' => b' ',
            control if control.is_ascii_control() => continue,
            other => other.to_ascii_lowercase(),
        };
        match table[usize::from(byte & 0x7F)] {
            PunctuationFold::Drop => {}
            PunctuationFold::And => spaced.extend_from_slice(b" and "),
            PunctuationFold::Keep => spaced.push(byte),
            PunctuationFold::Space => spaced.push(b' '),
        }
    }
    join_ascii_tokens(&spaced)
}

/// [`join_tokens`] of the bytes [`fold_ascii`] spaced: every other white space and
/// control is gone, so the tokens are what the spaces separate.
fn join_ascii_tokens(spaced: &[u8]) -> String {
    let mut out = String::with_capacity(spaced.len());
    for (i, token) in spaced.split(|&byte| byte == b' ').filter(|token| !token.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // ASCII bytes, so never the default.
        push_dotted(std::str::from_utf8(token).unwrap_or_default(), &mut out);
    }
    out
}

/// The white-space separated tokens of `spaced` with their dots read ([`push_dotted`]),
/// one space between them.
fn join_tokens(spaced: &str) -> String {
    // Written straight into one string: a string and a list per word, then a list of the
    // words, were most of this function's time on a short name.
    let mut out = String::with_capacity(spaced.len());
    for (i, token) in spaced.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_dotted(token, &mut out);
    }
    out
}

/// What [`fold_punctuation`] writes for one character.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PunctuationFold {
    /// Nothing: a quote.
    Drop,
    /// The word "and", spaced.
    And,
    /// The character itself.
    Keep,
    /// A space.
    Space,
}

/// The fold of one character.
fn punctuation_fold(c: char) -> PunctuationFold {
    if is_quote(c) {
        PunctuationFold::Drop
    } else if c == '&' || c == '＆' {
        PunctuationFold::And
    } else if c == '.' || c.is_alphanumeric() || c.is_whitespace() || is_combining_mark(c) {
        PunctuationFold::Keep
    } else {
        PunctuationFold::Space
    }
}

/// [`punctuation_fold`] of every ASCII character, made once.
fn ascii_punctuation() -> &'static [PunctuationFold; 128] {
    static TABLE: std::sync::OnceLock<[PunctuationFold; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|byte| punctuation_fold(char::from(byte as u8))))
}

/// Appends what `fold` says for `c`.
fn push_punctuation_folded(fold: PunctuationFold, c: char, out: &mut String) {
    match fold {
        PunctuationFold::Drop => {}
        PunctuationFold::And => out.push_str(" and "),
        PunctuationFold::Keep => out.push(c),
        PunctuationFold::Space => out.push(' '),
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '´'
            | '"'
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '′'
            | '″'
            | 'ʹ'
            | 'ʺ'
            | 'ʻ'
            | 'ʼ'
            | 'ʽ'
            | 'ʾ'
            | 'ʿ'
            | 'ˈ'
            | '«'
            | '»'
            | '‹'
            | '›'
    )
}

/// "s.m.g." -> "smg"; "st.petersburg" -> "st petersburg".
/// Appends a token with its dots read: a dotted acronym joined, other dots as spaces
/// (a token of dots alone appends nothing).
fn push_dotted(token: &str, out: &mut String) {
    if !token.contains('.') {
        out.push_str(token);
        return;
    }
    let parts = || token.split('.').filter(|p| !p.is_empty());
    let dotted_acronym = parts().count() > 1 && parts().all(|p| p.chars().count() == 1);
    let separator = if dotted_acronym { "" } else { " " };
    for (i, part) in parts().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
}

/// Collapses runs of white space to one space and trims the ends.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_invisible_as_its_category_says() {
        use unicode_general_category::{get_general_category, GeneralCategory as G};
        for c in (0u8..128).map(char::from) {
            let by_category = matches!(
                get_general_category(c),
                G::Control | G::Format | G::Surrogate | G::PrivateUse | G::Unassigned
            );
            assert_eq!(is_invisible(c), by_category, "{c:?}");
        }
    }

    #[test]
    fn ascii_folds_in_one_pass_as_in_three() {
        let bytes: Vec<u8> = (0u8..128).collect();
        let mut texts: Vec<String> = bytes.iter().map(|&b| format!("Ab{}c. D.E.&x", char::from(b))).collect();
        // Every pair of ASCII characters, around letters and dots.
        for &a in &bytes {
            for &b in &bytes {
                texts.push(format!("x{}{}Y.z", char::from(a), char::from(b)));
            }
        }
        for text in texts {
            let mut three = strip_invisible(&text);
            three.make_ascii_lowercase();
            assert_eq!(fold_ascii(&text), fold_punctuation(&three), "{text:?}");
        }
    }

    #[test]
    fn nfkc_folds_full_width_and_ligatures() {
        assert_eq!(nfkc("ＩＳＩＳ"), "ISIS");
        assert_eq!(nfkc("ﬁnance"), "finance");
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(strip_invisible("Ha\u{200D}mas\u{200F}"), "Hamas");
        assert_eq!(strip_invisible("\u{202E}ISIS\u{202C}"), "ISIS");
        assert_eq!(strip_invisible("داعـــش"), "داعش");
        assert_eq!(strip_invisible("a\tb\nc"), "a b c");
    }

    #[test]
    fn case_folding_is_full() {
        assert_eq!(case_fold("STRAẞE Straße"), "strasse strasse");
        assert_eq!(case_fold("ΟΔΥΣΣΕΥΣ"), "οδυσσευσ");
    }

    #[test]
    fn diacritics_are_stripped_in_alphabetic_scripts_only() {
        assert_eq!(strip_diacritics("Šéḥ Ṭāhā Çağrı"), "Seh Taha Cagrı");
        assert_eq!(strip_diacritics("مُحَمَّد"), "محمد");
        assert_eq!(strip_diacritics("हिन्दी"), "हिन्दी");
    }

    #[test]
    fn punctuation_folds_to_spaces_or_nothing() {
        assert_eq!(fold_punctuation("Qur’an al-Nusra — Front"), "Quran al Nusra Front");
        assert_eq!(fold_punctuation("S.M.G. Ltd. I&S"), "SMG Ltd I and S");
        assert_eq!(fold_punctuation("a.bc .. x.y.z."), "a bc  xyz", "a token of dots alone leaves its space");
        assert_eq!(fold_punctuation("Nusra Front, al-"), "Nusra Front al");
        assert_eq!(fold_punctuation("ʿAbd al‐Raḥmān"), "Abd al Raḥmān");
    }

    #[test]
    fn ascii_text_folds_as_any_text_does() {
        // A letter past ASCII sends the same characters down the general path; after a
        // letter, it only lengthens the last word.
        for c in (0u8..128).map(char::from) {
            for text in [format!("xx{c}yy"), format!("{c}{c}Ab 9{c}zz"), format!("{c}zz")] {
                let general = fold_punctuation(&format!("{text}é"));
                let ascii = fold_punctuation(&text);
                assert_eq!(general.strip_suffix('é'), Some(ascii.as_str()), "{c:?} in {text:?}");
            }
        }
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_whitespace("  a \u{3000} b  "), "a b");
    }
}
