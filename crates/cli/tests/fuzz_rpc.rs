//! The committed JSON-RPC fuzz corpus, replayed against a real daemon: every line is
//! answered at most once with a well-formed message, and the daemon keeps serving.
//! A longer campaign: `cargo run -p lifeguard-fuzz --release -- rpc --secs 300`.

use std::path::PathBuf;

use lifeguard_fuzz::campaign;
use lifeguard_fuzz::{corpus_dir, targets};

#[test]
fn the_rpc_fuzz_corpus_replays_against_a_real_daemon() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_lifeguard"));
    let mut rpc = targets::Rpc::start(&bin, &lifeguard_testprog::path());
    let n = campaign::replay(&corpus_dir("rpc"), |d| rpc.exec(d));
    assert!(n >= 20, "only {n} corpus entries");
}
