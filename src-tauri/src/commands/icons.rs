//! `program_icons`: each program's icon for its row, from the user's icon theme.

use std::collections::BTreeMap;

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use super::Reply;
use crate::daemon_link::DaemonLink;

/// The icons of the programs that have one.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ProgramIcons"))]
pub struct ProgramIcons {
    /// Program id → its icon as a `data:` URL (the CSP loads images only from `data:`).
    /// A program with no icon found is absent: its row keeps its letter.
    pub icons: BTreeMap<String, String>,
}

/// Each program's icon: its config `icon` (a theme name or an absolute path), else the
/// `Icon=` of its installed desktop entry (`desktop_id`), looked up in the icon theme.
#[tauri::command]
pub async fn program_icons<R: Runtime>(
    app: AppHandle<R>,
    link: State<'_, DaemonLink>,
) -> Reply<ProgramIcons> {
    let list = link.client().await?.list().await?;
    let named = tauri::async_runtime::spawn_blocking(move || {
        list.into_iter()
            .filter_map(|p| {
                let icon = p.options.icon.clone().or_else(|| {
                    let id = p.options.desktop_id.as_deref()?;
                    lifeguard_service::notify::icon::of_desktop_entry(id)
                })?;
                Some((p.spec.id.to_string(), icon))
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let names = named.iter().map(|(_, icon)| icon.clone()).collect();
    let urls = crate::icon_lookup::data_urls(&app, names).await;
    let icons = named
        .into_iter()
        .filter_map(|(id, icon)| Some((id, urls.get(&icon)?.clone())))
        .collect();
    Ok(ProgramIcons { icons })
}
