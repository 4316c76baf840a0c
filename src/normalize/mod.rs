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
    let latin_text = romanize::romanize(&confusables::fold_mixed_script_words(strict));
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
