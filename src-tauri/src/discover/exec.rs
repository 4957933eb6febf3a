//! The `Exec` key of a desktop entry turned into an argv list, following the Desktop
//! Entry Specification ("The Exec key"): string escapes first, then the Exec quoting,
//! then field codes. The result is run without a shell.

/// Field codes that expand to nothing when no files or URLs are passed: the file and URL
/// lists, the icon, the name and the entry's location (and the deprecated ones).
const DROPPED_CODES: &[char] = &[
    'f', 'F', 'u', 'U', 'i', 'c', 'k', 'd', 'D', 'n', 'N', 'v', 'm',
];

/// Why an `Exec` value could not be turned into an argv.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    /// A double quote was opened and never closed.
    #[error("a quoted argument is not closed")]
    UnclosedQuote,
    /// Nothing is left to run once field codes are removed.
    #[error("the command is empty")]
    Empty,
}

pub use lifeguard_service::desktop_entry::unescape_value;

/// Splits an (already unescaped) `Exec` value into argv, dropping field codes such as
/// `%U` and turning `%%` into `%`. An argument made only of a dropped code disappears.
pub fn exec_to_argv(exec: &str) -> Result<Vec<String>, ExecError> {
    let mut argv = Vec::new();
    for (word, quoted) in split_words(exec)? {
        let expanded = if quoted {
            // Field codes are not expanded inside quotes, per the spec.
            Some(word)
        } else {
            expand_codes(&word)
        };
        match expanded {
            Some(arg) => argv.push(arg),
            None => continue,
        }
    }
    match argv.first() {
        Some(program) if !program.is_empty() => Ok(argv),
        _ => Err(ExecError::Empty),
    }
}

/// Words of the command line, each with whether any part of it was quoted.
fn split_words(exec: &str) -> Result<Vec<(String, bool)>, ExecError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut in_word, mut quoted, mut in_quotes) = (false, false, false);
    let mut chars = exec.chars();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' => in_quotes = false,
                // Inside quotes, a backslash escapes `"`, `` ` ``, `$` and `\`.
                '\\' => match chars.next() {
                    Some(next @ ('"' | '`' | '$' | '\\')) => word.push(next),
                    Some(next) => {
                        word.push('\\');
                        word.push(next);
                    }
                    None => word.push('\\'),
                },
                _ => word.push(c),
            }
        } else if c == '"' {
            in_quotes = true;
            in_word = true;
            quoted = true;
        } else if c == ' ' || c == '\t' {
            if in_word {
                words.push((std::mem::take(&mut word), quoted));
            }
            in_word = false;
            quoted = false;
        } else {
            word.push(c);
            in_word = true;
        }
    }
    if in_quotes {
        return Err(ExecError::UnclosedQuote);
    }
    if in_word {
        words.push((word, quoted));
    }
    Ok(words)
}

/// Removes field codes from one unquoted word; `None` when the word was only a code.
fn expand_codes(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    let mut dropped = false;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(code) if DROPPED_CODES.contains(&code) => dropped = true,
            // An unknown code is invalid per the spec; keeping it visible is more honest
            // than guessing.
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    (!(dropped && out.is_empty())).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(exec: &str) -> Vec<String> {
        exec_to_argv(&unescape_value(exec)).unwrap()
    }

    #[test]
    fn drops_file_and_url_codes() {
        assert_eq!(argv("firefox %u"), ["firefox"]);
        assert_eq!(
            argv("gimp-2.10 %U --new %F %f %i %c %k"),
            ["gimp-2.10", "--new"]
        );
    }

    #[test]
    fn keeps_a_literal_percent() {
        assert_eq!(argv("printf 100%%"), ["printf", "100%"]);
    }

    #[test]
    fn removes_codes_embedded_in_a_word() {
        assert_eq!(argv("app --file=%f"), ["app", "--file="]);
    }

    #[test]
    fn follows_the_quoting_rules() {
        assert_eq!(
            argv(r#""/opt/My App/run" --title "a \"b\" \$c" x"y z""#),
            ["/opt/My App/run", "--title", "a \"b\" $c", "xy z"]
        );
        // In the file, `\\` is a string escape: `"\\$HOME"` reaches Exec as `"\$HOME"`.
        assert_eq!(argv(r#"sh -c "echo \\$HOME""#), ["sh", "-c", "echo $HOME"]);
    }

    #[test]
    fn does_not_expand_codes_inside_quotes() {
        assert_eq!(argv(r#"app "%f""#), ["app", "%f"]);
    }

    #[test]
    fn rejects_unclosed_quotes_and_empty_commands() {
        assert_eq!(exec_to_argv(r#"app "open"#), Err(ExecError::UnclosedQuote));
        assert_eq!(exec_to_argv("%U"), Err(ExecError::Empty));
        assert_eq!(exec_to_argv("  "), Err(ExecError::Empty));
    }
}
