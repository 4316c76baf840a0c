//! Test helper: a real canonym gRPC server on 127.0.0.1:0, in this process, with a
//! handle to call it, read its state and shut it down.

#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use canonym::aliases::load_builtin;
use canonym::matcher::{MatchConfig, Matcher};
use canonym::service::proto::resolver_client::ResolverClient;
use canonym::service::{self, Limits, ServiceState, Snapshot, TableSource};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

/// The built-in table's matcher, built once per test binary.
pub fn builtin_matcher() -> Arc<Matcher> {
    static MATCHER: OnceLock<Arc<Matcher>> = OnceLock::new();
    Arc::clone(MATCHER.get_or_init(|| {
        let loaded = load_builtin().expect("the built-in table loads");
        Arc::new(Matcher::new(Arc::new(loaded.table), MatchConfig::default()))
    }))
}

/// State serving the built-in table with these limits.
pub fn builtin_state(limits: Limits) -> Arc<ServiceState> {
    let snapshot = Snapshot::new(builtin_matcher(), Duration::ZERO, Vec::new());
    ServiceState::new(snapshot, TableSource::Builtin, MatchConfig::default(), limits)
}

/// A running server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: Arc<ServiceState>,
    stop: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<Result<(), service::ServeError>>,
}

impl TestServer {
    /// Starts the public server over `state`.
    pub async fn start(state: Arc<ServiceState>) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(service::serve(listener, Arc::clone(&state), shutdown));
        TestServer { addr, state, stop: Some(stop), task }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A connected channel.
    pub async fn channel(&self) -> Channel {
        connect(&self.url()).await
    }

    /// A Resolver client.
    pub async fn client(&self) -> ResolverClient<Channel> {
        ResolverClient::new(self.channel().await).max_decoding_message_size(64 * 1024 * 1024)
    }

    /// Asks the server to stop (it drains first).
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Connects, retrying for a few seconds while the server starts.
pub async fn connect(url: &str) -> Channel {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Channel::from_shared(url.to_string()).expect("url").connect().await {
            Ok(channel) => return channel,
            Err(error) if Instant::now() > deadline => panic!("cannot connect to {url}: {error}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// Polls `check` until it returns Some or `timeout` passes.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A server over alias files that reloads: public port, admin port, optional watcher.
pub struct ReloadingServer {
    pub public: TestServer,
    pub admin_addr: SocketAddr,
    admin_stop: Option<oneshot::Sender<()>>,
    _watch: Option<service::WatchHandle>,
}

impl ReloadingServer {
    /// Loads `paths`, serves them, the admin service (with `token`), and watches the
    /// paths when `watch` is set.
    pub async fn start(paths: Vec<std::path::PathBuf>, token: Option<&str>, watch: bool) -> ReloadingServer {
        let source = TableSource::Paths(paths);
        let state = ServiceState::load(source, MatchConfig::default(), Limits::default()).expect("the table loads");
        let public = TestServer::start(Arc::clone(&state)).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind admin");
        let admin_addr = listener.local_addr().expect("admin addr");
        let (admin_stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(service::serve_admin(listener, Arc::clone(&state), token.map(str::to_string), async move {
            let _ = stopped.await;
        }));
        let watch = if watch { service::watch(Arc::clone(&state)).expect("watching starts") } else { None };
        ReloadingServer { public, admin_addr, admin_stop: Some(admin_stop), _watch: watch }
    }

    /// An Admin client, sending `token` as a bearer token when given.
    pub async fn admin(
        &self,
        token: Option<&str>,
    ) -> canonym::service::admin::proto::admin_client::AdminClient<
        tonic::service::interceptor::InterceptedService<Channel, BearerMetadata>,
    > {
        let channel = connect(&format!("http://{}", self.admin_addr)).await;
        canonym::service::admin::proto::admin_client::AdminClient::with_interceptor(
            channel,
            BearerMetadata(token.map(str::to_string)),
        )
    }
}

impl Drop for ReloadingServer {
    fn drop(&mut self) {
        self.public.stop();
        if let Some(stop) = self.admin_stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Adds `authorization: Bearer <token>` to every call, when it has a token.
#[derive(Clone)]
pub struct BearerMetadata(pub Option<String>);

impl tonic::service::Interceptor for BearerMetadata {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(token) = &self.0 {
            let value = format!("Bearer {token}").parse().expect("ascii token");
            request.metadata_mut().insert("authorization", value);
        }
        Ok(request)
    }
}

/// Replaces a file the way editors save: write a temporary file beside it, rename over.
pub fn save_like_an_editor(path: &std::path::Path, text: &str) {
    let temporary = path.with_extension("swp-tmp");
    std::fs::write(&temporary, text).expect("write the temporary file");
    std::fs::rename(&temporary, path).expect("rename over the original");
}

/// The `canonym serve` binary started with `args`, its log lines (stderr), and the
/// address its start line names.
pub struct ServeProcess {
    pub child: std::process::Child,
    pub lines: Box<dyn Iterator<Item = String>>,
    pub addr: String,
    pub start_line: String,
}

impl ServeProcess {
    /// Starts the binary on an ephemeral port and waits for its start line.
    pub fn start(args: &[&std::ffi::OsStr]) -> ServeProcess {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_canonym"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("canonym starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines: Box<dyn Iterator<Item = String>> =
            Box::new(BufReader::new(stderr).lines().map_while(Result::ok));
        let start_line = wait_for_line(&mut lines, "canonym serving");
        let addr = log_field(&start_line, "addr=").to_string();
        ServeProcess { child, lines, addr, start_line }
    }

    /// Sends SIGTERM and tells whether the process then exited with status 0.
    pub fn terminate(mut self) -> bool {
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        killed.success() && self.child.wait().expect("canonym exits").success()
    }
}

/// The first log line containing `needle` (panics when the log ends first).
pub fn wait_for_line(lines: &mut impl Iterator<Item = String>, needle: &str) -> String {
    lines.find(|line| line.contains(needle)).unwrap_or_else(|| panic!("no log line with {needle:?}"))
}

/// The value of `name` (such as `addr=`) in a log line.
pub fn log_field<'a>(line: &'a str, name: &str) -> &'a str {
    line.split_whitespace().find_map(|f| f.strip_prefix(name)).unwrap_or_else(|| panic!("{name} in {line}"))
}
