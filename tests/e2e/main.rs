//! End-to-end tests of the real desktop app, driven through WebDriver
//! (tauri-driver + WebKitWebDriver) under Xvfb and a D-Bus session.
//! `scripts/test.sh` provides the display and the bus.
#![allow(clippy::unwrap_used)]

mod appearance;
mod driver;
mod edit;
mod history;
mod login_apps;
mod output;
mod portal;
mod programs;
mod protect;
mod row_actions;
mod row_icons;
mod row_usage;
mod screenshots;
mod single_instance;
mod steps;

use driver::AppSession;
use fantoccini::Locator;

#[tokio::test]
async fn window_shows_the_version_from_rust() {
    let session = AppSession::start().await;
    let expected = format!("version {}", env!("CARGO_PKG_VERSION"));
    let shown = session
        .wait_for_text(Locator::Css("#app-version"), |text| !text.is_empty())
        .await;
    assert_eq!(
        shown, expected,
        "the header must show the version the Rust command returns"
    );
    let name = session.text(Locator::Css("#app-name")).await;
    assert_eq!(name, "Lifeguard");
    session.close().await;
}

#[tokio::test]
async fn without_a_tray_host_the_window_says_what_to_install_on_gnome() {
    // nextest runs every test in its own process, so this environment is this test's
    // alone; the app (through tauri-driver) inherits it. No tray host is on the bus.
    std::env::set_var("XDG_CURRENT_DESKTOP", "GNOME");
    let session = AppSession::start().await;
    let notice = session
        .wait_for_text(Locator::Css("#tray-notice span"), |text| !text.is_empty())
        .await;
    assert!(
        notice.contains("gnome-shell-extension-appindicator")
            && notice.contains("applications menu"),
        "the notice must name the fix and the way back: {notice}"
    );
    session.close().await;
}
