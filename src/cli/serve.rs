//! `canonym serve`: the gRPC service (see `service`).

use std::process::ExitCode;

use clap::Args;

use super::table::TableArgs;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    table: TableArgs,
    /// Address to listen on.
    #[arg(long, env = "CANONYM_ADDR", default_value = "127.0.0.1:50051")]
    addr: std::net::SocketAddr,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let _ = (&args.table, args.addr);
    anyhow::bail!("the gRPC service is not built yet")
}
