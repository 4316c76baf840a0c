//! Normalization: a name as written in, comparable forms out.
//!
//! One pipeline of small steps, each in its own file and tested alone:
//!
//! 1. `clean`: NFKC, invisible characters out, full case folding, diacritics stripped,
//!    quotes dropped and other punctuation to spaces. With Arabic letter variants folded,
//!    this gives the **strict key** ([`normalize`]): still in the name's own script, it is
//!    what exact matching and the table's conflict check compare.
//! 2. `confusables`: Cyrillic or Greek look-alikes inside Latin words read as Latin.
//! 3. `romanize`: every script to lower-case ASCII (Arabic by our consonantal table).
//! 4. `fold`: romanization alternations folded per word, plus a consonant skeleton.
//!
//! It never looks at an alias table and never decides a match: it only produces forms.
//! NORMALIZATION.md at the repository root lists what is and is not folded.

pub mod arabic;
pub mod clean;
pub mod confusables;
pub mod fold;
pub mod romanize;

/// The comparable forms of one name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Analyzed {
    /// Strict key: cleaned, in the original script.
    pub strict: String,
    /// The strict key romanized to lower-case ASCII words.
    pub latin: Vec<String>,
    /// Each word of `latin` with romanization alternations folded (particles and
    /// "abd" compounds may merge words, so this can be shorter than `latin`).
    pub folded: Vec<String>,
    /// The name was written in a script without short vowels (Arabic, Hebrew), so its
    /// romanization's vowels are guesses and only its consonants are evidence.
    pub abjad: bool,
}

impl Analyzed {
    /// The folded words in sorted order, articles left out: equal for names that differ
    /// only by romanization, punctuation or word order.
    pub fn loose_key(&self) -> String {
        loose_key_of(&self.folded)
    }
}

/// The loose key of a name's folded words (see [`Analyzed::loose_key`]).
pub fn loose_key_of(folded: &[String]) -> String {
    // Sized for every word: collected through `filter` (no exact size hint), the list
    // was grown from four for names of more words.
    let mut words: Vec<&str> = Vec::with_capacity(folded.len());
    words.extend(folded.iter().map(String::as_str).filter(|w| !is_article(w)));
    if words.is_empty() {
        words.extend(folded.iter().map(String::as_str));
    }
    words.sort_unstable();
    words.join(" ")
}

/// The strict key: the name cleaned but still in its script. Two names with the same
/// strict key are the same name.
pub fn normalize(text: &str) -> String {
    // Most names are plain ASCII: NFKC, diacritics and Arabic folding cannot change them.
    if text.is_ascii() {
        return clean::fold_ascii(text);
    }
    let text = clean::nfkc(text);
    let text = clean::strip_invisible(&text);
    let text = clean::case_fold(&text);
    let text = clean::strip_diacritics(&text);
    let text = if text.chars().any(arabic::is_arabic) { arabic::fold_letters(&text) } else { text };
    clean::fold_punctuation(&text)
}

/// Every form of a name that matching compares.
pub fn analyze(text: &str) -> Analyzed {
    let strict = normalize(text);
    let latin = latin_words(&strict);
    let folded = fold::fold_words(&latin);
    let abjad = strict.chars().any(|c| arabic::is_arabic(c) || ('\u{0590}'..='\u{05FF}').contains(&c));
    Analyzed { strict, latin, folded, abjad }
}

/// `Analyzed::latin` of a strict key, for callers that need no other form.
pub fn latin_words(strict: &str) -> Vec<String> {
    // An ASCII key has no look-alike letter to fold and nothing to romanize: both steps
    // would return a copy of it (two strings more for most names).
    let latin_text = if strict.is_ascii() {
        std::borrow::Cow::Borrowed(strict)
    } else {
        std::borrow::Cow::Owned(romanize::romanize(&confusables::fold_mixed_script_words(strict)))
    };
    latin_text.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Shorthand for `analyze(text).loose_key()`.
pub fn loose_key(text: &str) -> String {
    analyze(text).loose_key()
}

/// True when every letter of a strict key is in a script whose romanization is good
/// enough to match fuzzily against Latin spellings: Latin, Greek, Cyrillic, Hebrew,
/// Arabic. Names in other scripts (Han, Thai, Devanagari...) match exactly only: their
/// romanizations collide far more often than they meet a Latin spelling.
pub fn is_fuzzy_script(strict: &str) -> bool {
    strict.chars().filter(|c| c.is_alphabetic()).all(|c| {
        let code = c as u32;
        code < 0x0250
            || (0x1E00..=0x1EFF).contains(&code)
            || (0x0370..=0x052F).contains(&code)
            || (0x0590..=0x05FF).contains(&code)
            || arabic::is_arabic(c)
    })
}

/// The script a name is written in, as far as matching across scripts cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters, with or without diacritics.
    Latin,
    /// Russian, Ukrainian, Serbian, Mongolian...
    Cyrillic,
    /// Greek.
    Greek,
    /// Hebrew, written without short vowels.
    Hebrew,
    /// Arabic, Persian, Urdu, Pashto..., written without short vowels.
    Arabic,
    /// Any other (Han, Hangul, Thai, Devanagari...), or no letter at all.
    Other,
}

