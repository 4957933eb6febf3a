//! The config file `config.toml`: its shape, loading with located errors, atomic writes
//! that keep the user's comments, hot reload as a diff, and the committed JSON Schema.

mod atomic;
mod diff;
mod error;
mod load;
mod locate;
mod model;
#[cfg(feature = "schemars")]
mod schema;
mod store;
mod watch;
pub mod window_ping;

pub use atomic::{remove_stale_temps, write_atomic};
pub use diff::{ConfigDiff, ProgramChange};
pub use error::{ConfigError, ConfigProblem};
pub use load::{parse, MAX_HISTORY_AGE, MAX_HISTORY_ROWS};
pub use model::{Config, HistorySettings, MetricsSettings, ProgramEntry, ProgramOptions, Settings};
#[cfg(feature = "schemars")]
pub use schema::json_schema;
pub use store::ConfigStore;
pub use watch::{ConfigEvent, ConfigWatcher};
