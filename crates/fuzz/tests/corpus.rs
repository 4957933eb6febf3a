//! The committed fuzz corpora replay clean, and a short fixed-seed campaign over each
//! finds nothing: what CI runs in seconds (the JSON-RPC corpus is replayed against a
//! real daemon by `crates/cli/tests/fuzz_rpc.rs`).

use std::time::Duration;

use lifeguard_fuzz::campaign::{self, Options};
use lifeguard_fuzz::{corpus_dir, targets};

fn short() -> Options {
    Options {
        time: Duration::from_secs(3),
        max_execs: 20_000,
        seed: 16,
        save: false,
    }
}

#[test]
fn durations_corpus_replays_and_a_short_campaign_finds_nothing() {
    let dir = corpus_dir("duration");
    assert!(campaign::replay(&dir, targets::duration) >= 10);
    let stats = campaign::run(
        &dir,
        targets::DURATION_DICT,
        &short(),
        targets::duration,
        || {},
    );
    assert!(stats.crashes.is_empty(), "{stats:?}");
}

#[test]
fn config_corpus_replays_and_a_short_campaign_finds_nothing() {
    let dir = corpus_dir("config");
    assert!(campaign::replay(&dir, targets::config) >= 10);
    let stats = campaign::run(&dir, targets::CONFIG_DICT, &short(), targets::config, || {});
    assert!(stats.crashes.is_empty(), "{stats:?}");
}
