//! Link options of the `lifeguard` binary.

fn main() {
    // Packed relative relocations (DT_RELR, glibc >= 2.36): the binary's ~190 KB of
    // R_X86_64_RELATIVE entries, which the dynamic linker reads at every start and which
    // then stay resident in the daemon, become a few KB of bitmaps (issue 21).
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
