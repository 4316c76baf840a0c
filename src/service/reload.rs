//! Hot reload: read the alias files again, validate them, index them off to the side,
//! and only if all is well swap the new table in, atomically.
//!
//! In: a trigger (file change, SIGHUP, admin call). Out: a [`ReloadAttempt`] (swapped,
//! unchanged or failed with every error at its file and line), recorded for the admin
//! Status call, the metrics and the log. It must never touch the table serving unless
//! the new one is whole and valid (alias validation and expectation cases both pass),
//! never run two reloads at once, and never block the async executor (the work runs on
//! the blocking pool).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::metrics::ReloadResult;
use super::state::{ServiceState, Snapshot, TableSource};
use crate::aliases::{InvalidTable, Location};
use crate::cases::CheckError;
use crate::matcher::{MatchConfig, Matcher};

/// What started a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A watched file or directory changed.
    FileChange,
    /// SIGHUP.
    Signal,
    /// An admin Reload call.
    Admin,
}

impl Trigger {
    /// `file_change`, `signal` or `admin`, for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::FileChange => "file_change",
            Trigger::Signal => "signal",
            Trigger::Admin => "admin",
        }
    }
}

/// One reason a new table was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadProblem {
    /// Where, when the problem is in a file.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ReloadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// How a reload ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReloadOutcome {
    /// A new version is serving.
    Swapped,
    /// The files hold the version already serving.
    Unchanged,
    /// The new files were refused; the old table keeps serving.
    Failed(Vec<ReloadProblem>),
}

/// One reload attempt, as the admin Status call reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadAttempt {
    /// What started it.
    pub trigger: Trigger,
    /// When it started.
    pub started_at: SystemTime,
    /// How long it took.
    pub took: Duration,
    /// The version serving before.
    pub previous_version: String,
    /// The version serving after.
    pub version: String,
    /// How it ended.
    pub outcome: ReloadOutcome,
}

/// The reload lock and the reload history of a server.
#[derive(Debug, Default)]
pub struct ReloadState {
    running: tokio::sync::Mutex<()>,
    last: Mutex<Option<ReloadAttempt>>,
    last_swap: Mutex<Option<SystemTime>>,
}

impl ReloadState {
    /// The last attempt, if any.
    pub fn last(&self) -> Option<ReloadAttempt> {
        self.last.lock().map_or(None, |last| last.clone())
    }

    /// When a reload last swapped a table in.
    pub fn last_swap(&self) -> Option<SystemTime> {
        self.last_swap.lock().map_or(None, |last| *last)
    }
}

/// What building a new table gave.
enum Built {
    New(Snapshot),
    Same,
    Refused(Vec<ReloadProblem>),
}

/// Reads, validates, checks the cases of, and indexes the table at `source`; `Same`
/// when its content hash is `current` (no index is built then).
fn build(source: &TableSource, config: MatchConfig, current: &str) -> Built {
    let started = Instant::now();
    let loaded = match source.load() {
        Ok(loaded) => loaded,
        Err(invalid) => return Built::Refused(table_problems(&invalid)),
    };
    if loaded.table.version() == current {
        return Built::Same;
    }
    let matcher = Arc::new(Matcher::new(Arc::new(loaded.table), config));
    if let Err(error) = crate::cases::check(&loaded.sources, &matcher) {
        return Built::Refused(case_problems(&error));
    }
    drop(loaded.sources);
    Built::New(Snapshot::new(matcher, started.elapsed(), loaded.warnings))
}

fn table_problems(invalid: &InvalidTable) -> Vec<ReloadProblem> {
    invalid
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| ReloadProblem { location: Some(d.location.clone()), message: d.problem.to_string() })
        .collect()
}

fn case_problems(error: &CheckError) -> Vec<ReloadProblem> {
    match error {
        CheckError::Invalid(invalid) => invalid
            .errors
            .iter()
            .map(|e| ReloadProblem { location: Some(e.location.clone()), message: e.problem.to_string() })
            .collect(),
        CheckError::Failed(report) => report
            .failures
            .iter()
            .map(|failure| ReloadProblem {
                location: Some(failure.case.location.clone()),
                message: failure
                    .to_string()
                    .split_once(": case failed")
                    .map_or_else(|| failure.to_string(), |(_, rest)| format!("case failed{rest}")),
            })
            .collect(),
    }
}

impl ServiceState {
    /// Reloads the table now; waits for a reload already running, then runs its own.
    pub async fn reload(self: &Arc<Self>, trigger: Trigger) -> ReloadAttempt {
        let _running = self.reloads.running.lock().await;
        let started_at = SystemTime::now();
        let started = Instant::now();
        let previous = self.snapshot();
        let previous_version = previous.version().to_string();
        drop(previous);
        let state = Arc::clone(self);
        let current = previous_version.clone();
        let built = tokio::task::spawn_blocking(move || build(state.source(), state.config(), &current)).await;
        let built = built.unwrap_or_else(|_| {
            Built::Refused(vec![ReloadProblem { location: None, message: "the reload worker panicked".into() }])
        });
        let (outcome, version) = match built {
            Built::New(snapshot) => {
                let version = snapshot.version().to_string();
                let old = self.swap(snapshot);
                // Freeing a big table takes a while: not on the executor. Calls still
                // holding it keep it alive until they finish.
                tokio::task::spawn_blocking(move || drop(old));
                (ReloadOutcome::Swapped, version)
            }
            Built::Same => (ReloadOutcome::Unchanged, previous_version.clone()),
            Built::Refused(problems) => (ReloadOutcome::Failed(problems), previous_version.clone()),
        };
        let attempt =
            ReloadAttempt { trigger, started_at, took: started.elapsed(), previous_version, version, outcome };
        self.record(&attempt);
        attempt
    }

    fn record(&self, attempt: &ReloadAttempt) {
        let trigger = attempt.trigger.as_str();
        let took_ms = attempt.took.as_millis() as u64;
        let result = match &attempt.outcome {
            ReloadOutcome::Swapped => {
                let snapshot = self.snapshot();
                let table = snapshot.matcher().table();
                tracing::info!(
                    trigger,
                    from = %attempt.previous_version,
                    to = %attempt.version,
                    entities = table.entities().len(),
                    aliases = table.alias_count(),
                    took_ms,
                    "table reloaded"
                );
                if let Ok(mut last_swap) = self.reloads.last_swap.lock() {
                    *last_swap = Some(attempt.started_at);
                }
                ReloadResult::Swapped
            }
            ReloadOutcome::Unchanged => {
                tracing::info!(trigger, version = %attempt.version, took_ms, "reload: content unchanged");
                ReloadResult::Unchanged
            }
            ReloadOutcome::Failed(problems) => {
                for problem in problems {
                    tracing::warn!(trigger, "reload refused: {problem}");
                }
                tracing::warn!(
                    trigger,
                    errors = problems.len(),
                    serving = %attempt.version,
                    took_ms,
                    "reload failed; the previous table keeps serving"
                );
                ReloadResult::Failed
            }
        };
        self.metrics().reload(result, attempt.took);
        if let Ok(mut last) = self.reloads.last.lock() {
            *last = Some(attempt.clone());
        }
    }
}

/// Reloads on every SIGHUP until the process ends (no-op off Unix).
pub async fn reload_on_sighup(state: Arc<ServiceState>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; reload by file change or the admin service");
            return;
        };
        while hangups.recv().await.is_some() {
            state.reload(Trigger::Signal).await;
        }
    }
    #[cfg(not(unix))]
    {
        let _ = state;
    }
}
