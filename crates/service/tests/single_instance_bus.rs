//! Finding the copy a single-instance app handed its request to by its D-Bus name: an
//! entry that says `DBusActivatable=true` names the bus name, whose owner on the real
//! session bus is the copy (mousepad owns `org.xfce.mousepad`). The program here is a
//! shell wrapper, which the executable match never takes: only the bus can find it.
//! Needs a display and a session bus (`xvfb-run … dbus-run-session --`).
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lifeguard_engine::ProgramSpec;
use lifeguard_service::single_instance::{by_executable, find_copy_in};

const MOUSEPAD: &str = "/usr/bin/mousepad";

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_owner_of_the_apps_bus_name_is_the_copy() {
    assert!(
        std::path::Path::new(MOUSEPAD).exists(),
        "mousepad is missing: scripts/install-deps.sh --test installs it"
    );
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run under dbus-run-session (see scripts/test.sh)"
    );
    let data = tempfile::tempdir().unwrap();
    let apps = data.path().join("applications");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("org.xfce.mousepad.desktop"),
        "[Desktop Entry]\nType=Application\nName=Mousepad\nExec=mousepad %U\nDBusActivatable=true\n",
    )
    .unwrap();
    let spec = ProgramSpec::build("pad", ["sh", "-c", "exec mousepad"]).unwrap();
    let dirs = [data.path().to_owned()];
    assert_eq!(
        find_copy_in(&spec, Some("org.xfce.mousepad.desktop"), &dirs),
        None,
        "no copy runs yet"
    );

    let copy = Killed(
        Command::new(MOUSEPAD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pid = copy.0.id();
    let deadline = Instant::now() + Duration::from_secs(20);
    let found = loop {
        if let Some(who) = find_copy_in(&spec, Some("org.xfce.mousepad.desktop"), &dirs) {
            break who;
        }
        assert!(Instant::now() < deadline, "the bus never named the copy");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(found.pid, pid);
    assert_eq!(
        by_executable(&spec),
        None,
        "a shell is never matched by executable"
    );
    // Without the entry's word, the bus is not asked.
    assert_eq!(
        find_copy_in(&spec, Some("org.xfce.mousepad.desktop"), &[]),
        None
    );
}
