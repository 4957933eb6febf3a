//! Colours for people, never for programs: on when stdout is a terminal that shows them,
//! off under `NO_COLOR` (no-color.org), forced on by `CLICOLOR_FORCE` (even into a pipe,
//! e.g. `| less -R`), off with `CLICOLOR=0` or `TERM=dumb`, and never in `--json`.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// What a coloured piece of text means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Running, protected: green.
    Good,
    /// On its way (starting, restarting) or held by a pause: yellow.
    Busy,
    /// Down without being asked, or gave up: bold red.
    Bad,
    /// Down on request: dim.
    Quiet,
    /// A table's heading: bold.
    Heading,
    /// A line a program wrote to stderr: red, not bold (it is output, not a verdict).
    Stderr,
    /// No colour.
    Plain,
}

/// Whether stdout gets colours, decided once from the environment.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        decide(
            |k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned()),
            std::io::stdout().is_terminal(),
        )
    })
}

/// The rule, given the environment (`var`) and whether stdout is a terminal.
pub fn decide(var: impl Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
    let off = |k: &str| var(k).is_some_and(|v| v == "0");
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && !off("CLICOLOR_FORCE") {
        return true;
    }
    terminal && !off("CLICOLOR") && var("TERM").is_none_or(|t| t != "dumb")
}

/// `text` in `tone`'s colour, when colours are on.
pub fn paint(text: &str, tone: Tone) -> String {
    paint_if(enabled(), text, tone)
}

/// [`paint`] with the decision given.
pub fn paint_if(on: bool, text: &str, tone: Tone) -> String {
    let code = match tone {
        Tone::Good => "32",
        Tone::Busy => "33",
        Tone::Bad => "1;31",
        Tone::Quiet => "2",
        Tone::Heading => "1",
        Tone::Stderr => "31",
        Tone::Plain => return text.to_owned(),
    };
    if on && !text.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn terminals_get_colours_pipes_do_not() {
        assert!(decide(env(&[("TERM", "xterm-256color")]), true));
        assert!(!decide(env(&[("TERM", "xterm-256color")]), false));
        assert!(!decide(env(&[("TERM", "dumb")]), true));
        assert!(!decide(env(&[("CLICOLOR", "0")]), true));
    }

    #[test]
    fn no_color_wins_and_clicolor_force_forces() {
        assert!(!decide(
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            true
        ));
        assert!(
            decide(env(&[("NO_COLOR", "")]), true),
            "an empty NO_COLOR is unset"
        );
        assert!(decide(env(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!decide(env(&[("CLICOLOR_FORCE", "0")]), false));
    }
}
