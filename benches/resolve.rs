//! Resolve latency (criterion's mean per query) against synthetic tables of 1k and 100k
//! names, and 1M when asked, per query kind: exact names, normalized variants, one-edit
//! typos, reordered words, a dropped middle word and unknown names (no_match), so every
//! stage of the matcher is timed. Issue 8's targets at 1M names: p50 <= 20 µs, p99 <= 200 µs
//! on one core; criterion gives means, `examples/index_build.rs` gives the percentiles.
//!
//! ```text
//! cargo bench --bench resolve
//! CANONYM_BENCH_NAMES=1000,100000,1000000 cargo bench --bench resolve
//! cargo bench --bench resolve -- 'resolve/100000/typo'
//! ```
//!
//! Tables and queries come from `examples/synthetic/mod.rs` (deterministic, seed 8); each
//! table is built once, outside the timings. Answers are checked inside the loop: exact
//! and normalized queries must resolve to their own entity, every other query must be
//! accepted (its outcome depends on the matcher's tuning, not on speed).

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

#[path = "../examples/synthetic/mod.rs"]
mod synthetic;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use canonym::aliases::AliasTable;
use canonym::matcher::{MatchConfig, Matcher, Outcome, Query};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use synthetic::{QueryKind, SyntheticQuery};

/// Queries of each kind cycled through by one benchmark.
const QUERIES_PER_KIND: usize = 200;

/// Table sizes in names: `CANONYM_BENCH_NAMES` (comma-separated), else 1k and 100k.
fn sizes() -> Vec<usize> {
    std::env::var("CANONYM_BENCH_NAMES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().replace('_', "").parse().ok()).collect::<Vec<usize>>())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 100_000])
}

fn bench_resolve(c: &mut Criterion) {
    for names in sizes() {
        let entities = synthetic::entities(names, 8);
        let queries = synthetic::queries(&entities, QUERIES_PER_KIND * QueryKind::ALL.len(), 8);
        let matcher = Matcher::new(Arc::new(AliasTable::from_entities(entities)), MatchConfig::default());
        let mut group = c.benchmark_group(format!("resolve/{names}"));
        group.throughput(Throughput::Elements(1));
        for kind in QueryKind::ALL {
            let of_kind: Vec<&SyntheticQuery> = queries.iter().filter(|q| q.kind == kind).collect();
            assert!(!of_kind.is_empty(), "no {} queries", kind.as_str());
            let must_match = matches!(kind, QueryKind::Exact | QueryKind::Normalized);
            group.bench_function(BenchmarkId::from_parameter(kind.as_str()), |b| {
                let mut next = 0;
                b.iter(|| {
                    let q = of_kind[next % of_kind.len()];
                    next += 1;
                    let resolution = matcher.resolve(&Query::new(black_box(&q.text)));
                    let Ok(resolution) = resolution else {
                        panic!("{:?} refused: {resolution:?}", q.text);
                    };
                    if must_match {
                        let got = resolution.best.as_ref().map(|c| c.entity_id.as_str());
                        assert!(
                            resolution.outcome == Outcome::Matched && got == q.expected.as_deref(),
                            "{:?} resolved to {got:?}, expected {:?}",
                            q.text,
                            q.expected
                        );
                    }
                    black_box(resolution)
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_resolve
}
criterion_main!(benches);
