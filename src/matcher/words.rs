//! Word classes that carry little identity: articles and stop words, legal forms,
//! honorifics and generic organisation words. They still count, at a small weight,
//! so "Hamas Movement" stays closer to "Hamas" than to "Hamas Political Bureau".
//!
//! Legal forms are also rewritten to one spelling first, so "Limited" meets "Ltd" and
//! "Obshchestvo s Ogranichennoy Otvetstvennostyu" meets "OOO".

/// How much a word says about which entity a name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordClass {
    /// An ordinary word: weighted by its rarity in the table.
    Content,
    /// Articles, prepositions, conjunctions in the languages names arrive in.
    Stop,
    /// A company's legal form: LLC, GmbH, OOO, S.A.
    LegalForm,
    /// A title or honorific: Mr, Dr, Sheikh, Haji, Mullah.
    Title,
    /// A generic organisation word: group, organization, movement, company.
    Generic,
}

impl WordClass {
    /// The weight multiplier of the class.
    pub fn weight(self) -> f32 {
        match self {
            WordClass::Content => 1.0,
            WordClass::Generic => 0.3,
            WordClass::LegalForm => 0.2,
            WordClass::Title => 0.15,
            WordClass::Stop => 0.1,
        }
    }
}

/// The class of a folded word (see `normalize::fold`): the lists are folded once, so
/// "shaykh" and "sheikh" are both titles.
pub fn class_of_folded(word: &str) -> WordClass {
    static FOLDED: std::sync::OnceLock<rustc_hash::FxHashMap<String, WordClass>> = std::sync::OnceLock::new();
    let classes = FOLDED.get_or_init(|| {
        let mut classes = rustc_hash::FxHashMap::default();
        // Later lists win, so the more specific class (legal form over generic) holds.
        for (list, class) in [
            (GENERIC, WordClass::Generic),
            (TITLES, WordClass::Title),
            (LEGAL, WordClass::LegalForm),
            (STOP, WordClass::Stop),
        ] {
            for word in list {
                classes.insert(crate::normalize::fold::fold_word(word), class);
            }
        }
        classes
    });
    // A lone letter is an initial or a particle (Burmese U, Korean O): little identity.
    if crate::normalize::is_article(word) || (word.len() == 1 && word.bytes().all(|b| b.is_ascii_alphabetic())) {
        return WordClass::Stop;
    }
    classes.get(word).copied().unwrap_or(WordClass::Content)
}

/// Whether a folded word is Muhammad in one of its spellings, or Maria: the first of many
/// compound given names (Mohammed Saeed, Mohammad Reza, Maria Teresa), which writers
/// often drop.
pub fn is_compound_given_prefix(folded: &str) -> bool {
    static FOLDED: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    FOLDED
        .get_or_init(|| COMPOUND_GIVEN_PREFIXES.iter().map(|w| crate::normalize::fold::fold_word(w)).collect())
        .contains(folded)
}

const COMPOUND_GIVEN_PREFIXES: &[&str] = &[
    "muhammad", "muhammed", "mohammad", "mohammed", "mohamad", "mohamed", "muhamad", "muhamed", "mohd", "muhd", "maria",
];

const STOP: &[&str] = &[
    "the", "of", "and", "for", "in", "on", "to", "a", "de", "del", "della", "des", "du", "di", "da", "do", "dos",
    "das", "la", "le", "les", "los", "las", "lo", "y", "e", "et", "und", "der", "die", "van", "von", "fur", "per",
    "pour", "po", "i", "na", "w", "z", "ve", "va", "wa", "li", "bi", "fi", "min", "bin", "ibn", "bint",
];

