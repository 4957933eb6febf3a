//! Fuzzing that runs on stable Rust, in CI and for as long as one likes.
//!
//! Three targets, each a function from bytes to a *behaviour class* (a short string:
//! which method answered which error kind, which field a config error names…) that
//! panics when an invariant breaks:
//!
//! - [`targets::duration`]: `lifeguard_engine::duration::parse` and `format`;
//! - [`targets::config`]: config.toml text → validated config → each accepted spec run
//!   through the restart state machine;
//! - [`targets::Rpc`]: a real `lifeguard daemon` in a sandbox, fed request lines over its
//!   socket (parse and dispatch), each answered exactly once while the daemon lives.
//!
//! [`campaign`] mutates a corpus and keeps the inputs that show a new behaviour class (no
//! compiler instrumentation, so no nightly toolchain); crashing inputs are saved beside
//! the corpus. The committed corpora (`corpus/<target>/`) are replayed by this crate's
//! tests and `crates/cli/tests/fuzz_rpc.rs`. Run a campaign with
//! `cargo run -p lifeguard-fuzz --release -- <target> --secs 300` (see docs/reliability.md).

pub mod campaign;
pub mod mutate;
pub mod targets;

use std::path::PathBuf;

/// The committed corpus directory of `target`.
pub fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target)
}
