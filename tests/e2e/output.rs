//! Live output on a program's page: new lines appear while it is open, stderr lines are
//! marked and can be filtered, pause holds them, search narrows them.

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

/// stdout and stderr told apart: the program's own stderr line is shown marked as
/// stderr (so is a live one after a restart), and the stream filter hides and shows it.
#[tokio::test]
async fn stderr_lines_are_marked_and_the_filter_hides_them() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("streams.pid");
    click(&session, "nav a[data-route=protect]").await;
    click(&session, "#tab-file").await;
    fill(&session, "#f-name", "Streams").await;
    fill(
        &session,
        "#f-program",
        lifeguard_testprog::path().to_str().unwrap(),
    )
    .await;
    let args = format!(
        "--pid-file {} --print stdout-hello --eprint stderr-oops",
        pid_file.display()
    );
    fill(&session, "#f-args", &args).await;
    click(&session, "button[data-action=save]").await;
    let row = "li[data-program=\"streams\"]";
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    let pid = pid_from(&pid_file, None).await;
    click(&session, &format!("{row} a.name")).await;
    let log = "pre.log[data-output=streams]";
    text_until(&session, log, |t| {
        t.contains("stdout-hello") && t.contains("stderr-oops")
    })
    .await;
    let stderr_lines = || async {
        let found = session
            .client()
            .find_all(fantoccini::Locator::Css(&format!(
                "{log} .line.stderr[data-stream=stderr]"
            )))
            .await
            .unwrap();
        let mut texts = Vec::new();
        for line in found {
            texts.push(line.text().await.unwrap());
        }
        texts
    };
    let html = find(&session, log).await.html(true).await.unwrap();
    assert_eq!(stderr_lines().await, vec!["stderr-oops"], "{html}");
    let stdout_line = find(&session, &format!("{log} .line.stdout")).await;
    assert_eq!(stdout_line.text().await.unwrap(), "stdout-hello");

    // A live line: killed, restarted, the new run writes its stderr line again.
    kill(pid, libc::SIGKILL);
    let pid = pid_from(&pid_file, Some(pid)).await;
    let deadline = std::time::Instant::now() + PATIENCE;
    while stderr_lines().await.len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the restarted run's stderr line never showed as stderr: {:?}",
            session.text(fantoccini::Locator::Css(log)).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    click(&session, "button[data-stream-filter=stdout]").await;
    text_until(&session, log, |t| {
        t.contains("stdout-hello") && !t.contains("stderr-oops")
    })
    .await;
    click(&session, "button[data-stream-filter=stderr]").await;
    text_until(&session, log, |t| {
        t.contains("stderr-oops") && !t.contains("stdout-hello")
    })
    .await;
    click(&session, "button[data-stream-filter=both]").await;
    text_until(&session, log, |t| {
        t.contains("stderr-oops") && t.contains("stdout-hello")
    })
    .await;
    kill(pid, libc::SIGTERM);
    session.close().await;
}
