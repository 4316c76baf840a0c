//! The `canonym.admin.v1.Admin` service: reload now, and status. Served only by
//! [`serve_admin`] on its own address, never on the public port.
//!
//! In: admin calls, with `authorization: Bearer <token>` metadata when the server has a
//! token. Out: reload attempts and status. It must never accept a call without the
//! right token when one is set (UNAUTHENTICATED), and never compare tokens in a way
//! whose timing depends on where they differ (both sides are hashed, and BLAKE3 hashes
//! compare in constant time).

use std::future::Future;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tonic::service::Interceptor;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

use super::metrics::{ReloadResult, Rpc};
use super::reload::{ReloadAttempt, ReloadOutcome, Trigger};
use super::state::{ServiceState, TableSource};
use super::{incoming, reflection, ServeError, MATCHER_VERSION};

/// Generated protobuf types and service stubs of `canonym.admin.v1`.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod proto {
    tonic::include_proto!("canonym.admin.v1");
}

/// The fully-qualified name of the Admin service.
pub const ADMIN_SERVICE: &str = "canonym.admin.v1.Admin";

/// The Admin service over the server state.
#[derive(Debug, Clone)]
pub struct AdminService {
    state: Arc<ServiceState>,
}

impl AdminService {
    /// A service operating `state`.
    pub fn new(state: Arc<ServiceState>) -> Self {
        AdminService { state }
    }
}

fn unix_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The wire form of a reload attempt.
pub fn attempt(attempt: &ReloadAttempt) -> proto::ReloadAttempt {
    let (outcome, errors) = match &attempt.outcome {
        ReloadOutcome::Swapped => (proto::ReloadOutcome::Swapped, Vec::new()),
        ReloadOutcome::Unchanged => (proto::ReloadOutcome::Unchanged, Vec::new()),
        ReloadOutcome::Failed(problems) => (
            proto::ReloadOutcome::Failed,
            problems
                .iter()
                .map(|problem| proto::ValidationError {
                    file: problem.location.as_ref().map(|l| l.file.clone()).unwrap_or_default(),
                    line: problem.location.as_ref().map_or(0, |l| u32::try_from(l.line).unwrap_or(u32::MAX)),
                    column: problem
                        .location
                        .as_ref()
                        .and_then(|l| l.column)
                        .map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX)),
                    message: problem.message.clone(),
                })
                .collect(),
        ),
    };
    let trigger = match attempt.trigger {
        Trigger::FileChange => proto::ReloadTrigger::FileChange,
        Trigger::Signal => proto::ReloadTrigger::Signal,
        Trigger::Admin => proto::ReloadTrigger::Admin,
    };
    proto::ReloadAttempt {
        outcome: outcome as i32,
        trigger: trigger as i32,
        started_at_unix_ms: unix_ms(attempt.started_at),
        duration_seconds: attempt.took.as_secs_f64(),
        table_version: attempt.version.clone(),
        previous_version: attempt.previous_version.clone(),
        errors,
    }
}

#[tonic::async_trait]
impl proto::admin_server::Admin for AdminService {
    async fn reload(&self, _request: Request<proto::ReloadRequest>) -> Result<Response<proto::ReloadResponse>, Status> {
        let started = Instant::now();
        let done = self.state.reload(Trigger::Admin).await;
        let snapshot = self.state.snapshot();
        let table = snapshot.matcher().table();
        let response = proto::ReloadResponse {
            attempt: Some(attempt(&done)),
            entity_count: table.entities().len() as u64,
            alias_count: table.alias_count() as u64,
        };
        self.state.metrics().observe(Rpc::Reload, started, tonic::Code::Ok);
        Ok(Response::new(response))
    }

    async fn status(&self, _request: Request<proto::StatusRequest>) -> Result<Response<proto::StatusResponse>, Status> {
        let started = Instant::now();
        let snapshot = self.state.snapshot();
        let table = snapshot.matcher().table();
        let metrics = self.state.metrics();
        let sources = match self.state.source() {
            TableSource::Builtin => Vec::new(),
            TableSource::Paths(paths) => paths.iter().map(|p| p.display().to_string()).collect(),
        };
        let response = proto::StatusResponse {
            table_version: snapshot.version().to_string(),
            loaded_at_unix_ms: unix_ms(snapshot.loaded_at()),
            entity_count: table.entities().len() as u64,
            alias_count: table.alias_count() as u64,
            uptime_seconds: self.state.uptime().as_secs_f64(),
            last_reload: self.state.reloads().last().as_ref().map(attempt),
            matcher_version: MATCHER_VERSION.to_string(),
            sources,
            reloads_swapped: metrics.reloads(ReloadResult::Swapped),
            reloads_unchanged: metrics.reloads(ReloadResult::Unchanged),
            reloads_failed: metrics.reloads(ReloadResult::Failed),
            last_swap_unix_ms: self.state.reloads().last_swap().map_or(0, unix_ms),
        };
        metrics.observe(Rpc::Status, started, tonic::Code::Ok);
        Ok(Response::new(response))
    }
}

/// Requires `authorization: Bearer <token>` when a token is set.
#[derive(Debug, Clone)]
pub struct BearerToken {
    expected: Option<blake3::Hash>,
}

impl BearerToken {
    /// `None`: no token required (the admin address is trusted, e.g. loopback only).
    pub fn new(token: Option<&str>) -> Self {
        BearerToken { expected: token.map(|t| blake3::hash(t.as_bytes())) }
    }
}

impl Interceptor for BearerToken {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        let Some(expected) = self.expected else {
            return Ok(request);
        };
        let given = request
            .metadata()
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        match given {
            // blake3::Hash equality is constant-time.
            Some(token) if blake3::hash(token.trim().as_bytes()) == expected => Ok(request),
            Some(_) => Err(Status::unauthenticated("invalid admin token")),
            None => Err(Status::unauthenticated("admin calls need `authorization: Bearer <token>` metadata")),
        }
    }
}

/// Serves the Admin service (and reflection listing it) on `listener` until `shutdown`.
pub async fn serve_admin(
    listener: tokio::net::TcpListener,
    state: Arc<ServiceState>,
    token: Option<String>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let (reflection_v1, reflection_v1alpha) = reflection(&[ADMIN_SERVICE])?;
    let admin = proto::admin_server::AdminServer::with_interceptor(
        AdminService::new(state),
        BearerToken::new(token.as_deref()),
    );
    Server::builder()
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(admin)
        .serve_with_incoming_shutdown(incoming(listener), shutdown)
        .await?;
    Ok(())
}
