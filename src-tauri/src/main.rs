//! `lifeguard-desktop`: the tray app. Everything lives in the library so tests can reach it.

fn main() {
    lifeguard_desktop::run();
}
