//! The service layer Lifeguard's daemon serves: config, history, control socket,
//! notifications and metrics, on top of the engine.
//!
//! Persistence lives here, never in the engine (which stays an embeddable library with
//! no files of its own): [`history`] is the SQLite restart history, [`telemetry`] the
//! rotating JSON-lines event log, and [`paths`] says where each file goes.
//!
//! The daemon's side: [`protocol`] (JSON-RPC 2.0 types shared by both ends), [`server`]
//! (the control socket), [`client`] (used by the CLI and the desktop app), [`daemon`]
//! (the assembly), [`output`] (programs' log files) and [`metrics`] (Prometheus).

pub mod adopt_env;
pub mod client;
pub mod config;
pub mod daemon;
pub mod desktop_entry;
pub mod history;
pub mod hung;
mod inotify;
pub mod keeper;
pub mod metrics;
pub mod notify;
pub mod output;
pub mod paths;
pub mod protocol;
pub mod server;
pub mod session_env;
pub mod single_instance;
pub mod telemetry;
