//! `lifeguard-desktop`: the window (and, started hidden, the hand-over to the tray). Everything lives in the library so tests can reach it.

fn main() {
    lifeguard_desktop::run();
}
