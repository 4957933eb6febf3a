//! Program identifiers.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::SpecError;

/// The stable identifier of a supervised program: 1–64 characters of `a-z`, `0-9`, `_`, `-`
/// and `.`, starting with a letter or digit. It names the program in events, the history and
/// the CLI, so it is kept to characters that are safe in file names and URLs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "String"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct ProgramId(String);

impl ProgramId {
    /// Checks `id` and wraps it; the error names the field `id` and says how to fix it.
    pub fn new(id: impl Into<String>) -> Result<Self, SpecError> {
        let id = id.into();
        let fix =
            "use 1-64 characters of a-z, 0-9, '_', '-' or '.', starting with a letter or digit";
        let first_ok = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c));
        if id.is_empty() {
            return Err(SpecError::new("id", "must not be empty", fix));
        }
        if id.len() > 64 || !first_ok || !rest_ok {
            return Err(SpecError::new(
                "id",
                format!("{id:?} is not a valid id"),
                fix,
            ));
        }
        Ok(Self(id))
    }

    /// Derives a valid id from free text (e.g. a command's file name): lowercased, other
    /// characters replaced by `-`; falls back to `program` when nothing usable is left.
    pub fn slug(text: &str) -> Self {
        let mut s: String = text
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .map(|c| {
                if c.is_ascii_alphanumeric() || "_-.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        s = s
            .trim_start_matches(['-', '_', '.'])
            .chars()
            .take(64)
            .collect();
        Self::new(s).unwrap_or_else(|_| Self("program".to_owned()))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProgramId {
    type Error = SpecError;
    fn try_from(s: String) -> Result<Self, SpecError> {
        Self::new(s)
    }
}

impl From<ProgramId> for String {
    fn from(id: ProgramId) -> String {
        id.0
    }
}

impl fmt::Display for ProgramId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ProgramId {
    type Err = SpecError;
    fn from_str(s: &str) -> Result<Self, SpecError> {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects() {
        for ok in ["firefox", "a", "my-app_2.0", "0ad"] {
            assert!(ProgramId::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Firefox", "-x", "a b", "a/b", &"x".repeat(65)] {
            let err = ProgramId::new(bad).unwrap_err();
            assert!(err.to_string().starts_with("id: "), "{err}");
        }
    }

    #[test]
    fn slug_makes_valid_ids() {
        assert_eq!(ProgramId::slug("Firefox ESR").as_str(), "firefox-esr");
        assert_eq!(ProgramId::slug("..").as_str(), "program");
        assert_eq!(ProgramId::slug("lg-testprog").as_str(), "lg-testprog");
    }
}
