//! The one icon lookup of the window, for the picker's installed apps and the program
//! rows: names go to GTK's icon theme on the main thread (`discover::theme_icons`), the
//! files are read into `data:` URLs off it, and each name's answer is kept for the life
//! of the window, so a row refresh costs a map lookup.

use std::collections::HashMap;
use std::sync::Mutex;

use tauri::{AppHandle, Manager, Runtime};

use crate::discover::{icon_data_url, theme_icons};

/// Each icon name's `data:` URL (`None`: nothing usable was found), as found once.
#[derive(Default)]
pub struct IconCache(Mutex<HashMap<String, Option<String>>>);

/// The `data:` URL of each icon name in `names` that has one.
pub async fn data_urls<R: Runtime>(
    app: &AppHandle<R>,
    names: Vec<String>,
) -> HashMap<String, String> {
    let cache = app.state::<IconCache>();
    let unknown: Vec<String> = {
        let known = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut unknown: Vec<String> = names
            .iter()
            .filter(|n| !known.contains_key(*n))
            .cloned()
            .collect();
        unknown.sort();
        unknown.dedup();
        unknown
    };
    if !unknown.is_empty() {
        let files = files_on_main_thread(app, unknown.clone()).await;
        let urls = tauri::async_runtime::spawn_blocking(move || {
            files
                .iter()
                .map(|f| f.as_deref().and_then(icon_data_url))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let mut known = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        for (name, url) in unknown.into_iter().zip(urls) {
            known.insert(name, url);
        }
    }
    let known = cache.0.lock().unwrap_or_else(|p| p.into_inner());
    names
        .into_iter()
        .filter_map(|n| known.get(&n).cloned().flatten().map(|url| (n, url)))
        .collect()
}

/// Looks the names up on the main thread, where GTK lives; an event loop that is gone
/// (the window closing) answers nothing.
async fn files_on_main_thread<R: Runtime>(
    app: &AppHandle<R>,
    names: Vec<String>,
) -> Vec<Option<std::path::PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let asked = app.run_on_main_thread(move || {
        let _ = tx.send(theme_icons::find_icon_files(&names));
    });
    if asked.is_err() {
        return Vec::new();
    }
    rx.await.unwrap_or_default()
}
