//! "Protect a program" → Installed applications, for a single-instance app that is
//! already running (mousepad: one process per session bus): the running copy is adopted
//! instead of a second one being started, and relaunched once when SIGKILLed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::driver::AppSession;
use crate::steps::*;

const MOUSEPAD: &str = "/usr/bin/mousepad";

/// The live mousepad processes of this session's HOME (other tests run their own).
fn copies(home: &Path) -> Vec<i32> {
    let home = format!("HOME={}", home.display());
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|e| e == Path::new(MOUSEPAD))
        })
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == home.as_bytes()))
        })
        .filter(|pid| alive(*pid))
        .collect()
}

/// Waits until the copies are one that `ok` accepts, then checks it stays so a while.
async fn one_copy(home: &Path, ok: impl Fn(i32) -> bool) -> i32 {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let [pid] = copies(home)[..] {
            if ok(pid) {
                tokio::time::sleep(Duration::from_millis(1500)).await;
                assert_eq!(copies(home), [pid], "a second copy appeared");
                return pid;
            }
        }
        assert!(Instant::now() < deadline, "copies: {:?}", copies(home));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_installed_app_already_running_is_adopted_then_relaunched_once_when_killed() {
    assert!(
        Path::new(MOUSEPAD).exists(),
        "mousepad is missing: scripts/install-deps.sh --test installs it"
    );
    let session = AppSession::start().await;
    let home = session.home().to_owned();
    let apps = home.join(".local/share/applications");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("org.example.LifeguardPad.desktop"),
        "[Desktop Entry]\nType=Application\nName=Lifeguard Pad\nExec=mousepad %U\n",
    )
    .unwrap();
    // The person's own mousepad, open before they protect it.
    let mut outside = Command::new(MOUSEPAD)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let first = outside.id() as i32;
    // Up and owning its bus name, so a second start would hand over to it.
    tokio::time::sleep(Duration::from_secs(2)).await;

    click(&session, "nav a[data-route=protect]").await;
    fill(&session, "#picker-search", "Lifeguard Pad").await;
    click(&session, "button.choice[data-name=\"Lifeguard Pad\"]").await;
    click(&session, "button[data-action=save]").await;
    let row = "li[data-program=\"lifeguard-pad\"]";
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    assert_eq!(
        one_copy(&home, |_| true).await,
        first,
        "not the running copy"
    );

    kill(first, libc::SIGKILL);
    outside.wait().unwrap();
    let second = one_copy(&home, |p| p != first).await;
    text_until(&session, &format!("{row} [data-role=restarts]"), |t| {
        // An adopted copy is not our child: its end is unknown, so "died", not "killed".
        t == "1 restart in 24 h · died once in the last hour"
    })
    .await;
    let state = text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    assert!(alive(second), "{state}");
    kill(second, libc::SIGTERM);
    session.close().await;
}
