//! `com.canonical.dbusmenu` served from a [`Layout`]: what panels (KDE, the GNOME
//! AppIndicator extension, XFCE, waybar) call to read the tray menu and to click it.
//! Clicks are handed to the tray's loop as [`MenuEvent`]s; nothing here blocks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use zbus::interface;
use zbus::object_server::SignalEmitter;
use zbus::{OwnedVariant as OwnedValue, Structure, Variant as Value};

use crate::layout::{Item, Kind, Layout};
use crate::menu::TrayAction;

/// Where the menu is served.
pub const PATH: &str = "/MenuBar";

/// What the panel did with the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuEvent {
    /// An item was clicked.
    Clicked(TrayAction),
    /// The menu is about to be shown: a chance to re-read what may have changed
    /// elsewhere (launch at login, turned off from the window).
    Opening,
}

/// A menu node on the wire: `(ia{sv}av)`.
type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The served menu: the current layout and where clicks go.
pub struct DbusMenu {
    /// The layout panels read; replaced (with a new revision) by the tray's loop.
    pub layout: Arc<Mutex<Layout>>,
    /// The tray's loop.
    pub events: UnboundedSender<MenuEvent>,
}

impl DbusMenu {
    fn with_layout<T>(&self, f: impl FnOnce(&Layout) -> T) -> zbus::fdo::Result<T> {
        let layout = self
            .layout
            .lock()
            .map_err(|_| zbus::fdo::Error::Failed("the tray's menu is broken".into()))?;
        Ok(f(&layout))
    }

    fn click(&self, id: i32, event: &str) -> zbus::fdo::Result<bool> {
        let action = self.with_layout(|l| l.find(id).map(|item| l.action(item.id)))?;
        let Some(action) = action else {
            return Ok(false);
        };
        if event == "clicked" {
            if let Some(action) = action {
                let _ = self.events.send(MenuEvent::Clicked(action));
            }
        }
        Ok(true)
    }
}

#[interface(name = "com.canonical.dbusmenu")]
impl DbusMenu {
    /// The subtree under `parent_id`, `recursion_depth` levels deep (-1: all).
    async fn get_layout(
        &self,
        parent_id: i32,
        recursion_depth: i32,
        property_names: Vec<String>,
    ) -> zbus::fdo::Result<(u32, Node)> {
        let found = self.with_layout(|l| {
            l.find(parent_id)
                .map(|item| (l.revision, node(item, recursion_depth, &property_names)))
        })?;
        found.ok_or_else(|| zbus::fdo::Error::InvalidArgs(format!("no menu item {parent_id}")))
    }

    /// The properties of several items.
    async fn get_group_properties(
        &self,
        ids: Vec<i32>,
        property_names: Vec<String>,
    ) -> zbus::fdo::Result<Vec<(i32, HashMap<String, OwnedValue>)>> {
        self.with_layout(|l| {
            ids.iter()
                .filter_map(|id| l.find(*id))
                .map(|item| (item.id, properties(item, &property_names)))
                .collect()
        })
    }

    /// One property of one item.
    async fn get_property(&self, id: i32, name: String) -> zbus::fdo::Result<OwnedValue> {
        let value = self.with_layout(|l| {
            l.find(id)
                .and_then(|item| properties(item, &[]).remove(&name))
        })?;
        value.ok_or_else(|| zbus::fdo::Error::InvalidArgs(format!("no property {name} on {id}")))
    }

    /// A click (or hover, open, close) on an item.
    async fn event(
        &self,
        id: i32,
        event_id: String,
        _data: OwnedValue,
        _timestamp: u32,
    ) -> zbus::fdo::Result<()> {
        if self.click(id, &event_id)? {
            Ok(())
        } else {
            Err(zbus::fdo::Error::InvalidArgs(format!("no menu item {id}")))
        }
    }

    /// Several events at once; answers the ids that were not found.
    async fn event_group(
        &self,
        events: Vec<(i32, String, OwnedValue, u32)>,
    ) -> zbus::fdo::Result<Vec<i32>> {
        let mut missing = Vec::new();
        for (id, event, _, _) in events {
            if !self.click(id, &event)? {
                missing.push(id);
            }
        }
        Ok(missing)
    }

    /// The menu (or a submenu) is about to open. The layout is kept current, so no
    /// update is needed; the loop re-reads launch at login and says so if it changed.
    async fn about_to_show(&self, id: i32) -> bool {
        if id == 0 {
            let _ = self.events.send(MenuEvent::Opening);
        }
        false
    }

    /// [`Self::about_to_show`] for several items: (ids to update, ids not found).
    async fn about_to_show_group(&self, ids: Vec<i32>) -> (Vec<i32>, Vec<i32>) {
        if ids.contains(&0) {
            let _ = self.events.send(MenuEvent::Opening);
        }
        (Vec::new(), Vec::new())
    }

    /// The dbusmenu protocol version.
    #[zbus(property)]
    async fn version(&self) -> u32 {
        3
    }

    /// Left to right.
    #[zbus(property)]
    async fn text_direction(&self) -> String {
        "ltr".into()
    }

    /// Nothing needs attention in the menu itself.
    #[zbus(property)]
    async fn status(&self) -> String {
        "normal".into()
    }

    /// No icon theme of our own: the menu has no icons.
    #[zbus(property)]
    async fn icon_theme_path(&self) -> Vec<String> {
        Vec::new()
    }

    /// The layout changed from `parent` down; panels read it again.
    #[zbus(signal)]
    pub async fn layout_updated(
        emitter: &SignalEmitter<'_>,
        revision: u32,
        parent: i32,
    ) -> zbus::Result<()>;
}

/// An item as a dbusmenu node, `depth` levels of children deep (-1: all).
fn node(item: &Item, depth: i32, names: &[String]) -> Node {
    let children = if depth == 0 {
        Vec::new()
    } else {
        item.children
            .iter()
            .filter_map(|child| {
                let (id, props, kids) = node(child, depth - 1, names);
                let value = Value::Structure(Structure::from((id, props, kids)));
                OwnedValue::try_from(value).ok()
            })
            .collect()
    };
    (item.id, properties(item, names), children)
}

/// An item's properties that differ from dbusmenu's defaults (all of them when
/// `names` is empty).
fn properties(item: &Item, names: &[String]) -> HashMap<String, OwnedValue> {
    let mut props: HashMap<String, OwnedValue> = HashMap::new();
    let mut put = |key: &str, value: Value<'_>| {
        if names.is_empty() || names.iter().any(|n| n == key) {
            if let Ok(value) = OwnedValue::try_from(value) {
                props.insert(key.to_string(), value);
            }
        }
    };
    match item.kind {
        Kind::Separator => put("type", Value::from("separator")),
        Kind::Check(on) => {
            put("label", Value::from(item.label.as_str()));
            put("toggle-type", Value::from("checkmark"));
            put("toggle-state", Value::from(i32::from(on)));
        }
        Kind::Standard => put("label", Value::from(item.label.as_str())),
    }
    if !item.enabled {
        put("enabled", Value::from(false));
    }
    if !item.children.is_empty() {
        put("children-display", Value::from("submenu"));
    }
    props
}
