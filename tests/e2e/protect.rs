//! "Protect a program" → Installed applications lists the user's `.desktop` entries.

use crate::driver::AppSession;
use crate::steps::*;

#[tokio::test]
async fn installed_applications_lists_a_desktop_file_from_the_users_data_dir() {
    let session = AppSession::start().await;
    // The harness points XDG_DATA_HOME at HOME/.local/share; the list is read when the
    // tab opens, so writing the entry now is in time.
    let apps = session.home().join(".local/share/applications");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("org.example.LifeguardSample.desktop"),
        "[Desktop Entry]\nType=Application\nName=Lifeguard Sample\n\
         Comment=Only here for a test\nExec=/usr/bin/sleep 4242 %U\n",
    )
    .unwrap();
    std::fs::write(
        apps.join("hidden.desktop"),
        "[Desktop Entry]\nType=Application\nName=Hidden Sample\nExec=true\nNoDisplay=true\n",
    )
    .unwrap();

    click(&session, "nav a[data-route=protect]").await;
    fill(&session, "#picker-search", "Sample").await;
    let choice = "button.choice[data-name=\"Lifeguard Sample\"]";
    // textContent, not the visible text: WebKit's WebDriver leaves out the ellipsized line.
    let shown = find(&session, choice)
        .await
        .prop("textContent")
        .await
        .unwrap();
    assert!(
        shown
            .as_deref()
            .is_some_and(|t| t.contains("Only here for a test")),
        "{shown:?}"
    );
    gone(&session, "button.choice[data-name=\"Hidden Sample\"]").await;

    click(&session, choice).await;
    let program = find(&session, "#f-program").await;
    assert_eq!(
        program.prop("value").await.unwrap().as_deref(),
        Some("/usr/bin/sleep")
    );
    let args = find(&session, "#f-args").await;
    assert_eq!(
        args.prop("value").await.unwrap().as_deref(),
        Some("4242"),
        "field codes are removed"
    );
    session.close().await;
}

#[tokio::test]
async fn running_now_adopts_the_running_copy_and_relaunches_it_when_killed() {
    let session = AppSession::start().await;
    // Its own executable name, so the picker groups it apart from other test programs.
    let exe = session.home().join("picked-app");
    std::fs::copy(lifeguard_testprog::path(), &exe).unwrap();
    let pid_file = session.home().join("picked.pid");
    let mut outside = std::process::Command::new(&exe)
        .arg("--pid-file")
        .arg(&pid_file)
        .current_dir(session.home())
        .spawn()
        .unwrap();
    let first = pid_from(&pid_file, None).await;

    click(&session, "nav a[data-route=protect]").await;
    click(&session, "#tab-running").await;
    fill(&session, "#picker-search", "picked-app").await;
    click(&session, "button.choice[data-name=\"picked-app\"]").await;
    let note = text_until(&session, "#f-note", |t| !t.is_empty()).await;
    assert!(note.contains(&format!("PID {first}")), "{note}");
    click(&session, "button[data-action=save]").await;
    let row = "li[data-program=\"picked-app\"]";
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    assert!(alive(first), "the running copy was stopped");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(pid_from(&pid_file, None).await, first, "a copy was started");

    kill(first, libc::SIGKILL);
    outside.wait().unwrap();
    let second = pid_from(&pid_file, Some(first)).await;
    assert_ne!(second, first);
    text_until(&session, &format!("{row} [data-role=restarts]"), |t| {
        // An adopted copy is not our child: its end is unknown, so "died", not "killed".
        t == "1 restart in 24 h · died once in the last hour"
    })
    .await;
    // Removed and stopped through the window: a SIGTERM would only be one more death to
    // answer, and the relaunched copy would outlive the test.
    more(&session, row, "remove").await;
    click(&session, &format!("{row} [data-action=confirm-remove]")).await;
    gone(&session, row).await;
    dead(second).await;
    session.close().await;
}