const LEGAL: &[&str] = &[
    "ltd", "llc", "llp", "lp", "inc", "corp", "co", "plc", "sa", "sas", "sarl", "srl", "spa", "sl", "gmbh", "ag", "kg",
    "bv", "nv", "ab", "as", "oy", "pte", "pty", "pvt", "bhd", "sdn", "jsc", "pjsc", "cjsc", "ojsc", "fze", "fzc",
    "fzco", "fzllc", "dmcc", "est", "anstalt", "wll", "jv", "kft", "doo", "dd", "ad", "eood", "sp", "zoo", "sro",
    "sde", "cv", "de", "rl", "ca", "cia", "ltda", "eirl", "sac", "saic", "spc", "company", "bvba", "sprl", "fgup",
    "gup", "dp", "fgau", "fgbu", "sc", "scs", "spr", "eu",
];

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "haji",
    "hajji",
    "hadji",
    "al haj",
    "alhaj",
    "sheikh",
    "shaikh",
    "shaykh",
    "sheik",
    "cheikh",
    "mullah",
    "mulla",
    "mollah",
    "maulvi",
    "mawlawi",
    "maulavi",
    "moulavi",
    "maulana",
    "qari",
    "imam",
    "sayyid",
    "sayed",
    "syed",
    "general",
    "gen",
    "colonel",
    "col",
    "major",
    "maj",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "brigadier",
    "admiral",
    "commander",
    "president",
    "minister",
    "emir",
    "amir",
    "prince",
    "king",
    "queen",
    "judge",
    "ayatollah",
    "hojatoleslam",
    "engineer",
    "eng",
];

const GENERIC: &[&str] = &[
    "group",
    "organization",
    "organisation",
    "movement",
    "front",
    "party",
    "association",
    "society",
    "foundation",
    "corporation",
    "enterprise",
    "enterprises",
    "holding",
    "holdings",
    "trading",
    "trade",
    "general",
    "international",
    "industries",
    "industry",
    "industrial",
    "services",
    "service",
    "firm",
    "agency",
    "network",
    "center",
    "centre",
    "institute",
    "establishment",
    "charity",
    "charitable",
    "committee",
    "council",
    "union",
    "brigade",
    "brigades",
    "battalion",
    "battalions",
    "army",
    "forces",
    "force",
    "jamaat",
    "jamiat",
    "harakat",
    "tanzim",
    "jabhat",
    "hizb",
    "kataib",
    "liwa",
    "jaish",
    "sherkat",
    "shirkat",
    "sharikat",
    "tejarat",
    "tijarat",
    "department",
    "directorate",
    "bureau",
    "office",
    "division",
    "branch",
    "complex",
    "house",
    "wing",
    "works",
    "plant",
    "factory",
    "authority",
    "administration",
    "ministry",
    "commission",
    "unit",
    "consortium",
    "consorcio",
    "dto",
];

/// The legal forms among a name's words (folded, with their classes) that name a
/// registration: "Company" (co) is how any of them is written out, so it is none.
pub fn registration_forms<'a>(words: impl IntoIterator<Item = (&'a str, WordClass)>) -> Vec<&'a str> {
    words.into_iter().filter(|&(w, class)| is_registration_form(w, class)).map(|(w, _)| w).collect()
}

/// Whether one word (folded, with its class) is one of [`registration_forms`].
pub fn is_registration_form(word: &str, class: WordClass) -> bool {
    word != "co" && class == WordClass::LegalForm
}

