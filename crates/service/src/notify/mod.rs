//! Desktop notifications for restarts: useful, never a storm.

pub mod decide;
pub mod notice;
pub mod text;

pub use decide::Recent;
pub use notice::{Decision, Key, Notice, Now, Prefs, ProgramPrefs, Retry};
