//! End-to-end tests of the real desktop app, driven through WebDriver
//! (tauri-driver + WebKitWebDriver) under Xvfb and a D-Bus session.
//! `scripts/test.sh` provides the display and the bus.
#![allow(clippy::unwrap_used)]

mod driver;
mod history;
mod login_apps;
mod programs;
mod protect;
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
