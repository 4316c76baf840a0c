//! Load generator for `canonym serve`: many concurrent callers over loopback for a fixed
//! time, then throughput and latency percentiles.
//!
//! ```text
//! cargo run --release --example load -- --addr 127.0.0.1:50051 --concurrency 64 --seconds 10
//! cargo run --release --example load -- --mode batch --batch-size 1000 --concurrency 4
//! cargo run --release --example load -- --mode stream --concurrency 4
//! ```
//!
//! Queries are the built-in table's own names: with `--mix mixed` (the default) a third
//! as written, a third with a typo (two letters swapped) and a third lower-cased with the
//! words reversed, so exact, normalized and fuzzy paths all get traffic; with `--mix
//! exact` all as written. Deterministic: no randomness.
//! It only ever connects to the address given (use 127.0.0.1) and stops by itself.

use std::time::{Duration, Instant};

use canonym::service::proto::resolver_client::ResolverClient;
use canonym::service::proto::{ResolveBatchRequest, ResolveRequest};
use clap::{Parser, ValueEnum};
use tokio_stream::StreamExt;
use tonic::transport::Channel;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Mode {
    /// One Resolve call per name.
    Unary,
    /// ResolveBatch calls of --batch-size names.
    Batch,
    /// One ResolveStream per worker, names sent as fast as the server takes them.
    Stream,
}

#[derive(Debug, Parser)]
struct Args {
    /// The server (loopback only).
    #[arg(long, default_value = "127.0.0.1:50051")]
    addr: String,
    /// Concurrent callers.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// How long to run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// What to call.
    #[arg(long, value_enum, default_value = "unary")]
    mode: Mode,
    /// Names per ResolveBatch call.
    #[arg(long, default_value_t = 1000)]
    batch_size: usize,
    /// HTTP/2 connections the callers share.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Which queries: the table's names as written (`exact`: the service's own cost
    /// dominates) or a third as written, a third with a typo, a third reordered (`mixed`:
    /// the matcher's fuzzy stage dominates).
    #[arg(long, value_enum, default_value = "mixed")]
    mix: Mix,
    /// Instead of calling a server: write a synthetic JSONL alias table of about this
    /// many names (5 per entity) to --table-path, and exit. Deterministic.
    #[arg(long, value_name = "NAMES")]
    generate_table: Option<usize>,
    /// Where --generate-table writes.
    #[arg(long, default_value = "table.jsonl")]
    table_path: std::path::PathBuf,
    /// While the load runs, reload the server's table through this admin address
    /// every --reload-every-ms, writing one of two contents to --reload-file first so
    /// every reload swaps a new version in. Prints each reload's server-side duration.
    #[arg(long)]
    admin_addr: Option<String>,
    /// How often to reload (with --admin-addr).
    #[arg(long, default_value_t = 1000)]
    reload_every_ms: u64,
    /// A small alias file the server also loads, rewritten before each reload.
    #[arg(long)]
    reload_file: Option<std::path::PathBuf>,
}

/// Syllables: the consonant carries the digit (vowels are folded by the matcher, so
/// they carry none: each follows from its consonant).
const ONSETS: [&str; 12] = ["b", "d", "f", "g", "k", "l", "m", "n", "r", "s", "h", "w"];
const VOWELS: [&str; 5] = ["a", "o", "i", "u", "e"];
const SUFFIXES: [&str; 8] =
    ["Holdings", "Trading", "Shipping", "Industries", "Group", "Logistics", "Partners", "Energy"];