/// Multi-word legal forms and their one-word spelling, longest first.
const LEGAL_PHRASES: &[(&[&str], &str)] = &[
    (&["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"], "llc"),
    (&["obshchestvo", "s", "ogranichennoi", "otvetstvennostiu"], "llc"),
    (&["obshchestvo", "s", "ogranichennoj", "otvetstvennostju"], "llc"),
    (&["tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"], "llc"),
    (&["gesellschaft", "mit", "beschrankter", "haftung"], "gmbh"),
    (&["public", "joint", "stock", "company"], "pjsc"),
    (&["closed", "joint", "stock", "company"], "cjsc"),
    (&["open", "joint", "stock", "company"], "ojsc"),
    // A joint-stock company all the same, whose shares are not offered to the public;
    // writers of one company's names keep or drop "private" (Arfada Petroleum Private
    // Joint Stock Company is also Arvada Petroleum Company JSC).
    (&["private", "joint", "stock", "company"], "jsc"),
    (&["private", "jsc"], "jsc"),
    (&["joint", "stock", "company"], "jsc"),
    (&["limited", "liability", "company"], "llc"),
    // Vietnamese: Cong ty TNHH (trach nhiem huu han) is a company limited, Cong ty Co
    // phan (CP) a joint-stock company.
    (&["cong", "ty", "trach", "nhiem", "huu", "han"], "co ltd"),
    (&["cong", "ty", "tnhh"], "co ltd"),
    (&["cong", "ty", "co", "phan"], "jsc"),
    (&["cong", "ty", "cp"], "jsc"),
    (&["trach", "nhiem", "huu", "han"], "ltd"),
    (&["tnhh"], "ltd"),
    (&["cong", "ty"], "co"),
    // Russian banks: AKB (aktsionerny kommercheski bank) is a joint-stock commercial
    // bank, written JSCB or JSC CB in English.
    (&["joint", "stock", "commercial", "bank"], "jsc commercial bank"),
    (&["aktsionernyy", "kommercheskiy", "bank"], "jsc commercial bank"),
    (&["kommercheskiy", "bank"], "commercial bank"),
    (&["akb"], "jsc commercial bank"),
    (&["jscb"], "jsc commercial bank"),
    (&["cb"], "commercial bank"),
    (&["limited", "liability", "partnership"], "llp"),
    (&["sociedad", "anonima"], "sa"),
    (&["societe", "anonyme"], "sa"),
    (&["societa", "per", "azioni"], "spa"),
    (&["public", "limited", "company"], "plc"),
    (&["private", "limited"], "pvt ltd"),
    (&["free", "zone", "establishment"], "fze"),
    (&["free", "zone", "company"], "fzco"),
    (&["sociedad", "de", "responsabilidad", "limitada"], "srl"),
    (&["s", "de", "rl"], "srl"),
    (&["sa", "de", "cv"], "sa cv"),
    (&["sociedad", "anonima", "de", "capital", "variable"], "sa cv"),
    (&["asociacion", "civil"], "ac"),
    (&["sociedad", "civil"], "sc"),
    (&["sociedad", "en", "comandita", "simple"], "scs"),
    (&["sociedad", "de", "produccion", "rural"], "spr"),
    (&["responsabilidad", "limitada"], "rl"),
    // Its letters stay a word: Ri is a Korean family name.
    (&["responsabilidad", "ilimitada"], "ri"),
    (&["empresa", "unipersonal"], "eu"),
    // A designation of the US Treasury, written out or as its letters.
    (&["drug", "trafficking", "organization"], "dto"),
    (&["int"], "international"),
    (&["shpg"], "shipping"),
    (&["intl"], "international"),
    (&["mfg"], "manufacturing"),
    // Other words of organisations' names as registers and lists abbreviate them.
    (&["org"], "organization"),
    (&["assn"], "association"),
    (&["assoc"], "association"),
    (&["natl"], "national"),
    (&["govt"], "government"),
    (&["dept"], "department"),
    (&["hldg"], "holding"),
    (&["hldgs"], "holdings"),
    (&["mgmt"], "management"),
    (&["svcs"], "services"),
    (&["inds"], "industries"),
    (&["trdg"], "trading"),
    (&["engg"], "engineering"),
    (&["bros"], "brothers"),
    (&["doctor"], "dr"),
    (&["aktiengesellschaft"], "ag"),
    // Russian and Ukrainian state enterprises, as written out in either language or in
    // English: FGUP, GUP, DP (derzhavne pidpryemstvo), FGAU, FGBU.
    (&["federalnoe", "gosudarstvennoe", "unitarnoe", "predpriyatie"], "fgup"),
    (&["federal", "state", "unitary", "enterprise"], "fgup"),
    (&["gosudarstvennoe", "unitarnoe", "predpriyatie"], "gup"),
    (&["state", "unitary", "enterprise"], "gup"),
    (&["fsue"], "fgup"),
    (&["derzhavne", "pidpryemstvo"], "dp"),
    (&["gosudarstvennoe", "predpriyatie"], "dp"),
    (&["state", "enterprise"], "dp"),
    (&["federal", "state", "autonomous", "institution"], "fgau"),
    (&["federal", "state", "budgetary", "institution"], "fgbu"),
    (&["pjs"], "pjsc"),
    (&["otkrytoe", "aktsionernoe", "obshchestvo"], "ojsc"),
    (&["zakrytoe", "aktsionernoe", "obshchestvo"], "cjsc"),
    (&["publichnoe", "aktsionernoe", "obshchestvo"], "pjsc"),
    (&["publichnoye", "joint", "stock", "company"], "pjsc"),
    // Since 2014 Russian law knows only public and non-public joint-stock companies:
    // AO (aktsionernoe obshchestvo) is what used to be ZAO or OAO.
    (&["aktsionernoe", "obshchestvo"], "jsc"),
    (&["ao"], "jsc"),
    // Transliterated forms are the English ones: OOO is a limited liability company.
    (&["ooo"], "llc"),
    (&["tov"], "llc"),
    (&["zao"], "cjsc"),
    (&["oao"], "ojsc"),
    (&["pao"], "pjsc"),
    (&["limited"], "ltd"),
    (&["compania"], "co"),
    (&["companhia"], "co"),
    (&["compagnie"], "co"),
    (&["limitada"], "ltda"),
    (&["lda"], "ltda"),
    (&["incorporated"], "inc"),
    (&["incorporado"], "inc"),
    (&["incorporada"], "inc"),
    (&["corporation"], "corp"),
    (&["company"], "co"),
    (&["cie"], "co"),
    (&["cia"], "co"),
];

