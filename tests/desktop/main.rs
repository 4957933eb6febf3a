//! The desktop shell for real: the built app under Xvfb and a D-Bus session, the daemon it
//! starts, a stand-in panel that reads and clicks the tray menu, real signals.
#![allow(clippy::unwrap_used)]

mod harness;

use harness::{alive, app_pids, eventually, kill, pids_with_arg, tray_pids, Desktop, Panel};
use lifeguard_engine::{Observed, Origin, ProgramSpec};
use lifeguard_service::protocol::methods::ProgramInfo;

/// Adds an lg-testprog sleeper whose argv carries `tag`, so tests can count its copies.
async fn protect_sleeper(desktop: &Desktop, id: &str, tag: &str) -> u32 {
    let client = desktop.client().await;
    let argv = [
        lifeguard_testprog::path().display().to_string(),
        "--tag".into(),
        tag.into(),
    ];
    let spec = ProgramSpec::build(id, argv).unwrap();
    let info = ProgramInfo {
        spec,
        options: Default::default(),
    };
    client.add(info, Origin::api()).await.unwrap();
    eventually("the program to run", || pids_with_arg(tag).first().copied()).await
}

#[tokio::test]
async fn the_app_starts_a_daemon_and_starts_a_new_one_when_it_is_killed() {
    let mut desktop = Desktop::new();
    desktop.start_app();
    let client = desktop.client().await;
    let first = client.hello().await.unwrap().pid;
    let (ok, status) = desktop.cli(&["status"]);
    assert!(
        ok,
        "`lifeguard status` must reach the daemon the app started: {status}"
    );
    let tag = "lg-tag-daemon-kill";
    let program = protect_sleeper(&desktop, "sleeper", tag).await;

    // The whole daemon, its keeper too (a daemon killed alone is the keeper's to revive):
    // stopped first, so neither revives the other. The app starts a new one.
    let keeper = harness::parent(first);
    for signal in [libc::SIGSTOP, libc::SIGKILL] {
        kill(keeper, signal);
        kill(first, signal);
    }
    eventually("`lifeguard status` to reach a new daemon", || {
        let (ok, _) = desktop.cli(&["status"]);
        ok.then_some(())
    })
    .await;
    let client = desktop.client().await;
    let hello = client.hello().await.unwrap();
    assert_ne!(hello.pid, first, "the app must have started a new daemon");
    // The new daemon re-adopts the running program instead of starting a second copy.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let copies = pids_with_arg(tag);
    assert_eq!(
        copies,
        vec![program],
        "exactly the original instance must remain"
    );
}

#[tokio::test]
async fn quit_tray_leaves_protection_running() {
    let mut desktop = Desktop::new();
    let mut panel = Panel::start();
    desktop.start_app();
    panel.wait_for_item();
    let client = desktop.client().await;
    let daemon = client.hello().await.unwrap().pid;
    let tag = "lg-tag-quit-tray";
    let program = protect_sleeper(&desktop, "sleeper", tag).await;
    eventually("the menu to list the program", || {
        panel
            .labels()
            .iter()
            .any(|l| l.starts_with("sleeper"))
            .then_some(())
    })
    .await;

    let clicked = panel.ask("click Quit tray (protection continues)");
    assert!(clicked["clicked"].is_number(), "{clicked}");
    let mut app = desktop.app.take().unwrap();
    let status = app.wait().unwrap();
    assert!(
        status.success(),
        "quitting the tray exits cleanly: {status}"
    );
    assert!(
        alive(daemon),
        "the daemon keeps running after the tray quits"
    );
    kill(program, libc::SIGKILL);
    let restarted = eventually("the program to be restarted by the daemon", || {
        pids_with_arg(tag).into_iter().find(|pid| *pid != program)
    })
    .await;
    assert_ne!(restarted, program);
}

