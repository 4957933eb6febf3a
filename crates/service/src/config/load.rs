//! Parsing and validating `config.toml` text into a [`Config`], with every error located
//! (file, line, column, field) and a fix hint.
//!
//! A `[[program]]` table holds the engine's spec fields and the service's options side by
//! side. Serde's `flatten` would hide typos (it drops `deny_unknown_fields`) and lose the
//! error spans, so each table is split by key and each half deserialized strictly.

use std::net::SocketAddr;
use std::path::Path;

use lifeguard_engine::ProgramSpec;
use serde::Deserialize;
use serde_path_to_error::Segment;
use toml_edit::Document;

use super::error::{ConfigError, ConfigProblem};
use super::locate::{line_col, parse_field, render, span_of, Seg};
use super::model::{Config, ProgramEntry, ProgramOptions, Settings};

const SCHEMA_HINT: &str = "see docs/config.schema.json for the fields and their values";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    program: Vec<toml::Table>,
}

/// Parses and validates the text of `file`. Nothing is applied unless all of it is valid.
pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let doc = Document::parse(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        located(text, file, at, "", e.message(), "fix the TOML syntax here")
    })?;
    let ctx = Ctx { text, file, doc };
    let de = toml::de::Deserializer::parse(text)
        .map_err(|e| ctx.error(&[], e.span(), false, e.message(), SCHEMA_HINT))?;
    let shape: FileShape = serde_path_to_error::deserialize(de).map_err(|e| {
        let segs = segments(e.path());
        ctx.serde_error(segs, e.inner().span(), e.inner().message())
    })?;
    validate_settings(&ctx, &shape.settings)?;
    let mut program: Vec<ProgramEntry> = Vec::with_capacity(shape.program.len());
    for (i, table) in shape.program.into_iter().enumerate() {
        let entry = program_entry(&ctx, i, table, &shape.settings)?;
        if program.iter().any(|p| p.spec.id == entry.spec.id) {
            let segs = vec![
                Seg::Key("program".into()),
                Seg::Index(i),
                Seg::Key("id".into()),
            ];
            let message = format!("id {:?} is used by another program", entry.spec.id.as_str());
            return Err(ctx.error(&segs, None, false, &message, "give each program its own id"));
        }
        // Program `x`'s stderr file is `x.err.log`, which is also `x.err`'s stdout file.
        let stem = |a: &ProgramEntry, b: &ProgramEntry| {
            a.spec.id.as_str().strip_suffix(".err") == Some(b.spec.id.as_str())
        };
        if let Some(other) = program.iter().find(|p| stem(&entry, p) || stem(p, &entry)) {
            let segs = vec![
                Seg::Key("program".into()),
                Seg::Index(i),
                Seg::Key("id".into()),
            ];
            let (a, b) = (entry.spec.id.as_str(), other.spec.id.as_str());
            let (plain, err) = if a.len() < b.len() { (a, b) } else { (b, a) };
            let message = format!(
                "ids {a:?} and {b:?} would share the log file output/{err}.log (the stdout of \
                 {err:?} and the stderr of {plain:?})"
            );
            let hint = "choose an id that is not another program's id followed by \".err\"";
            return Err(ctx.error(&segs, None, false, &message, hint));
        }
        program.push(entry);
    }
    Ok(Config {
        settings: shape.settings,
        program,
    })
}

fn program_entry(
    ctx: &Ctx<'_>,
    i: usize,
    table: toml::Table,
    settings: &Settings,
) -> Result<ProgramEntry, ConfigError> {
    let prefix = [Seg::Key("program".into()), Seg::Index(i)];
    let (options, spec): (toml::Table, toml::Table) = table
        .into_iter()
        .partition(|(k, _)| ProgramOptions::KEYS.contains(&k.as_str()));
    let sets_restart = spec.contains_key("restart");
    let fail = |path: &serde_path_to_error::Path, message: &str| {
        let segs = prefix.iter().cloned().chain(segments(path)).collect();
        ctx.serde_error(segs, None, message)
    };
    let options: ProgramOptions = serde_path_to_error::deserialize(options)
        .map_err(|e| fail(e.path(), &e.inner().to_string()))?;
    let mut spec: ProgramSpec = serde_path_to_error::deserialize(spec)
        .map_err(|e| fail(e.path(), &e.inner().to_string()))?;
    if !sets_restart {
        spec.restart = settings.default_restart.clone();
    }
    // A value out of range, reported at its place in this entry.
    let at_field = |field: &str, problem: &str, fix: &str| {
        let segs: Vec<Seg> = prefix.iter().cloned().chain(parse_field(field)).collect();
        ctx.error(&segs, None, false, problem, fix)
    };
    spec.validate()
        .map_err(|e| at_field(&e.field, &e.problem, &e.fix))?;
    if let Some(ping) = &options.window_ping {
        ping.validate()
            .map_err(|e| at_field(&e.field, &e.problem, &e.fix))?;
    }
    Ok(ProgramEntry { spec, options })
}

