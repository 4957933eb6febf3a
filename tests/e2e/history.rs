//! The History view lists a SIGKILL and the restart that followed.

use crate::driver::AppSession;
use crate::steps::*;

#[tokio::test]
async fn history_lists_the_sigkill_exit_and_the_restart() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("history.pid");
    protect_testprog(&session, "Chronicle", &pid_file).await;
    let first = pid_from(&pid_file, None).await;
    kill(first, libc::SIGKILL);
    let second = pid_from(&pid_file, Some(first)).await;

    click(&session, "nav a[data-route=history]").await;
    let exited = "tr[data-kind=exited][data-program=chronicle]";
    text_until(&session, exited, |t| t.contains("killed by SIGKILL")).await;
    text_until(
        &session,
        "tr[data-kind=restarted][data-program=chronicle]",
        |t| t.contains("Restarted") && t.contains("Chronicle"),
    )
    .await;
    kill(second, libc::SIGTERM);
    session.close().await;
}
