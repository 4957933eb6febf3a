//! The tray icon and its menu, rebuilt from the daemon's snapshot whenever it changes.
//!
//! Linux trays (libappindicator) report no clicks on the icon itself and show no
//! tooltips, so the menu is the way to the window and its first line says the state.

use lifeguard_engine::{Origin, RequestedBy, Snapshot};
use lifeguard_service::client::{Client, ClientError};
use std::sync::Mutex;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;

use tauri::{AppHandle, Manager, Runtime};

use crate::daemon_link::DaemonLink;
use crate::tray_menu::{ids, TrayAction};
use crate::tray_model::{TrayIcon, TrayView};
use crate::{autostart, window};

const TRAY_ID: &str = "lifeguard";

/// Creates the tray icon; its menu says "Connecting…" until the first snapshot.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    app.manage(Shown::default());
    let menu = build_menu(app, None)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(TrayIcon::Ok)?)
        .tooltip("Lifeguard")
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                act(app, action);
            }
        })
        .build(app)?;
    Ok(())
}

/// What the tray shows now, so it is rebuilt only when that changes: rebuilding
/// renumbers the menu's items under a panel that may be about to click one.
#[derive(Default)]
pub struct Shown(Mutex<Option<(Option<TrayView>, bool)>>);

/// Shows a new snapshot (or "not connected" for `None`) in the icon and the menu.
pub fn update<R: Runtime>(app: &AppHandle<R>, snapshot: Option<&Snapshot>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let view = snapshot.map(|s| TrayView::of(s, now_ms()));
    let shown = (view.clone(), autostart::is_enabled());
    if let Some(state) = app.try_state::<Shown>() {
        let Ok(mut last) = state.0.lock() else { return };
        if last.as_ref() == Some(&shown) {
            return;
        }
        *last = Some(shown);
    }
    let image = icon(view.as_ref().map_or(TrayIcon::Restarting, |v| v.icon));
    let outcome = build_menu(app, view.as_ref())
        .and_then(|menu| tray.set_menu(Some(menu)))
        .and_then(|()| image.and_then(|image| tray.set_icon(Some(image))));
    if let Err(error) = outcome {
        tracing::warn!("could not update the tray: {error}");
    }
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, view: Option<&TrayView>) -> tauri::Result<Menu<R>> {
    let summary = view.map_or("Connecting to Lifeguard…", |v| v.summary.as_str());
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        ids::SUMMARY,
        summary,
        false,
        None::<&str>,
    )?)?;
    if let Some(view) = view {
        if !view.programs.is_empty() {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
        }
        for (id, label) in &view.programs {
            let item_id = format!("{}{id}", ids::PROGRAM_PREFIX);
            menu.append(&MenuItem::with_id(app, item_id, label, true, None::<&str>)?)?;
        }
        menu.append(&PredefinedMenuItem::separator(app)?)?;
        if view.paused {
            menu.append(&MenuItem::with_id(
                app,
                ids::RESUME,
                "Resume protection",
                true,
                None::<&str>,
            )?)?;
        } else {
            let pause = Submenu::with_id_and_items(
                app,
                "pause",
                "Pause protection",
                true,
                &[
                    &MenuItem::with_id(app, ids::PAUSE_15M, "For 15 minutes", true, None::<&str>)?,
                    &MenuItem::with_id(app, ids::PAUSE_1H, "For 1 hour", true, None::<&str>)?,
                    &MenuItem::with_id(
                        app,
                        ids::PAUSE_FOREVER,
                        "Until resumed",
                        true,
                        None::<&str>,
                    )?,
                ],
            )?;
            menu.append(&pause)?;
        }
    }
    let at_login = autostart::is_enabled();
    menu.append(&CheckMenuItem::with_id(
        app,
        ids::AUTOSTART,
        "Launch at login",
        true,
        at_login,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        ids::OPEN,
        "Open Lifeguard…",
        true,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        ids::QUIT_TRAY,
        "Quit tray (protection continues)",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        ids::QUIT_ALL,
        "Quit Lifeguard and stop protected programs",
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

/// Carries out a menu click. Daemon calls run on the async runtime, never in the
/// menu's event handler, which runs on the GUI thread.
fn act<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::Open => window::show(app),
        TrayAction::ShowProgram(id) => window::show_program(app, &id),
        TrayAction::ToggleAutostart => {
            autostart::set(!autostart::is_enabled());
            app.state::<DaemonLink>().refresh_tray();
        }
        action => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let link = app.state::<DaemonLink>();
                let quitting = matches!(action, TrayAction::QuitTray | TrayAction::QuitAll);
                if quitting {
                    link.quit();
                }
                let outcome = match link.client().await {
                    Ok(client) => ask_daemon(&client, action).await,
                    Err(error) => Err(error),
                };
                if let Err(error) = outcome {
                    tracing::warn!("tray: {error}");
                }
                // Quitting goes through even without a daemon to tell.
                if quitting {
                    app.exit(0);
                }
                link.refresh_tray();
            });
        }
    }
}

/// The part of a menu click that the daemon carries out.
async fn ask_daemon(client: &Client, action: TrayAction) -> Result<(), ClientError> {
    let tray = || Origin::new(RequestedBy::Tray);
    match action {
        TrayAction::Pause(minutes) => {
            let length = minutes.map(|m| format!("{m}m"));
            client.pause(None, None, length, tray()).await.map(drop)
        }
        TrayAction::Resume => client.resume(None, tray()).await.map(drop),
        // The daemon guards this app: tell it first that this exit is wanted.
        TrayAction::QuitTray => client.unguard(tray()).await.map(drop),
        TrayAction::QuitAll => {
            let _ = client.unguard(tray()).await;
            client.shutdown(true, tray()).await.map(drop)
        }
        _ => Ok(()),
    }
}

fn icon(state: TrayIcon) -> tauri::Result<Image<'static>> {
    Image::from_bytes(match state {
        TrayIcon::Ok => include_bytes!("../../icons/tray-ok.png").as_slice(),
        TrayIcon::Restarting => include_bytes!("../../icons/tray-restarting.png").as_slice(),
        TrayIcon::GaveUp => include_bytes!("../../icons/tray-gave-up.png").as_slice(),
        TrayIcon::Paused => include_bytes!("../../icons/tray-paused.png").as_slice(),
    })
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
