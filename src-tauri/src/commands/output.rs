//! Live output: following a program's stdout and stderr logs while its page is open, and
//! opening the log file in the desktop's own viewer.

use std::collections::HashMap;
use std::sync::Mutex;

use lifeguard_service::protocol::methods::{LogLines, Stream};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use super::{program_id, CommandError, Reply};
use crate::daemon_link::DaemonLink;
use crate::window::MAIN;

/// Tauri event with a batch of new lines of a followed log ([`LogBatch`]).
pub const LOG_EVENT: &str = "lifeguard://log";
/// Lines a follow starts with; the window keeps at most a few thousand.
const TAIL_LINES: usize = 500;

/// The follows running, one per program, so a page opened twice does not get lines twice.
#[derive(Default)]
pub struct Follows(Mutex<HashMap<String, tauri::async_runtime::JoinHandle<()>>>);

/// A batch of new lines, as `lifeguard://log` carries it.
#[derive(Debug, Clone, Serialize)]
pub struct LogBatch {
    /// The program's id.
    pub program: String,
    /// The new lines, oldest first.
    pub lines: Vec<String>,
    /// The stream of each of `lines` (stdout when absent: an older daemon's combined file).
    pub streams: Vec<Stream>,
}

/// Starts following a program's output: answers with its last lines (and the log file's
/// path), then sends new lines as `lifeguard://log` events until `logs_unfollow`.
#[tauri::command]
pub async fn logs_follow<R: Runtime>(
    app: AppHandle<R>,
    link: State<'_, DaemonLink>,
    follows: State<'_, Follows>,
    id: String,
) -> Reply<LogLines> {
    let program = program_id(&id)?;
    let mut follow = link
        .client()
        .await?
        .logs_follow(&program, TAIL_LINES)
        .await?;
    let tail = follow.tail.clone();
    let handle = tauri::async_runtime::spawn(async move {
        while let Some(batch) = follow.lines.recv().await {
            let streams = (0..batch.lines.len()).map(|i| batch.stream(i)).collect();
            let batch = LogBatch {
                program: batch.program.to_string(),
                lines: batch.lines,
                streams,
            };
            if app.emit_to(MAIN, LOG_EVENT, batch).is_err() {
                return;
            }
        }
    });
    let previous = lock(&follows)?.insert(id, handle);
    if let Some(previous) = previous {
        previous.abort();
    }
    Ok(tail)
}

/// Stops following a program's output (its page was left).
#[tauri::command]
pub fn logs_unfollow(follows: State<'_, Follows>, id: String) -> Reply<()> {
    if let Some(handle) = lock(&follows)?.remove(&id) {
        handle.abort();
    }
    Ok(())
}

/// Opens a program's stdout log file with the desktop's default viewer (`xdg-open`, no
/// shell), or its stderr file when only that one exists (stdout set to a file or `null`);
/// answers with the path opened. The paths come from the daemon, never from the page, so
/// the window cannot open anything else through this.
#[tauri::command]
pub async fn open_log_file(link: State<'_, DaemonLink>, id: String) -> Reply<String> {
    let program = program_id(&id)?;
    let tail = link.client().await?.logs(&program, 0).await?;
    let Some(path) = std::iter::once(tail.path.clone())
        .chain(tail.stderr_path.clone())
        .find(|p| p.is_file())
    else {
        return Err(CommandError {
            kind: "no_log".into(),
            message: format!("{} has no log file yet ({})", id, tail.path.display()),
            field: None,
        });
    };
    std::process::Command::new("xdg-open")
        .arg(&path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| CommandError {
            kind: "io".into(),
            message: format!("could not run xdg-open to show {}: {e}", path.display()),
            field: None,
        })?;
    Ok(path.display().to_string())
}

/// Registers the follow table; called once at start.
pub fn manage<R: Runtime>(app: &AppHandle<R>) {
    app.manage(Follows::default());
}

fn lock<'a>(
    follows: &'a State<'_, Follows>,
) -> Reply<std::sync::MutexGuard<'a, HashMap<String, tauri::async_runtime::JoinHandle<()>>>> {
    follows.0.lock().map_err(|_| CommandError {
        kind: "internal".into(),
        message: "the log follow table is poisoned".into(),
        field: None,
    })
}