/// The legal phrases with their words folded (see `normalize::fold`), so that any
/// romanization of one (ogranichennoy, ogranichennoi) is found.
/// Short words are matched as written: folded, "ooo" would be the "u" of Zaia u Rahman.
fn folded_legal_phrases() -> &'static [(Vec<String>, &'static str)] {
    static FOLDED: std::sync::OnceLock<Vec<(Vec<String>, &'static str)>> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        LEGAL_PHRASES.iter().map(|(phrase, short)| (phrase.iter().map(|w| phrase_key(w)).collect(), *short)).collect()
    })
}

/// The positions in `folded_legal_phrases` of the phrases each folded word begins, in
/// phrase order (longest first): most words begin none, and trying all the phrases at
/// every word of every name was most of `canonical_legal_forms`' own work.
fn phrases_by_first_word() -> &'static rustc_hash::FxHashMap<&'static str, Vec<usize>> {
    static BY_FIRST_WORD: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Vec<usize>>> =
        std::sync::OnceLock::new();
    BY_FIRST_WORD.get_or_init(|| {
        let mut by_first_word: rustc_hash::FxHashMap<&'static str, Vec<usize>> = Default::default();
        for (position, (phrase, _)) in folded_legal_phrases().iter().enumerate() {
            if let Some(first) = phrase.first() {
                by_first_word.entry(first.as_str()).or_default().push(position);
            }
        }
        by_first_word
    })
}

/// How a word is compared with the words of legal phrases.
fn phrase_key(word: &str) -> String {
    if keyed_as_written(word) {
        word.to_string()
    } else {
        crate::normalize::fold::fold_word(word)
    }
}

/// Whether a word's [`phrase_key`] is the word as written (a short word, an abbreviated
/// form: SA, Co, LLC) rather than its fold.
fn keyed_as_written(word: &str) -> bool {
    word.len() <= 3
}

thread_local! {
    /// Whether a word's `phrase_key` begins a legal phrase, remembered per word by each
    /// thread: every name's words are asked (by the index, by each query, by each
    /// look-alike step), the words repeat across names, and folding each one again for
    /// the question was 6% of dedupe's CPU time at 1 M records (measured without it).
    static BEGINS_PHRASE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, bool>> = Default::default();
}

/// Words a thread remembers in `BEGINS_PHRASE` before starting afresh: a few MiB.
const BEGINS_PHRASE_KEPT: usize = 1 << 18;

/// Whether some legal phrase begins with `word` (compared by `phrase_key`).
fn may_begin_phrase(word: &str) -> bool {
    let begins = |word: &str| phrases_by_first_word().contains_key(phrase_key(word).as_str());
    if keyed_as_written(word) {
        // Nothing to fold.
        return phrases_by_first_word().contains_key(word);
    }
    BEGINS_PHRASE.with_borrow_mut(|known| {
        if let Some(&known) = known.get(word) {
            return known;
        }
        if known.len() >= BEGINS_PHRASE_KEPT {
            known.clear();
        }
        let answer = begins(word);
        known.insert(word.into(), answer);
        answer
    })
}

