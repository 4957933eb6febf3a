//! Commands about programs: list, add, change, remove, control, pause.

use lifeguard_engine::{ProgramSnapshot, Snapshot};
use lifeguard_service::config::{ProgramEntry, ProgramOptions};
use lifeguard_service::protocol::desktop::MissedList;
use lifeguard_service::protocol::methods::{ProgramInfo, Removed};
use serde_json::Value;
use tauri::State;

use super::{program_id, ui, CommandError, Reply};
use crate::daemon_link::DaemonLink;

/// The programs in the config file, each flat as its `[[program]]` entry (spec and
/// options: autostart, notify, icon…).
#[tauri::command]
pub async fn programs(link: State<'_, DaemonLink>) -> Reply<Vec<ProgramEntry>> {
    let list = link.client().await?.list().await?;
    Ok(list
        .into_iter()
        .map(|p| ProgramEntry {
            spec: p.spec,
            options: p.options,
        })
        .collect())
}

/// The daemon's snapshot: global pause and every program's state.
#[tauri::command]
pub async fn status(link: State<'_, DaemonLink>) -> Reply<Snapshot> {
    Ok(link.client().await?.status().await?)
}

/// The restarts no notification showed (no server answered), oldest first, until a
/// summary popup showed them or the person dismissed them.
#[tauri::command]
pub async fn missed(link: State<'_, DaemonLink>) -> Reply<MissedList> {
    Ok(MissedList {
        missed: link.client().await?.missed().await?,
    })
}

/// Forgets the missed restarts (the banner's Dismiss).
#[tauri::command]
pub async fn dismiss_missed(link: State<'_, DaemonLink>) -> Reply<()> {
    Ok(link.client().await?.dismiss_missed(ui()).await?)
}

/// Adds a program (one config `[[program]]` entry as JSON) and starts it; with
/// `adopt_pid`, protects that running process as it is instead of starting a copy.
#[tauri::command]
pub async fn add_program(
    link: State<'_, DaemonLink>,
    program: Value,
    adopt_pid: Option<u32>,
) -> Reply<ProgramSnapshot> {
    let program: ProgramInfo = program_info(program)?;
    let client = link.client().await?;
    Ok(match adopt_pid {
        Some(pid) => client.add_adopting(program, pid, ui()).await?,
        None => client.add(program, ui()).await?,
    })
}

/// Replaces a program's settings; with `dry_run`, only checks them as the daemon would,
/// writing nothing (the edit form asks this while the user types), and a bad value is
/// an error whose `field` names it.
#[tauri::command]
pub async fn update_program(
    link: State<'_, DaemonLink>,
    program: Value,
    dry_run: Option<bool>,
) -> Reply<ProgramSnapshot> {
    let program: ProgramInfo = program_info(program)?;
    let client = link.client().await?;
    Ok(if dry_run.unwrap_or(false) {
        client.check_update(program, ui()).await?
    } else {
        client.update(program, ui()).await?
    })
}

/// Stops protecting a program; `keep_running` leaves it running, else it is stopped.
#[tauri::command]
pub async fn remove_program(
    link: State<'_, DaemonLink>,
    id: String,
    keep_running: bool,
) -> Reply<Removed> {
    let id = program_id(&id)?;
    Ok(link.client().await?.remove(&id, keep_running, ui()).await?)
}

/// Start, stop, restart or retry one program.
#[tauri::command]
pub async fn control(
    link: State<'_, DaemonLink>,
    id: String,
    action: String,
) -> Reply<ProgramSnapshot> {
    let id = program_id(&id)?;
    let client = link.client().await?;
    let snapshot = match action.as_str() {
        "start" => client.start(&id, ui()).await?,
        "stop" => client.stop(&id, ui()).await?,
        "restart" => client.restart(&id, ui()).await?,
        "retry" => client.retry(&id, ui()).await?,
        other => {
            return Err(CommandError::invalid(
                "action",
                format!("{other:?} is not one of start, stop, restart, retry"),
            ))
        }
    };
    Ok(snapshot)
}

/// Pauses one program (`id`) or all (`id` null), for `minutes` or until resumed.
#[tauri::command]
pub async fn pause(
    link: State<'_, DaemonLink>,
    id: Option<String>,
    minutes: Option<u64>,
) -> Reply<Snapshot> {
    let id = id.as_deref().map(program_id).transpose()?;
    let length = minutes.map(|m| format!("{m}m"));
    Ok(link
        .client()
        .await?
        .pause(id.as_ref(), None, length, ui())
        .await?)
}

/// Resumes one program (`id`) or all (`id` null).
#[tauri::command]
pub async fn resume(link: State<'_, DaemonLink>, id: Option<String>) -> Reply<Snapshot> {
    let id = id.as_deref().map(program_id).transpose()?;
    Ok(link.client().await?.resume(id.as_ref(), ui()).await?)
}

/// Reads a program as the config file has it, flat (`id`, `argv`, …, `autostart`,
/// `notify`): the shape `programs` returns.
fn program_info(program: Value) -> Reply<ProgramInfo> {
    // A value of the wrong shape ("5x" for a duration) is caught here, before the
    // daemon sees it: named by its path all the same.
    let invalid = |e: serde_path_to_error::Error<serde_json::Error>| {
        let at = e.path().to_string();
        CommandError {
            kind: "invalid_spec".into(),
            message: format!("{}: {}", if at == "." { "program" } else { &at }, e.inner()),
            field: (at != ".").then_some(at.clone()),
        }
    };
    let Value::Object(mut fields) = program else {
        return Err(CommandError::invalid("program", "must be an object"));
    };
    let mut options = serde_json::Map::new();
    for key in ProgramOptions::KEYS {
        if let Some(value) = fields.remove(key) {
            options.insert(key.to_string(), value);
        }
    }
    Ok(ProgramInfo {
        spec: serde_path_to_error::deserialize(Value::Object(fields)).map_err(invalid)?,
        options: serde_path_to_error::deserialize(Value::Object(options)).map_err(invalid)?,
    })
}
