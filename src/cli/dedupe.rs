//! `canonym dedupe`: records in (CSV/TSV/JSONL, a file or stdin), the same records with
//! an entity label each out, optional curated-TOML suggestions for the unknown clusters,
//! and a summary on stderr.
//!
//! The input is read twice (names first, then records); stdin is spooled to a temporary
//! file for that, so memory holds distinct names, never records. Exit 0 when every
//! record was labelled, 1 when some were written back as errors, 2 when the command
//! could not run. It never drops a record and never changes a record's own fields.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::table::TableArgs;
use crate::dedupe::{self, records, suggest, DedupeConfig, DedupeError, Format, Progress as _, Summary};
use crate::matcher::MatchConfig;

/// Arguments of `dedupe`.
#[derive(Debug, Args)]
pub struct DedupeArgs {
    #[command(flatten)]
    table: TableArgs,
    /// The records to label (`-` for stdin).
    #[arg(long, value_name = "FILE|-")]
    input: PathBuf,
    /// The records' layout (the same for input and output).
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The column (CSV/TSV header) or key (JSONL) holding the name.
    #[arg(long, default_value = "name")]
    column: String,
    /// Where to write the labelled records (`-` for stdout).
    #[arg(long, value_name = "FILE|-")]
    output: PathBuf,
    /// Also write the unknown clusters as curated TOML for review.
    #[arg(long, value_name = "FILE")]
    suggest: Option<PathBuf>,
    /// Only suggest clusters with at least this many distinct names (1: every unknown name).
    #[arg(long, value_name = "N", default_value_t = 2)]
    suggest_min_names: usize,
    /// Scored neighbours fetched per unknown name when clustering.
    #[arg(long, value_name = "K", default_value_t = DedupeConfig::default().neighbours)]
    neighbours: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Csv,
    Tsv,
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

/// The input, readable twice.
enum Input {
    Path(PathBuf),
    Spooled(File),
}

impl Input {
    fn open(path: &Path) -> anyhow::Result<Input> {
        if path.as_os_str() != "-" {
            File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
            return Ok(Input::Path(path.to_path_buf()));
        }
        let mut spool = tempfile::tempfile().context("cannot create a temporary file to spool stdin")?;
        io::copy(&mut io::stdin().lock(), &mut spool).context("<stdin>: cannot read")?;
        Ok(Input::Spooled(spool))
    }

    fn reader(&self) -> anyhow::Result<Box<dyn Read + '_>> {
        match self {
            Input::Path(path) => {
                let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
                Ok(Box::new(file))
            }
            Input::Spooled(file) => {
                let mut file = file;
                file.rewind().context("<stdin>: cannot rewind the spooled copy")?;
                Ok(Box::new(file))
            }
        }
    }

    fn name(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Spooled(_) => "<stdin>".to_string(),
        }
    }
}

