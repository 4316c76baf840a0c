//! The gRPC service: requests in, library calls, responses out. It holds no matching
//! logic of its own.

/// Generated protobuf types and service stubs of `canonym.v1`.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod proto {
    tonic::include_proto!("canonym.v1");
}
