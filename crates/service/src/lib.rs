//! The service layer Lifeguard's daemon serves: config, history, control socket,
//! notifications and metrics, on top of the engine.
//!
//! Persistence lives here, never in the engine (which stays an embeddable library with
//! no files of its own): [`history`] is the SQLite restart history, [`telemetry`] the
//! rotating JSON-lines event log, and [`paths`] says where each file goes.

pub mod config;
pub mod history;
pub mod paths;
pub mod telemetry;
