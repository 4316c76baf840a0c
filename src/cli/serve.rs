//! `canonym serve`: the gRPC service (see `service`). Parses flags, loads the table,
//! starts the runtime and the servers, waits for Ctrl-C or SIGTERM, then drains. It
//! holds no service logic: that is all in `crate::service`.

use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use tokio::sync::watch;

use super::table::TableArgs;
use crate::matcher::MatchConfig;
use crate::service::{self, Limits, ServiceState, TableSource};

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    table: TableArgs,
    /// Address to listen on (port 0: any free port, logged at start).
    #[arg(long, env = "CANONYM_ADDR", default_value = "127.0.0.1:50051")]
    addr: SocketAddr,
    /// Serve Prometheus metrics over HTTP at this address (off unless set).
    #[arg(long, env = "CANONYM_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// Serve the Admin service (Reload, Status) at this address: `PORT` (on 127.0.0.1)
    /// or `HOST:PORT`. Off unless set; never on the public address.
    #[arg(long, env = "CANONYM_ADMIN_ADDR", value_parser = admin_addr)]
    admin_addr: Option<SocketAddr>,
    /// Require this token on admin calls (`authorization: Bearer <token>`).
    #[arg(long, env = "CANONYM_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Do not watch the alias paths for changes (SIGHUP and Admin.Reload still reload).
    #[arg(long, env = "CANONYM_NO_WATCH")]
    no_watch: bool,
    /// Most names in one ResolveBatch.
    #[arg(long, env = "CANONYM_MAX_BATCH", default_value_t = 10_000)]
    max_batch: usize,
    /// Most ResolveStream calls open at once.
    #[arg(long, env = "CANONYM_MAX_STREAMS", default_value_t = 1024)]
    max_streams: usize,
    /// Largest request message, in bytes.
    #[arg(long, env = "CANONYM_MAX_MESSAGE_BYTES", default_value_t = 16 * 1024 * 1024)]
    max_message_bytes: usize,
    /// Longest a unary call may run, in seconds (a client deadline can only shorten it).
    #[arg(long, env = "CANONYM_TIMEOUT_SECS", default_value_t = 60)]
    timeout_secs: u64,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    let limits = Limits {
        max_batch: args.max_batch,
        max_open_streams: args.max_streams,
        max_message_bytes: args.max_message_bytes,
        timeout: std::time::Duration::from_secs(args.timeout_secs.max(1)),
        ..Limits::default()
    };
    let started = Instant::now();
    let source = TableSource::from_paths(args.table.aliases.clone());
    let state = match ServiceState::load(source, MatchConfig::default(), limits) {
        Ok(state) => state,
        Err(invalid) => {
            for diagnostic in &invalid.diagnostics {
                eprintln!("{diagnostic}");
            }
            anyhow::bail!("the alias table has {} error(s); run `canonym check` for details", invalid.error_count());
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(serve(args, state, started))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: ServeArgs, state: Arc<ServiceState>, started: Instant) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::bind(args.addr).await.with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    let (stop, stopped) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    if let Some(metrics_addr) = args.metrics_addr {
        let metrics = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .with_context(|| format!("cannot listen on {metrics_addr} for metrics"))?;
        tracing::info!(addr = %metrics.local_addr().unwrap_or(metrics_addr), "metrics at /metrics");
        let state = Arc::clone(&state);
        let shutdown = wait_for(stopped.clone());
        tasks.spawn(async move { service::serve_metrics(metrics, state, shutdown).await.map_err(anyhow::Error::from) });
    }
    if let Some(admin_addr) = args.admin_addr {
        let admin = tokio::net::TcpListener::bind(admin_addr)
            .await
            .with_context(|| format!("cannot listen on {admin_addr} for the admin service"))?;
        tracing::info!(
            addr = %admin.local_addr().unwrap_or(admin_addr),
            token = args.admin_token.is_some(),
            "admin service"
        );
        let (state, token, shutdown) = (Arc::clone(&state), args.admin_token.clone(), wait_for(stopped.clone()));
        tasks.spawn(
            async move { service::serve_admin(admin, state, token, shutdown).await.map_err(anyhow::Error::from) },
        );
    }
    let _watch = if args.no_watch {
        None
    } else {
        match service::watch(Arc::clone(&state)) {
            Ok(handle) => handle,
            Err(error) => {
                tracing::warn!("cannot watch the alias paths ({error}); reload with SIGHUP or Admin.Reload");
                None
            }
        }
    };
    tokio::spawn(service::reload_on_sighup(Arc::clone(&state)));
    let snapshot = state.snapshot();
    let table = snapshot.matcher().table();
    tracing::info!(
        %addr,
        table_version = snapshot.version(),
        entities = table.entities().len(),
        aliases = table.alias_count(),
        load_ms = snapshot.load_time().as_millis() as u64,
        startup_ms = started.elapsed().as_millis() as u64,
        "canonym serving"
    );
    let shutdown = wait_for(stopped.clone());
    tasks.spawn(async move { service::serve(listener, state, shutdown).await.map_err(anyhow::Error::from) });
    tokio::spawn(async move {
        terminated().await;
        tracing::info!("signal received: stopping");
        let _ = stop.send(true);
    });
    while let Some(joined) = tasks.join_next().await {
        joined.context("a server task panicked")??;
    }
    tracing::info!("stopped");
    Ok(())
}

/// `PORT` (on 127.0.0.1) or `HOST:PORT`.
fn admin_addr(value: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = value.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    value.parse().map_err(|e| format!("expected PORT or HOST:PORT: {e}"))
}

/// Resolves when the stop flag is raised.
async fn wait_for(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Ctrl-C or SIGTERM.
async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Logs to stderr, `info` unless RUST_LOG says otherwise.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
