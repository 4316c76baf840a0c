//! Loading the table a command works on: `--aliases PATH`... or the built-in one.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use crate::aliases::{self, InvalidTable, Loaded};
use crate::matcher::{MatchConfig, Matcher};

/// Which alias table to use.
#[derive(Debug, Clone, Args)]
pub struct TableArgs {
    /// Alias files or directories (repeatable); the built-in table when none is given.
    #[arg(long = "aliases", value_name = "PATH", env = "CANONYM_ALIASES", value_delimiter = ',')]
    pub aliases: Vec<PathBuf>,
}

impl TableArgs {
    /// Loads the table, or every reason it cannot be loaded.
    pub fn load(&self) -> Result<Loaded, InvalidTable> {
        if self.aliases.is_empty() {
            aliases::load_builtin()
        } else {
            aliases::load_paths(&self.aliases)
        }
    }

    /// Loads and indexes the table; on failure prints each diagnostic as file:line.
    pub fn matcher(&self, config: MatchConfig) -> anyhow::Result<Matcher> {
        match self.load() {
            Ok(loaded) => Ok(Matcher::new(Arc::new(loaded.table), config)),
            Err(invalid) => {
                for diagnostic in &invalid.diagnostics {
                    eprintln!("{diagnostic}");
                }
                anyhow::bail!("the alias table has {} error(s); run `canonym check` for details", invalid.error_count())
            }
        }
    }
}

/// The decision threshold a command was given, checked.
pub(crate) fn config_with_threshold(threshold: Option<f64>) -> anyhow::Result<MatchConfig> {
    let mut config = MatchConfig::default();
    if let Some(threshold) = threshold {
        anyhow::ensure!((0.0..=1.0).contains(&threshold), "--threshold {threshold} is outside [0, 1]");
        config.threshold = threshold;
    }
    Ok(config)
}
