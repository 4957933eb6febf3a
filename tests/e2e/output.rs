//! Live output on a program's page: new lines appear while it is open, pause holds
//! them, search narrows them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::driver::AppSession;
use crate::steps::*;

/// The daemon's log file of program `id`, below the test's HOME (the state directory).
fn log_file(home: &Path, id: &str) -> PathBuf {
    fn walk(dir: &Path, name: &str) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if let Some(found) = walk(&path, name) {
                    return Some(found);
                }
            } else if path.ends_with(Path::new("output").join(name)) {
                return Some(path);
            }
        }
        None
    }
    walk(&home.join(".local/state"), &format!("{id}.log"))
        .unwrap_or_else(|| panic!("no output/{id}.log below {}", home.display()))
}

/// Appends lines to the log, as the program's own writes do (it appends to this file).
fn write_lines(file: &Path, lines: &[&str]) {
    let mut f = std::fs::OpenOptions::new().append(true).open(file).unwrap();
    for line in lines {
        writeln!(f, "{line}").unwrap();
    }
}

#[tokio::test]
async fn output_follows_pauses_and_searches() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("echo.pid");
    let row = protect_testprog(&session, "Echo", &pid_file).await;
    let pid = pid_from(&pid_file, None).await;
    click(&session, &format!("{row} a.name")).await;
    let log = "pre.log[data-output=echo]";
    text_until(&session, log, |t| !t.contains("Loading")).await;

    let file = log_file(session.home(), "echo");
    write_lines(&file, &["first line arrives", "ERROR disk full"]);
    text_until(&session, log, |t| t.contains("ERROR disk full")).await;

    click(&session, "button[data-action=pause-output]").await;
    write_lines(&file, &["held while paused"]);
    text_until(&session, "button[data-action=pause-output]", |t| {
        t.contains("Resume (1 new)")
    })
    .await;
    assert!(
        !session
            .text(fantoccini::Locator::Css(log))
            .await
            .contains("held while paused"),
        "a paused output must not scroll new lines in"
    );
    click(&session, "button[data-action=pause-output]").await;
    text_until(&session, log, |t| t.contains("held while paused")).await;

    fill(&session, ".output-search", "error").await;
    text_until(&session, log, |t| {
        t.contains("ERROR disk full") && !t.contains("first line arrives")
    })
    .await;
    kill(pid, libc::SIGTERM);
    session.close().await;
}
