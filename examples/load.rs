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
