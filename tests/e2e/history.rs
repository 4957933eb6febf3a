//! The History view: a SIGKILL and the restart that followed are one incident row,
//! expandable to the raw events; a chart bar filters the table to its day; search.

use crate::driver::AppSession;
use crate::steps::*;

/// Clicks an element after scrolling it to the middle of the window, clear of the
/// status line fixed at the bottom.
async fn click_centered(session: &AppSession, css: &str) {
    let element = find(session, css).await;
    let arg = serde_json::to_value(&element).unwrap();
    session
        .client()
        .execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg])
        .await
        .unwrap();
    element.click().await.unwrap();
}

#[tokio::test]
async fn history_shows_the_sigkill_and_the_restart_as_one_incident() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("history.pid");
    protect_testprog(&session, "Chronicle", &pid_file).await;
    let first = pid_from(&pid_file, None).await;
    kill(first, libc::SIGKILL);
    let second = pid_from(&pid_file, Some(first)).await;

    click(&session, "nav a[data-route=history]").await;
    let incident = "tr.incident[data-program=chronicle]";
    let summary = text_until(&session, incident, |t| t.contains("back in")).await;
    assert!(
        summary.contains("Killed by SIGKILL") && summary.contains("Chronicle"),
        "one row with the cause and the outcome: {summary}"
    );
    // The raw events stay one click away.
    click_centered(&session, &format!("{incident} button[data-action=expand]")).await;
    find(&session, "tr.raw[data-kind=exited][data-program=chronicle]").await;
    find(
        &session,
        "tr.raw[data-kind=restarted][data-program=chronicle]",
    )
    .await;

    // The chart's bar of today filters the table to today and this program.
    click_centered(&session, ".chart rect.bar[data-program=chronicle]").await;
    text_until(&session, "#status", |t| {
        t.starts_with("Showing Chronicle on")
    })
    .await;
    find(&session, incident).await;

    // Search narrows the rows; a word nothing has leaves none.
    fill(&session, "#h-search", "no-such-word").await;
    gone(&session, incident).await;
    fill(&session, "#h-search", "sigkill").await;
    find(&session, incident).await;
    kill(second, libc::SIGTERM);
    session.close().await;
}
