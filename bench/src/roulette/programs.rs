//! The roulette's programs: 20 test programs of mixed kinds, and the daemon's config.

use std::path::{Path, PathBuf};

/// What kind of process tree a program makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One process, sleeping until killed.
    Plain,
    /// A process with two helper children.
    Helpers,
    /// A launcher that double-forks into a new session; the grandchild serves.
    Launcher,
    /// A launcher whose grandchild has a helper child.
    LauncherHelpers,
    /// A process that ignores SIGTERM (so the daemon must SIGKILL it on shutdown).
    IgnoresTerm,
}

impl Kind {
    /// The kind of program number `i` in a roulette of any size.
    pub fn of(i: usize) -> Self {
        match i % 20 {
            0..=6 => Self::Plain,
            7..=11 => Self::Helpers,
            12..=15 => Self::Launcher,
            16..=18 => Self::LauncherHelpers,
            _ => Self::IgnoresTerm,
        }
    }

    /// Short name for the report.
    pub fn label(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::Helpers => "helpers",
            Self::Launcher => "launcher",
            Self::LauncherHelpers => "launcher+helper",
            Self::IgnoresTerm => "ignores-term",
        }
    }

    fn args(self) -> &'static [&'static str] {
        match self {
            Self::Plain => &[],
            Self::Helpers => &["--helpers", "2"],
            Self::Launcher => &["--launcher"],
            Self::LauncherHelpers => &["--launcher", "--helpers", "1"],
            Self::IgnoresTerm => &["--ignore-term"],
        }
    }
}

/// One protected program of the roulette.
#[derive(Debug, Clone)]
pub struct Program {
    /// Its id in the config (`p0`, `p1`, …).
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// The Unix socket it listens on while it is up.
    pub socket: PathBuf,
}

/// `n` programs with sockets under `dir`; without `launchers`, launcher kinds become
/// plain and helper programs.
pub fn programs(n: usize, dir: &Path, launchers: bool) -> Vec<Program> {
    (0..n)
        .map(|i| Program {
            id: format!("p{i}"),
            kind: match Kind::of(i) {
                Kind::Launcher if !launchers => Kind::Plain,
                Kind::LauncherHelpers if !launchers => Kind::Helpers,
                k => k,
            },
            socket: dir.join(format!("p{i}.sock")),
        })
        .collect()
}

/// The daemon's config.toml: every program at the product's defaults (only its id and
/// argv): the trial measures what a person gets from `lifeguard add`.
pub fn config(programs: &[Program], testprog: &Path, tag_prefix: &str) -> String {
    let mut text = String::from("[settings]\nnotifications = false\n\n");
    for (i, p) in programs.iter().enumerate() {
        let mut argv: Vec<String> = vec![testprog.display().to_string()];
        argv.extend(p.kind.args().iter().map(|a| a.to_string()));
        argv.extend([
            "--listen-unix".into(),
            p.socket.display().to_string(),
            "--tag".into(),
            format!("{tag_prefix}{i}"),
        ]);
        text += &format!("[[program]]\nid = {:?}\nargv = {:?}\n\n", p.id, argv);
    }
    text
}
