//! Looks at home: the window follows the desktop's dark style through the XDG settings
//! portal (a stand-in on a private bus), live; the keyboard shortcuts work.

use std::time::{Duration, Instant};

use crate::driver::AppSession;
use crate::portal::Portal;
use crate::steps::*;

/// The body's computed background, e.g. "rgb(250, 250, 250)".
async fn background(session: &AppSession) -> String {
    let value = session
        .client()
        .execute(
            "return getComputedStyle(document.body).backgroundColor",
            vec![],
        )
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

/// Waits until the background satisfies `ready`.
async fn background_until(session: &AppSession, what: &str, ready: impl Fn(u32) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    let mut last = String::new();
    while Instant::now() < deadline {
        last = background(session).await;
        if ready(brightness(&last)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the window never turned {what}; background {last}");
}

/// The sum of the red, green and blue of "rgb(r, g, b)".
fn brightness(rgb: &str) -> u32 {
    rgb.trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .filter_map(|c| c.trim().parse::<u32>().ok())
        .sum()
}

const DARK: fn(u32) -> bool = |b| b < 3 * 80;
const LIGHT: fn(u32) -> bool = |b| b > 3 * 200;

#[tokio::test]
async fn the_window_follows_the_desktops_dark_style_live() {
    // No GTK theme of its own: the portal alone decides.
    std::env::remove_var("GTK_THEME");
    let portal = Portal::start(0).await;
    let session = AppSession::start().await;
    find(&session, "#app-version").await;
    background_until(&session, "light (no preference)", LIGHT).await;
    portal.set(1).await;
    background_until(&session, "dark after the switch", DARK).await;
    portal.set(2).await;
    background_until(&session, "light again", LIGHT).await;
    session.close().await;
}

#[tokio::test]
async fn a_window_opened_while_dark_style_is_on_starts_dark() {
    std::env::remove_var("GTK_THEME");
    let _portal = Portal::start(1).await;
    let session = AppSession::start().await;
    background_until(&session, "dark at start", DARK).await;
    session.close().await;
}

#[tokio::test]
async fn keyboard_shortcuts_add_find_and_open_the_settings() {
    let session = AppSession::start().await;
    find(&session, "#app-version").await;
    let s = &session;
    let keys = |k: &'static str| async move {
        // Whatever has the focus gets the keys; the window's handler is on the document.
        let focused = s.client().active_element().await.unwrap();
        let chord = format!("{}{k}", char::from(fantoccini::key::Key::Control));
        focused.send_keys(&chord).await.unwrap();
    };
    keys("n").await;
    find(&session, "nav a[data-route=protect][aria-current=page]").await;
    keys(",").await;
    find(&session, "nav a[data-route=settings][aria-current=page]").await;
    click(&session, "nav a[data-route=history]").await;
    find(&session, "#h-search").await;
    keys("f").await;
    let focused = session
        .client()
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(
        focused.as_str(),
        Some("h-search"),
        "Ctrl+F must focus the search"
    );
    session.close().await;
}

#[tokio::test]
async fn menus_keep_their_roles_promises_with_arrow_keys() {
    let session = AppSession::start().await;
    // The list has loaded (its empty state shows) before the menu is used.
    find(&session, ".empty").await;
    click(&session, "details.menu > summary").await;
    let s = &session;
    let focused = || async move {
        let value = s
            .client()
            .execute("return document.activeElement.dataset.pause || ''", vec![])
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_owned()
    };
    // The details element's toggle event comes a task after the click.
    let deadline = Instant::now() + PATIENCE;
    let mut first = focused().await;
    while first.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        first = focused().await;
    }
    let debug = session
        .client()
        .execute("const d = document.querySelector('details.menu'); return `${d.open} ${document.activeElement.tagName} ${document.activeElement.className}`", vec![])
        .await
        .unwrap();
    assert!(
        !first.is_empty(),
        "opening a menu must focus its first item: {debug}"
    );
    let press = |key: fantoccini::key::Key| async move {
        let active = s.client().active_element().await.unwrap();
        active
            .send_keys(&String::from(char::from(key)))
            .await
            .unwrap();
    };
    press(fantoccini::key::Key::Down).await;
    let second = focused().await;
    assert!(
        !second.is_empty() && second != first,
        "ArrowDown moves to the next item"
    );
    press(fantoccini::key::Key::Up).await;
    assert_eq!(focused().await, first, "ArrowUp moves back");
    press(fantoccini::key::Key::Escape).await;
    find(&session, "details.menu:not([open])").await;
    session.close().await;
}
