//! The `canonym.v1.Resolver` RPCs: each takes one table snapshot at its start, checks
//! its request, calls the matcher, and answers from that snapshot alone.
//!
//! In: decoded requests with their metadata (grpc-timeout). Out: responses or statuses,
//! and metrics. It must never block the async executor for long (big batches go to the
//! blocking pool), never keep working on a call whose deadline passed or whose client
//! left (batches and streams check between items), and never buffer a stream without
//! bound (responses go through a small bounded channel, so a slow reader stops reading).

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use super::convert;
use super::metrics::Rpc;
use super::proto::{self, resolver_server::Resolver};
use super::state::{ServiceState, Snapshot};
use super::MATCHER_VERSION;

/// Responses a stream may have computed but not yet sent: the bound on its memory.
const STREAM_BUFFER: usize = 32;
/// How many batch items are resolved between two looks at the deadline.
const CHECK_EVERY: usize = 16;

/// The Resolver service over the server state.
#[derive(Debug, Clone)]
pub struct ResolverService {
    state: Arc<ServiceState>,
}

impl ResolverService {
    /// A service answering from `state`.
    pub fn new(state: Arc<ServiceState>) -> Self {
        ResolverService { state }
    }

    /// Counts a finished call and passes its result through.
    fn finish<T>(&self, rpc: Rpc, started: Instant, result: Result<T, Status>) -> Result<T, Status> {
        let code = result.as_ref().map_or_else(Status::code, |_| tonic::Code::Ok);
        self.state.metrics().observe(rpc, started, code);
        result
    }

    fn batch(&self, batch: proto::ResolveBatchRequest, deadline: Option<Instant>) -> BatchJob {
        BatchJob {
            state: Arc::clone(&self.state),
            snapshot: self.state.snapshot(),
            requests: batch.requests,
            deadline,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// When a call must be done by: the client's grpc-timeout, if it sent one.
fn client_deadline<T>(request: &Request<T>, started: Instant) -> Option<Instant> {
    let header = request.metadata().get("grpc-timeout")?.to_str().ok()?;
    parse_grpc_timeout(header).map(|timeout| started + timeout)
}

/// `grpc-timeout`: up to 8 digits and a unit (H, M, S, m, u, n).
fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount: u64 = digits.parse().ok()?;
    match unit {
        "H" => Some(Duration::from_secs(amount.saturating_mul(3600))),
        "M" => Some(Duration::from_secs(amount.saturating_mul(60))),
        "S" => Some(Duration::from_secs(amount)),
        "m" => Some(Duration::from_millis(amount)),
        "u" => Some(Duration::from_micros(amount)),
        "n" => Some(Duration::from_nanos(amount)),
        _ => None,
    }
}

fn deadline_exceeded(done: usize, total: Option<usize>) -> Status {
    match total {
        Some(total) => Status::deadline_exceeded(format!("deadline passed after {done} of {total} names")),
        None => Status::deadline_exceeded(format!("deadline passed after {done} names")),
    }
}

/// A batch being resolved, owned so it can move to the blocking pool.
struct BatchJob {
    state: Arc<ServiceState>,
    snapshot: Arc<Snapshot>,
    requests: Vec<proto::ResolveRequest>,
    deadline: Option<Instant>,
    cancelled: Arc<AtomicBool>,
}

impl BatchJob {
    fn run(self) -> Result<proto::ResolveBatchResponse, Status> {
        let total = self.requests.len();
        let limits = *self.state.limits();
        let mut responses = Vec::with_capacity(total);
        for (i, request) in self.requests.iter().enumerate() {
            if i % CHECK_EVERY == 0 {
                let late = self.deadline.is_some_and(|d| Instant::now() >= d);
                if late || self.cancelled.load(Ordering::Relaxed) {
                    return Err(deadline_exceeded(i, Some(total)));
                }
            }
            let (response, outcome) = convert::resolve(&self.snapshot, request, &limits)
                .map_err(|status| convert::item_status(&status, "requests", i))?;
            self.state.metrics().outcome(outcome);
            responses.push(response);
        }
        Ok(proto::ResolveBatchResponse {
            responses,
            table_version: self.snapshot.version().to_string(),
            matcher_version: MATCHER_VERSION.to_string(),
        })
    }
}

/// Sets the flag when dropped: the handler's future was dropped (deadline, client gone),
/// so the blocking worker stops at its next check.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

type ResponseStream = Pin<Box<dyn tokio_stream::Stream<Item = Result<proto::ResolveResponse, Status>> + Send>>;

#[tonic::async_trait]
impl Resolver for ResolverService {
    async fn resolve(
        &self,
        request: Request<proto::ResolveRequest>,
    ) -> Result<Response<proto::ResolveResponse>, Status> {
        let started = Instant::now();
        let snapshot = self.state.snapshot();
        let result = convert::resolve(&snapshot, request.get_ref(), self.state.limits()).map(|(response, outcome)| {
            self.state.metrics().outcome(outcome);
            Response::new(response)
        });
        self.finish(Rpc::Resolve, started, result)
    }

    async fn resolve_batch(
        &self,
        request: Request<proto::ResolveBatchRequest>,
    ) -> Result<Response<proto::ResolveBatchResponse>, Status> {
        let started = Instant::now();
        let deadline = client_deadline(&request, started);
        let batch = request.into_inner();
        let limits = *self.state.limits();
        let result = if batch.requests.len() > limits.max_batch {
            Err(Status::invalid_argument(format!(
                "requests: {} names is over the batch limit of {}",
                batch.requests.len(),
                limits.max_batch
            )))
        } else if batch.requests.len() <= limits.blocking_batch {
            self.batch(batch, deadline).run()
        } else {
            let job = self.batch(batch, deadline);
            let _cancel_on_drop = CancelOnDrop(Arc::clone(&job.cancelled));
            match tokio::task::spawn_blocking(move || job.run()).await {
                Ok(result) => result,
                Err(_) => Err(Status::internal("the batch worker stopped unexpectedly")),
            }
        };
        self.finish(Rpc::ResolveBatch, started, result.map(Response::new))
    }

    type ResolveStreamStream = ResponseStream;

    async fn resolve_stream(
        &self,
        request: Request<Streaming<proto::ResolveRequest>>,
    ) -> Result<Response<Self::ResolveStreamStream>, Status> {
        let started = Instant::now();
        let deadline = client_deadline(&request, started);
        let permit = match Arc::clone(&self.state.open_streams).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let status = Status::resource_exhausted(format!(
                    "too many open ResolveStream calls (limit {}); retry later",
                    self.state.limits().max_open_streams
                ));
                return self.finish(Rpc::ResolveStream, started, Err(status));
            }
        };
        let inbound = request.into_inner();
        let (sender, receiver) = mpsc::channel(STREAM_BUFFER);
        let state = Arc::clone(&self.state);
        tokio::spawn(async move {
            state.metrics().stream_opened();
            let code = pump(&state, inbound, &sender, deadline).await;
            state.metrics().stream_closed();
            state.metrics().observe(Rpc::ResolveStream, started, code);
            drop(permit);
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(receiver))))
    }

    async fn get_entity(&self, request: Request<proto::GetEntityRequest>) -> Result<Response<proto::Entity>, Status> {
        let started = Instant::now();
        let snapshot = self.state.snapshot();
        let id = request.get_ref().entity_id.as_str();
        let result = if id.trim().is_empty() {
            Err(Status::invalid_argument("entity_id: is empty"))
        } else {
            match snapshot.entity(id) {
                Some(entity) => Ok(Response::new(convert::entity(entity, snapshot.version()))),
                None => Err(Status::not_found(format!(
                    "no entity `{}` in table version {}",
                    id.chars().take(200).collect::<String>(),
                    snapshot.version()
                ))),
            }
        };
        self.finish(Rpc::GetEntity, started, result)
    }

    async fn compare(
        &self,
        request: Request<proto::CompareRequest>,
    ) -> Result<Response<proto::CompareResponse>, Status> {
        let started = Instant::now();
        let snapshot = self.state.snapshot();
        let result = convert::compare(&snapshot, request.get_ref()).map(Response::new);
        self.finish(Rpc::Compare, started, result)
    }
}