#[tokio::test]
async fn pausing_from_the_tray_holds_restarts() {
    let mut desktop = Desktop::new();
    let mut panel = Panel::start();
    desktop.start_app();
    panel.wait_for_item();
    let client = desktop.client().await;
    let tag = "lg-tag-tray-pause";
    let program = protect_sleeper(&desktop, "sleeper", tag).await;
    eventually("the menu to offer a pause", || {
        panel
            .labels()
            .iter()
            .any(|l| l == "For 15 minutes")
            .then_some(())
    })
    .await;

    let clicked = panel.ask("click For 15 minutes");
    assert!(clicked["clicked"].is_number(), "{clicked}");
    let snapshot = eventually_async_paused(&client).await;
    let until = snapshot.paused_until.expect("a 15 minute pause has an end");
    let now = lifeguard_service::history::now_ms() as u64;
    assert!(
        until > now + 14 * 60_000 && until <= now + 15 * 60_000 + 5_000,
        "ends in ~15 min"
    );
    eventually("the menu to say it is paused", || {
        panel
            .labels()
            .iter()
            .any(|l| l.starts_with("Protection paused"))
            .then_some(())
    })
    .await;

    kill(program, libc::SIGKILL);
    eventually("the program to be down", || (!alive(program)).then_some(())).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        pids_with_arg(tag).is_empty(),
        "a paused program is not restarted"
    );
    let snapshot = client.status().await.unwrap();
    let sleeper = snapshot
        .programs
        .iter()
        .find(|p| p.id.as_str() == "sleeper")
        .unwrap();
    assert!(
        matches!(sleeper.state, Observed::Held { .. }),
        "{:?}",
        sleeper.state
    );
}