/// Every word a legal phrase is rewritten to by `canonical_legal_forms`.
pub(crate) fn legal_form_words() -> impl Iterator<Item = &'static str> {
    LEGAL_PHRASES.iter().flat_map(|(_, short)| short.split(' '))
}

/// Rewrites legal forms to one spelling in a list of romanized words.
pub fn canonical_legal_forms(words: &[String]) -> Vec<String> {
    rewritten_legal_forms(words).unwrap_or_else(|| words.to_vec())
}

/// [`canonical_legal_forms`], or `None` when no word begins a legal phrase: the words
/// are then their own legal forms, and a caller holding them needs no copy.
pub(crate) fn rewritten_legal_forms(words: &[String]) -> Option<Vec<String>> {
    // Most names hold no word a phrase begins with: then nothing is rewritten.
    if !words.iter().any(|word| may_begin_phrase(word)) {
        return None;
    }
    let keys: Vec<String> = words.iter().map(|w| phrase_key(w)).collect();
    Some(legal_forms_by_keys(words, &keys))
}

/// [`rewritten_legal_forms`] of words whose folds (`fold::fold_word` of each, in place)
/// the caller has already, as a query's analysis does: folding every word again to find
/// the legal phrases was a twentieth of resolve's instructions. `None` (most queries)
/// saves copying every word into the same list, most of this step's cost.
pub(crate) fn rewritten_legal_forms_folded(words: &[String], folded: &[String]) -> Option<Vec<String>> {
    if words.len() != folded.len() {
        return rewritten_legal_forms(words);
    }
    // `phrase_key`, the fold given.
    fn key<'w>((word, folded): (&'w String, &'w String)) -> &'w str {
        if keyed_as_written(word) {
            word.as_str()
        } else {
            folded.as_str()
        }
    }
    let by_first_word = phrases_by_first_word();
    if !words.iter().zip(folded).any(|pair| by_first_word.contains_key(key(pair))) {
        return None;
    }
    let keys: Vec<&str> = words.iter().zip(folded).map(key).collect();
    Some(legal_forms_by_keys(words, &keys))
}

