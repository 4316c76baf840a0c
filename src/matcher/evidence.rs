//! The candidate stage's evidence: names found through the postings of the query's
//! words, each with the gains of the words that found it summed.
//!
//! A query walks a few hundred postings. A general hash map's entry (hash, probe a group
//! of tags, compare, insert or update, check its growth) cost about 60 instructions and
//! a mispredicted branch or two per posting, and allocating and zeroing a map sized for
//! the walk came on top. This table is kept by each thread across its queries, addressed
//! by a multiplicative hash of the name id with linear probing, made room for a posting
//! list at a time, and emptied after each query by the slots it used (never by clearing
//! all of it). Adding a posting does not branch on whether its name is new: an empty
//! slot holds 0.0, so its sum starts as a map's default entry does.

use std::cell::Cell;

/// A slot holding no name: no name has this id.
const EMPTY: u32 = u32::MAX;

/// The fewest slots a table has.
const MIN_SLOTS_BITS: u32 = 11;

/// Names and their summed evidence, in the order first found.
#[derive(Debug, Default)]
pub(super) struct Evidence {
    /// (name id, evidence), or (`EMPTY`, 0.0); a power of two of them, at most half
    /// held (or none yet).
    slots: Vec<(u32, f32)>,
    /// The slots in use, in the order their names were first found, in `used[..held]`;
    /// as long as `slots`, so that a new name's slot is written without a check.
    used: Vec<u32>,
    held: usize,
    /// How far a hash is shifted right to pick a slot: 32 less the slots' bits.
    shift: u32,
}

thread_local! {
    /// Each thread's table, lent to one query at a time ([`Evidence::with`]).
    static EVIDENCE: Cell<Evidence> = Cell::default();
}

impl Evidence {
    /// Calls `use_it` with this thread's table, empty, and empties it again after.
    pub(super) fn with<T>(use_it: impl FnOnce(&mut Evidence) -> T) -> T {
        let mut evidence = EVIDENCE.take();
        if evidence.slots.is_empty() {
            evidence.resize(MIN_SLOTS_BITS);
        }
        let result = use_it(&mut evidence);
        evidence.clear();
        EVIDENCE.set(evidence);
        result
    }

    /// How many names it holds.
    pub(super) fn len(&self) -> usize {
        self.held
    }

    pub(super) fn is_empty(&self) -> bool {
        self.held == 0
    }

    /// Adds `gain` to the evidence of each of `names` in turn (from 0.0 for a name not
    /// held yet, as a map's default entry).
    pub(super) fn add_all(&mut self, names: &[u32], gain: f32) {
        self.make_room(names.len());
        for &name in names {
            let slot = self.slot_of(name);
            let entry = &mut self.slots[slot];
            let new = entry.0 == EMPTY;
            *entry = (name, entry.1 + gain);
            self.used[self.held] = slot as u32;
            self.held += usize::from(new);
        }
    }

    /// Sets the evidence of `name` to `value`.
    pub(super) fn set(&mut self, name: u32, value: f32) {
        self.make_room(1);
        let slot = self.slot_of(name);
        let entry = &mut self.slots[slot];
        if entry.0 == EMPTY {
            self.used[self.held] = slot as u32;
            self.held += 1;
        }
        *entry = (name, value);
    }

    /// Every name with its evidence, in the order first found.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.used[..self.held].iter().map(|&slot| self.slots[slot as usize])
    }

    /// The slot holding `name`, or the empty slot where it goes.
    fn slot_of(&self, name: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut slot = (name.wrapping_mul(0x9E37_79B9) >> self.shift) as usize;
        loop {
            let held = self.slots[slot].0;
            if held == name || held == EMPTY {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Grows the table until `more` names fit with it at most half full.
    fn make_room(&mut self, more: usize) {
        if (self.held + more) * 2 > self.slots.len() {
            self.grow(self.held + more);
        }
    }

    /// Room for `names` names at most half full, holding the same names in the same
    /// order.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, names: usize) {
        let bits = (names * 2).next_power_of_two().trailing_zeros().max(MIN_SLOTS_BITS);
        let held: Vec<(u32, f32)> = self.iter().collect();
        self.resize(bits);
        for (name, value) in held {
            let slot = self.slot_of(name);
            self.slots[slot] = (name, value);
            self.used[self.held] = slot as u32;
            self.held += 1;
        }
    }

    /// Empty, with `1 << bits` slots.
    fn resize(&mut self, bits: u32) {
        self.slots.clear();
        self.slots.resize(1 << bits, (EMPTY, 0.0));
        self.used.clear();
        self.used.resize(1 << bits, 0);
        self.held = 0;
        self.shift = 32 - bits;
    }

    /// Empties the slots in use.
    fn clear(&mut self) {
        for &slot in &self.used[..self.held] {
            self.slots[slot as usize] = (EMPTY, 0.0);
        }
        self.held = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashMap as HashMap;

    #[test]
    fn sums_as_a_map_does_and_lists_names_as_first_found() {
        for (round, count) in [10u32, 700, 5000].into_iter().enumerate() {
            let found = Evidence::with(|evidence| {
                assert!(evidence.is_empty(), "empty when lent");
                let mut map: HashMap<u32, f32> = HashMap::default();
                let mut order = Vec::new();
                for list in 0..count / 5 + 1 {
                    let names: Vec<u32> =
                        (0..15).map(|i| ((list * 15 + i) * 7919 + round as u32) % (count * 2) * 1024).collect();
                    let gain = 0.1 + (list % 13) as f32 / 7.0;
                    for &name in &names {
                        if !map.contains_key(&name) {
                            order.push(name);
                        }
                        *map.entry(name).or_default() += gain;
                    }
                    evidence.add_all(&names, gain);
                }
                evidence.set(3, 0.0);
                map.insert(3, 0.0);
                order.push(3);
                assert_eq!(evidence.len(), map.len());
                let listed: Vec<(u32, f32)> = evidence.iter().collect();
                assert_eq!(listed.iter().map(|&(name, _)| name).collect::<Vec<_>>(), order);
                for (name, value) in listed {
                    assert_eq!(value.to_bits(), map[&name].to_bits(), "{name}");
                }
                evidence.len()
            });
            assert!(found > 0);
        }
        Evidence::with(|evidence| assert!(evidence.is_empty() && evidence.iter().next().is_none()));
    }
}
