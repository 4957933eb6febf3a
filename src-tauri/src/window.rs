//! The main window: created at start and on demand; closing it ends this process (and
//! so gives all of WebKit's memory back); the tray starts the app again on "Open".

use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// Label of the main window in `tauri.conf.json`.
pub const MAIN: &str = "main";
/// Tauri event asking the UI to show one program (`{program: id}`).
pub const NAVIGATE: &str = "lifeguard://navigate";

/// Shows and focuses the main window, creating it if it does not exist.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    open(app, None);
}

/// Shows the window on one program's page.
pub fn show_program<R: Runtime>(app: &AppHandle<R>, program: &str) {
    open(app, Some(program));
}

fn open<R: Runtime>(app: &AppHandle<R>, program: Option<&str>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        if let Some(program) = program {
            let _ = app.emit_to(MAIN, NAVIGATE, serde_json::json!({ "program": program }));
        }
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        tracing::error!("tauri.conf.json has no window labelled {MAIN:?}");
        return;
    };
    let mut config = config.clone();
    if let Some(program) = program {
        // A new window cannot hear an event sent before its page loaded: the route
        // goes in the URL instead.
        config.url = WebviewUrl::App(format!("index.html#/program/{program}").into());
    }
    if let Err(error) = WebviewWindowBuilder::from_config(app, &config).and_then(|b| b.build()) {
        tracing::error!("could not open the Lifeguard window: {error}");
    }
}
