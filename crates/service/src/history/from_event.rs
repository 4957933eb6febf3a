//! An engine [`Event`] as a history row.

use lifeguard_engine::{Event, Exit};
use serde_json::{Map, Value};

use super::record::HistoryRecord;

/// The serde name of a unit enum variant (`restart_scheduled`, `cli`), so the stored
/// names always match the engine's JSON without a hand-kept table.
fn serde_name<T: serde::Serialize + std::fmt::Debug>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => format!("{v:?}").to_lowercase(),
    }
}

impl From<&Event> for HistoryRecord {
    fn from(e: &Event) -> Self {
        let mut detail = Map::new();
        let (exit_code, signal, signal_name) = match e.exit {
            None => (None, None, None),
            Some(Exit::Code(c)) => {
                detail.insert("exit".into(), "code".into());
                (Some(c), None, None)
            }
            Some(Exit::Signal {
                signal,
                core_dumped,
            }) => {
                detail.insert("exit".into(), "signal".into());
                detail.insert("core_dumped".into(), core_dumped.into());
                (None, Some(signal.number()), Some(signal.name()))
            }
            Some(Exit::Unknown) => {
                detail.insert("exit".into(), "unknown".into());
                (None, None, None)
            }
        };
        if let Some(until) = e.until {
            detail.insert("until".into(), until.into());
        }
        HistoryRecord {
            id: None,
            ts_ms: i64::try_from(e.ts).unwrap_or(i64::MAX),
            program_id: e.program.as_str().to_owned(),
            program_name: e.name.clone(),
            kind: serde_name(&e.kind),
            pid: e.pid,
            exit_code,
            signal,
            signal_name,
            uptime_ms: e.uptime_ms,
            delay_ms: e.delay_ms,
            attempt: Some(e.attempt),
            requested_by: e.requested_by.as_ref().map(serde_name),
            reason: e.reason.clone(),
            detail: (!detail.is_empty()).then_some(Value::Object(detail)),
        }
    }
}
