//! Which log lines are kept: `LIFEGUARD_LOG` in `RUST_LOG`'s common forms (`debug`,
//! `lifeguard_service=debug,info`), read by a `Targets` filter instead of
//! tracing-subscriber's `EnvFilter`, whose regex engine costs the daemon a few hundred
//! KiB of resident memory for spans and field filters Lifeguard does not use.

use tracing_subscriber::filter::{LevelFilter, Targets};

/// The environment variable naming the log levels.
pub const ENV: &str = "LIFEGUARD_LOG";

/// The filter `LIFEGUARD_LOG` asks for; `info` when unset or unreadable (a warning says so).
pub fn from_env() -> Targets {
    let default = Targets::new().with_default(LevelFilter::INFO);
    match std::env::var(ENV) {
        Ok(text) if !text.trim().is_empty() => text.parse().unwrap_or_else(|error| {
            eprintln!("lifeguard: {ENV}={text:?} is not a log filter ({error}); using info");
            default
        }),
        _ => default,
    }
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::filter::{LevelFilter, Targets};

    #[test]
    fn the_forms_rust_log_allows_are_read() {
        let t: Targets = "debug".parse().unwrap();
        assert_eq!(t.default_level(), Some(LevelFilter::DEBUG));
        let t: Targets = "lifeguard_service=trace,warn".parse().unwrap();
        assert!(t.would_enable("lifeguard_service::daemon", &tracing::Level::TRACE));
        assert!(!t.would_enable("zbus", &tracing::Level::INFO));
        assert!(t.would_enable("zbus", &tracing::Level::WARN));
    }
}
