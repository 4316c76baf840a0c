//! canonym maps entity names as written anywhere (any script, any romanization, typos,
//! reordered words) to the canonical entity IDs of curated alias tables, and says plainly
//! when a name matches nothing or is ambiguous. A wrong match is worse than no match.
//!
//! The stages, each a module:
//! - [`aliases`]: alias files in, a validated [`aliases::AliasTable`] out.
//! - [`cases`]: case files and a matcher in, which expectations pass and which fail out.
//! - [`normalize`]: a name in, its comparable forms out.
//! - [`matcher`]: a table in, an index out; a query in, an outcome out.
//! - [`service`]: the gRPC server over a matcher.
//! - [`cli`]: the `canonym` subcommands over the library.

pub mod aliases;
pub mod cases;
pub mod cli;
pub mod dedupe;
pub mod matcher;
pub mod normalize;
pub mod service;