pub(crate) fn run(args: &DedupeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let progress = ProgressLine::new();
    let config = DedupeConfig { neighbours: args.neighbours, ..DedupeConfig::default() };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads.unwrap_or(0)).build()?;
    let format = Format::from(args.format);

    // Loading the table takes one core for a few tenths of a second and pass 1 needs
    // nothing from it: the names are read beside it. A table error still comes first.
    progress.start("pass 1: reading names, loading the table", 0);
    let (matcher, read) = std::thread::scope(|scope| {
        let loading = scope.spawn(|| args.table.matcher(MatchConfig::default()));
        let read = read_names(args, format, &progress);
        (loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), read)
    });
    let matcher = matcher?;
    let (input, tally) = read?;
    let distinct = tally.len();
    let labels = pool.install(|| dedupe::dedupe(&matcher, tally, &config, &progress));

    progress.start("pass 2: writing records", 0);
    let output = open_output(&args.output)?;
    // The suggestions are made on a thread of their own while pass 2 runs: pass 2 leaves
    // a core idle part of the time (its writing thread and the labelling take turns), and
    // made after it they kept one core alone busy for about a second at 10 M records.
    // They are held in memory (a few tens of MB at 10 M records) and the file is written
    // only once pass 2 succeeded, as before.
    let (summary, suggestions) = std::thread::scope(|scope| {
        let suggesting = args.suggest.as_ref().map(|_| {
            scope.spawn(|| {
                let mut text = Vec::new();
                suggest::write_suggestions(&labels, args.suggest_min_names, &mut text).map(|written| (text, written))
            })
        });
        let summary = records::label_records(input.reader()?, output, format, &args.column, &labels, &|n| {
            progress.bar.set_position(n)
        })
        .map_err(|e| located(&input.name(), e));
        let suggestions =
            suggesting.map(|thread| thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        anyhow::Ok((summary?, suggestions))
    })?;
    progress.bar.finish_and_clear();
    let timings = progress.timings();

    if let (Some(path), Some(suggestions)) = (&args.suggest, suggestions) {
        let mut file = File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
        let (text, written) = suggestions.with_context(|| format!("{}: cannot write", path.display()))?;
        file.write_all(&text).with_context(|| format!("{}: cannot write", path.display()))?;
        eprintln!("{}: {written} suggested entities", path.display());
    }
    print_summary(&input.name(), &summary, distinct, started);
    eprintln!("dedupe: time by phase: {timings}");
    // The labels are millions of small allocations (spellings, nodes, clusters) and the
    // process ends here: freeing them one by one took about 0.3 s of one core at 10 M
    // records for nothing.
    std::mem::forget(labels);
    Ok(if summary.errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Pass 1: the input opened (stdin spooled) and its names counted.
fn read_names(
    args: &DedupeArgs,
    format: Format,
    progress: &ProgressLine,
) -> anyhow::Result<(Input, dedupe::NameTally)> {
    let input = Input::open(&args.input)?;
    let tally = records::tally(input.reader()?, format, &args.column, &|n| progress.bar.set_position(n))
        .map_err(|e| located(&input.name(), e))?;
    Ok((input, tally))
}

/// A library error as `file:line: message` (line 1: the header or the first record).
fn located(file: &str, error: DedupeError) -> anyhow::Error {
    match error {
        DedupeError::MissingColumn { .. } | DedupeError::HeaderTooLong { .. } => anyhow::anyhow!("{file}:1: {error}"),
        DedupeError::Csv(csv) => {
            let line = csv.position().map_or(1, |p| p.line());
            anyhow::anyhow!("{file}:{line}: {csv}")
        }
        other => anyhow::anyhow!("{file}: {other}"),
    }
}

fn open_output(path: &Path) -> anyhow::Result<Box<dyn Write>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufWriter::with_capacity(1 << 20, io::stdout().lock())));
    }
    let file = File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    Ok(Box::new(BufWriter::with_capacity(1 << 20, file)))
}

fn print_summary(input: &str, summary: &Summary, distinct: usize, started: Instant) {
    for error in &summary.first_errors {
        eprintln!("{input}:{}: {}", error.line, error.reason);
    }
    if summary.errors > summary.first_errors.len() as u64 {
        eprintln!("{input}: ... and {} more record error(s)", summary.errors - summary.first_errors.len() as u64);
    }
    let seconds = started.elapsed().as_secs_f64();
    let rate = if seconds > 0.0 { summary.records as f64 / seconds } else { 0.0 };
    eprintln!(
        "dedupe: {} records, {distinct} distinct names: {} known, {} clustered, {} singleton, {} errors in {seconds:.1}s ({rate:.0} records/s)",
        summary.records, summary.known, summary.clustered, summary.singleton, summary.errors
    );
}

/// The progress line on stderr, hidden when stderr is not a terminal.
/// Also times each phase, for the summary.
struct ProgressLine {
    bar: ProgressBar,
    phases: std::sync::Mutex<Vec<(&'static str, Instant)>>,
}

impl ProgressLine {
    fn new() -> Self {
        let bar = if io::stderr().is_terminal() { ProgressBar::new(0) } else { ProgressBar::hidden() };
        if let Ok(style) = ProgressStyle::with_template("{msg}: {human_pos}/{human_len} {per_sec} {elapsed}") {
            bar.set_style(style);
        }
        ProgressLine { bar, phases: std::sync::Mutex::new(Vec::new()) }
    }

    /// `phase 1.2s, phase 0.3s, ...` up to now.
    fn timings(&self) -> String {
        let Ok(phases) = self.phases.lock() else {
            return String::new();
        };
        let ends = phases.iter().skip(1).map(|p| p.1).chain(std::iter::once(Instant::now()));
        phases
            .iter()
            .zip(ends)
            .map(|((name, start), end)| format!("{name} {:.1}s", (end - *start).as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl dedupe::Progress for ProgressLine {
    fn start(&self, phase: &'static str, total: u64) {
        if let Ok(mut phases) = self.phases.lock() {
            phases.push((phase, Instant::now()));
        }
        self.bar.set_message(phase);
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
    }
}