impl Script {
    /// Every script, in the order of their values.
    pub const ALL: [Script; 6] =
        [Script::Latin, Script::Cyrillic, Script::Greek, Script::Hebrew, Script::Arabic, Script::Other];

    /// One bit for each script, for sets of scripts held in a byte.
    pub fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The script most letters of a strict key are written in: a look-alike letter of
/// another script ("ІSIS" with a Cyrillic І) does not change it. Ties go to the script
/// listed first in [`Script`].
pub fn script_of(strict: &str) -> Script {
    // Most names are plain ASCII: one pass over the bytes says it.
    if strict.is_ascii() {
        return if strict.bytes().any(|b| b.is_ascii_alphabetic()) { Script::Latin } else { Script::Other };
    }
    let mut letters = [0usize; Script::ALL.len()];
    for letter in strict.chars().filter(|c| c.is_alphabetic()) {
        letters[letter_script(letter) as usize] += 1;
    }
    let most = letters.iter().copied().max().unwrap_or(0);
    match letters.iter().position(|&count| count == most) {
        Some(script) if most > 0 => Script::ALL[script],
        _ => Script::Other,
    }
}

fn letter_script(letter: char) -> Script {
    match letter as u32 {
        0..0x0250 | 0x1E00..=0x1EFF => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F => Script::Cyrillic,
        0x0590..=0x05FF => Script::Hebrew,
        _ if arabic::is_arabic(letter) => Script::Arabic,
        _ => Script::Other,
    }
}

/// The Arabic article and its assimilated forms as separate words (al-Nusra, ash-Sham).
pub fn is_article(word: &str) -> bool {
    // The u- forms are how Urdu and Pashto names write it: Zia-ur-Rahman, Nizam-ud-Din.
    matches!(
        word,
        "al" | "el" | "ul" | "il" | "ad" | "ash" | "as" | "at" | "az" | "an" | "ar" | "ur" | "ud" | "uz" | "ush"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_key_keeps_script_and_folds_the_rest() {
        assert_eq!(normalize("  Jabhat   al-Nuṣra "), "jabhat al nusra");
        assert_eq!(normalize("الدولة الإسلامية"), normalize("الدوله الاسلاميه"));
        assert_eq!(normalize("СИРИЯ"), "сирия");
        assert_eq!(normalize("..."), "");
    }

    #[test]
    fn fuzzy_scripts_are_the_well_romanized_ones() {
        assert!(is_fuzzy_script("jabhat al nusra"));
        assert!(is_fuzzy_script("сирия"));
        assert!(is_fuzzy_script("الدوله"));
        assert!(!is_fuzzy_script("叙利亚"));
        assert!(!is_fuzzy_script("ประเทศไทย"));
    }

    #[test]
    fn homoglyph_names_read_as_their_latin_twin() {
        assert_eq!(analyze("ІSIS").latin, vec!["isis"]);
    }

    #[test]
    fn word_order_and_romanization_share_a_loose_key() {
        assert_eq!(loose_key("Nusra Front, al-"), loose_key("al-Nusra Front"));
        assert_eq!(loose_key("Aknaf Bayt al-Maqdis"), loose_key("Aknaf Beit al-Makdis"));
        assert_ne!(loose_key("Aknaf Bayt al-Maqdis"), loose_key("Aktaf Bait al-Maqdis"));
    }

    #[test]
    fn a_name_is_in_the_script_of_most_of_its_letters() {
        assert_eq!(script_of("walker"), Script::Latin);
        assert_eq!(script_of("ісіс"), Script::Cyrillic);
        assert_eq!(script_of("іsis"), Script::Latin, "one look-alike letter");
        assert_eq!(script_of("בולגריה"), Script::Hebrew);
        assert_eq!(script_of("پاراگوئے"), Script::Arabic);
        assert_eq!(script_of("ελλάδα"), Script::Greek);
        assert_eq!(script_of("叙利亚"), Script::Other);
        assert_eq!(script_of("1990"), Script::Other);
        assert_eq!(script_of("1990 é"), Script::Latin);
    }

    #[test]
    fn arabic_script_meets_its_romanization_on_skeletons() {
        let arabic = analyze("الدولة الإسلامية");
        let latin = analyze("ad-Dawlah al-Islamiyah");
        let skeletons =
            |a: &Analyzed| a.folded.iter().filter(|w| !is_article(w)).map(|w| fold::skeleton(w)).collect::<Vec<_>>();
        assert_eq!(skeletons(&arabic), skeletons(&latin));
        // A kunya written joined meets it written apart.
        assert_eq!(skeletons(&analyze("ابوالحسن المهاجر")), skeletons(&analyze("Abu al-Hasan al-Muhajir")));
    }
}
