//! Watching the alias paths: file-system notifications in, debounced reloads out.
//!
//! Editors save by writing a temporary file and renaming it over the original, so the
//! watcher watches directories (a file's parent, or a directory recursively), never the
//! file itself, and waits for a quiet moment before reloading so one save gives one
//! reload. It must never reload on its own reads (access events are ignored) and never
//! stop the server when watching fails (it logs, and SIGHUP and Admin.Reload still work).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::reload::Trigger;
use super::state::{ServiceState, TableSource};
use crate::aliases::SourceKind;

/// How long the files must be quiet before a reload.
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// The longest a burst of changes may postpone a reload.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// A running watch; dropping it stops watching.
#[derive(Debug)]
pub struct WatchHandle {
    _watcher: RecommendedWatcher,
    task: JoinHandle<()>,
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What one configured path is watched as.
#[derive(Debug, Clone)]
enum Target {
    /// A file: its directory is watched, and only events naming the file count.
    File { dir: PathBuf, name: OsString },
    /// A directory, recursively: events on alias files (or directories) in it count.
    Dir(PathBuf),
}

impl Target {
    fn of(path: &Path) -> Target {
        if path.is_dir() {
            return Target::Dir(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()));
        }
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = dir.canonicalize().unwrap_or(dir);
        Target::File { dir, name: path.file_name().map(OsString::from).unwrap_or_default() }
    }

    fn watched(&self) -> (&Path, RecursiveMode) {
        match self {
            Target::File { dir, .. } => (dir, RecursiveMode::NonRecursive),
            Target::Dir(dir) => (dir, RecursiveMode::Recursive),
        }
    }

    fn concerns(&self, path: &Path) -> bool {
        match self {
            Target::File { dir, name } => path.file_name() == Some(name.as_os_str()) && path.parent() == Some(dir),
            Target::Dir(dir) => {
                path.starts_with(dir)
                    && (SourceKind::of(&path.to_string_lossy()).is_some() || path.extension().is_none())
            }
        }
    }
}

/// Whether an event may change the table.
fn relevant(event: &Event, targets: &[Target]) -> bool {
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|path| targets.iter().any(|target| target.concerns(path)))
}

/// Watches the state's alias paths and reloads when they change. `None` for the
/// built-in table (it cannot change). Must be called within a tokio runtime.
pub fn watch(state: Arc<ServiceState>) -> Result<Option<WatchHandle>, notify::Error> {
    let TableSource::Paths(paths) = state.source() else {
        return Ok(None);
    };
    let targets: Vec<Target> = paths.iter().map(|p| Target::of(p)).collect();
    let (sender, mut receiver) = mpsc::unbounded_channel::<()>();
    let filter = targets.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| match event {
        Ok(event) if relevant(&event, &filter) => {
            let _ = sender.send(());
        }
        Ok(_) => {}
        Err(error) => tracing::warn!("file watcher: {error}"),
    })?;
    let mut dirs: Vec<(&Path, RecursiveMode)> = targets.iter().map(Target::watched).collect();
    dirs.sort_by(|a, b| a.0.cmp(b.0));
    dirs.dedup_by(|a, b| a.0 == b.0);
    for (dir, mode) in dirs {
        watcher.watch(dir, mode)?;
        tracing::info!(dir = %dir.display(), "watching for alias changes");
    }
    let task = tokio::spawn(async move {
        while receiver.recv().await.is_some() {
            let burst = tokio::time::Instant::now();
            // Debounce: wait until nothing happened for DEBOUNCE (or MAX_DELAY passed).
            loop {
                let quiet = tokio::time::timeout(DEBOUNCE, receiver.recv()).await;
                match quiet {
                    Err(_) => break,
                    Ok(None) => return,
                    Ok(Some(())) if burst.elapsed() >= MAX_DELAY => break,
                    Ok(Some(())) => {}
                }
            }
            state.reload(Trigger::FileChange).await;
        }
    });
    Ok(Some(WatchHandle { _watcher: watcher, task }))
}