async fn eventually_async_paused(
    client: &lifeguard_service::client::Client,
) -> lifeguard_engine::Snapshot {
    for _ in 0..200 {
        let snapshot = client.status().await.unwrap();
        if snapshot.paused {
            return snapshot;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the daemon never reported the pause");
}

/// The "Launch at login" check item's state in the tray menu (1 on, 0 off).
fn login_toggle(panel: &mut Panel) -> i64 {
    let answer = panel.ask("layout");
    fn find(nodes: &serde_json::Value) -> Option<i64> {
        nodes.as_array()?.iter().find_map(|node| {
            if node["label"] == "Launch at login" {
                node["toggle_state"].as_i64()
            } else {
                find(&node["children"])
            }
        })
    }
    find(&answer["layout"]).unwrap_or(-1)
}

#[tokio::test]
async fn launch_at_login_is_on_after_the_first_run_and_stays_off_once_turned_off() {
    let mut desktop = Desktop::new();
    let mut panel = Panel::start();
    desktop.start_app();
    panel.wait_for_item();
    desktop.client().await;
    let entry = desktop
        .home
        .path()
        .join(".config/autostart/org.lifeguard.Lifeguard.desktop");
    let text = eventually("the autostart entry of the first run", || {
        std::fs::read_to_string(&entry).ok()
    })
    .await;
    let app = harness::bin("lifeguard-desktop").display().to_string();
    let lines: Vec<&str> = text.lines().collect();
    for wanted in [
        format!("Exec=\"{app}\" --hidden"),
        format!("TryExec={app}"),
        "Icon=org.lifeguard.Lifeguard".to_string(),
        "Comment=Keeps the programs you chose running".to_string(),
        "Hidden=false".to_string(),
    ] {
        assert!(lines.contains(&wanted.as_str()), "no {wanted:?} in\n{text}");
    }
    eventually("the menu to show launch at login on", || {
        (login_toggle(&mut panel) == 1).then_some(())
    })
    .await;

    panel.ask("click Launch at login");
    eventually("the entry to be turned off", || {
        std::fs::read_to_string(&entry)
            .ok()
            .filter(|t| t.lines().any(|l| l == "Hidden=true"))
    })
    .await;
    eventually("the menu to show launch at login off", || {
        (login_toggle(&mut panel) == 0).then_some(())
    })
    .await;

    // A later start keeps the person's choice.
    drop(panel);
    if let Some(mut app) = desktop.app.take() {
        let client = desktop.client().await;
        let _ = client.unguard(Origin::api()).await;
        let _ = app.kill();
        let _ = app.wait();
    }
    let mut panel = Panel::start();
    desktop.start_app();
    panel.wait_for_item();
    eventually("the new app's menu", || {
        (login_toggle(&mut panel) == 0).then_some(())
    })
    .await;
    let text = std::fs::read_to_string(&entry).unwrap();
    assert!(
        text.lines().any(|l| l == "Hidden=true"),
        "a second start must not turn launch at login back on:\n{text}"
    );
}

#[tokio::test]
async fn the_daemon_the_app_starts_logs_to_a_file_the_cli_shows() {
    let mut desktop = Desktop::new();
    desktop.start_app();
    desktop.client().await;
    let log = desktop
        .home
        .path()
        .join(".local/state/lifeguard/daemon.log");
    let text = eventually("the daemon's log file", || {
        std::fs::read_to_string(&log)
            .ok()
            .filter(|t| t.contains("daemon ready"))
    })
    .await;
    assert!(!text.contains('\u{1b}'), "no terminal colours in a file");
    let (ok, shown) = desktop.cli(&["logs", "--daemon"]);
    assert!(ok && shown.contains("daemon ready"), "{shown}");
}

#[tokio::test]
async fn without_a_tray_host_an_app_started_hidden_opens_its_window() {
    let mut desktop = Desktop::new();
    let app = desktop.start_app();
    desktop.client().await;
    eventually("a Lifeguard window", || {
        let out = std::process::Command::new("xdotool")
            .args(["search", "--pid", &app.to_string(), "--name", "^Lifeguard$"])
            .output()
            .ok()?;
        (out.status.success() && !out.stdout.is_empty()).then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_daemon_relaunches_the_tray_after_sigkill() {
    let mut desktop = Desktop::new();
    desktop.start_app();
    let client = desktop.client().await;
    let app = eventually("the tray process", || tray_pids(&desktop).first().copied()).await;
    let mut guarded = false;
    for _ in 0..600 {
        let status = client.status().await.unwrap();
        if status
            .programs
            .iter()
            .any(|p| p.id.as_str() == "lifeguard-desktop")
        {
            guarded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        guarded,
        "the tray asks the daemon to guard it when it connects"
    );
    kill(app, libc::SIGKILL);
    let relaunched = eventually("a new tray process", || {
        tray_pids(&desktop).into_iter().find(|pid| *pid != app)
    })
    .await;
    assert_ne!(relaunched, app);
    // The relaunched tray connects to the same daemon and starts no second one.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let ours = harness::pids_with_env(&format!("HOME={}", desktop.home.path().display()));
    let daemons: Vec<u32> = harness::pids_with_arg("daemon")
        .into_iter()
        .filter(|pid| ours.contains(pid))
        .collect();
    let kept: Vec<u32> = harness::pids_with_arg("--kept-by")
        .into_iter()
        .filter(|pid| ours.contains(pid))
        .collect();
    // `lifeguard daemon` is a keeper and the daemon proper under it.
    assert_eq!(kept.len(), 1, "one daemon per user: {daemons:?}");
    assert_eq!(daemons.len(), 2, "one daemon and its keeper: {daemons:?}");
}

#[tokio::test]
async fn with_the_user_unit_enabled_the_app_starts_the_daemon_through_systemd() {
    use std::io::BufRead;
    let mut desktop = Desktop::new();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/systemd_manager.py");
    let mut manager = desktop
        .command("/usr/bin/python3")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(manager.stdout.take().unwrap());
    let mut read = || {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        serde_json::from_str::<serde_json::Value>(&line).unwrap_or_default()
    };
    assert_eq!(read()["ready"], true, "the stand-in systemd did not start");
    desktop.start_app();
    let started = read();
    assert_eq!(started["started"], "lifeguard.service", "{started}");
    let client = desktop.client().await;
    let daemon = client.hello().await.unwrap().pid;
    // systemd's process is the keeper; the daemon answering is its child.
    assert_eq!(
        Some(harness::parent(daemon) as u64),
        started["pid"].as_u64(),
        "the daemon answering is the one systemd started, not one of the app's own"
    );
    let _ = client.unguard(Origin::api()).await;
    drop(manager.stdin.take());
    let _ = manager.wait();
}

/// The pid owning a bus name (the stand-in panel's registered item).
async fn bus_owner_pid(name: &str) -> u32 {
    let out = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            &format!("string:{name}"),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .last()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no pid for {name}: {text}"))
}

#[tokio::test]
async fn the_tray_is_served_by_a_process_without_gtk_or_webkit() {
    let mut desktop = Desktop::new();
    let mut panel = Panel::start();
    desktop.start_app();
    let item = panel.wait_for_item();
    let owner = bus_owner_pid(&item).await;
    let libraries = harness::mapped_libraries(owner);
    let heavy: Vec<&String> = libraries
        .iter()
        .filter(|l| l.starts_with("libgtk") || l.starts_with("libwebkit"))
        .collect();
    assert!(
        heavy.is_empty(),
        "the tray's process {owner} maps {heavy:?}"
    );
    eventually("the menu's summary", || {
        panel
            .labels()
            .iter()
            .any(|l| l == "No programs protected yet")
            .then_some(())
    })
    .await;
    let icon = panel.ask("icon");
    assert!(
        icon["icon_pixmap_bytes"].as_u64() > Some(0) || icon["icon_name"] != "",
        "the item shows an image: {icon}"
    );
}

#[tokio::test]
async fn open_from_the_tray_shows_the_window_and_closing_it_leaves_only_the_tray() {
    let mut desktop = Desktop::new();
    let mut panel = Panel::start();
    desktop.start_app();
    panel.wait_for_item();
    desktop.client().await;
    let tray = eventually("the tray process", || tray_pids(&desktop).first().copied()).await;
    assert!(
        app_pids(&desktop).is_empty(),
        "a hidden start opens no window"
    );

    let clicked = panel.ask("click Open Lifeguard…");
    assert!(clicked["clicked"].is_number(), "{clicked}");
    let window = eventually("a Lifeguard window", || {
        app_pids(&desktop)
            .into_iter()
            .find(|pid| !harness::windows_of(*pid).is_empty())
    })
    .await;
    // "Open" again while it is open: the same window comes forward, no second one.
    panel.ask("click Open Lifeguard…");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app_pids(&desktop), vec![window], "one window process");

    harness::close_windows();
    eventually("the window's process to end", || {
        (!alive(window)).then_some(())
    })
    .await;
    assert!(alive(tray), "closing the window leaves the tray");
    let labels = panel.labels();
    assert!(
        labels.iter().any(|l| l == "Open Lifeguard…"),
        "the tray still answers: {labels:?}"
    );
}

#[tokio::test]
async fn restarts_no_notification_showed_get_a_line_in_the_tray_menu_until_dismissed() {
    // Dropped last: the bus outlives the app, the daemon and the panel.
    let _bus = harness::BareBus::start();
    let mut desktop = Desktop::new();
    let mut panel = Panel::start();
    desktop.start_app();
    panel.wait_for_item();
    let tag = "lg-tag-tray-missed";
    let program = protect_sleeper(&desktop, "sleeper", tag).await;
    kill(program, libc::SIGKILL);
    eventually("the program to be restarted", || {
        pids_with_arg(tag).into_iter().find(|pid| *pid != program)
    })
    .await;
    eventually("the menu's missed-restarts line", || {
        panel
            .labels()
            .iter()
            .any(|l| l == "1 restart while you were away")
            .then_some(())
    })
    .await;
    let client = desktop.client().await;
    let missed = client.missed().await.unwrap();
    assert_eq!(missed.len(), 1, "{missed:?}");
    assert_eq!(missed[0].program, "sleeper");
    client.dismiss_missed(Origin::api()).await.unwrap();
    eventually("the line to go once dismissed", || {
        (!panel
            .labels()
            .iter()
            .any(|l| l.contains("while you were away")))
        .then_some(())
    })
    .await;
}
