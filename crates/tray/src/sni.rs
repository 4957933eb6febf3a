//! `org.kde.StatusNotifierItem`: the tray icon itself. Its image is the overall state
//! (a pixmap of `icons/tray-*.png`); its menu is [`crate::dbusmenu`]'s; a click on the
//! icon (where the panel reports one) opens the window.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use zbus::interface;
use zbus::object_server::SignalEmitter;
use zbus::OwnedObjectPath;

use crate::dbusmenu::MenuEvent;
use crate::icons::{self, Pixmap};
use crate::menu::TrayAction;
use crate::model::TrayIcon;

/// Where the item is served (the path hosts look at when registered by bus name).
pub const PATH: &str = "/StatusNotifierItem";

/// The served item: which image it shows.
pub struct Item {
    /// The overall state the icon shows; the tray's loop changes it, then says `NewIcon`.
    pub icon: Arc<Mutex<TrayIcon>>,
    /// The tray's loop, for clicks on the icon.
    pub events: UnboundedSender<MenuEvent>,
}

#[interface(name = "org.kde.StatusNotifierItem")]
impl Item {
    /// A click on the icon: open the window.
    async fn activate(&self, _x: i32, _y: i32) {
        let _ = self.events.send(MenuEvent::Clicked(TrayAction::Open));
    }

    /// A middle click: the same.
    async fn secondary_activate(&self, _x: i32, _y: i32) {
        let _ = self.events.send(MenuEvent::Clicked(TrayAction::Open));
    }

    /// The host shows the menu itself (from `Menu`); nothing to do.
    async fn context_menu(&self, _x: i32, _y: i32) {}

    /// Scrolling over the icon means nothing here.
    async fn scroll(&self, _delta: i32, _orientation: String) {}

    /// What kind of item this is.
    #[zbus(property)]
    async fn category(&self) -> String {
        "ApplicationStatus".into()
    }

    /// A stable name for the item.
    #[zbus(property)]
    async fn id(&self) -> String {
        "lifeguard".into()
    }

    /// The item's title.
    #[zbus(property)]
    async fn title(&self) -> String {
        "Lifeguard".into()
    }

    /// Always shown.
    #[zbus(property)]
    async fn status(&self) -> String {
        "Active".into()
    }

    /// No X window of its own.
    #[zbus(property)]
    async fn window_id(&self) -> i32 {
        0
    }

    /// No themed icon: the image is in `IconPixmap`.
    #[zbus(property)]
    async fn icon_name(&self) -> String {
        String::new()
    }

    /// The image of the overall state.
    #[zbus(property)]
    async fn icon_pixmap(&self) -> Vec<Pixmap> {
        let state = self.icon.lock().map_or(TrayIcon::Restarting, |s| *s);
        icons::pixmap(state)
    }

    /// No overlay.
    #[zbus(property)]
    async fn overlay_icon_name(&self) -> String {
        String::new()
    }

    /// No attention image: the icon itself changes.
    #[zbus(property)]
    async fn attention_icon_name(&self) -> String {
        String::new()
    }

    /// No icon theme of our own.
    #[zbus(property)]
    async fn icon_theme_path(&self) -> String {
        String::new()
    }

    /// A tooltip, for the panels that show one.
    #[zbus(property)]
    async fn tool_tip(&self) -> (String, Vec<Pixmap>, String, String) {
        (String::new(), Vec::new(), "Lifeguard".into(), String::new())
    }

    /// The icon also answers clicks (`Activate`); the menu is on the other button.
    #[zbus(property)]
    async fn item_is_menu(&self) -> bool {
        false
    }

    /// Where the menu is served.
    #[zbus(property)]
    async fn menu(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(crate::dbusmenu::PATH).unwrap_or_default()
    }

    /// The image changed: hosts read `IconPixmap` again.
    #[zbus(signal)]
    pub async fn new_icon(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    /// The status changed.
    #[zbus(signal)]
    pub async fn new_status(emitter: &SignalEmitter<'_>, status: &str) -> zbus::Result<()>;
}
