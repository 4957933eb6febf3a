//! The examples and exit statuses of `--help`, and the same text for the man pages: one
//! table, so the two never disagree.

use clap::Command;

/// (what it does, the command line) pairs.
type Examples = &'static [(&'static str, &'static str)];
/// (status, meaning) pairs.
type Statuses = &'static [(u8, &'static str)];

/// One command's extra help: examples (what it does, the command line) and its exit
/// statuses, when they say more than "0 success".
pub struct Extra {
    /// (what it does, the command line).
    pub examples: Examples,
    /// (status, meaning).
    pub exit: Statuses,
}

/// The exit statuses every client command shares (see `exit.rs`).
const COMMON_EXIT: &[(u8, &str)] = &[
    (0, "success"),
    (1, "error (the daemon refused, a file is invalid…)"),
    (2, "usage error (bad flags or arguments)"),
    (3, "no daemon running"),
    (4, "another daemon is already running (lifeguard daemon)"),
    (5, "no such program"),
];

/// `status ID`'s LSB statuses, as `systemctl status UNIT` gives them.
pub const STATUS_EXIT: &[(u8, &str)] = &[
    (
        0,
        "the program is running (with ID); without ID: the daemon answered",
    ),
    (
        3,
        "with ID: the program is not running (stopped, exited, restarting, held by a pause or \
         gave up); without ID: no daemon running",
    ),
    (
        4,
        "with ID: status unknown (no such program, or no daemon to ask)",
    ),
];

/// The extra help of `name` (`""` is `lifeguard` itself).
pub fn extra(name: &str) -> Option<Extra> {
    let (examples, exit): (Examples, Statuses) = match name {
        "" => (
            &[
                ("What is protected, and how it is doing", "lifeguard"),
                (
                    "Protect Firefox: started now, restarted whenever it dies",
                    "lifeguard add --name Firefox -- firefox",
                ),
                (
                    "Test in a script whether it runs (exit status 0)",
                    "lifeguard status firefox >/dev/null && echo up",
                ),
                (
                    "The last day's restarts, in UTC",
                    "lifeguard history --since 1d --utc",
                ),
                ("Pause protection for an hour", "lifeguard pause --for 1h"),
            ],
            COMMON_EXIT,
        ),
        "status" => (
            &[
                ("Every program's state", "lifeguard status"),
                (
                    "One program's details, memory and CPU time",
                    "lifeguard status firefox",
                ),
                (
                    "Start it unless it runs",
                    "lifeguard status firefox >/dev/null || lifeguard start firefox",
                ),
                ("For scripts", "lifeguard status --json"),
            ],
            STATUS_EXIT,
        ),
        "add" => (
            &[
                (
                    "Protect a program",
                    "lifeguard add --name Firefox -- firefox",
                ),
                (
                    "Restart even after a clean exit, waiting at most 30 s",
                    "lifeguard add --restart always --backoff-max 30s -- syncthing serve",
                ),
                (
                    "Protect a process that already runs, without restarting it",
                    "lifeguard add --adopt 4242",
                ),
                (
                    "Take over a program the desktop starts at login",
                    "lifeguard add --takes-over nm-applet.desktop -- nm-applet",
                ),
            ],
            &[],
        ),
        "run" => (
            &[
                (
                    "Keep a server up in this terminal",
                    "lifeguard run -- python3 -m http.server",
                ),
                (
                    "Never give up, and read the events with jq",
                    "lifeguard run --restart always --no-breaker -- ./worker | jq -c .",
                ),
            ],
            &[
                (0, "stopped by SIGINT/SIGTERM"),
                (
                    1,
                    "gave up, or ended on a signal; otherwise the program's own exit code",
                ),
            ],
        ),
        "history" => (
            &[
                ("The last week", "lifeguard history --since 7d"),
                (
                    "Only one program's deaths",
                    "lifeguard history --program firefox --kind exited",
                ),
                (
                    "Everything, for a spreadsheet",
                    "lifeguard history --limit 100000 --json",
                ),
            ],
            &[],
        ),
        "logs" => (
            &[
                ("The last 100 lines", "lifeguard logs firefox -n 100"),
                ("Follow the output as it comes", "lifeguard logs firefox -f"),
                (
                    "Only what it wrote to stderr",
                    "lifeguard logs firefox --stream stderr",
                ),
                ("The daemon's own log", "lifeguard logs --daemon"),
            ],
            &[],
        ),
        "events" => (
            &[(
                "Watch events live, one JSON object a line",
                "lifeguard events -f --json",
            )],
            &[],
        ),
        "pause" => (
            &[
                ("Every program, for 15 minutes", "lifeguard pause --for 15m"),
                ("One program, until resumed", "lifeguard pause firefox"),
            ],
            &[],
        ),
        "remove" => (
            &[(
                "Stop protecting it but leave it running",
                "lifeguard remove firefox --keep-running",
            )],
            &[],
        ),
        "config" => (
            &[
                ("Check the config file", "lifeguard config check"),
                (
                    "The settings in force, as JSON",
                    "lifeguard config show --json",
                ),
                (
                    "Turn notifications off",
                    r#"lifeguard config set '{"notifications":false}'"#,
                ),
            ],
            &[],
        ),
        _ => return None,
    };
    Some(Extra { examples, exit })
}

/// `extra` as `--help` shows it, after the options.
pub fn text(e: &Extra) -> String {
    let mut out = String::from("Examples:\n");
    for (what, line) in e.examples {
        out += &format!("  # {what}\n  {line}\n");
    }
    if !e.exit.is_empty() {
        out += "\nExit status:\n";
        for (code, meaning) in e.exit {
            out += &format!("  {code}  {meaning}\n");
        }
    }
    out.trim_end().to_owned()
}

/// `extra` as man page sections (roff): EXAMPLES and EXIT STATUS.
pub fn roff(e: &Extra) -> String {
    let mut out = String::from(".SH EXAMPLES\n");
    for (what, line) in e.examples {
        out += &format!(
            ".PP\n{}\n.RS 4\n.nf\n\\fB{}\\fR\n.fi\n.RE\n",
            esc(what),
            esc(line)
        );
    }
    if !e.exit.is_empty() {
        out += ".SH \"EXIT STATUS\"\n";
        for (code, meaning) in e.exit {
            out += &format!(".TP\n\\fB{code}\\fR\n{}\n", esc(meaning));
        }
    }
    out
}

/// Text safe in roff: backslashes and hyphens escaped, no line starting a request.
fn esc(text: &str) -> String {
    let t = text.replace('\\', "\\e").replace('-', "\\-");
    if t.starts_with(['.', '\'']) {
        format!("\\&{t}")
    } else {
        t
    }
}

/// `cmd` (the whole `lifeguard` command) with its examples and exit statuses attached to
/// `--help`.
pub fn decorate(cmd: Command) -> Command {
    let mut cmd = match extra("") {
        Some(e) => cmd.after_help(text(&e)),
        None => cmd,
    };
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        if let Some(e) = extra(&name) {
            cmd = cmd.mut_subcommand(&name, |s| s.after_help(text(&e)));
        }
    }
    cmd
}