/// The longest `settings.history.max_age`: ten years.
pub const MAX_HISTORY_AGE: std::time::Duration = std::time::Duration::from_secs(3660 * 86_400);
/// The most rows `settings.history.max_rows` may keep.
pub const MAX_HISTORY_ROWS: u64 = 1_000_000_000;

fn validate_settings(ctx: &Ctx<'_>, settings: &Settings) -> Result<(), ConfigError> {
    use lifeguard_engine::ranges::at_most;
    let out_of_range = |field: &str, e: lifeguard_engine::SpecError| {
        ctx.error(&parse_field(field), None, false, &e.problem, &e.fix)
    };
    let age = settings.history.max_age;
    at_most("settings.history.max_age", age, MAX_HISTORY_AGE)
        .map_err(|e| out_of_range("settings.history.max_age", e))?;
    if let Some(rows) = settings.history.max_rows {
        if rows == 0 || rows > MAX_HISTORY_ROWS {
            let segs = parse_field("settings.history.max_rows");
            let message = format!("{rows} is outside 1–{MAX_HISTORY_ROWS}");
            let hint =
                "use e.g. 100000, or leave it out to keep every event (max_age still applies)";
            return Err(ctx.error(&segs, None, false, &message, hint));
        }
    }
    let bind = &settings.metrics.bind;
    let loopback = bind.parse::<SocketAddr>().map(|a| a.ip().is_loopback());
    if loopback != Ok(true) {
        let segs = parse_field("settings.metrics.bind");
        let message = format!("{bind:?} is not a loopback address and port");
        let hint = "use e.g. \"127.0.0.1:9464\"; metrics are only served on loopback";
        return Err(ctx.error(&segs, None, false, &message, hint));
    }
    Ok(())
}

fn segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } => Some(Seg::Key(key.clone())),
            Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

struct Ctx<'a> {
    text: &'a str,
    file: &'a Path,
    doc: Document<&'a str>,
}

impl Ctx<'_> {
    /// A serde error: an unknown field names the field itself and points at its key.
    fn serde_error(
        &self,
        mut segs: Vec<Seg>,
        span: Option<std::ops::Range<usize>>,
        message: &str,
    ) -> ConfigError {
        let unknown = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next());
        match unknown {
            Some(field) => {
                if segs.last() != Some(&Seg::Key(field.to_owned())) {
                    segs.push(Seg::Key(field.to_owned()));
                }
                let hint = "remove it or correct its spelling (the message lists the known fields)";
                self.error(&segs, span, true, message, hint)
            }
            None => self.error(&segs, span, false, message, SCHEMA_HINT),
        }
    }

    fn error(
        &self,
        segs: &[Seg],
        span: Option<std::ops::Range<usize>>,
        at_key: bool,
        message: &str,
        hint: &str,
    ) -> ConfigError {
        let at = span
            .or_else(|| span_of(&self.doc, segs, at_key))
            .map_or(0, |s| s.start);
        located(self.text, self.file, at, &render(segs), message, hint)
    }
}

fn located(
    text: &str,
    file: &Path,
    at: usize,
    field: &str,
    message: &str,
    hint: &str,
) -> ConfigError {
    let (line, column) = line_col(text, at);
    ConfigError::Invalid(Box::new(ConfigProblem {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        message: message.trim().to_owned(),
        hint: hint.to_owned(),
    }))
}
