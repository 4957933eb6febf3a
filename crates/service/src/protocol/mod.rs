//! The control socket's protocol: newline-delimited JSON-RPC 2.0, one message per line.
//!
//! - [`wire`]: the envelopes (request, response, notification) as they go over the socket.
//! - [`error`]: [`RpcError`], with a stable numeric `code` and a machine-readable `kind`
//!   string in its `data`, so clients branch on the kind and never parse the message.
//! - [`methods`]: one type per method implementing [`Method`], naming it and typing its
//!   params and result; the client and the server share them, so they cannot drift.
//!
//! `docs/protocol.md` describes every method with examples.

pub mod desktop;
pub mod error;
pub mod methods;
pub mod usage;
pub mod wire;

pub use error::{ErrorKind, RpcError};
pub use methods::Method;
pub use wire::{Notification, Request, Response, MAX_LINE};

/// The protocol's version, reported by `hello`; bumped on incompatible changes.
pub const PROTOCOL_VERSION: u32 = 1;

/// The notification method carrying an engine event (`params` is the event's JSON line).
pub const EVENT_NOTIFICATION: &str = "event";

/// The notification method carrying the whole [`lifeguard_engine::Snapshot`] after a
/// burst of events, for subscribers that asked for `snapshots`.
pub const SNAPSHOT_NOTIFICATION: &str = "snapshot";

/// The notification method carrying lines of a followed log (`params`: [`methods::LogLines`]).
pub const LOG_NOTIFICATION: &str = "log";

/// The notification sent when a subscriber fell behind and events were dropped
/// (`params`: `{"missed": n}`); the client should reload the status.
pub const LAGGED_NOTIFICATION: &str = "lagged";
