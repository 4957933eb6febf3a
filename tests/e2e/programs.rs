//! The Programs view, for real: protect the test program, kill it, pause, resume, and the
//! two ways of removing it.

use std::time::Duration;

use crate::driver::AppSession;
use crate::steps::*;

#[tokio::test]
async fn a_sigkilled_program_is_restarted_and_its_row_shows_it() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("sleeper.pid");
    let row = protect_testprog(&session, "Sleeper", &pid_file).await;
    let first = pid_from(&pid_file, None).await;

    kill(first, libc::SIGKILL);
    let second = pid_from(&pid_file, Some(first)).await;
    assert_ne!(first, second);
    text_until(&session, &format!("{row} [data-role=restarts]"), |t| {
        t == "1 restart in 24 h · killed once in the last hour"
    })
    .await;
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    text_until(&session, &format!("{row} [data-role=last-exit]"), |t| {
        t.starts_with("Killed by SIGKILL")
    })
    .await;
    kill(second, libc::SIGTERM);
    session.close().await;
}

#[tokio::test]
async fn while_paused_a_killed_program_stays_down_and_resume_brings_it_back() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("paused.pid");
    let row = protect_testprog(&session, "Paused one", &pid_file).await;
    let first = pid_from(&pid_file, None).await;

    click(&session, ".toolbar details.menu > summary").await;
    click(&session, "button[data-pause=forever]").await;
    text_until(&session, "#pause-banner-text", |t| t.contains("paused")).await;
    kill(first, libc::SIGKILL);
    dead(first).await;
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Paused")
    })
    .await;
    // Give a wrong restart time to happen: the program must stay down.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let still = std::fs::read_to_string(&pid_file).unwrap();
    assert_eq!(still.trim(), first.to_string(), "restarted while paused");

    click(&session, "#resume-all").await;
    let second = pid_from(&pid_file, Some(first)).await;
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    kill(second, libc::SIGTERM);
    session.close().await;
}

#[tokio::test]
async fn stop_protecting_leaves_the_program_running() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("kept.pid");
    let row = protect_testprog(&session, "Kept", &pid_file).await;
    let pid = pid_from(&pid_file, None).await;

    more(&session, &row, "unprotect").await;
    gone(&session, &row).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(alive(pid), "stop protecting must leave the program running");
    kill(pid, libc::SIGKILL);
    session.close().await;
}

#[tokio::test]
async fn remove_and_stop_asks_first_then_stops_the_program() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("removed.pid");
    let row = protect_testprog(&session, "Removed", &pid_file).await;
    let pid = pid_from(&pid_file, None).await;

    more(&session, &row, "remove").await;
    text_until(&session, &format!("{row} .confirm"), |t| {
        t.contains("Stop Removed")
    })
    .await;
    assert!(
        alive(pid),
        "asking for confirmation must not stop anything yet"
    );
    click(&session, &format!("{row} [data-action=confirm-remove]")).await;
    gone(&session, &row).await;
    dead(pid).await;
    session.close().await;
}

#[tokio::test]
async fn a_restart_from_the_command_line_that_cannot_start_still_offers_restart() {
    // The window once ran its own copy of the restart machine: a `stopping` event made the
    // row wanted down, so after a restart from elsewhere whose start failed, Restart
    // vanished while the engine still wanted the program up and kept retrying. The row
    // now shows the daemon's snapshot.
    let session = AppSession::start().await;
    let copy = session.home().join("victim");
    std::fs::copy(lifeguard_testprog::path(), &copy).unwrap();
    let pid_file = session.home().join("victim.pid");
    let row = protect_program(&session, "Victim", &copy, &pid_file).await;
    pid_from(&pid_file, None).await;
    std::fs::remove_file(&copy).unwrap();

    let socket = session.home().join("run/lifeguard/lifeguard.sock");
    let client = lifeguard_service::client::Client::connect(&socket)
        .await
        .unwrap();
    let id = lifeguard_engine::ProgramId::new("victim").unwrap();
    let cli = lifeguard_engine::Origin::new(lifeguard_engine::RequestedBy::Cli);
    client.restart(&id, cli).await.unwrap();
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Restarting")
    })
    .await;
    find(&session, &format!("{row} [data-action=restart]")).await;
    session.close().await;
}
