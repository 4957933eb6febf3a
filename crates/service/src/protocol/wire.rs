//! JSON-RPC 2.0 envelopes, exactly as they appear on one line of the socket.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::RpcError;

/// Longest line (request or response) accepted, newline excluded: 1 MiB. A longer
/// request gets a `request_too_large` error and the rest of its line is discarded.
pub const MAX_LINE: usize = 1024 * 1024;

/// A request from a client. `id` is echoed in the response; a request without an `id`
/// is a notification in JSON-RPC terms and gets no response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Always `"2.0"`.
    pub jsonrpc: String,
    /// The caller's id for matching the response (number or string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    /// The method's name, e.g. `"status"` or `"config.get"`.
    pub method: String,
    /// The method's parameters (an object); absent means `{}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
}

impl Request {
    /// A request with an id and params.
    pub fn new(id: u64, method: &str, params: Value) -> Self {
        Self {
            jsonrpc: "2.0".to_owned(),
            id: Some(Value::from(id)),
            method: method.to_owned(),
            params: Some(params),
        }
    }
}

/// The answer to one request: `result` or `error`, never both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Always `"2.0"`.
    pub jsonrpc: String,
    /// The request's id (`null` when the request could not be read far enough to know it).
    pub id: Value,
    /// The method's result, on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// What went wrong, on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcError>,
}

impl Response {
    /// A successful response.
    pub fn ok(id: Value, result: Value) -> Self {
        Self {
            jsonrpc: "2.0".to_owned(),
            id,
            result: Some(result),
            error: None,
        }
    }

    /// A failed response.
    pub fn err(id: Value, error: RpcError) -> Self {
        Self {
            jsonrpc: "2.0".to_owned(),
            id,
            result: None,
            error: Some(error),
        }
    }

    /// The response as one line of JSON, without the newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            // Only a non-string map key could fail here; say so rather than go silent.
            let fallback = Response::err(self.id.clone(), RpcError::internal(e.to_string()));
            serde_json::to_string(&fallback).unwrap_or_default()
        })
    }
}

/// A message from the daemon that answers no request (`event`, `log`, `lagged`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Always `"2.0"`.
    pub jsonrpc: String,
    /// What it carries: see [`super::EVENT_NOTIFICATION`] and its siblings.
    pub method: String,
    /// The payload.
    pub params: Value,
}

impl Notification {
    /// A notification, as one line of JSON without the newline.
    pub fn line(method: &str, params: Value) -> String {
        let n = Notification {
            jsonrpc: "2.0".to_owned(),
            method: method.to_owned(),
            params,
        };
        serde_json::to_string(&n).unwrap_or_default()
    }
}

/// Any line the daemon sends: a response (has `id`) or a notification (has `method`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Incoming {
    /// An answer to a request.
    Response(Response),
    /// A notification.
    Notification(Notification),
}
