//! `lifeguard logs`: a program's captured output, stdout and stderr told apart.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use lifeguard_engine::ProgramId;
use lifeguard_service::client::Client;
use lifeguard_service::protocol::methods::{LogLines, Stream};

use crate::style::{self, Tone};
use crate::Global;

/// `logs`' arguments.
#[derive(Args)]
pub struct LogsArgs {
    /// The program's id.
    #[arg(required_unless_present = "daemon")]
    program: Option<ProgramId>,
    /// Show the daemon's own log instead (the file the desktop app has it write,
    /// $XDG_STATE_HOME/lifeguard/daemon.log); works while no daemon runs.
    #[arg(long, conflicts_with_all = ["program", "follow", "stream"])]
    pub daemon: bool,
    /// How many of the last lines (of each stream).
    #[arg(long, short = 'n', default_value_t = 50)]
    lines: usize,
    /// Keep printing new lines, until interrupted.
    #[arg(long, short)]
    follow: bool,
    /// Only this stream's lines, unmarked. Without it both are shown: stdout's last
    /// lines, then stderr's (the files carry no times to interleave them by), then new
    /// lines of either as they come; stderr lines are red, or start with "[stderr] " when
    /// colours are off.
    #[arg(long, value_enum)]
    stream: Option<Which>,
}

/// `--stream`'s values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Which {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Which {
    fn of(self) -> Stream {
        match self {
            Self::Stdout => Stream::Stdout,
            Self::Stderr => Stream::Stderr,
        }
    }
}

/// `lifeguard logs`. With `--json`: `{"program", "path", "stderr_path", "lines",
/// "streams", "omitted"}` (as the daemon answers); followed, one `{"stream", "text"}`
/// object a line (JSON Lines), each as it comes.
pub async fn logs(c: &Client, g: &Global, a: LogsArgs) -> anyhow::Result<ExitCode> {
    let Some(program) = a.program.clone() else {
        return daemon_logs(g, a);
    };
    let show = Show {
        json: g.json,
        only: a.stream.map(Which::of),
        colour: style::enabled(),
    };
    if !a.follow {
        let tail = show.filter(c.logs(&program, a.lines).await?);
        if g.json {
            outln!("{}", serde_json::to_string_pretty(&tail)?);
            return Ok(ExitCode::SUCCESS);
        }
        omitted_note(tail.omitted);
        show.tail(&tail)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut follow = c.logs_follow(&program, a.lines).await?;
    let tail = show.filter(follow.tail.clone());
    omitted_note(tail.omitted);
    if g.json {
        show.lines(&tail)?;
    } else {
        show.tail(&tail)?;
    }
    while let Some(batch) = follow.lines.recv().await {
        show.lines(&show.filter(batch))?;
    }
    anyhow::bail!("the daemon closed the connection (it stopped)")
}

/// How lines are printed.
struct Show {
    json: bool,
    only: Option<Stream>,
    colour: bool,
}

impl Show {
    /// `lines` without the lines of the stream not asked for.
    fn filter(&self, mut lines: LogLines) -> LogLines {
        let Some(only) = self.only else {
            return lines;
        };
        let (kept, streams): (Vec<String>, Vec<Stream>) = lines
            .tagged()
            .filter(|(s, _)| *s == only)
            .map(|(s, l)| (l.to_owned(), s))
            .unzip();
        lines.lines = kept;
        lines.streams = streams;
        lines
    }

    /// The last lines: stdout's, then stderr's, each headed by its file (on stderr,
    /// like `tail` with two files) when both have lines, so nobody reads the order as
    /// the order of writing.
    fn tail(&self, tail: &LogLines) -> anyhow::Result<()> {
        let has = |s: Stream| tail.tagged().any(|(t, _)| t == s);
        let headed = self.only.is_none() && has(Stream::Stdout) && has(Stream::Stderr);
        let mut last = None;
        for (stream, line) in tail.tagged() {
            if headed && last != Some(stream) {
                crate::out::flush();
                let path = match stream {
                    Stream::Stdout => Some(&tail.path),
                    Stream::Stderr => tail.stderr_path.as_ref(),
                };
                let name = path.map_or_else(|| "stderr".to_owned(), |p| p.display().to_string());
                eprintln!("==> {name} <==");
                last = Some(stream);
            }
            self.line(stream, line)?;
        }
        crate::out::flush();
        Ok(())
    }

    /// Lines as they come.
    fn lines(&self, batch: &LogLines) -> anyhow::Result<()> {
        for (stream, line) in batch.tagged() {
            self.line(stream, line)?;
        }
        // Piped into another program: each line as it comes, not when a buffer fills.
        crate::out::flush();
        Ok(())
    }

    fn line(&self, stream: Stream, line: &str) -> anyhow::Result<()> {
        if self.json {
            let v = serde_json::json!({ "stream": stream, "text": line });
            outln!("{}", serde_json::to_string(&v)?);
        } else if stream == Stream::Stdout || self.only.is_some() {
            outln!("{line}");
        } else if self.colour {
            outln!("{}", style::paint_if(true, line, Tone::Stderr));
        } else {
            outln!("[stderr] {line}");
        }
        Ok(())
    }
}

/// Says on stderr that the daemon left older lines out of a long answer.
fn omitted_note(omitted: usize) {
    if omitted > 0 {
        eprintln!(
            "({omitted} older lines left out: one answer carries at most 1 MiB; the whole log \
             is the files themselves)"
        );
    }
}

/// `lifeguard logs --daemon`: the daemon's own log file; needs no daemon.
pub fn daemon_logs(g: &Global, a: LogsArgs) -> anyhow::Result<ExitCode> {
    let paths = lifeguard_service::paths::Paths::from_env()?;
    crate::daemon_log::show(&paths.daemon_log(), a.lines, g.json)
}
