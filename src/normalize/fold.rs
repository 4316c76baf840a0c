//! Romanization folding for names of Arabic, Persian, Turkic and Slavic origin written in
//! Latin letters: the spellings one sound gets in different romanizations become one.
//!
//! Input is a lower-case ASCII word (after `romanize`); output is its folded form and its
//! consonant skeleton. The rules are deliberately lossy: they only decide which words
//! *may* be the same; the scorer decides whether the names are.

use crate::normalize::is_article;

/// Letter groups that stand for one sound, longest first.
const GROUPS: &[(&str, &str)] = &[
    ("tsch", "sh"),
    ("dzh", "j"),
    ("tch", "sh"),
    // Basque and Catalan write tx for ch: Bengoetxea / Bengoechea.
    ("tx", "sh"),
    ("dj", "j"),
    ("zh", "j"),
    ("ch", "sh"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("dh", "d"),
    ("th", "s"),
    ("ck", "k"),
    ("c", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "ai"),
    ("ay", "ai"),
    ("ey", "ai"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
];

/// Whether an initial, folded as an acronym's letters are (C is k, E is i), stands for a
/// folded word: the word's first letter is the initial, or a consonant group beginning
/// with that letter was folded into the word's first letters (Chemical is "shimikal",
/// Khalij "halij", Thomas "sumas", Phoenix "fuiniks"). Read off [`GROUPS`], so that
/// initials follow the folding.
pub fn initial_stands_for(initial: u8, folded: &str) -> bool {
    if let Some(answer) = initial_stands_for_by_first_letter(initial, folded) {
        return answer;
    }
    GROUPS.iter().any(|&(from, to)| {
        !to.bytes().next().is_some_and(is_vowel)
            && folded.starts_with(to)
            && folded_letter(from.as_bytes()[0]) == initial
    })
}

/// [`initial_stands_for`] when the word's first letter tells, without the groups: it is
/// the initial (or its vowel fold), or it begins no consonant group's fold. `None` when
/// the groups must be read.
pub fn initial_stands_for_by_first_letter(initial: u8, folded: &str) -> Option<bool> {
    let Some(&first) = folded.as_bytes().first() else {
        return Some(false);
    };
    if first == initial || fold_vowel(initial) == first {
        return Some(true);
    }
    (!CONSONANT_FOLD_STARTS[usize::from(first)]).then_some(false)
}

/// The first letters of the consonant groups' folds (sh, j, h, f...): a word beginning
/// with another letter stands only for its own first letter, which this says without
/// walking every group (most words tried as the initials of a run are such words).
const CONSONANT_FOLD_STARTS: [bool; 256] = {
    let mut starts = [false; 256];
    let mut i = 0;
    while i < GROUPS.len() {
        let first = GROUPS[i].1.as_bytes()[0];
        if !matches!(first, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            starts[first as usize] = true;
        }
        i += 1;
    }
    starts
};

/// One letter as folding writes it alone: its one-letter group (c is k), then its vowel.
fn folded_letter(letter: u8) -> u8 {
    let grouped =
        GROUPS.iter().find(|(from, _)| from.as_bytes() == [letter]).map_or(letter, |(_, to)| to.as_bytes()[0]);
    fold_vowel(grouped)
}

/// Folds one word: letter groups, then vowels (e~i, o~u, y~i except a leading y before
/// a vowel), doubled letters to one, and a final "h" after a vowel (rahmah = rahma)
/// dropped.
pub fn fold_word(word: &str) -> String {
    // Short words and vowel-less ones are particles, initials and acronyms (PCC, DMR):
    // folding them would only make different ones collide. Numbers stay as written.
    if word.len() <= 2 || is_numeral(word) || !word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    // Doubled letters go first, so that a doubled glide meets a single one: Rayyan and
    // Rayan fold alike whatever the groups then make of "ay". Not in acronyms, below.
    // The word is ASCII here, and so is every letter folding writes: the steps work on
    // bytes (pushing each byte as a char was a tenth of folding's instructions).
    let word_bytes = word.as_bytes();
    let single =
        if word_bytes.iter().any(|&b| is_vowel(b)) { without_doubles(word_bytes) } else { word_bytes.to_vec() };
    let grouped = replace_groups(&single);
    // Without a vowel: an acronym (PCC is not PPC) or a vowel-less Arabic romanization
    // (mtlq): letters folded, doubles kept.
    if !grouped.iter().any(|&b| is_vowel(b)) {
        return ascii_string(grouped);
    }
    let bytes = grouped.as_slice();
    // Written into the memory of the undoubled word, read no more: an allocation less
    // per word folded.
    let mut folded = single;
    folded.clear();
    for (i, &b) in bytes.iter().enumerate() {
        let next_is_vowel = bytes.get(i + 1).is_some_and(|&n| is_vowel(n));
        let c = match b {
            b'y' if i == 0 && next_is_vowel => b'y',
            other => fold_vowel(other),
        };
        // Doubled letters once; a run of different vowels is kept (Ryauzow is not Rizow).
        if folded.last() == Some(&c) {
            continue;
        }
        folded.push(c);
    }
    if folded.len() > 2 && folded.last() == Some(&b'h') && is_vowel(folded[folded.len() - 2]) {
        folded.pop();
    }
    let mut folded = ascii_string(folded);
    // A word is never folded into an article (air is not ar, eel is not el).
    if is_article(&folded) && !is_article(word) {
        return ascii_string(grouped);
    }
    // Allah, Ullah, Ollah (Hizb Ullah, Amanat Ullah): one word whatever its first vowel.
    // The spelling "allah" cannot come out of folding (doubles collapse), so no other
    // word folds onto it. The folded form is asked first: it is rarely one of the three,
    // and searching every word for "ll" was 1% of resolve's instructions (callgrind).
    if matches!(folded.as_str(), "ala" | "ula" | "ila") && word.contains("ll") {
        return "allah".to_string();
    }
    // Mohd and Muhd are how Malay and South Asian names abbreviate Muhammad: the same
    // word, which a skeleton (mhd against mhmd) cannot see.
    if folded == "muhd" {
        return fold_word("muhammad");
    }
    east_slavic_ending(word, &mut folded);
    folded
}

/// Belarusian writes an unstressed o as a (akanye) and the Russian -ov ending as -au:
/// Naumau is Naumov, the patronymic Uladzimiravich is Vladimirovich and Uladzimirauna is
/// Vladimirovna, and Uladzimir itself is Vladimir. A folded word's ending (and that one
/// beginning) is written as its Russian form's folds. The ending must be written so,
/// after a consonant and a stem of four letters or more: Lau, Chau and Macau are other
/// names, and Portuguese -ao (Galvao, Conceicao) folds to -au too.
fn east_slavic_ending(word: &str, folded: &mut String) {
    // (the ending as written, as folded, the Russian form's fold)
    const ENDINGS: &[(&str, &str, &str)] = &[("avich", "avish", "uvish"), ("auna", "auna", "uvna"), ("au", "au", "uv")];
    const MIN_STEM: usize = 4;
    let written_with = |ending: &str| {
        word.len() >= ending.len()
            && word.as_bytes()[word.len() - ending.len()..].eq_ignore_ascii_case(ending.as_bytes())
    };
    if let Some(&(_, ending, russian)) = ENDINGS.iter().find(|(written, ending, _)| {
        written_with(written)
            && folded
                .strip_suffix(ending)
                .is_some_and(|stem| stem.len() >= MIN_STEM && stem.as_bytes().last().is_some_and(|&b| !is_vowel(b)))
    }) {
        let stem_len = folded.len() - ending.len();
        folded.replace_range(stem_len.., russian);
    }
    if folded.starts_with("uladz") {
        folded.replace_range(..5, "vlad");
    }
}

/// A number: digits anywhere (46B, 2014) or a Roman numeral of two or more letters
/// (II, III, IV...: a lone I or V is more often an initial). Numbers never fold, and two
/// names whose numbers differ are different entities (HAPPINESS II / HAPPINESS III).
pub fn is_numeral(word: &str) -> bool {
    const ROMAN: &[&str] = &["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv", "xx"];
    // The scorer asks this of every word pair: most words are too long to be one of
    // these numerals, and a length check is cheaper than thirteen comparisons.
    word.bytes().any(|b| b.is_ascii_digit()) || (word.len() <= 4 && ROMAN.contains(&word))
}

/// The word's bytes with each run of one letter written once.
fn without_doubles(word: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(word.len());
    for &b in word {
        if out.last() != Some(&b) {
            out.push(b);
        }
    }
    out
}

/// The string of ASCII bytes that folding wrote (never the default: every byte is ASCII).
fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// The first of [`GROUPS`], in the table's order, that `rest` begins with: the table
/// written as one match on the first byte, then on the few groups that begin with it. Trying the groups in turn, each a prefix
/// comparison, was most of `fold_word`'s instructions (and `fold_word` a sixteenth of
/// resolve's). A test checks it against the table on every short string of the groups'
/// letters.
fn group_at(rest: &[u8]) -> Option<(&'static str, &'static str)> {
    let (&first, after) = rest.split_first()?;
    // By first byte, then the table's order among the groups that share it.
    let group = match (first, after) {
        (b't', [b's', b'c', b'h', ..]) => ("tsch", "sh"),
        (b't', [b'c', b'h', ..]) => ("tch", "sh"),
        (b't', [b'x', ..]) => ("tx", "sh"),
        (b't', [b'h', ..]) => ("th", "s"),
        (b'd', [b'z', b'h', ..]) => ("dzh", "j"),
        (b'd', [b'j', ..]) => ("dj", "j"),
        (b'd', [b'h', ..]) => ("dh", "d"),
        (b'z', [b'h', ..]) => ("zh", "j"),
        (b'c', [b'h', ..]) => ("ch", "sh"),
        (b'c', [b'k', ..]) => ("ck", "k"),
        (b'c', _) => ("c", "k"),
        (b'k', [b'h', ..]) => ("kh", "h"),
        (b'g', [b'h', ..]) => ("gh", "g"),
        (b'p', [b'h', ..]) => ("ph", "f"),
        (b'o', [b'u', ..]) => ("ou", "u"),
        (b'o', [b'o', ..]) => ("oo", "u"),
        (b'e', [b'e', ..]) => ("ee", "i"),
        (b'e', [b'i', ..]) => ("ei", "ai"),
        (b'e', [b'y', ..]) => ("ey", "ai"),
        (b'a', [b'y', ..]) => ("ay", "ai"),
        (b'q', _) => ("q", "k"),
        (b'w', _) => ("w", "v"),
        (b'x', _) => ("x", "ks"),
        _ => return None,
    };
    Some(group)
}

/// The word with its letter groups replaced, and the H that romanized Arabic writes for
/// a lone h (so that t-h is not read as th) lowered once the groups are read: lowering it
/// as it is copied saves another pass and string over the word.
fn replace_groups(word: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(word.len());
    let mut rest = word;
    while let Some((&first, after_first)) = rest.split_first() {
        if let Some((from, to)) = group_at(rest) {
            let after = &rest[from.len()..];
            // Before a vowel, the y of ey/ay is a glide (Sergeyevich = Sergeevich).
            let glide = matches!(from, "ey" | "ay") && after.first().is_some_and(|&b| is_vowel(b));
            out.extend_from_slice(if glide { &from.as_bytes()[..1] } else { to.as_bytes() });
            rest = after;
            continue;
        }
        out.push(if first == b'H' { b'h' } else { first });
        rest = after_first;
    }
    out
}

/// One letter's vowel fold: e and y are i, o is u (a leading y before a vowel, a
/// consonant, is the caller's to keep).
pub fn fold_vowel(b: u8) -> u8 {
    match b {
        b'y' | b'e' => b'i',
        b'o' => b'u',
        other => other,
    }
}

/// A vowel letter, y included (folding reads it as i).
pub fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The consonants of a folded word, doubled ones once: muhammad, mohamed and محمد all
/// give "mhmd". The semivowel w (folded to v) is left out inside a word, since Arabic
/// script writes one letter for the consonant w and the vowel u: dawla and دولة give "dl".
/// Words with no consonant keep their folded form.
pub fn skeleton(folded: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(folded.len());
    for (i, b) in folded.bytes().enumerate() {
        // A leading w/v is a consonant in every script (Walid, وليد); inside a word it
        // may be the vowel u that Arabic writes with the same letter.
        if is_vowel(b) || (b == b'v' && i > 0) {
            continue;
        }
        // Letters that romanizations of one sound swap: Qasem / Ghasem, Zahra / Sahra.
        let b = match b {
            b'g' => b'k',
            b'z' => b's',
            other => other,
        };
        if out.last() != Some(&b) {
            out.push(b);
        }
    }
    if out.is_empty() {
        return folded.to_string();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Word-level folds across a whole name: the "son of" particles to one word, the
/// "servant of" compounds (Abdul Rahman, Abd al-Rahman, Abdurrahman) to one word, and a
/// kunya ("father of", "mother of": Abu Yasir, Umm Layth) to one word, since Abu Yasir
/// is not a man named Yasir.
pub fn fold_words(words: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        match word_level_fold(&words[i..]) {
            Some((folded, used)) => {
                out.push(folded);
                i += used;
            }
            None => {
                out.push(fold_word(&words[i]));
                i += 1;
            }
        }
    }
    out
}

/// Whether [`fold_words`] folds every word alone, so that its output is [`fold_word`] of
/// each word in place: callers that fold the same words again (to look up legal phrases,
/// to class them) read them from its output instead. A few comparisons per word, much
/// cheaper than folding it again.
pub fn folds_alone(words: &[String]) -> bool {
    // No word-level fold at any word: then `fold_words` meets none at the words it visits.
    (0..words.len()).all(|i| word_level_fold(&words[i..]).is_none())
}

/// The word-level fold that begins at the first of `words`, if any: the folded word and
/// how many words it used.
fn word_level_fold(words: &[String]) -> Option<(String, usize)> {
    if let Some(kunya) = kunya(words) {
        return Some(kunya);
    }
    if matches!(words.first()?.as_str(), "ibn" | "bin" | "ben" | "bn" | "bint" | "bent") {
        return Some(("bin".to_string(), 1));
    }
    religion_compound(words).or_else(|| servant_of(words))
}

/// "Abu Yasir", "Abu al-Khayr", "Umm Layth" as one word, and how many words it used.
fn kunya(words: &[String]) -> Option<(String, usize)> {
    let first = words.first()?;
    // Persian and South Asian spellings write "Abu al-" as one syllable: Abul Hasan,
    // Abolfazl, Aboulkhair are Abu al-Hasan, Abu al-Fazl, Abu al-Khayr.
    if let Some(name) = ["abul", "abol", "aboul"].iter().find_map(|prefix| first.strip_prefix(prefix)) {
        return match (name, words.get(1)) {
            ("", Some(next)) => Some((format!("abu{}", fold_word(next)), 2)),
            // Before a vowel the l is the name's own: Aboulail is Abou Lail.
            (name, _) if name.as_bytes().first().is_some_and(|&b| is_vowel(b)) => {
                Some((format!("abu{}", fold_word(&first[first.len() - name.len() - 1..])), 1))
            }
            (name, _) if name.len() >= 3 => Some((format!("abu{}", fold_word(name)), 1)),
            _ => None,
        };
    }
    let [first, next, ..] = words else {
        return None;
    };
    if !matches!(first.as_str(), "abu" | "abou" | "abo" | "aboo" | "umm" | "um" | "om" | "oum" | "ummu") {
        return None;
    }
    let parent = if matches!(first.as_str(), "umm" | "um" | "om" | "oum" | "ummu") { "um" } else { "abu" };
    let (child, used) = if ABD_LINKS.contains(&next.as_str()) { (words.get(2)?, 3) } else { (next, 2) };
    Some((format!("{parent}{}", fold_word(child)), used))
}

/// "Nur al-Din", "Noor ud Din", "Noureddine", "Nuruddin": a name compounded with
/// "al-Din" (of the faith) is one word however it is spaced, and how many words it used.
fn religion_compound(words: &[String]) -> Option<(String, usize)> {
    let first = words.first()?.as_str();
    let spaced = match words {
        [_, link, din, ..] if is_din(din) && (is_article(link) || link == "ed") => Some(3),
        [_, din, ..] if din.len() > 4 && din.get(2..).is_some_and(is_din) && din.get(..2).is_some_and(is_article) => {
            Some(2)
        }
        _ => None,
    };
    if let Some(used) = spaced {
        if first.len() < 3 || is_article(first) {
            return None;
        }
        return Some((format!("{}aldin", fold_word(first)), used));
    }
    let stem = DIN_SUFFIXES.iter().find_map(|suffix| first.strip_suffix(suffix)).filter(|stem| stem.len() >= 3)?;
    Some((format!("{}aldin", fold_word(stem)), 1))
}

fn is_din(word: &str) -> bool {
    matches!(word, "din" | "deen" | "dine" | "dinn")
}

/// How "al-Din" ends a word when written joined, longest first.
const DIN_SUFFIXES: &[&str] = &[
    "eddine", "uddeen", "eddin", "uddin", "addin", "iddin", "oddin", "aldin", "eldin", "aldine", "edine", "udeen",
    "udin", "edin", "idin",
];

/// Articles that sit between "abd" and the name it is joined to.
const ABD_LINKS: &[&str] = &[
    "ul", "al", "el", "ol", "il", "ur", "ar", "ir", "as", "us", "an", "un", "az", "uz", "ad", "ud", "ash", "ush", "at",
    "ut",
];

fn servant_of(words: &[String]) -> Option<(String, usize)> {
    let first = words.first()?.as_str();
    let (rest_of_first, mut used) = match first {
        "abd" | "abdul" | "abdel" | "abdal" | "abdol" | "abdil" | "abdu" | "abdur" | "abdus" | "abdoul" => {
            let next = words.get(1)?;
            let next = next.as_str();
            if ABD_LINKS.contains(&next) {
                (words.get(2)?.clone(), 3)
            } else {
                (next.to_string(), 2)
            }
        }
        _ => {
            let tail = first.strip_prefix("abd")?;
            let tail = ABD_LINKS
                .iter()
                .filter(|link| tail.len() >= link.len() + 2)
                .find_map(|link| tail.strip_prefix(link))
                .or_else(|| tail.strip_prefix('u').filter(|t| t.len() > 3))
                .unwrap_or(tail);
            if tail.len() < 2 {
                return None;
            }
            (tail.to_string(), 1)
        }
    };
    if rest_of_first.is_empty() {
        return None;
    }
    if used > words.len() {
        used = words.len();
    }
    let name = fold_word(&rest_of_first);
    // Abdullah, Abd Allah, Abdallah: every spelling of "Allah" has the lone consonant l.
    let name = if skeleton(&name) == "l" { "allah".to_string() } else { name };
    Some((format!("abd{name}"), used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_match_is_the_first_group_of_the_table() {
        // Every string of up to four of the groups' letters (and a few others): whatever
        // follows the fourth byte cannot change which group matches.
        let letters = b"tschdzjkgpoeiayquwxbH\xc3";
        let mut strings: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = strings
                .iter()
                .filter(|s| s.len() == strings.last().map_or(0, Vec::len))
                .flat_map(|s| letters.iter().map(move |&b| [s.as_slice(), &[b]].concat()))
                .collect();
            strings.extend(longer);
        }
        assert!(strings.len() > 200_000);
        for string in &strings {
            let by_table = GROUPS.iter().find(|(from, _)| string.starts_with(from.as_bytes())).copied();
            assert_eq!(group_at(string), by_table, "{:?}", String::from_utf8_lossy(string));
        }
    }

    fn fold_all(words: &str) -> String {
        let words: Vec<String> = words.split(' ').map(str::to_string).collect();
        fold_words(&words).join(" ")
    }

    #[test]
    fn romanization_alternations_fold_together() {
        assert_eq!(fold_word("maqdis"), fold_word("makdis"));
        assert_eq!(fold_word("bait"), fold_word("beit"));
        assert_eq!(fold_word("bayt"), fold_word("beyt"));
        assert_eq!(fold_word("yousef"), fold_word("yusif"));
        assert_eq!(fold_word("khaled"), fold_word("halid"));
        assert_eq!(fold_word("uthman"), fold_word("usman"));
        // Latin dh writes ض (Riyadh, Ramadhan), ذ (Hudhayfa, Qadhafi) or d and h
        // (Chaudhry, Sindhi), read as d far more often than as z.
        assert_eq!(fold_word("riyadh"), fold_word("riyad"));
        assert_eq!(fold_word("ramadhan"), fold_word("ramadan"));
        assert_eq!(fold_word("chaudhry"), fold_word("chaudry"));
        assert_eq!(fold_word("bengoetxea"), fold_word("bengoechea"));
        assert_eq!(fold_word("ghani"), fold_word("gani"));
        assert_eq!(fold_word("djamal"), fold_word("jamal"));
        assert_eq!(fold_word("dzhamal"), fold_word("jamal"));
        assert_eq!(fold_word("gariev"), fold_word("gariyev"));
        assert_eq!(fold_word("moussa"), fold_word("musa"));
        assert_eq!(fold_word("rahmah"), fold_word("rahma"));
        assert_eq!(fold_word("walid"), fold_word("valid"));
        assert_eq!(fold_word("victor"), fold_word("viktor"));
        assert_eq!(fold_word("sergeyevich"), fold_word("sergeevich"));
        assert_eq!(fold_word("aous"), fold_word("aus"));
        assert_eq!(fold_word("rayyan"), fold_word("rayan"));
        assert_eq!(skeleton(&fold_word("ghasem")), skeleton(&fold_word("qasem")));
    }

    #[test]
    fn the_first_letter_answers_for_an_initial_as_the_groups_do() {
        // Every initial against every word of up to two letters after a first one: the
        // groups' folds are at most two letters long.
        let letters: Vec<u8> = (b'a'..=b'z').collect();
        for &initial in &letters {
            for &first in &letters {
                for &second in &letters {
                    let word = String::from_utf8(vec![first, second, b'a']).unwrap_or_default();
                    let by_groups = first == initial
                        || fold_vowel(initial) == first
                        || GROUPS.iter().any(|&(from, to)| {
                            !to.bytes().next().is_some_and(is_vowel)
                                && word.starts_with(to)
                                && folded_letter(from.as_bytes()[0]) == initial
                        });
                    assert_eq!(initial_stands_for(initial, &word), by_groups, "{} {word}", char::from(initial));
                }
            }
        }
    }

    #[test]
    fn an_initial_stands_for_a_word_whose_first_letters_were_folded_from_it() {
        let stands = |initial: u8, word: &str| initial_stands_for(initial, &fold_word(word));
        // C folds to k in an acronym; ch, kh, th, ph, dj and zh fold in a word.
        for (initial, word) in [(b'k', "chemical"), (b'k', "khalij"), (b'k', "corporation"), (b't', "thomas")] {
            assert!(stands(initial, word), "{} / {word}", initial as char);
        }
        for (initial, word) in
            [(b'p', "phoenix"), (b'd', "djibouti"), (b'z', "zhen"), (b'i', "economic"), (b'u', "organization")]
        {
            assert!(stands(initial, word), "{} / {word}", initial as char);
        }
        assert!(!stands(b's', "khalij"));
        assert!(!stands(b'k', "thomas"));
        assert!(!stands(b'm', "bank"));
    }

    #[test]
    fn different_names_stay_apart() {
        assert_ne!(fold_word("hassan"), fold_word("hussein"));
        assert_ne!(fold_word("rouhani"), fold_word("rahmani"));
    }

    #[test]
    fn belarusian_endings_fold_as_the_russian_ones() {
        assert_eq!(fold_word("naumau"), fold_word("naumov"));
        assert_eq!(fold_word("uladzimiravich"), fold_word("vladimirovich"));
        assert_eq!(fold_word("uladzimirauna"), fold_word("vladimirovna"));
        assert_eq!(fold_word("uladzimir"), fold_word("vladimir"));
        assert_eq!(fold_word("lau"), "lau", "a short word keeps its -au");
        assert_eq!(fold_word("makau"), "makau");
        assert_ne!(fold_word("galvao"), fold_word("galvov"), "Portuguese -ao is no Belarusian -au");
        assert_ne!(fold_word("naumau"), fold_word("naumann"));
    }

    #[test]
    fn skeletons_are_consonants() {
        assert_eq!(skeleton(&fold_word("muhammad")), "mhmd");
        assert_eq!(skeleton(&fold_word("mohamed")), "mhmd");
        assert_eq!(skeleton(&fold_word("aksenov")), skeleton(&fold_word("aksyonov")));
        assert_eq!(skeleton("aia"), "aia");
    }

    #[test]
    fn the_abbreviations_of_muhammad_fold_as_the_name() {
        assert_eq!(fold_word("mohd"), fold_word("muhammad"));
        assert_eq!(fold_word("muhd"), fold_word("muhammad"));
        assert_eq!(skeleton(&fold_word("mohd")), skeleton(&fold_word("mohammed")));
        assert_ne!(fold_word("mahd"), fold_word("muhammad"));
    }

    #[test]
    fn short_words_and_acronyms_are_not_folded() {
        assert_ne!(fold_word("pcc"), fold_word("ppc"));
        assert_eq!(fold_word("ssrc"), "ssrk");
        assert_eq!(fold_word("mtlq"), fold_word("mtlk"));
        assert_eq!(fold_word("atHad"), "athad");
        assert_ne!(fold_word("iii"), fold_word("ii"));
        assert_eq!(fold_word("sou"), fold_word("su"));
        assert_eq!(fold_word("ullah"), fold_word("allah"));
    }

    #[test]
    fn a_kunya_is_one_word() {
        assert_eq!(fold_all("abu yasir hassan"), fold_all("abou yaser hassan"));
        assert_eq!(fold_all("abu al khayr"), fold_all("abu khayr"));
        assert_eq!(fold_all("abul hasan"), fold_all("abu al hasan"));
        assert_eq!(fold_all("abolfazl"), fold_all("abu al fazl"));
        assert_eq!(fold_all("aboulkhair ali"), fold_all("abu al khayr ali"));
        assert_eq!(fold_all("aboulail"), fold_all("abou lail"));
        // Too short to be a name after the article: a word of its own.
        assert_eq!(fold_all("abulk"), fold_word("abulk"));
        assert_eq!(fold_all("abul"), fold_word("abul"));
        assert_ne!(fold_all("abu yasir hassan").split(' ').next(), Some("yasir"));
    }

    #[test]
    fn al_din_compounds_are_one_word() {
        assert_eq!(fold_all("nur al din"), fold_all("noureddine"));
        assert_eq!(fold_all("noor ud din"), fold_all("nuruddin"));
        assert_eq!(fold_all("saif al din"), fold_all("seifeddine"));
        assert_eq!(fold_all("zaher el dine"), fold_all("zaheraldin"));
        assert_eq!(fold_all("sadudin"), fold_all("saduddin"));
        assert_eq!(fold_all("al din"), "al din");
        // A public function: words that are not ASCII must not panic on a byte cut.
        assert_eq!(fold_words(&["nur".to_string(), "aédin".to_string()]).len(), 2);
    }

    #[test]
    fn words_folded_alone_are_each_word_folded() {
        for name in ["acme trading llc", "ivan petrov", "al qaeda", "hizb ullah", "sergeyevich", "x"] {
            let words: Vec<String> = name.split(' ').map(str::to_string).collect();
            assert!(folds_alone(&words), "{name}");
            assert_eq!(fold_words(&words), words.iter().map(|w| fold_word(w)).collect::<Vec<_>>(), "{name}");
        }
        for name in ["abu yasir", "omar ibn said", "nur al din", "noureddine", "abdullah", "abd al rahman"] {
            let words: Vec<String> = name.split(' ').map(str::to_string).collect();
            assert!(!folds_alone(&words), "{name}");
        }
    }

    #[test]
    fn son_of_and_servant_of_fold() {
        assert_eq!(fold_all("ibn taymiyya"), fold_all("bin taymiyya"));
        assert_eq!(fold_all("abdul rahman"), "abdrahman");
        assert_eq!(fold_all("abd al rahman"), "abdrahman");
        assert_eq!(fold_all("abdel rahman"), "abdrahman");
        assert_eq!(fold_all("abdulrahman"), "abdrahman");
        assert_eq!(fold_all("abdurrahman"), "abdrahman");
        assert_eq!(fold_all("abdullah"), fold_all("abd allah"));
    }
}
