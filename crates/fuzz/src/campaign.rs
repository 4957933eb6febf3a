//! A fuzzing campaign: replay the corpus, then mutate it until the time is up, keeping
//! inputs that show a new behaviour class and saving those that make the target panic.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a campaign did.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Inputs run (corpus replay included).
    pub execs: u64,
    /// Corpus entries at the end (committed ones and the new ones kept).
    pub corpus: usize,
    /// Entries added by this campaign.
    pub new: usize,
    /// Distinct behaviour classes seen.
    pub classes: usize,
    /// Inputs that made the target panic (saved under `crashes/`).
    pub crashes: Vec<PathBuf>,
}

/// Every file of a corpus directory, sorted by name (`crashes/` left out).
pub fn load(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| Some((e.path(), std::fs::read(e.path()).ok()?)))
        .collect();
    out.sort();
    out
}

/// Runs every corpus entry of `dir` through `exec`; panics naming the first that fails.
/// Returns how many were run.
pub fn replay(dir: &Path, mut exec: impl FnMut(&[u8]) -> String) -> usize {
    let corpus = load(dir);
    assert!(!corpus.is_empty(), "no corpus in {}", dir.display());
    for (path, data) in &corpus {
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| exec(data))) {
            panic!("{} fails: {}", path.display(), panic_text(&e));
        }
    }
    corpus.len()
}

/// Options of [`run`].
#[derive(Debug, Clone)]
pub struct Options {
    /// How long to mutate.
    pub time: Duration,
    /// Or stop after this many execs.
    pub max_execs: u64,
    /// The random seed.
    pub seed: u64,
    /// Write new corpus entries into the corpus directory.
    pub save: bool,
}

/// Replays `dir`, then mutates its entries for `options.time`; `dict` holds tokens of the
/// input language. A panic in `exec` is saved to `dir/crashes/` and counted; `restart` is
/// then called (a target with a process behind it starts a new one).
pub fn run(
    dir: &Path,
    dict: &[&str],
    options: &Options,
    mut exec: impl FnMut(&[u8]) -> String,
    mut restart: impl FnMut(),
) -> Stats {
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut corpus: Vec<Vec<u8>> = load(dir).into_iter().map(|(_, d)| d).collect();
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let mut stats = Stats::default();
    let mut classes = BTreeSet::new();
    let mut one = |data: &[u8], stats: &mut Stats| -> Option<String> {
        stats.execs += 1;
        match catch_unwind(AssertUnwindSafe(|| exec(data))) {
            Ok(class) => Some(class),
            Err(e) => {
                let path = save(&dir.join("crashes"), data);
                eprintln!("CRASH {}: {}", path.display(), panic_text(&e));
                stats.crashes.push(path);
                restart();
                None
            }
        }
    };
    for data in corpus.clone() {
        if let Some(c) = one(&data, &mut stats) {
            classes.insert(c);
        }
    }
    let end = Instant::now() + options.time;
    while Instant::now() < end && stats.execs < options.max_execs {
        let a = &corpus[rng.usize(0..corpus.len())];
        let b = &corpus[rng.usize(0..corpus.len())];
        let input = crate::mutate::mutate(&mut rng, a, b, dict);
        if let Some(class) = one(&input, &mut stats) {
            if classes.insert(class) {
                if options.save {
                    save(dir, &input);
                }
                corpus.push(input);
                stats.new += 1;
            }
        }
    }
    stats.corpus = corpus.len();
    stats.classes = classes.len();
    stats
}

/// Writes `data` into `dir` under a name from its hash; returns the path.
fn save(dir: &Path, data: &[u8]) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data.hash(&mut h);
    let path = dir.join(format!("{:016x}", h.finish()));
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(&path, data);
    path
}

/// The message of a caught panic.
pub fn panic_text(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic".to_owned())
}
