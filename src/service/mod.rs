//! The gRPC service: requests in, library calls, responses out. It holds no matching
//! logic of its own.
//!
//! - [`state`]: the table now serving (swappable atomically), limits, metrics.
//! - [`resolver`]: the `canonym.v1.Resolver` RPCs.
//! - [`convert`]: proto <-> library, and the one mapping of library errors to statuses.
//! - [`metrics`]: Prometheus counters and their HTTP endpoint.
//! - [`reload`]: validated, atomic table reloads; [`watch`]: reloading on file changes.
//! - [`admin`]: the `canonym.admin.v1.Admin` service, on its own address only.
//!
//! [`serve`] runs the public port: Resolver, `grpc.health.v1` and server reflection. It
//! must never expose anything else there, never panic on any request bytes, and on
//! shutdown it stops accepting, reports NOT_SERVING, and lets in-flight calls finish.

pub mod admin;
pub mod convert;
pub mod metrics;
pub mod reload;
pub mod resolver;
pub mod state;
pub mod watch;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_stream::StreamExt;
use tonic::transport::Server;
use tonic_health::ServingStatus;

pub use admin::{serve_admin, AdminService, BearerToken};
pub use metrics::{serve_metrics, Metrics, ReloadResult, Rpc};
pub use reload::{reload_on_sighup, ReloadAttempt, ReloadOutcome, ReloadProblem, Trigger};
pub use resolver::ResolverService;
pub use state::{Limits, ServiceState, Snapshot, TableSource};
pub use watch::{watch, WatchHandle};

/// Generated protobuf types and service stubs of `canonym.v1`.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod proto {
    tonic::include_proto!("canonym.v1");
}

/// The encoded descriptors of every canonym proto, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("canonym_descriptor");

/// The matcher's version in every answer: the crate version.
pub const MATCHER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The fully-qualified name of the Resolver service.
pub const RESOLVER_SERVICE: &str = "canonym.v1.Resolver";

/// Why a server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The transport failed (the listener broke).
    #[error("gRPC transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// The reflection descriptors could not be read (a broken build).
    #[error("server reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
}

/// Server reflection (v1 and v1alpha) listing exactly `services`.
pub(crate) fn reflection(
    services: &[&str],
) -> Result<
    (
        tonic_reflection::server::v1::ServerReflectionServer<impl tonic_reflection::server::v1::ServerReflection>,
        tonic_reflection::server::v1alpha::ServerReflectionServer<
            impl tonic_reflection::server::v1alpha::ServerReflection,
        >,
    ),
    ServeError,
> {
    let builder = || {
        let mut builder = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET)
            .with_service_name("grpc.reflection.v1.ServerReflection");
        for service in services {
            builder = builder.with_service_name(*service);
        }
        builder
    };
    Ok((builder().build_v1()?, builder().build_v1alpha()?))
}

/// Accepted connections with Nagle's algorithm off: small gRPC frames go out at once.
pub(crate) fn incoming(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> + Send + 'static {
    TcpListenerStream::new(listener).map(|accepted| {
        accepted.inspect(|stream| {
            let _ = stream.set_nodelay(true);
        })
    })
}

/// Serves the Resolver, health and reflection on `listener` until `shutdown` resolves,
/// then drains: health turns NOT_SERVING, no new calls are accepted, calls in flight
/// finish, and the function returns.
pub async fn serve(
    listener: TcpListener,
    state: Arc<ServiceState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let limits = *state.limits();
    let (reporter, health) = tonic_health::server::health_reporter();
    type Svc = proto::resolver_server::ResolverServer<ResolverService>;
    reporter.set_serving::<Svc>().await;
    reporter.set_service_status("", ServingStatus::Serving).await;
    let (reflection_v1, reflection_v1alpha) = reflection(&[RESOLVER_SERVICE, "grpc.health.v1.Health"])?;
    let resolver = proto::resolver_server::ResolverServer::new(ResolverService::new(state))
        .max_decoding_message_size(limits.max_message_bytes)
        .max_encoding_message_size(limits.max_message_bytes.saturating_mul(8));
    let shutdown = async move {
        shutdown.await;
        reporter.set_not_serving::<Svc>().await;
        reporter.set_service_status("", ServingStatus::NotServing).await;
        tracing::info!("shutting down: draining calls in flight");
    };
    Server::builder()
        .timeout(limits.timeout)
        .max_concurrent_streams(limits.max_streams_per_connection)
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(resolver)
        .serve_with_incoming_shutdown(incoming(listener), shutdown)
        .await?;
    Ok(())
}
