//! Issue 19, item 6, through the real daemon: its notices name Lifeguard's desktop entry
//! (so GNOME files and mutes them under Lifeguard), carry the icon of the app the program
//! was picked as (its installed desktop entry's `Icon=`), and quitting Lifeguard is not
//! announced as "Protection paused … Resume from the tray". A real dunst, a real
//! dbus-monitor, a real program killed with SIGKILL.
//! Run under `xvfb-run -a dbus-run-session -- cargo nextest run -p lifeguard-service notify`.
#![allow(clippy::unwrap_used)]

mod notify_support;

use std::time::Duration;

use lifeguard_engine::{Observed, Origin, Signal};
use lifeguard_service::client::Client;
use lifeguard_service::daemon::{self, DaemonOptions, Outcome};
use lifeguard_service::paths::Paths;
use notify_support::{eventually, kill, Dunst, Monitor, PATIENCE};

async fn pid_of(client: &Client, id: &str) -> Option<u32> {
    let snap = client.status().await.ok()?;
    let p = snap.programs.into_iter().find(|p| p.id.as_str() == id)?;
    match p.state {
        Observed::Running { pid, .. } => Some(pid),
        _ => None,
    }
}

async fn running(client: &Client, id: &str, not: Option<u32>) -> u32 {
    let start = std::time::Instant::now();
    loop {
        if let Some(pid) = pid_of(client, id).await.filter(|p| Some(*p) != not) {
            return pid;
        }
        assert!(start.elapsed() < PATIENCE, "{id} never ran");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn notify_the_daemons_notices_name_lifeguard_carry_the_apps_icon_and_quitting_is_no_pause() {
    let root = tempfile::tempdir().unwrap();
    // The app the program was picked as, installed in the user's data directory.
    let apps = root.path().join("share/applications");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("lifeguard-probe-editor.desktop"),
        "[Desktop Entry]\nType=Application\nName=Probe Editor\nExec=probe\n\
         Icon=accessories-text-editor\n",
    )
    .unwrap();
    // Before any thread: the daemon reads its desktop entries from here.
    std::env::set_var("XDG_DATA_HOME", root.path().join("share"));
    std::env::remove_var("LIFEGUARD_SOCKET");
    let paths = Paths::under(root.path());
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    let prog = lifeguard_testprog::path();
    std::fs::write(
        paths.config_file(),
        format!(
            "[[program]]\nid = \"editor\"\nname = \"Probe Editor\"\nargv = [{:?}]\n\
             desktop_id = \"lifeguard-probe-editor.desktop\"\n",
            prog.to_string_lossy()
        ),
    )
    .unwrap();
    let socket = paths
        .runtime_dir
        .join(lifeguard_service::server::SOCKET_NAME);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let monitor = Monitor::start().await;
        let _dunst = Dunst::start().await;
        let daemon = tokio::spawn(daemon::run(DaemonOptions::new(paths)));
        let client = {
            let start = std::time::Instant::now();
            loop {
                if let Ok(c) = Client::connect(&socket).await {
                    if c.status().await.is_ok() {
                        break c;
                    }
                }
                assert!(start.elapsed() < PATIENCE, "the daemon never answered");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let first = running(&client, "editor", None).await;
        kill(first, Signal::KILL);
        running(&client, "editor", Some(first)).await;
        let call = eventually("the restart notice", || {
            monitor.calls("Probe Editor restarted").into_iter().next()
        })
        .await;
        assert_eq!(call.icon, "accessories-text-editor", "{call:#?}");
        assert!(
            call.hints
                .iter()
                .any(|(k, v)| k == "desktop-entry" && v == "org.lifeguard.Lifeguard"),
            "{call:#?}"
        );
        assert!(call.body.ends_with(". First restart today."), "{call:#?}");

        // Quit, as the tray's Quit does: stop every program and the daemon.
        client.shutdown(true, Origin::api()).await.unwrap();
        let outcome = tokio::time::timeout(PATIENCE, daemon)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(outcome.unwrap(), Outcome::Stopped);
        // A notice the daemon decided on before it ended is on the bus by now.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let paused = monitor.calls("Protection paused");
        assert!(
            paused.is_empty(),
            "quitting was announced as a pause: {paused:#?}"
        );
    });
}
