//! Edits of `config.toml` the store has no helper for: replacing one program's entry in
//! place and merging settings. Both go through [`ConfigStore::edit`], so they are
//! serialized with every other write, validated, written atomically, and keep the
//! comments of the rest of the file.

use serde_json::Value;
use toml_edit::{DocumentMut, Item, Table};

use crate::config::{ConfigDiff, ConfigError, ConfigStore, ProgramEntry, Settings};
use crate::protocol::{ErrorKind, RpcError};

/// A serializable value as a TOML table whose nested tables are inline, so it reads as
/// one self-contained block wherever it lands.
fn table_of<T: serde::Serialize>(value: &T) -> Result<Table, ConfigError> {
    let text = toml::to_string(value).map_err(|e| ConfigError::Edit(e.to_string()))?;
    let doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| ConfigError::Edit(e.to_string()))?;
    let mut table = Table::new();
    for (key, item) in doc.as_table().iter() {
        let value = item
            .clone()
            .into_value()
            .map_err(|_| ConfigError::Edit(format!("cannot write field {key}")))?;
        table.insert(key, Item::Value(value));
    }
    Ok(table)
}

/// Replaces the `[[program]]` entry with `entry`'s id, keeping its place in the file.
pub(super) fn replace_program(
    store: &ConfigStore,
    entry: &ProgramEntry,
) -> Result<ConfigDiff, ConfigError> {
    let table = table_of(entry)?;
    let id = entry.spec.id.as_str().to_owned();
    store.edit(move |doc| put_program(doc, &id, table))
}

/// Whether [`replace_program`] would succeed, writing nothing (`update`'s `dry_run`).
pub(super) fn check_replace_program(
    store: &ConfigStore,
    entry: &ProgramEntry,
) -> Result<(), ConfigError> {
    let table = table_of(entry)?;
    let id = entry.spec.id.as_str().to_owned();
    store.check_edit(move |doc| put_program(doc, &id, table))
}

fn put_program(doc: &mut DocumentMut, id: &str, table: Table) -> Result<(), ConfigError> {
    let slot = doc
        .get_mut("program")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|a| {
            a.iter_mut()
                .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        })
        .ok_or_else(|| ConfigError::Edit(format!("no program with id {id:?} in the config")))?;
    let decor = slot.decor().clone();
    *slot = table;
    *slot.decor_mut() = decor; // keep the comment above the entry
    Ok(())
}

/// Merges a partial settings object into `current`, naming the field that does not fit.
pub(super) fn merge_settings(current: &Settings, patch: &Value) -> Result<Settings, RpcError> {
    let Value::Object(_) = patch else {
        return Err(RpcError::invalid_params(
            "settings: must be an object, e.g. {\"notifications\": false}",
        ));
    };
    let mut merged =
        serde_json::to_value(current).map_err(|e| RpcError::internal(e.to_string()))?;
    merge(&mut merged, patch);
    serde_path_to_error::deserialize(merged)
        .map_err(|e| RpcError::invalid_params(format!("settings.{}: {}", e.path(), e.inner())))
}

fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, p) => *b = p.clone(),
    }
}

/// Writes `settings` as the file's `[settings]` table.
pub(super) fn write_settings(
    store: &ConfigStore,
    settings: &Settings,
) -> Result<ConfigDiff, ConfigError> {
    let text = toml::to_string(settings).map_err(|e| ConfigError::Edit(e.to_string()))?;
    let doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| ConfigError::Edit(e.to_string()))?;
    let mut table = doc.as_table().clone();
    table.set_implicit(false);
    store.edit(move |file| {
        let decor = file
            .get("settings")
            .and_then(Item::as_table)
            .map(|t| t.decor().clone());
        if let Some(decor) = decor {
            *table.decor_mut() = decor;
        }
        file.insert("settings", Item::Table(table));
        Ok(())
    })
}

/// A config error as an RPC error (`config` kind, or `invalid_spec` for a bad field).
pub(super) fn config_error(e: ConfigError) -> RpcError {
    let mut err = RpcError::new(ErrorKind::Config, e.to_string());
    if let Some(p) = e.problem() {
        err.data["field"] = Value::from(p.field.clone());
        err.data["line"] = Value::from(p.line);
    }
    err
}
