//! Finding programs to protect: installed applications (freedesktop `.desktop` entries,
//! with icons from the icon theme), the apps the desktop starts at login (XDG autostart)
//! and the user's running processes.
//!
//! Plain Rust with no Tauri types, so the shell's commands stay one-liners and these
//! parts are tested on their own with crafted files.

pub mod choices;
pub mod desktop_entries;
pub mod exec;
pub mod icons;
pub mod login_apps;
pub mod processes;
pub mod theme_icons;

pub use choices::{app_choices, AppChoice};
pub use desktop_entries::{installed_apps, DesktopApp};
pub use icons::{icon_data_url, resolve_icon};
pub use login_apps::{login_apps, LoginApp};
pub use processes::{running_programs, RunningProgram};
