//! Editing a program in place, for real: change its arguments in the window and see it
//! restarted on the new command line; type a value over its limit and see the daemon's
//! own field error next to the field, with config.toml left as it was.

use std::time::Duration;

use crate::driver::AppSession;
use crate::steps::*;

fn cmdline(pid: i32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// Clicks an element after scrolling it to the middle of the window, clear of the
/// status line fixed at the bottom (the settings are at the foot of the detail view).
async fn press(session: &AppSession, css: &str) {
    let element = find(session, css).await;
    let arg = serde_json::to_value(&element).unwrap();
    session
        .client()
        .execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg])
        .await
        .unwrap();
    element.click().await.unwrap();
}

/// Opens the program's detail and its "Edit" form.
async fn open_edit(session: &AppSession, row: &str) {
    click(session, &format!("{row} a.name")).await;
    press(session, "button[data-action=edit-settings]").await;
    find(session, "form.program-form #f-args").await;
}

#[tokio::test]
async fn editing_the_arguments_restarts_the_program_on_its_new_command_line() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("edited.pid");
    let row = protect_testprog(&session, "Edited", &pid_file).await;
    let first = pid_from(&pid_file, None).await;
    let config = session.home().join(".config/lifeguard/config.toml");

    open_edit(&session, &row).await;
    let args = format!("--pid-file {} --sleep 999s", pid_file.display());
    fill(&session, "#f-args", &args).await;
    // The daemon's dry run answers while nothing is saved yet.
    text_until(&session, "#f-check", |t| {
        t == "Lifeguard accepts these settings."
    })
    .await;
    assert!(
        !std::fs::read_to_string(&config).unwrap().contains("999s"),
        "a dry run wrote the config"
    );
    assert_eq!(
        pid_from(&pid_file, None).await,
        first,
        "a dry run restarted it"
    );

    press(&session, "button[data-action=save]").await;
    let second = pid_from(&pid_file, Some(first)).await;
    let argv = cmdline(second);
    assert_eq!(
        argv[1..],
        ["--pid-file", pid_file.to_str().unwrap(), "--sleep", "999s"],
        "{argv:?}"
    );
    assert!(std::fs::read_to_string(&config)
        .unwrap()
        .contains("\"--sleep\", \"999s\""));
    // The form closes on the saved settings.
    text_until(&session, "[data-role=settings-command]", |t| {
        t.ends_with("--sleep 999s")
    })
    .await;
    kill(second, libc::SIGTERM);
    session.close().await;
}

#[tokio::test]
async fn a_grace_over_its_limit_shows_the_daemons_error_by_the_field_and_saves_nothing() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("graced.pid");
    let row = protect_testprog(&session, "Graced", &pid_file).await;
    let first = pid_from(&pid_file, None).await;
    let config = session.home().join(".config/lifeguard/config.toml");
    let before = std::fs::read(&config).unwrap();

    open_edit(&session, &row).await;
    press(&session, "details.advanced > summary").await;
    fill(&session, "#f-stopGrace", "2h").await;
    let error = text_until(&session, "#f-stopGrace-error", |t| t.contains("stop_grace")).await;
    assert!(
        error.contains("is over an hour") && error.contains("\"5s\""),
        "not the daemon's message, with the limit and the fix: {error}"
    );
    // Saving it anyway keeps what was typed and the error, and writes nothing.
    press(&session, "button[data-action=save]").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let error = text_until(&session, "#f-stopGrace-error", |t| t.contains("stop_grace")).await;
    assert!(error.contains("is over an hour"), "{error}");
    let typed = find(&session, "#f-stopGrace")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("2h"));
    assert_eq!(
        std::fs::read(&config).unwrap(),
        before,
        "config.toml changed"
    );
    assert_eq!(pid_from(&pid_file, None).await, first);

    // Cancel leaves the settings as they were.
    press(&session, "button[data-action=cancel-edit]").await;
    find(&session, "button[data-action=edit-settings]").await;
    kill(first, libc::SIGTERM);
    session.close().await;
}
