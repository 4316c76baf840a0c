//! Index build time, resident memory and per-query resolve latency percentiles on a
//! synthetic table (issue 8's targets: build for 1M names <= 10 s and <= 1 GiB resident;
//! resolve p50 <= 20 µs and p99 <= 200 µs at 1M names, one core).
//!
//! ```text
//! cargo run --release --example index_build -- --names 1000000 --queries 20000
//! ```
//!
//! Generates the table with `examples/synthetic/mod.rs` (deterministic for a seed),
//! reads VmRSS/VmHWM from /proc/self/status before and after `Matcher::new`, then times
//! every query on its own with `Instant`, single-threaded, and prints p50/p90/p99/max per
//! query kind and overall: wall clock, and wall clock minus the time the thread waited for
//! a CPU (from /proc/thread-self/schedstat, for machines shared with other work), with
//! `normalize::analyze` alone timed on the same queries (the part of resolve that does not
//! depend on the table). Answers are checked: an exact or
//! normalized query must resolve to its own entity; every other kind's outcomes are
//! counted (right entity, wrong entity, ambiguous, no_match), and mismatches of exact
//! queries and false matches of unknown names are printed. Exits non-zero when an exact
//! or normalized query misses. Reads only /proc (status, schedstat, cpuinfo); writes only stdout.

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use canonym::matcher::{MatchConfig, Matcher, Outcome, Query};
use canonym::normalize;
use clap::Parser;
use synthetic::QueryKind;

/// The same allocator as the `canonym` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Names (primary names plus aliases) in the synthetic table.
    #[arg(long, default_value_t = 1_000_000)]
    names: usize,
    /// Queries to time, the kinds in equal shares.
    #[arg(long, default_value_t = 20_000)]
    queries: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 8)]
    seed: u64,
    /// Mismatches to print per kind.
    #[arg(long, default_value_t = 5)]
    show: usize,
    /// The slowest queries to print, with their latency (where the tail comes from).
    #[arg(long, default_value_t = 10)]
    slowest: usize,
    /// Also write every query's answer (outcome, ten ranked candidates with scores and
    /// methods) to this file, untimed: speed work diffs it to show no answer changed.
    #[arg(long)]
    answers: Option<std::path::PathBuf>,
    /// The candidates each answer of `--answers` asks for: 0 checks the answers the timed
    /// queries get (`Query::new` asks for none), which can differ from those asking for
    /// ten when a change skips names that cannot be among the candidates asked for.
    #[arg(long, default_value_t = 10)]
    answers_candidates: usize,
}

/// Picks one of a tally's series of durations.
type Durations = fn(&mut Tally) -> &mut Vec<Duration>;

