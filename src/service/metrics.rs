//! Prometheus metrics: counters and histograms updated by the RPC handlers (lock-free
//! atomics, nothing allocated per call), rendered as the Prometheus text exposition
//! format and served by a minimal HTTP/1.1 responder on its own port.
//!
//! In: observations from handlers and reloads. Out: `GET /metrics` text. It must never
//! block or fail an RPC: recording is a few relaxed atomic adds, and the HTTP side reads
//! only what it is sent, up to a small cap, with a timeout.

use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::state::ServiceState;
use crate::matcher::Outcome;

/// The RPCs metrics are kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rpc {
    /// `canonym.v1.Resolver/Resolve`.
    Resolve,
    /// `canonym.v1.Resolver/ResolveBatch`.
    ResolveBatch,
    /// `canonym.v1.Resolver/ResolveStream`.
    ResolveStream,
    /// `canonym.v1.Resolver/GetEntity`.
    GetEntity,
    /// `canonym.v1.Resolver/Compare`.
    Compare,
    /// `canonym.admin.v1.Admin/Reload`.
    Reload,
    /// `canonym.admin.v1.Admin/Status`.
    Status,
}

impl Rpc {
    const ALL: [Rpc; 7] =
        [Rpc::Resolve, Rpc::ResolveBatch, Rpc::ResolveStream, Rpc::GetEntity, Rpc::Compare, Rpc::Reload, Rpc::Status];

    fn as_str(self) -> &'static str {
        match self {
            Rpc::Resolve => "Resolve",
            Rpc::ResolveBatch => "ResolveBatch",
            Rpc::ResolveStream => "ResolveStream",
            Rpc::GetEntity => "GetEntity",
            Rpc::Compare => "Compare",
            Rpc::Reload => "Reload",
            Rpc::Status => "Status",
        }
    }
}

/// gRPC status code names, indexed by code number.
const CODES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

/// Upper bounds, in seconds, of the latency histogram buckets.
const BUCKETS: [f64; 16] =
    [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Debug, Default)]
struct Histogram {
    /// Non-cumulative counts per bucket; the last slot is +Inf.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_nanos: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let slot = BUCKETS.iter().position(|&bound| seconds <= bound).unwrap_or(BUCKETS.len());
        self.buckets[slot].fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}

/// The outcome of one reload attempt, for the reload counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReloadResult {
    /// A new table version was swapped in.
    Swapped,
    /// The files loaded to the version already serving: nothing changed.
    Unchanged,
    /// The new files were invalid (or unreadable); the old table keeps serving.
    Failed,
}

/// Every counter and histogram of the service.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Calls by RPC and status code.
    calls: [[AtomicU64; CODES.len()]; Rpc::ALL.len()],
    /// Call latency by RPC.
    latency: [Histogram; Rpc::ALL.len()],
    /// Names resolved (by any RPC) by outcome: matched, ambiguous, no match.
    outcomes: [AtomicU64; 3],
    /// Reload attempts: swapped, unchanged, failed.
    reloads: [AtomicU64; 3],
    /// Time of the last reload attempt, in nanoseconds.
    last_reload_nanos: AtomicU64,
    /// Open ResolveStream calls.
    open_streams: AtomicU64,
}

impl Metrics {
    /// Records a finished call: its status code and how long it took.
    pub fn observe(&self, rpc: Rpc, started: Instant, code: tonic::Code) {
        let code = (code as usize).min(CODES.len() - 1);
        self.calls[rpc as usize][code].fetch_add(1, Ordering::Relaxed);
        self.latency[rpc as usize].observe(started.elapsed());
    }

    /// Records one resolved name.
    pub fn outcome(&self, outcome: Outcome) {
        let slot = match outcome {
            Outcome::Matched => 0,
            Outcome::Ambiguous => 1,
            Outcome::NoMatch => 2,
        };
        self.outcomes[slot].fetch_add(1, Ordering::Relaxed);
    }

