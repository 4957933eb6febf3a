//! The short process roulette (60 s) as a test: the `roulette` binary against the real
//! `lifeguard daemon`, with generous floors (availability ≥ 95%, no lost event, no zombie,
//! no duplicate, nothing left after shutdown, history integrity ok). The binary exits 1
//! when an invariant fails; its figures are in the test's output.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn roulette_keeps_twenty_programs_up_for_a_minute() {
    let roulette = Path::new(env!("CARGO_BIN_EXE_roulette"));
    let lifeguard = roulette.with_file_name("lifeguard");
    if !lifeguard.exists() {
        // `cargo nextest run -p lifeguard-bench` alone does not build the daemon.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let ok = Command::new(cargo)
            .args(["build", "-p", "lifeguard-cli", "--bin", "lifeguard"])
            .status()
            .unwrap();
        assert!(ok.success(), "building lifeguard failed");
    }
    let out = Command::new(roulette)
        .args(["--duration", "60s", "--min-availability", "95"])
        // The full mix (launchers included) and 5 SIGKILLs of the daemon itself.
        .args(["--kill-daemon", "5"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "roulette failed:\n{text}");
    assert!(text.contains("RESULT: PASS"), "{text}");
}
