//! Normalization throughput: `normalize::normalize` (the strict key) and
//! `normalize::analyze` (every comparable form) on short Latin names, and separately on
//! Arabic-script and Cyrillic names, in names per second (criterion `Throughput::Elements`).
//! Issue 8's target: >= 1M names/s on one core for short Latin names.
//!
//! ```text
//! cargo bench --bench normalize
//! cargo bench --bench normalize -- --measurement-time 3 --sample-size 20
//! ```
//!
//! The names come from the synthetic generator shared with `benches/resolve.rs`
//! (`examples/synthetic/mod.rs`), so they look like sanctions-list names and are the same
//! on every run. Every result is checked non-empty inside the timed loop.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

#[path = "../examples/synthetic/mod.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::Duration;

use canonym::normalize;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Names of each sample set.
const SAMPLE: usize = 1000;

/// Short Latin names (up to 40 bytes, ASCII), Arabic-script names and Cyrillic names.
fn samples() -> Vec<(&'static str, Vec<String>)> {
    let entities = synthetic::entities(40_000, 8);
    let names: Vec<&str> = entities.iter().flat_map(|e| e.names().map(|n| n.text.as_str())).collect();
    let pick = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
        names.iter().filter(|n| keep(n)).take(SAMPLE).map(|n| n.to_string()).collect()
    };
    let latin = pick(&|n| n.is_ascii() && n.len() <= 40);
    let arabic = pick(&|n| n.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
    let cyrillic = pick(&|n| n.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)));
    vec![("latin_short", latin), ("arabic", arabic), ("cyrillic", cyrillic)]
}

fn bench_normalize(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize");
    for (label, names) in samples() {
        assert_eq!(names.len(), SAMPLE, "the generator gives enough {label} names");
        group.throughput(Throughput::Elements(names.len() as u64));
        group.bench_with_input(BenchmarkId::new("normalize", label), &names, |b, names| {
            b.iter(|| {
                for name in names {
                    let key = normalize::normalize(black_box(name));
                    assert!(!key.is_empty(), "empty strict key for {name:?}");
                    black_box(key);
                }
            })
        });
        group.bench_with_input(BenchmarkId::new("analyze", label), &names, |b, names| {
            b.iter(|| {
                for name in names {
                    let analyzed = normalize::analyze(black_box(name));
                    assert!(!analyzed.folded.is_empty(), "no folded words for {name:?}");
                    black_box(analyzed);
                }
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_normalize
}
criterion_main!(benches);
