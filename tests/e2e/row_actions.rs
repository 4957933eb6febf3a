//! A program's row, for real: "Restart now" on the row itself, the whole command line on
//! hover, and "Stopped by you" (not "Killed by SIGTERM") once the user stopped it.

use crate::driver::AppSession;
use crate::steps::*;

#[tokio::test]
async fn the_row_restarts_now_shows_the_whole_command_and_says_who_stopped_it() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("rowed.pid");
    let row = protect_testprog(&session, "Rowed", &pid_file).await;
    let first = pid_from(&pid_file, None).await;

    let command = find(&session, &format!("{row} [data-role=command]")).await;
    let whole = format!(
        "{} --pid-file {}",
        lifeguard_testprog::path().display(),
        pid_file.display()
    );
    assert_eq!(
        command.attr("title").await.unwrap().as_deref(),
        Some(whole.as_str())
    );

    let restart = find(
        &session,
        &format!("{row} .actions > button[data-action=restart]"),
    )
    .await;
    assert_eq!(restart.text().await.unwrap(), "Restart now");
    restart.click().await.unwrap();
    let second = pid_from(&pid_file, Some(first)).await;

    click(&session, &format!("{row} button[data-action=stop]")).await;
    dead(second).await;
    text_until(&session, &format!("{row} [data-role=last-exit]"), |t| {
        t.starts_with("Stopped by you")
    })
    .await;
    session.close().await;
}
