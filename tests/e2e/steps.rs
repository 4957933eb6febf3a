//! What a person does in the window, as small async steps over [`AppSession`], and the
//! process checks the tests make from outside (pids, signals).

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;

use crate::driver::AppSession;

/// Generous: a debug build on 2 busy cores, a daemon to start, a program to restart.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Waits for an element matching `css` and returns it.
pub async fn find(session: &AppSession, css: &str) -> Element {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(element) = session.client().find(Locator::Css(css)).await {
            return element;
        }
        assert!(Instant::now() < deadline, "{css} never appeared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until no element matches `css`.
pub async fn gone(session: &AppSession, css: &str) {
    let deadline = Instant::now() + PATIENCE;
    while session.client().find(Locator::Css(css)).await.is_ok() {
        assert!(Instant::now() < deadline, "{css} never went away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element matching `css` once it exists.
pub async fn click(session: &AppSession, css: &str) {
    find(session, css).await.click().await.unwrap();
}

/// Replaces the text of the input matching `css`.
pub async fn fill(session: &AppSession, css: &str, text: &str) {
    let input = find(session, css).await;
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// Waits until the text of `css` satisfies `ready`; returns it.
pub async fn text_until(session: &AppSession, css: &str, ready: impl Fn(&str) -> bool) -> String {
    session.wait_for_text(Locator::Css(css), ready).await
}

/// Protects `lg-testprog --pid-file <pid_file>` as `name` through "Protect a program" →
/// "Choose a file" (typing the path, as the file dialog would fill it), and waits for its
/// row on the home view. Returns the row's CSS selector.
pub async fn protect_testprog(session: &AppSession, name: &str, pid_file: &Path) -> String {
    protect_program(session, name, &lifeguard_testprog::path(), pid_file).await
}

/// Protects `program --pid-file <pid_file>` (a copy of `lg-testprog`) as `name`, as
/// [`protect_testprog`] does.
pub async fn protect_program(
    session: &AppSession,
    name: &str,
    program: &Path,
    pid_file: &Path,
) -> String {
    click(session, "nav a[data-route=protect]").await;
    click(session, "#tab-file").await;
    fill(session, "#f-name", name).await;
    fill(session, "#f-program", program.to_str().unwrap()).await;
    fill(
        session,
        "#f-args",
        &format!("--pid-file {}", pid_file.display()),
    )
    .await;
    click(session, "button[data-action=save]").await;
    let id = name.to_lowercase().replace(' ', "-");
    let row = format!("li[data-program=\"{id}\"]");
    text_until(session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    row
}

/// Opens a row's "More" menu and clicks one of its items.
pub async fn more(session: &AppSession, row: &str, action: &str) {
    click(session, &format!("{row} details.menu > summary")).await;
    click(session, &format!("{row} [data-action={action}]")).await;
}

/// The pid in `file`, once the program has written one different from `not`.
pub async fn pid_from(file: &Path, not: Option<i32>) -> i32 {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let pid = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok());
        if let Some(pid) = pid.filter(|p| Some(*p) != not && alive(*p)) {
            return pid;
        }
        assert!(
            Instant::now() < deadline,
            "no new live pid in {}",
            file.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Whether a process exists (and is not a zombie waiting to be reaped).
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Sends a signal from outside, as a stray `kill` would.
pub fn kill(pid: i32, signal: i32) {
    // SAFETY: kill has no memory-safety preconditions.
    let rc = unsafe { libc::kill(pid, signal) };
    assert_eq!(rc, 0, "kill({pid}, {signal}) failed");
}

/// Waits until `pid` is gone.
pub async fn dead(pid: i32) {
    let deadline = Instant::now() + PATIENCE;
    while alive(pid) {
        assert!(Instant::now() < deadline, "pid {pid} is still alive");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
