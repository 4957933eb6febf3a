//! Protecting an application picked from the installed ones or from those the desktop
//! starts at login (`add` naming a desktop entry or an autostart entry): when a copy of
//! it already runs, that copy is adopted instead of a second one being started (which a
//! single-instance app would hand straight back anyway).

use lifeguard_engine::ProgramSpec;

use crate::config::ProgramOptions;

/// The pid of the running copy to adopt for a program picked from the installed
/// applications or the login apps, if one runs; `None` for any other `add` (a command
/// line typed by hand means "start this").
pub(super) async fn running_copy(spec: &ProgramSpec, options: &ProgramOptions) -> Option<u32> {
    let desktop_id = options
        .desktop_id
        .clone()
        .or_else(|| options.autostart_entry.clone())?;
    let spec = spec.clone();
    tokio::task::spawn_blocking(move || {
        crate::single_instance::find_copy(&spec, Some(&desktop_id)).map(|who| who.pid)
    })
    .await
    .ok()
    .flatten()
}
