//! The restart history: a SQLite database (WAL) in the data directory, one row per event.
//!
//! - [`HistoryWriter`] batches events on its own thread and commits within the commit
//!   window (100 ms); a committed event survives a SIGKILL of the process.
//! - [`HistoryReader`] answers the UI's and CLI's queries: pages ([`HistoryReader::page`]),
//!   per-program stats, the restarts-per-day chart and CSV / JSON-lines export.
//! - [`Retention`] bounds the file by age and/or row count.
//!
//! See `docs/persistence.md` for the schema and the durability guarantees.

mod error;
mod export;
mod filter;
mod footprint;
mod from_event;
mod query;
mod record;
mod retention;
mod rows;
pub mod schema;
mod stats;
mod trouble;
mod writer;

pub use error::{HistoryError, Result};
pub use export::CSV_HEADER;
pub use filter::EventFilter;
pub use query::{Cursor, HistoryReader, Page};
pub use record::{kind, now_ms, HistoryRecord};
pub use retention::{prune, Retention};
pub use stats::{ProgramStats, RestartChart, RestartSeries};
pub use trouble::{is_corrupt, move_aside, Trouble};
pub use writer::{HistoryWriter, WriterOptions};