/// A word that spells `n` in syllables: distinct numbers, distinct words.
fn word(mut n: usize) -> String {
    let mut word = String::new();
    loop {
        let digit = n % ONSETS.len();
        word.push_str(ONSETS[digit]);
        word.push_str(VOWELS[digit % VOWELS.len()]);
        n /= ONSETS.len();
        if n == 0 {
            break;
        }
    }
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Writes a deterministic synthetic table: entity i is "<W(i)> <W(i*7919+13)> <suffix>"
/// with four aliases (without the suffix, reordered, with "LLC", and its initials + W(i)).
fn generate_table(names: usize, path: &std::path::Path) -> std::io::Result<()> {
    use std::io::Write as _;
    let entities = names.div_ceil(5);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in 0..entities {
        let (first, second) = (word(i + 1000), word(i * 7919 + 13));
        let suffix = SUFFIXES[i % SUFFIXES.len()];
        let name = format!("{first} {second} {suffix}");
        let aliases = [
            format!("{first} {second}"),
            format!("{second} {first} {suffix}"),
            format!("{first} {second} {suffix} LLC"),
            format!("{first} {} {suffix}", &second[..1]),
        ];
        let line =
            serde_json::json!({"id": format!("syn:{i}"), "type": "organization", "name": name, "aliases": aliases});
        writeln!(out, "{line}")?;
    }
    out.flush()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mix {
    /// Names as written.
    Exact,
    /// Names as written, with typos, and reordered.
    Mixed,
}

/// What one worker measured.
#[derive(Default)]
struct Tally {
    names: u64,
    errors: u64,
    latencies_us: Vec<u32>,
}

fn queries(mix: Mix) -> Vec<String> {
    let loaded = canonym::aliases::load_builtin().expect("the built-in table loads");
    let mut queries = Vec::new();
    for (i, name) in loaded.table.entities().iter().flat_map(|e| e.names()).enumerate() {
        let text = name.text.clone();
        let variant = if mix == Mix::Exact { 0 } else { i % 3 };
        let query = match variant {
            0 => text,
            1 => {
                let mut chars: Vec<char> = text.chars().collect();
                if chars.len() > 4 {
                    chars.swap(2, 3);
                }
                chars.into_iter().collect()
            }
            _ => text.to_lowercase().split_whitespace().rev().collect::<Vec<_>>().join(" "),
        };
        queries.push(query);
    }
    queries
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if let Some(names) = args.generate_table {
        generate_table(names, &args.table_path)?;
        println!("wrote {} entities ({names} names) to {}", names.div_ceil(5), args.table_path.display());
        return Ok(());
    }
    let queries = std::sync::Arc::new(queries(args.mix));
    let url = format!("http://{}", args.addr);
    let mut channels = Vec::new();
    for _ in 0..args.connections.max(1) {
        channels.push(Channel::from_shared(url.clone())?.tcp_nodelay(true).connect().await?);
    }
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..args.concurrency {
        let client = ResolverClient::new(channels[worker % channels.len()].clone())
            .max_decoding_message_size(256 * 1024 * 1024)
            .max_encoding_message_size(256 * 1024 * 1024);
        let queries = std::sync::Arc::clone(&queries);
        let (mode, batch_size) = (args.mode, args.batch_size);
        workers.push(tokio::spawn(async move {
            let offset = worker * 7919;
            match mode {
                Mode::Unary => unary(client, &queries, offset, deadline).await,
                Mode::Batch => batch(client, &queries, offset, batch_size, deadline).await,
                Mode::Stream => stream(client, queries, offset, deadline).await,
            }
        }));
    }
    let reloader = args.admin_addr.clone().map(|admin| {
        let (every, file) = (Duration::from_millis(args.reload_every_ms), args.reload_file.clone());
        tokio::spawn(reload_loop(admin, every, file, deadline))
    });
    let mut total = Tally::default();
    for worker in workers {
        let tally = worker.await?;
        total.names += tally.names;
        total.errors += tally.errors;
        total.latencies_us.extend(tally.latencies_us);
    }
    let elapsed = started.elapsed().as_secs_f64();
    total.latencies_us.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if total.latencies_us.is_empty() {
            return 0.0;
        }
        let index = ((total.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(total.latencies_us[index]) / 1000.0
    };
    println!(
        "mode={:?} mix={:?} concurrency={} connections={} seconds={:.1} calls={} names={} errors={}",
        args.mode,
        args.mix,
        args.concurrency,
        args.connections,
        elapsed,
        total.latencies_us.len(),
        total.names,
        total.errors
    );
    if let Some(reloader) = reloader {
        let durations = reloader.await?.map_err(|e| e.to_string())?;
        let mean = durations.iter().sum::<f64>() / durations.len().max(1) as f64;
        let max = durations.iter().copied().fold(0.0, f64::max);
        println!("reloads={} mean_s={mean:.3} max_s={max:.3}", durations.len());
    }
    println!(
        "calls/s={:.0} names/s={:.0} latency_ms p50={:.3} p90={:.3} p99={:.3} p99.9={:.3} max={:.3}",
        total.latencies_us.len() as f64 / elapsed,
        total.names as f64 / elapsed,
        percentile(0.50),
        percentile(0.90),
        percentile(0.99),
        percentile(0.999),
        percentile(1.0)
    );
    Ok(())
}

fn micros(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_micros()).unwrap_or(u32::MAX)
}

async fn unary(mut client: ResolverClient<Channel>, queries: &[String], offset: usize, deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut i = offset;
    while Instant::now() < deadline {
        let request = ResolveRequest { name: queries[i % queries.len()].clone(), ..Default::default() };
        let sent = Instant::now();
        match client.resolve(request).await {
            Ok(_) => tally.names += 1,
            Err(_) => tally.errors += 1,
        }
        tally.latencies_us.push(micros(sent));
        i += 1;
    }
    tally
}

async fn batch(
    mut client: ResolverClient<Channel>,
    queries: &[String],
    offset: usize,
    size: usize,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut i = offset;
    while Instant::now() < deadline {
        let requests = (0..size)
            .map(|k| ResolveRequest { name: queries[(i + k) % queries.len()].clone(), ..Default::default() })
            .collect();
        i += size;
        let sent = Instant::now();
        match client.resolve_batch(ResolveBatchRequest { requests }).await {
            Ok(response) => tally.names += response.into_inner().responses.len() as u64,
            Err(_) => tally.errors += 1,
        }
        tally.latencies_us.push(micros(sent));
    }
    tally
}

async fn stream(
    mut client: ResolverClient<Channel>,
    queries: std::sync::Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let (sender, receiver) = tokio::sync::mpsc::channel::<ResolveRequest>(256);
    tokio::spawn(async move {
        let mut i = offset;
        while Instant::now() < deadline {
            let request = ResolveRequest { name: queries[i % queries.len()].clone(), ..Default::default() };
            if sender.send(request).await.is_err() {
                break;
            }
            i += 1;
        }
    });
    let sent = Instant::now();
    match client.resolve_stream(tokio_stream::wrappers::ReceiverStream::new(receiver)).await {
        Ok(response) => {
            let mut responses = response.into_inner();
            loop {
                let item = match tokio::time::timeout_at(deadline.into(), responses.next()).await {
                    Ok(Some(item)) => item,
                    Ok(None) | Err(_) => break,
                };
                match item {
                    Ok(_) => tally.names += 1,
                    Err(_) => {
                        tally.errors += 1;
                        break;
                    }
                }
            }
        }
        Err(_) => tally.errors += 1,
    }
    tally.latencies_us.push(micros(sent));
    tally
}

/// Reloads through the admin service until the deadline; the server-side durations.
async fn reload_loop(
    admin: String,
    every: Duration,
    file: Option<std::path::PathBuf>,
    deadline: Instant,
) -> Result<Vec<f64>, Box<dyn std::error::Error + Send + Sync>> {
    use canonym::service::admin::proto::admin_client::AdminClient;
    use canonym::service::admin::proto::ReloadRequest;
    let mut client = AdminClient::new(Channel::from_shared(format!("http://{admin}"))?.connect().await?);
    let mut durations = Vec::new();
    let mut round = 0_usize;
    while Instant::now() + every < deadline {
        tokio::time::sleep(every).await;
        if let Some(file) = &file {
            let text = format!(
                "{{\"id\": \"reload:marker\", \"type\": \"other\", \"name\": \"Reload Marker {}\"}}\n",
                word(round % 2 + 7)
            );
            std::fs::write(file, text)?;
        }
        let attempt = client.reload(ReloadRequest {}).await?.into_inner().attempt.unwrap_or_default();
        durations.push(attempt.duration_seconds);
        println!("reload {round}: outcome={} took_s={:.3}", attempt.outcome, attempt.duration_seconds);
        round += 1;
    }
    Ok(durations)
}