/// Outcome counts and timings for one query kind.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    on_cpu: Vec<Duration>,
    analyze: Vec<Duration>,
    right: usize,
    wrong: usize,
    ambiguous: usize,
    no_match: usize,
    errors: usize,
    shown: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let before = memory()?;
    println!("machine: {} cpus, {}", std::thread::available_parallelism().map_or(0, |n| n.get()), cpu_model());
    println!("start: {before}");

    let started = Instant::now();
    let entities = synthetic::entities(args.names, args.seed);
    let queries = synthetic::queries(&entities, args.queries, args.seed);
    let table = Arc::new(canonym::aliases::AliasTable::from_entities(entities));
    let generated = started.elapsed();
    let after_table = memory()?;
    println!(
        "table: {} entities, {} names, generated in {:.2} s; {after_table}",
        table.entities().len(),
        table.name_count(),
        generated.as_secs_f64()
    );

    let started = Instant::now();
    let matcher = Matcher::new(Arc::clone(&table), MatchConfig::default());
    let built = started.elapsed();
    let after_build = memory()?;
    println!(
        "index: built in {:.2} s; {after_build}; index adds {} MiB resident",
        built.as_secs_f64(),
        after_build.rss_kib.saturating_sub(after_table.rss_kib) / 1024
    );

    let mut tallies: BTreeMap<QueryKind, Tally> = BTreeMap::new();
    let mut slowest: Vec<(Duration, Duration, QueryKind, &str)> = Vec::new();
    // One untimed pass warms caches and the allocator, as a running service would be.
    for q in queries.iter().take(1000) {
        let _ = matcher.resolve(&Query::new(&q.text));
    }
    for q in &queries {
        let tally = tallies.entry(q.kind).or_default();
        let started = Instant::now();
        let analyzed = normalize::analyze(&q.text);
        tally.analyze.push(started.elapsed());
        std::hint::black_box(analyzed);
        let waited_before = run_queue_wait();
        let started = Instant::now();
        let result = matcher.resolve(&Query::new(&q.text));
        let elapsed = started.elapsed();
        let waited = run_queue_wait().saturating_sub(waited_before);
        let on_cpu = elapsed.saturating_sub(waited);
        tally.latencies.push(elapsed);
        tally.on_cpu.push(on_cpu);
        slowest.push((elapsed, on_cpu, q.kind, &q.text));
        let resolution = match result {
            Ok(resolution) => resolution,
            Err(error) => {
                tally.errors += 1;
                println!("  error  {:?} {:?}: {error}", q.kind.as_str(), q.text);
                continue;
            }
        };
        let got = resolution.best.as_ref().map(|c| c.entity_id.as_str());
        match resolution.outcome {
            Outcome::Matched if got == q.expected.as_deref() => tally.right += 1,
            Outcome::Matched => tally.wrong += 1,
            Outcome::Ambiguous => tally.ambiguous += 1,
            Outcome::NoMatch if q.expected.is_none() => tally.right += 1,
            Outcome::NoMatch => tally.no_match += 1,
        }
        let must_match = matches!(q.kind, QueryKind::Exact | QueryKind::Normalized);
        let miss = (must_match && got != q.expected.as_deref()) || (q.expected.is_none() && got.is_some());
        if miss && tally.shown < args.show {
            tally.shown += 1;
            println!(
                "  miss   {:<12} {:?}: expected {}, got {} {:?}",
                q.kind.as_str(),
                q.text,
                q.expected.as_deref().unwrap_or("no_match"),
                resolution.outcome,
                resolution
                    .best
                    .iter()
                    .chain(&resolution.candidates)
                    .map(|c| (&c.entity_id, &c.matched_alias, c.score, c.method.as_str()))
                    .collect::<Vec<_>>()
            );
        }
    }

    let mut failed = 0;
    println!();
    println!("outcomes (right: the expected entity, or no_match for unknown names)");
    println!("{:<13} {:>6} {:>6} {:>6} {:>6} {:>6}", "kind", "n", "right", "wrong", "ambig", "nomtch");
    for (kind, t) in &tallies {
        println!(
            "{:<13} {:>6} {:>6} {:>6} {:>6} {:>6}",
            kind.as_str(),
            t.latencies.len(),
            t.right,
            t.wrong,
            t.ambiguous,
            t.no_match
        );
        if matches!(kind, QueryKind::Exact | QueryKind::Normalized) {
            failed += t.wrong + t.ambiguous + t.no_match + t.errors;
        }
    }
    let tables: [(&str, Durations); 3] = [
        ("resolve, wall clock", |t| &mut t.latencies),
        ("resolve, on CPU (wall clock minus time waiting for a CPU, /proc/thread-self/schedstat)", |t| &mut t.on_cpu),
        ("normalize::analyze alone, wall clock", |t| &mut t.analyze),
    ];
    for (title, pick) in tables {
        println!();
        println!("{title}");
        println!(
            "{:<13} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "kind", "n", "p50 µs", "p90 µs", "p99 µs", "max µs", "mean µs"
        );
        let mut all = Vec::new();
        for (kind, tally) in &mut tallies {
            let durations = pick(tally);
            print_row(kind.as_str(), durations);
            all.extend_from_slice(durations);
        }
        print_row("all", &mut all);
    }
    if let Some(path) = &args.answers {
        write_answers(&matcher, &queries, path, args.answers_candidates)?;
    }
    slowest.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
    println!();
    for (elapsed, on_cpu, kind, text) in slowest.iter().take(args.slowest) {
        println!("slow {:>9.1} µs ({:>9.1} on CPU)  {:<12} {text:?}", micros(*elapsed), micros(*on_cpu), kind.as_str());
    }
    println!("final: {}", memory()?);
    if failed > 0 {
        anyhow::bail!("{failed} exact or normalized queries did not resolve to their own entity");
    }
    Ok(())
}

/// One line per query: kind, text, outcome, then the ranked candidates (`candidates` asked for).
fn write_answers(
    matcher: &Matcher,
    queries: &[synthetic::SyntheticQuery],
    path: &std::path::Path,
    candidates: usize,
) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for q in queries {
        let query = Query { max_candidates: candidates, ..Query::new(&q.text) };
        match matcher.resolve(&query) {
            Ok(r) => {
                write!(out, "{}\t{}\t{}", q.kind.as_str(), q.text, r.outcome)?;
                for c in &r.candidates {
                    write!(out, "\t{} {} {} {:?}", c.entity_id, c.score, c.method.as_str(), c.matched_alias)?;
                }
                writeln!(out)?;
            }
            Err(error) => writeln!(out, "{}\t{}\terror {error}", q.kind.as_str(), q.text)?,
        }
    }
    out.flush()?;
    Ok(())
}

fn print_row(label: &str, durations: &mut [Duration]) {
    durations.sort_unstable();
    let mean = durations.iter().map(Duration::as_secs_f64).sum::<f64>() / durations.len().max(1) as f64 * 1e6;
    println!(
        "{label:<13} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
        durations.len(),
        micros(percentile(durations, 0.50)),
        micros(percentile(durations, 0.90)),
        micros(percentile(durations, 0.99)),
        micros(durations.last().copied().unwrap_or_default()),
        mean,
    );
}

/// How long this thread has waited on a run queue so far (0 where schedstat is missing):
/// on a machine shared with other work, a query preempted mid-way waits milliseconds.
fn run_queue_wait() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Resident memory now and at its peak, from /proc/self/status (Linux).
struct Memory {
    rss_kib: u64,
    hwm_kib: u64,
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VmRSS {} MiB, VmHWM {} MiB", self.rss_kib / 1024, self.hwm_kib / 1024)
    }
}

fn memory() -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| -> anyhow::Result<u64> {
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .ok_or_else(|| anyhow::anyhow!("no {name} in /proc/self/status"))?;
        let kib = line.split_whitespace().nth(1).ok_or_else(|| anyhow::anyhow!("malformed {name} line"))?;
        Ok(kib.parse()?)
    };
    Ok(Memory { rss_kib: field("VmRSS:")?, hwm_kib: field("VmHWM:")? })
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown cpu".to_string())
}