/// What woke a stream up.
enum Next {
    Message(Result<Option<proto::ResolveRequest>, Status>),
    ClientGone,
    Late,
}

/// Reads a stream's requests and sends their answers, in order, until the client ends
/// it, leaves, sends something invalid, or the deadline passes. Returns the final code.
async fn pump(
    state: &ServiceState,
    mut inbound: Streaming<proto::ResolveRequest>,
    sender: &mpsc::Sender<Result<proto::ResolveResponse, Status>>,
    deadline: Option<Instant>,
) -> tonic::Code {
    let snapshot = state.snapshot();
    let limits = *state.limits();
    let late = async {
        match deadline {
            Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(late);
    let mut index = 0;
    loop {
        // Without a deadline, wait on the next message alone: a client that leaves
        // resets the stream (an error here) or fails the next send.
        let next = if deadline.is_none() {
            Next::Message(inbound.message().await)
        } else {
            tokio::select! {
                biased;
                () = sender.closed() => Next::ClientGone,
                () = &mut late => Next::Late,
                message = inbound.message() => Next::Message(message),
            }
        };
        let request = match next {
            Next::Message(Ok(Some(request))) => request,
            Next::Message(Ok(None)) => return tonic::Code::Ok,
            Next::Message(Err(status)) => return status.code(),
            Next::ClientGone => return tonic::Code::Cancelled,
            Next::Late => {
                let _ = sender.send(Err(deadline_exceeded(index, None))).await;
                return tonic::Code::DeadlineExceeded;
            }
        };
        match convert::resolve(&snapshot, &request, &limits) {
            Ok((response, outcome)) => {
                state.metrics().outcome(outcome);
                if sender.send(Ok(response)).await.is_err() {
                    return tonic::Code::Cancelled;
                }
            }
            Err(status) => {
                let status = convert::item_status(&status, "requests", index);
                let code = status.code();
                let _ = sender.send(Err(status)).await;
                return code;
            }
        }
        index += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_units() {
        assert_eq!(parse_grpc_timeout("5S"), Some(Duration::from_secs(5)));
        assert_eq!(parse_grpc_timeout("250m"), Some(Duration::from_millis(250)));
        assert_eq!(parse_grpc_timeout("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_grpc_timeout("100u"), Some(Duration::from_micros(100)));
        assert_eq!(parse_grpc_timeout("123456789S"), None);
        assert_eq!(parse_grpc_timeout("S"), None);
        assert_eq!(parse_grpc_timeout(""), None);
        assert_eq!(parse_grpc_timeout("5x"), None);
        assert_eq!(parse_grpc_timeout("-5S"), None);
    }
}
