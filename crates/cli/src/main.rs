//! `lifeguard`: the daemon and the commands that talk to it.

fn main() {
    println!("lifeguard {}", env!("CARGO_PKG_VERSION"));
}