    /// Records a reload attempt and how long it took.
    pub fn reload(&self, result: ReloadResult, took: Duration) {
        self.reloads[result as usize].fetch_add(1, Ordering::Relaxed);
        self.last_reload_nanos.store(u64::try_from(took.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// How many names all RPCs have resolved so far.
    pub fn names_resolved(&self) -> u64 {
        self.outcomes.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    /// How many calls of an RPC ended with a code.
    pub fn calls(&self, rpc: Rpc, code: tonic::Code) -> u64 {
        self.calls[rpc as usize][(code as usize).min(CODES.len() - 1)].load(Ordering::Relaxed)
    }

    /// How many reload attempts ended with a result.
    pub fn reloads(&self, result: ReloadResult) -> u64 {
        self.reloads[result as usize].load(Ordering::Relaxed)
    }

    pub(crate) fn stream_opened(&self) {
        self.open_streams.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn stream_closed(&self) {
        self.open_streams.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The Prometheus text exposition of the service's metrics and its current table.
pub fn render(state: &ServiceState) -> String {
    let metrics = state.metrics();
    let snapshot = state.snapshot();
    let table = snapshot.matcher().table();
    let mut out = String::with_capacity(8 * 1024);
    let _ = writeln!(out, "# HELP canonym_requests_total gRPC calls by method and status code.");
    let _ = writeln!(out, "# TYPE canonym_requests_total counter");
    for rpc in Rpc::ALL {
        for (code, name) in CODES.iter().enumerate() {
            let value = metrics.calls[rpc as usize][code].load(Ordering::Relaxed);
            if value > 0 || code == 0 {
                let _ = writeln!(out, "canonym_requests_total{{method=\"{}\",code=\"{name}\"}} {value}", rpc.as_str());
            }
        }
    }
    let _ = writeln!(out, "# HELP canonym_request_duration_seconds gRPC call latency by method.");
    let _ = writeln!(out, "# TYPE canonym_request_duration_seconds histogram");
    for rpc in Rpc::ALL {
        let histogram = &metrics.latency[rpc as usize];
        let mut cumulative = 0;
        for (slot, bound) in BUCKETS.iter().enumerate() {
            cumulative += histogram.buckets[slot].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "canonym_request_duration_seconds_bucket{{method=\"{}\",le=\"{bound}\"}} {cumulative}",
                rpc.as_str()
            );
        }
        cumulative += histogram.buckets[BUCKETS.len()].load(Ordering::Relaxed);
        let method = rpc.as_str();
        let _ =
            writeln!(out, "canonym_request_duration_seconds_bucket{{method=\"{method}\",le=\"+Inf\"}} {cumulative}");
        let sum = histogram.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "canonym_request_duration_seconds_sum{{method=\"{method}\"}} {sum}");
        let count = histogram.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "canonym_request_duration_seconds_count{{method=\"{method}\"}} {count}");
    }
    let _ = writeln!(out, "# HELP canonym_resolutions_total Names resolved, by outcome, over all RPCs.");
    let _ = writeln!(out, "# TYPE canonym_resolutions_total counter");
    for (slot, outcome) in ["matched", "ambiguous", "no_match"].iter().enumerate() {
        let value = metrics.outcomes[slot].load(Ordering::Relaxed);
        let _ = writeln!(out, "canonym_resolutions_total{{outcome=\"{outcome}\"}} {value}");
    }
    let _ = writeln!(out, "# HELP canonym_open_streams ResolveStream calls now open.");
    let _ = writeln!(out, "# TYPE canonym_open_streams gauge");
    let _ = writeln!(out, "canonym_open_streams {}", metrics.open_streams.load(Ordering::Relaxed));
    let _ = writeln!(out, "# HELP canonym_table_entities Entities in the table now serving.");
    let _ = writeln!(out, "# TYPE canonym_table_entities gauge");
    let _ = writeln!(out, "canonym_table_entities {}", table.entities().len());
    let _ = writeln!(out, "# HELP canonym_table_aliases Aliases (names other than primary) in the table now serving.");
    let _ = writeln!(out, "# TYPE canonym_table_aliases gauge");
    let _ = writeln!(out, "canonym_table_aliases {}", table.alias_count());
    let _ = writeln!(out, "# HELP canonym_table_info The table version now serving (always 1).");
    let _ = writeln!(out, "# TYPE canonym_table_info gauge");
    let _ = writeln!(
        out,
        "canonym_table_info{{version=\"{}\",matcher_version=\"{}\"}} 1",
        table.version(),
        super::MATCHER_VERSION
    );
    let loaded = snapshot.loaded_at().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
    let _ = writeln!(out, "# HELP canonym_table_loaded_timestamp_seconds When the table now serving was loaded.");
    let _ = writeln!(out, "# TYPE canonym_table_loaded_timestamp_seconds gauge");
    let _ = writeln!(out, "canonym_table_loaded_timestamp_seconds {loaded}");
    let _ = writeln!(out, "# HELP canonym_reloads_total Table reload attempts by result.");
    let _ = writeln!(out, "# TYPE canonym_reloads_total counter");
    for (slot, result) in ["swapped", "unchanged", "failed"].iter().enumerate() {
        let value = metrics.reloads[slot].load(Ordering::Relaxed);
        let _ = writeln!(out, "canonym_reloads_total{{result=\"{result}\"}} {value}");
    }
    let last = metrics.last_reload_nanos.load(Ordering::Relaxed) as f64 / 1e9;
    let _ = writeln!(out, "# HELP canonym_last_reload_duration_seconds How long the last reload attempt took.");
    let _ = writeln!(out, "# TYPE canonym_last_reload_duration_seconds gauge");
    let _ = writeln!(out, "canonym_last_reload_duration_seconds {last}");
    let _ = writeln!(out, "# HELP canonym_uptime_seconds How long the server has been running.");
    let _ = writeln!(out, "# TYPE canonym_uptime_seconds gauge");
    let _ = writeln!(out, "canonym_uptime_seconds {}", state.uptime().as_secs_f64());
    out
}

/// The longest request head the metrics endpoint reads.
const MAX_REQUEST_BYTES: usize = 8 * 1024;

/// Serves `GET /metrics` (HTTP/1.1, one request per connection) until `shutdown` resolves.
pub async fn serve_metrics(
    listener: TcpListener,
    state: Arc<ServiceState>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(5), answer(stream, &state)).await;
                });
            }
        }
    }
}

async fn answer(mut stream: TcpStream, state: &ServiceState) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0_u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_BYTES {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let request_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let request_line = String::from_utf8_lossy(request_line);
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let (status, content_type, body) = match (method, path.split('?').next().unwrap_or_default()) {
        ("GET", "/metrics") => ("200 OK", "text/plain; version=0.0.4; charset=utf-8", render(state)),
        ("GET", "/") => ("200 OK", "text/plain; charset=utf-8", "canonym metrics: GET /metrics\n".to_string()),
        _ => ("404 Not Found", "text/plain; charset=utf-8", "not found\n".to_string()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
