//! The server's state: the table now serving (a [`Snapshot`] behind an `ArcSwap`), where
//! it came from, the limits, the metrics.
//!
//! In: a loaded table (or where to load one from). Out: snapshots, each an immutable
//! table + index + id lookup that one call answers from entirely. It must never hand a
//! call a half-built table: a snapshot is only published whole, by one atomic swap, and a
//! call holds its `Arc<Snapshot>` to the end, so a swap never changes a call's answers.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use arc_swap::ArcSwap;
use tokio::sync::Semaphore;

use super::metrics::Metrics;
use crate::aliases::{self, Diagnostic, Entity, InvalidTable};
use crate::matcher::{MatchConfig, Matcher};

/// Where the table comes from, and comes again from on reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableSource {
    /// The table embedded in the binary (it never changes while running).
    Builtin,
    /// Alias files or directories.
    Paths(Vec<PathBuf>),
}

impl TableSource {
    /// The paths to load, or the built-in table when empty.
    pub fn from_paths(paths: Vec<PathBuf>) -> Self {
        if paths.is_empty() {
            TableSource::Builtin
        } else {
            TableSource::Paths(paths)
        }
    }

    /// Reads and validates the table: the same checks as `canonym check`.
    pub fn load(&self) -> Result<aliases::Loaded, InvalidTable> {
        match self {
            TableSource::Builtin => aliases::load_builtin(),
            TableSource::Paths(paths) => aliases::load_paths(paths),
        }
    }
}

/// A table ready to answer: the matcher, an id lookup, and when it was loaded.
#[derive(Debug)]
pub struct Snapshot {
    matcher: Arc<Matcher>,
    by_id: HashMap<String, u32>,
    loaded_at: SystemTime,
    load_time: Duration,
    warnings: Vec<Diagnostic>,
}

impl Snapshot {
    /// Indexes a matcher's table by entity id.
    pub fn new(matcher: Arc<Matcher>, load_time: Duration, warnings: Vec<Diagnostic>) -> Self {
        let by_id = matcher
            .table()
            .entities()
            .iter()
            .enumerate()
            .map(|(i, entity)| (entity.id.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        Snapshot { matcher, by_id, loaded_at: SystemTime::now(), load_time, warnings }
    }

    /// Loads, validates and indexes a table (blocking: seconds for a million names).
    pub fn load(source: &TableSource, config: MatchConfig) -> Result<Snapshot, InvalidTable> {
        let started = Instant::now();
        let loaded = source.load()?;
        let matcher = Arc::new(Matcher::new(Arc::new(loaded.table), config));
        Ok(Snapshot::new(matcher, started.elapsed(), loaded.warnings))
    }

    /// The matcher over this table.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The table's content hash.
    pub fn version(&self) -> &str {
        self.matcher.table().version()
    }

    /// The entity with this canonical id.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        let index = *self.by_id.get(id)?;
        self.matcher.table().entities().get(index as usize)
    }

    /// When this snapshot was built.
    pub fn loaded_at(&self) -> SystemTime {
        self.loaded_at
    }

    /// How long reading, validating and indexing took.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// The loader's warnings about this table.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }
}

/// What the server refuses, and how long it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most names in one ResolveBatch.
    pub max_batch: usize,
    /// Most candidates one request may ask for.
    pub max_candidates: u32,
    /// Largest request message, in bytes.
    pub max_message_bytes: usize,
    /// Most ResolveStream calls open at once, over all connections.
    pub max_open_streams: usize,
    /// Most concurrent calls (HTTP/2 streams) on one connection.
    pub max_streams_per_connection: u32,
    /// Longest a call may run when the client sets no deadline (and the cap on one it sets).
    pub timeout: Duration,
    /// Batches of more names than this are resolved off the async executor.
    pub blocking_batch: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_batch: 10_000,
            max_candidates: 100,
            max_message_bytes: 16 * 1024 * 1024,
            max_open_streams: 1024,
            max_streams_per_connection: 1024,
            timeout: Duration::from_secs(60),
            blocking_batch: 32,
        }
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct ServiceState {
    current: ArcSwap<Snapshot>,
    source: TableSource,
    config: MatchConfig,
    limits: Limits,
    metrics: Metrics,
    started: Instant,
    pub(crate) open_streams: Arc<Semaphore>,
    pub(crate) reloads: super::reload::ReloadState,
}

impl ServiceState {
    /// State serving `snapshot`, which was loaded from `source` with `config`.
    pub fn new(snapshot: Snapshot, source: TableSource, config: MatchConfig, limits: Limits) -> Arc<Self> {
        Arc::new(ServiceState {
            current: ArcSwap::from_pointee(snapshot),
            source,
            config,
            open_streams: Arc::new(Semaphore::new(limits.max_open_streams)),
            limits,
            metrics: Metrics::default(),
            started: Instant::now(),
            reloads: super::reload::ReloadState::default(),
        })
    }

    /// Loads the table from `source` and serves it.
    pub fn load(source: TableSource, config: MatchConfig, limits: Limits) -> Result<Arc<Self>, InvalidTable> {
        let snapshot = Snapshot::load(&source, config)?;
        Ok(ServiceState::new(snapshot, source, config, limits))
    }

    /// The table now serving. A call takes one snapshot at its start and answers from it.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Publishes a new snapshot and returns the one it replaced; calls already running
    /// keep the one they took.
    pub fn swap(&self, snapshot: Snapshot) -> Arc<Snapshot> {
        self.current.swap(Arc::new(snapshot))
    }

    /// Where the table is loaded from.
    pub fn source(&self) -> &TableSource {
        &self.source
    }

    /// The matcher's decision knobs (kept for reloads).
    pub fn config(&self) -> MatchConfig {
        self.config
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The counters.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The reload history.
    pub fn reloads(&self) -> &super::reload::ReloadState {
        &self.reloads
    }

    /// How long the server has been up.
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }
}
