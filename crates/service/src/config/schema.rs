//! The JSON Schema of `config.toml`, generated from the Rust types and committed as
//! `docs/config.schema.json` so editors can validate the file (a test keeps it current).

use super::model::Config;

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
