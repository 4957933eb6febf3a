//! The X side of the pinger (x11rb, pure Rust): the top-level windows with `_NET_WM_PING`
//! in `WM_PROTOCOLS` and their `_NET_WM_PID`, sending a ping, and reading the answers a
//! client sends back to the root window (EWMH 1.3 §6.1: "send it back to the root window
//! … with the same event mask like all other root window messages", that is
//! SubstructureNotify|SubstructureRedirect; a client other than the window manager can
//! select only SubstructureNotify on the root, which is enough to see them).

use std::os::fd::{AsRawFd, RawFd};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConnectionExt, EventMask, Window,
};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

/// Anything the X server or the connection refused.
pub(super) type XResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One connection to the display named by `DISPLAY`.
pub(super) struct Display {
    conn: RustConnection,
    root: Window,
    client_list: Atom,
    protocols: Atom,
    ping: Atom,
    pid: Atom,
}

/// A top-level window that takes pings, and the process that says it owns it.
#[derive(Debug, Clone, Copy)]
pub(super) struct PingableWindow {
    /// The window.
    pub window: Window,
    /// Its `_NET_WM_PID`.
    pub pid: u32,
}

impl Display {
    /// Connects and selects SubstructureNotify on the root, to see the answers.
    pub fn open() -> XResult<Self> {
        let (conn, screen) = x11rb::connect(None)?;
        let root = conn
            .setup()
            .roots
            .get(screen)
            .ok_or("the display has no such screen")?
            .root;
        let atom =
            |name: &[u8]| -> XResult<Atom> { Ok(conn.intern_atom(false, name)?.reply()?.atom) };
        let (client_list, protocols) = (atom(b"_NET_CLIENT_LIST")?, atom(b"WM_PROTOCOLS")?);
        let (ping, pid) = (atom(b"_NET_WM_PING")?, atom(b"_NET_WM_PID")?);
        let mask = ChangeWindowAttributesAux::new().event_mask(EventMask::SUBSTRUCTURE_NOTIFY);
        conn.change_window_attributes(root, &mask)?.check()?;
        Ok(Self {
            conn,
            root,
            client_list,
            protocols,
            ping,
            pid,
        })
    }

    /// The descriptor to wait on for answers.
    pub fn fd(&self) -> RawFd {
        self.conn.stream().as_raw_fd()
    }

    fn cardinals(&self, window: Window, property: Atom, kind: AtomEnum) -> Vec<u32> {
        let reply = self
            .conn
            .get_property(false, window, property, kind, 0, 4096)
            .ok()
            .and_then(|c| c.reply().ok());
        reply
            .and_then(|r| r.value32().map(|v| v.collect()))
            .unwrap_or_default()
    }

    /// The top-level windows (`_NET_CLIENT_LIST`, else the root's children) that list
    /// `_NET_WM_PING` and name a process.
    pub fn pingable(&self) -> XResult<Vec<PingableWindow>> {
        let mut windows = self.cardinals(self.root, self.client_list, AtomEnum::WINDOW);
        if windows.is_empty() {
            windows = self.conn.query_tree(self.root)?.reply()?.children;
        }
        Ok(windows
            .into_iter()
            .filter(|&w| {
                self.cardinals(w, self.protocols, AtomEnum::ATOM)
                    .contains(&self.ping)
            })
            .filter_map(|window| {
                let pid = *self
                    .cardinals(window, self.pid, AtomEnum::CARDINAL)
                    .first()?;
                Some(PingableWindow { window, pid })
            })
            .collect())
    }

    /// Sends `_NET_WM_PING` with `stamp` to `window`.
    pub fn ping(&self, window: Window, stamp: u32) -> XResult<()> {
        let data = [self.ping, stamp, window, 0, 0];
        let event = ClientMessageEvent::new(32, window, self.protocols, data);
        self.conn
            .send_event(false, window, EventMask::NO_EVENT, event)?;
        self.conn.flush()?;
        Ok(())
    }

    /// The windows whose answers arrived (`data.l[2]`), reading what is already here.
    pub fn answers(&self) -> XResult<Vec<Window>> {
        let mut out = Vec::new();
        while let Some(event) = self.conn.poll_for_event()? {
            if let Event::ClientMessage(e) = event {
                let data = e.data.as_data32();
                if e.type_ == self.protocols && data[0] == self.ping && e.window == self.root {
                    out.push(data[2]);
                }
            }
        }
        Ok(out)
    }
}
