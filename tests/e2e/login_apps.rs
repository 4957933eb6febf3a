//! "Protect a program" → Starts at login: the user's XDG autostart entries, marked when
//! they ask to be restarted; protecting one takes it over from the session (a hidden
//! override of its id), and removing it gives the user's own entry back word for word.

use std::time::{Duration, Instant};

use crate::driver::AppSession;
use crate::steps::*;

#[tokio::test]
async fn a_login_app_is_taken_over_from_the_session_and_given_back_on_removal() {
    let session = AppSession::start().await;
    let home = session.home().to_owned();
    let autostart = home.join(".config/autostart");
    std::fs::create_dir_all(&autostart).unwrap();
    let pid_file = home.join("login.pid");
    let own = format!(
        "[Desktop Entry]\nType=Application\nName=Login Sample\nComment=Starts with the session\n\
         Exec={} --pid-file {}\nX-GNOME-AutoRestart=true\n# my own words\n",
        lifeguard_testprog::path().display(),
        pid_file.display()
    );
    let entry = autostart.join("lg-login-sample.desktop");
    std::fs::write(&entry, &own).unwrap();

    click(&session, "nav a[data-route=protect]").await;
    click(&session, "#tab-login").await;
    fill(&session, "#picker-search", "Login Sample").await;
    let choice = "button.choice[data-name=\"Login Sample\"]";
    let shown = find(&session, &format!("{choice} [data-role=login-note]"))
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(shown, "your entry · asks to be restarted");
    click(&session, choice).await;
    let note = text_until(&session, "#f-note", |t| !t.is_empty()).await;
    assert!(note.contains("takes Login Sample over"), "{note}");
    click(&session, "button[data-action=save]").await;
    let row = "li[data-program=\"login-sample\"]";
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;
    let first = pid_from(&pid_file, None).await;
    let written = std::fs::read_to_string(&entry).unwrap();
    assert!(written.contains("\nHidden=true\n"), "{written}");

    more(&session, row, "remove").await;
    click(&session, &format!("{row} [data-action=confirm-remove]")).await;
    gone(&session, row).await;
    dead(first).await;
    let deadline = Instant::now() + PATIENCE;
    while std::fs::read_to_string(&entry).ok().as_deref() != Some(own.as_str()) {
        assert!(
            Instant::now() < deadline,
            "the user's entry did not come back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    session.close().await;
}
