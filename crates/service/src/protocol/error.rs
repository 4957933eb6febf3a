//! [`RpcError`]: JSON-RPC errors with stable codes and a machine-readable `kind`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// What went wrong, for programs: the `kind` string in the error's `data`. Each kind has
/// one stable numeric code (the JSON-RPC `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The line is not JSON (-32700).
    ParseError,
    /// The JSON is not a JSON-RPC 2.0 request (-32600).
    InvalidRequest,
    /// No such method (-32601).
    MethodNotFound,
    /// The params do not fit the method; the message names the field (-32602).
    InvalidParams,
    /// A bug or an unexpected OS failure in the daemon (-32603).
    Internal,
    /// The request line is longer than [`super::MAX_LINE`] (-32001).
    RequestTooLarge,
    /// The peer's uid is not the daemon's (-32002); the connection is closed.
    Forbidden,
    /// The answer would be longer than the daemon sends in one line (-32003).
    ResponseTooLarge,
    /// No program with that id (-32010).
    UnknownProgram,
    /// A program with that id already exists (-32011).
    DuplicateProgram,
    /// The program spec is invalid; the message names the field and the fix (-32012).
    InvalidSpec,
    /// The config file is invalid or could not be written (-32013).
    Config,
    /// The restart history could not be read (-32014).
    History,
    /// The daemon is shutting down (-32015).
    ShuttingDown,
    /// The program has no log file yet (-32016).
    NoLog,
    /// The process to adopt is gone (or its pid was reused).
    NotRunning,
}

impl ErrorKind {
    /// The stable JSON-RPC code of this kind.
    pub fn code(self) -> i64 {
        match self {
            ErrorKind::ParseError => -32700,
            ErrorKind::InvalidRequest => -32600,
            ErrorKind::MethodNotFound => -32601,
            ErrorKind::InvalidParams => -32602,
            ErrorKind::Internal => -32603,
            ErrorKind::RequestTooLarge => -32001,
            ErrorKind::Forbidden => -32002,
            ErrorKind::ResponseTooLarge => -32003,
            ErrorKind::UnknownProgram => -32010,
            ErrorKind::DuplicateProgram => -32011,
            ErrorKind::InvalidSpec => -32012,
            ErrorKind::Config => -32013,
            ErrorKind::History => -32014,
            ErrorKind::ShuttingDown => -32015,
            ErrorKind::NoLog => -32016,
            ErrorKind::NotRunning => -32017,
        }
    }
}

/// A JSON-RPC error object: `{"code", "message", "data": {"kind", …}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct RpcError {
    /// The stable numeric code (see [`ErrorKind::code`]).
    pub code: i64,
    /// A sentence for people: what is wrong and how to fix it.
    pub message: String,
    /// `{"kind": "<ErrorKind>"}`, plus details for some kinds (e.g. `program`).
    #[serde(default)]
    pub data: Value,
}

impl RpcError {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            code: kind.code(),
            message: message.into(),
            data: json!({ "kind": kind }),
        }
    }

    /// An internal error.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// Invalid params, naming what is wrong.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParams, message)
    }

    /// The kind from `data.kind`; unknown kinds (from a newer daemon) read as `Internal`.
    pub fn kind(&self) -> ErrorKind {
        self.data
            .get("kind")
            .cloned()
            .and_then(|k| serde_json::from_value(k).ok())
            .unwrap_or(ErrorKind::Internal)
    }
}

impl From<lifeguard_engine::EngineError> for RpcError {
    fn from(e: lifeguard_engine::EngineError) -> Self {
        use lifeguard_engine::EngineError as E;
        let kind = match &e {
            E::InvalidSpec(_) => ErrorKind::InvalidSpec,
            E::UnknownProgram(_) => ErrorKind::UnknownProgram,
            E::DuplicateProgram(_) => ErrorKind::DuplicateProgram,
            E::ShutDown => ErrorKind::ShuttingDown,
            E::NotRunning { .. } => ErrorKind::NotRunning,
        };
        let mut err = RpcError::new(kind, e.to_string());
        match &e {
            E::UnknownProgram(id) | E::DuplicateProgram(id) => {
                err.data["program"] = Value::from(id.as_str());
            }
            E::InvalidSpec(s) => err.data["field"] = Value::from(s.field.clone()),
            E::NotRunning { pid, .. } => err.data["pid"] = Value::from(*pid),
            E::ShutDown => {}
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_round_trips_through_data() {
        let e = RpcError::new(ErrorKind::UnknownProgram, "no program \"x\"");
        let text = serde_json::to_string(&e).unwrap_or_default();
        assert!(text.contains("\"kind\":\"unknown_program\""), "{text}");
        let back: RpcError = serde_json::from_str(&text).unwrap_or_else(|_| RpcError::internal(""));
        assert_eq!(back.kind(), ErrorKind::UnknownProgram);
        assert_eq!(back.code, -32010);
    }
}