/// [`canonical_legal_forms`] with each word's [`phrase_key`] given.
fn legal_forms_by_keys(words: &[String], keys: &[impl AsRef<str>]) -> Vec<String> {
    let phrases = folded_legal_phrases();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    'words: while i < words.len() {
        let starting_here = phrases_by_first_word().get(keys[i].as_ref()).map_or(&[][..], Vec::as_slice);
        for (phrase, short) in starting_here.iter().map(|&p| &phrases[p]) {
            let end = i + phrase.len();
            if end <= words.len() && keys[i..end].iter().map(AsRef::as_ref).eq(phrase.iter().map(String::as_str)) {
                out.extend(short.split(' ').map(str::to_string));
                i = end;
                continue 'words;
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn legal_forms_meet_their_spelled_out_forms() {
        assert_eq!(canonical_legal_forms(&words("acme limited")), words("acme ltd"));
        assert_eq!(
            canonical_legal_forms(&words("obshchestvo s ogranichennoy otvetstvennostyu romashka")),
            words("llc romashka")
        );
        assert_eq!(canonical_legal_forms(&words("ooo romashka")), words("llc romashka"));
        assert_eq!(canonical_legal_forms(&words("acme limited liability company")), words("acme llc"));
        assert_eq!(canonical_legal_forms(&words("acme private jsc")), words("acme jsc"));
        assert_eq!(canonical_legal_forms(&words("ao romashka")), words("jsc romashka"));
        assert_eq!(canonical_legal_forms(&words("romashka aktsionernoye obshchestvo")), words("romashka jsc"));
        assert_eq!(canonical_legal_forms(&words("acme private joint stock company")), words("acme jsc"));
        assert_eq!(
            canonical_legal_forms(&words("obshchestvo s ogranichennoi otvetstvennostyu avia")),
            words("llc avia"),
            "any romanization of the phrase"
        );
        assert_eq!(canonical_legal_forms(&words("federal state unitary enterprise kvant")), words("fgup kvant"));
        assert_eq!(
            canonical_legal_forms(&words("derzhavne pidpryemstvo zavod")),
            canonical_legal_forms(&words("gosudarstvenoye predpriyatiye zavod")),
            "a Ukrainian state enterprise is a Russian one"
        );
        assert_eq!(class_of_folded("bvba"), WordClass::LegalForm);
        assert_eq!(
            canonical_legal_forms(&words("nopal sociedad de produccion rural de responsabilidad limitada")),
            words("nopal spr de rl")
        );
        assert_eq!(canonical_legal_forms(&words("nopal sociedad civil")), words("nopal sc"));
        assert_eq!(
            canonical_legal_forms(&words("cano drug trafficking organization")),
            words("cano dto"),
            "not a legal form, but a designation written both ways"
        );
        assert_eq!(class_of_folded("ri"), WordClass::Content, "Ri is a Korean family name");
        assert_eq!(canonical_legal_forms(&words("cong ty tnhh thanh binh")), words("co ltd thanh binh"));
        assert_eq!(canonical_legal_forms(&words("thanh binh company limited")), words("thanh binh co ltd"));
        assert_eq!(canonical_legal_forms(&words("cong ty co phan thanh binh")), words("jsc thanh binh"));
        assert_eq!(
            canonical_legal_forms(&words("akb severny")),
            canonical_legal_forms(&words("joint stock commercial bank severny")),
            "a Russian joint-stock commercial bank"
        );
        assert_eq!(canonical_legal_forms(&words("jsc cb severny")), canonical_legal_forms(&words("jscb severny")));
    }

    #[test]
    fn abbreviated_words_meet_their_full_forms() {
        assert_eq!(canonical_legal_forms(&words("rahma welfare org")), words("rahma welfare organization"));
        assert_eq!(canonical_legal_forms(&words("kala natl trdg assn")), words("kala national trading association"));
        assert_eq!(canonical_legal_forms(&words("acme intl hldgs")), words("acme international holdings"));
        assert_eq!(canonical_legal_forms(&words("yazd steel inds")), words("yazd steel industries"));
    }

    #[test]
    fn legal_forms_found_by_given_folds_are_the_same() {
        for name in [
            "acme limited liability company",
            "obshchestvo s ogranichennoi otvetstvennostyu avia",
            "ooo romashka",
            "federal state unitary enterprise kvant",
            "zaia u rahman",
        ] {
            let words = words(name);
            let folded: Vec<String> = words.iter().map(|w| crate::normalize::fold::fold_word(w)).collect();
            let legal = rewritten_legal_forms_folded(&words, &folded).unwrap_or_else(|| words.clone());
            assert_eq!(legal, canonical_legal_forms(&words), "{name}");
        }
    }

    #[test]
    fn words_without_a_legal_phrase_are_not_rewritten_and_others_are_as_before() {
        for (name, rewrites) in [
            ("acme trading", false),
            ("golden star shipping", false),
            ("acme limited liability company", true),
            ("ooo romashka", true),
            ("romashka aktsionernoye obshchestvo", true),
        ] {
            let words = words(name);
            let folded: Vec<String> = words.iter().map(|w| crate::normalize::fold::fold_word(w)).collect();
            let rewritten = rewritten_legal_forms_folded(&words, &folded);
            assert_eq!(rewritten.is_some(), rewrites, "{name}");
            assert_eq!(rewritten.unwrap_or_else(|| words.clone()), canonical_legal_forms(&words), "{name}");
            let unfolded = rewritten_legal_forms(&words);
            assert_eq!(unfolded.is_some(), rewrites, "{name}, words alone");
            assert_eq!(unfolded.unwrap_or_else(|| words.clone()), canonical_legal_forms(&words), "{name}");
        }
    }

    #[test]
    fn classes_weigh_identity() {
        let class_of = |word: &str| class_of_folded(&crate::normalize::fold::fold_word(word));
        assert_eq!(class_of("hamas"), WordClass::Content);
        assert_eq!(class_of("al"), WordClass::Stop);
        assert_eq!(class_of("llc"), WordClass::LegalForm);
        assert_eq!(class_of("sheikh"), WordClass::Title);
        assert_eq!(class_of("m"), WordClass::Stop, "a lone letter");
        assert!(class_of("group").weight() < class_of("nusra").weight());
    }
}
