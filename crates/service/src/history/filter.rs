//! [`EventFilter`]: which events a page or an export covers, turned into SQL.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// Which events to return. Empty fields mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFilter {
    /// Only this program.
    pub program_id: Option<String>,
    /// Only these kinds (see [`super::kind`]); empty for all.
    pub kinds: Vec<String>,
    /// Only events at or after this time (UTC ms).
    pub since_ms: Option<i64>,
    /// Only events strictly before this time (UTC ms).
    pub until_ms: Option<i64>,
}

impl EventFilter {
    /// Events of one program.
    pub fn program(program_id: &str) -> Self {
        Self {
            program_id: Some(program_id.to_owned()),
            ..Self::default()
        }
    }

    /// The `WHERE` clause (`"1"` when unfiltered) and its parameters. Only placeholders
    /// carry user values, never the SQL text.
    pub(crate) fn to_sql(&self) -> (String, Vec<Value>) {
        let mut clauses = Vec::new();
        let mut params = Vec::new();
        if let Some(program) = &self.program_id {
            clauses.push("program_id = ?".to_owned());
            params.push(Value::Text(program.clone()));
        }
        if !self.kinds.is_empty() {
            let marks = vec!["?"; self.kinds.len()].join(", ");
            clauses.push(format!("kind IN ({marks})"));
            params.extend(self.kinds.iter().cloned().map(Value::Text));
        }
        if let Some(since) = self.since_ms {
            clauses.push("ts_ms >= ?".to_owned());
            params.push(Value::Integer(since));
        }
        if let Some(until) = self.until_ms {
            clauses.push("ts_ms < ?".to_owned());
            params.push(Value::Integer(until));
        }
        if clauses.is_empty() {
            ("1".to_owned(), params)
        } else {
            (clauses.join(" AND "), params)
        }
    }
}
