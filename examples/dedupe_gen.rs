//! Synthetic input for the `dedupe` benchmark: deterministic CSV records in, nothing read.
//!
//! In: how many records, how many distinct names, and an output path (`-` for stdout).
//! Out: `id,name,source` CSV whose names are made-up people and organisations, each
//! written in a few variants (case, a typo, words reordered, a legal form added or
//! dropped), plus a few country names the built-in table knows; names repeat with a
//! heavy-tailed frequency, as in real data. The same arguments always give the same file.
//! It never reads anything and writes only the named output.
//!
//! ```text
//! cargo run --release --example dedupe_gen -- 10000000 1000000 /tmp/dedupe-bench.csv
//! ```

use std::collections::HashSet;
use std::io::{self, BufWriter, Write};

/// xorshift64*: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SYLLABLES: [&str; 40] = [
    "ka", "ri", "mo", "ta", "le", "na", "vo", "si", "du", "ber", "gan", "tor", "mel", "qui", "zar", "hal", "fen",
    "rus", "pel", "dor", "ami", "el", "son", "ov", "ra", "lin", "sha", "kov", "ten", "bra", "ho", "mi", "ne", "lu",
    "ga", "ste", "ver", "cal", "dan", "ros",
];
const LEGAL_FORMS: [&str; 8] = ["LLC", "Ltd", "Inc.", "S.A.", "GmbH", "Co.", "Corp.", "LLP"];
const SECTORS: [&str; 12] = [
    "Trading",
    "Holdings",
    "Shipping",
    "Logistics",
    "Industries",
    "Group",
    "Energy",
    "Systems",
    "Partners",
    "Foods",
    "Mining",
    "Textiles",
];
const COUNTRIES: [&str; 10] =
    ["France", "Syria", "Germany", "Brazil", "Japan", "Kenya", "Peru", "Norway", "Egypt", "Canada"];

fn word(rng: &mut Rng, syllables: usize) -> String {
    let mut word: String = (0..syllables).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect();
    if let Some(first) = word.get(0..1) {
        word = first.to_uppercase() + &word[1..];
    }
    word
}

/// A made-up entity's canonical name: a person (given name, family name) or a company.
fn base_name(rng: &mut Rng, given_names: &[String]) -> String {
    if rng.below(2) == 0 {
        let middle =
            if rng.below(3) == 0 { format!(" {}", given_names[rng.below(given_names.len())]) } else { String::new() };
        format!("{}{middle} {}", given_names[rng.below(given_names.len())], word(rng, 3))
    } else {
        let sector = SECTORS[rng.below(SECTORS.len())];
        format!("{} {} {sector} {}", word(rng, 2), word(rng, 3), LEGAL_FORMS[rng.below(LEGAL_FORMS.len())])
    }
}

/// One way of writing a name differently.
fn variant(rng: &mut Rng, name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    match rng.below(5) {
        0 => name.to_uppercase(),
        1 => {
            // A typo: one letter dropped from the longest word.
            let longest = words.iter().enumerate().max_by_key(|(_, w)| w.len()).map_or(0, |(i, _)| i);
            let mut changed: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let target = &mut changed[longest];
            if target.len() > 3 {
                let at = 1 + rng.below(target.len() - 2);
                target.remove(at);
            }
            changed.join(" ")
        }
        2 if words.len() >= 2 => {
            // Family name first, with a comma.
            let (last, rest) = words.split_last().map_or((&"", &words[..]), |(l, r)| (l, r));
            format!("{}, {}", last.to_uppercase(), rest.join(" "))
        }
        3 => words.iter().filter(|w| !LEGAL_FORMS.contains(w)).copied().collect::<Vec<_>>().join(" "),
        _ => name.to_lowercase(),
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: dedupe_gen RECORDS DISTINCT OUTPUT|-";
    let (Some(records), Some(distinct), Some(path)) = (
        args.first().and_then(|a| a.parse::<u64>().ok()),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mut rng = Rng(0x5EED_2024_0926_0001);
    let given_names: Vec<String> = (0..3000).map(|_| word(&mut rng, 2)).collect();
    let names = distinct_names(&mut rng, &given_names, distinct);
    let output: Box<dyn Write> =
        if path == "-" { Box::new(io::stdout().lock()) } else { Box::new(std::fs::File::create(path)?) };
    let mut output = BufWriter::with_capacity(1 << 20, output);
    writeln!(output, "id,name,source")?;
    // Every name at least once, then heavy-tailed repeats (u^3 favours the first names).
    for id in 0..records {
        let name = if (id as usize) < names.len() {
            &names[id as usize]
        } else if rng.below(100) == 0 {
            COUNTRIES[rng.below(COUNTRIES.len())]
        } else {
            &names[((rng.unit().powi(3)) * names.len() as f64) as usize % names.len()]
        };
        let quoted = if name.contains(',') { format!("\"{name}\"") } else { name.to_string() };
        writeln!(output, "{id},{quoted},src{}", rng.below(7))?;
    }
    output.flush()
}

/// `distinct` different spellings: entities with one to five variants each.
fn distinct_names(rng: &mut Rng, given_names: &[String], distinct: usize) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::with_capacity(distinct);
    let mut names = Vec::with_capacity(distinct);
    while names.len() < distinct {
        let base = base_name(rng, given_names);
        let variants = 1 + rng.below(5);
        for i in 0..variants {
            let name = if i == 0 { base.clone() } else { variant(rng, &base) };
            if names.len() < distinct && seen.insert(name.clone()) {
                names.push(name);
            }
        }
    }
    // Shuffle, so variants of one entity are not neighbours in the file.
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i + 1));
    }
    names
}
