//! Homoglyphs: Cyrillic and Greek letters that look like Latin ones, for names typed
//! (or spoofed) with look-alikes: "ІSIS" with a Cyrillic І reads as "isis".
//!
//! Applied only to words that mix Latin with Cyrillic or Greek letters: a word written
//! wholly in Cyrillic is Russian (or another language) and is romanized instead. The
//! pairs are the lower-case Cyrillic and Greek entries of Unicode's confusables.txt
//! (UTS #39) whose target is a single Latin letter.

/// The Latin twin of a lower-case Cyrillic or Greek look-alike.
fn latin_twin(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'с' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' => 'e',
        'һ' => 'h',
        'і' | 'ї' | 'ι' => 'i',
        'ј' | 'ϳ' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'н' | 'η' => 'n',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'у' | 'γ' => 'y',
        'υ' => 'u',
        'ԝ' | 'ω' => 'w',
        'х' | 'χ' => 'x',
        'ν' => 'v',
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ζ' => 'z',
        _ => return None,
    })
}

fn is_cyrillic_or_greek(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x052F)
}

/// Replaces look-alikes in each word that mixes Latin with Cyrillic or Greek letters.
pub fn fold_mixed_script_words(text: &str) -> String {
    // An ASCII text has no look-alike letter to fold: every word comes back as it is,
    // without a string and a list per word.
    if text.is_ascii() {
        return text.to_string();
    }
    text.split(' ').map(fold_word).collect::<Vec<_>>().join(" ")
}

fn fold_word(word: &str) -> String {
    let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let has_lookalike_script = word.chars().any(is_cyrillic_or_greek);
    if !(has_latin && has_lookalike_script) {
        return word.to_string();
    }
    word.chars().map(|c| latin_twin(c).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_words_read_as_latin() {
        assert_eq!(fold_mixed_script_words("іsis"), "isis");
        assert_eq!(fold_mixed_script_words("hаmаs front"), "hamas front");
        assert_eq!(fold_mixed_script_words("nυsrа"), "nusra");
    }

    #[test]
    fn ascii_text_is_left_as_it_is() {
        assert_eq!(fold_mixed_script_words(" hamas  front "), " hamas  front ");
    }

    #[test]
    fn wholly_cyrillic_words_are_left_for_romanization() {
        assert_eq!(fold_mixed_script_words("сирия"), "сирия");
    }
}
