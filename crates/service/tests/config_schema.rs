//! The committed JSON Schema (`docs/config.schema.json`) matches the Rust types.
//! Regenerate with `LIFEGUARD_UPDATE_SCHEMA=1 cargo test -p lifeguard-service --test config_schema`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

#[test]
fn committed_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/config.schema.json");
    let fresh = lifeguard_service::config::json_schema();
    if std::env::var_os("LIFEGUARD_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/config.schema.json is stale; regenerate it with \
         LIFEGUARD_UPDATE_SCHEMA=1 cargo test -p lifeguard-service --test config_schema"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert!(schema["properties"]["program"].is_object());
}
