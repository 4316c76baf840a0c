//! Arabic script: folding letter variants (Arabic, Persian, Urdu) to one form, then
//! romanizing to Latin consonants so Arabic-script names meet their romanized aliases.
//!
//! Arabic writes no short vowels, so the romanization is consonantal: long vowels
//! (ا و ي) become a, u, i and everything else a consonant. Matching across scripts leans
//! on the consonant skeleton (see `fold`), not on these vowels.

/// True for letters of the Arabic blocks.
pub fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Folds letter variants that writers use interchangeably: hamza and madda carriers to
/// their base letter, ta marbuta to ha, alif maqsura and Persian yeh to yeh, Persian and
/// Urdu kaf, heh and yeh forms to the Arabic ones. Harakat are already gone by then.
pub fn fold_letters(text: &str) -> String {
    // Never longer than the text: sized once, where collecting through `filter_map` (no
    // size hint) grew it a character at a time.
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().filter_map(fold_letter));
    out
}

fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ؤ' | 'ۆ' | 'ۇ' | 'ۈ' => 'و',
        'ئ' | 'ى' | 'ی' | 'ې' | 'ێ' | 'ۍ' | 'ے' | 'ۓ' => 'ي',
        'ة' | 'ۀ' | 'ہ' | 'ھ' | 'ە' | 'ۂ' | 'ۃ' => 'ه',
        'ک' | 'ڪ' => 'ك',
        // Pashto gaf (kaf with ring) is a g, as the Persian گ: read as kaf it made "Kim"
        // the Pashto Guam (ګوام) and "Park" its Paraguay (پاراګوی).
        'ګ' => 'گ',
        'ء' => return None,
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10)?,
        '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10)?,
        c => c,
    })
}

/// Romanizes one word of folded Arabic-script letters; a lone h is written `H` (see
/// `letter`), which `fold::fold_word` lowers. A leading ال becomes a separate
/// article "al"; و and ي are consonants (w, y) at the start of a word and long vowels
/// (u, i) elsewhere; a final ه is the ta marbuta of most names and reads "a"; a leading
/// ع reads "a" (Ali, Abd), elsewhere it is silent as in most romanizations.
pub fn romanize_word(word: &str) -> String {
    // The name of God keeps its article: عبد الله is Abdallah, not "abd al la".
    if word == "الله" || word == "لله" {
        return "allah".to_string();
    }
    // A kunya written joined (ابوالحسن, ابوالفضل: Abu al-Hasan, Abolfazl) is "Abu" and a
    // name with its article, as when spaced, so that it folds into the same one word.
    if let Some(name) = word.strip_prefix("ابوال").filter(|name| name.chars().count() >= 2) {
        return format!("abu al {}", romanize_word(name));
    }
    let letters: Vec<char> = word.chars().collect();
    let (article, body) = match letters.as_slice() {
        ['ا', 'ل', rest @ ..] if rest.len() >= 2 => ("al ", rest),
        _ => ("", letters.as_slice()),
    };
    // Most letters romanize to one or two: sized once, not grown letter by letter.
    let mut latin = String::with_capacity(article.len() + 2 * body.len());
    latin.push_str(article);
    for (i, &c) in body.iter().enumerate() {
        let last = i + 1 == body.len();
        let after_alif = i > 0 && body[i - 1] == 'ا';
        // Before a long a, waw and yeh are consonants too: a long vowel is never
        // followed by another (عياش is Ayyash, نواف Nawaf).
        let before_alif = body.get(i + 1) == Some(&'ا');
        let consonant = i == 0 || after_alif || before_alif;
        latin.push_str(match c {
            // Ain carries the word's first vowel in romanizations (Ali, Abd, Umar).
            'ع' if i == 0 => "a",
            // After a long a, waw and yeh are consonants again: Rawi, Sayid.
            'و' if consonant => "w",
            'و' => "u",
            'ي' if consonant => "y",
            'ي' => "i",
            // A two-letter word is no ta marbuta: طه is Taha.
            'ه' if last && i > 0 && body.len() > 2 => "a",
            // Azhar, Mazhari: Latin spellings write ز or ظ before ه as "zh", which folding
            // then reads as one sound; the romanization must give the same letters.
            'ه' if i > 0 && matches!(body[i - 1], 'ز' | 'ظ') => "h",
            c => letter(c),
        });
    }
    latin
}

fn letter(c: char) -> &'static str {
    match c {
        'ا' => "a",
        'ب' => "b",
        'ت' => "t",
        'ث' => "th",
        'ج' => "j",
        // A single-letter h is written upper-case so that folding never reads it as
        // the second half of a Latin digraph (ت ح is t-h, not th); folding lowers it.
        'ح' => "H",
        'خ' => "kh",
        'د' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' => "z",
        'س' => "s",
        'ش' => "sh",
        'ص' => "s",
        'ض' => "d",
        'ط' => "t",
        'ظ' => "z",
        'ع' => "",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'ه' => "H",
        'و' => "w",
        'ي' => "y",
        // Persian and Urdu letters.
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        'ڤ' => "v",
        'ٹ' => "t",
        'ڈ' => "d",
        'ڑ' => "r",
        'ں' => "n",
        // Pashto, as the UN and US lists romanize it (ځدران is Zadran, ښ the sh of
        // Pashtun), and the Kurdish and Uyghur letters that add a consonant.
        'ځ' => "z",
        'څ' => "s",
        'ښ' => "sh",
        'ږ' => "zh",
        'ډ' => "d",
        'ټ' => "t",
        'ړ' | 'ڕ' => "r",
        'ڼ' => "n",
        'ڵ' => "l",
        'ۋ' => "v",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_variants_fold() {
        assert_eq!(fold_letters("الإسلامية"), "الاسلاميه");
        assert_eq!(fold_letters("مصطفى"), "مصطفي");
        assert_eq!(fold_letters("کابل"), "كابل");
        assert_eq!(fold_letters("٢٠١٤"), "2014");
        assert_eq!(fold_letters("کوردۆ"), "كوردو");
        // Pashto gaf is a g, not a k: ګوام is Guam.
        assert_eq!(romanize_word(&fold_letters("ګوام")), romanize_word("گوام"));
    }

    #[test]
    fn words_romanize_to_consonants_and_long_vowels() {
        assert_eq!(romanize_word("داعش"), "dash");
        assert_eq!(romanize_word("محمود"), "mHmud");
        assert_eq!(romanize_word("الدوله"), "al dula");
        assert_eq!(romanize_word("حماس"), "Hmas");
        assert_eq!(romanize_word("اتحاد"), "atHad");
        assert_eq!(romanize_word("راوي"), "rawi");
        assert_eq!(romanize_word("ولي"), "wli");
        assert_eq!(romanize_word("علي"), "ali");
        // Before a long a, waw and yeh are consonants: Ayyash, Nawaf, Ziyad.
        assert_eq!(romanize_word("عياش"), "ayash");
        assert_eq!(romanize_word("نواف"), "nwaf");
        assert_eq!(romanize_word("زياد"), "zyad");
        assert_eq!(romanize_word("الله"), "allah");
        assert_eq!(romanize_word("طه"), "tH");
        assert_eq!(romanize_word("الازهر"), "al azhr");
        assert_eq!(romanize_word("ځدران"), "zdran");
        assert_eq!(romanize_word("پښتون"), "pshtun");
        assert_eq!(romanize_word("ابوالحسن"), "abu al Hsn");
        assert_eq!(romanize_word("ابوبكر"), "abubkr");
    }
}
