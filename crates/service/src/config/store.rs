//! [`ConfigStore`]: the one owner of `config.toml`. Every write goes through its lock, so
//! concurrent updates (UI, tray, CLI) are serialized and none is lost; every write edits
//! the user's document with `toml_edit`, so comments and layout survive.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use toml_edit::{ArrayOfTables, DocumentMut, Item};

use super::atomic::write_atomic;
use super::diff::ConfigDiff;
use super::error::ConfigError;
use super::load::parse;
use super::model::{Config, ProgramEntry};

/// The config in force and the file behind it. Clone it freely: clones share one lock.
#[derive(Debug, Clone)]
pub struct ConfigStore {
    path: PathBuf,
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug)]
struct Inner {
    current: Arc<Config>,
    /// The file's text as last loaded or written by us: a watcher event whose file still
    /// has this text is our own write (or no change) and is ignored.
    last_text: Option<String>,
    /// The last text rejected, so one broken save is reported once, not per event.
    last_rejected: Option<String>,
}

impl ConfigStore {
    /// Loads `path` (a missing file means the defaults); fails if the file is invalid.
    pub fn open(path: &Path) -> Result<Self, ConfigError> {
        super::atomic::remove_stale_temps(path);
        let text = read(path)?;
        let config = match &text {
            Some(t) => parse(t, path)?,
            None => Config::default(),
        };
        Ok(Self::with(path, config, text))
    }

    /// Like [`ConfigStore::open`], but an invalid file leaves the defaults in force and
    /// is reported; the watcher or [`ConfigStore::reload`] applies it once fixed.
    pub fn open_lenient(path: &Path) -> Result<(Self, Option<ConfigError>), ConfigError> {
        match Self::open(path) {
            Ok(store) => Ok((store, None)),
            Err(e @ ConfigError::Invalid(_)) => {
                let store = Self::with(path, Config::default(), None);
                Ok((store, Some(e)))
            }
            Err(e) => Err(e),
        }
    }

    fn with(path: &Path, config: Config, text: Option<String>) -> Self {
        Self {
            path: path.to_owned(),
            inner: Arc::new(Mutex::new(Inner {
                current: Arc::new(config),
                last_text: text,
                last_rejected: None,
            })),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The config in force (the last good one).
    pub fn current(&self) -> Arc<Config> {
        Arc::clone(&self.lock().current)
    }

    /// Re-reads the file (watcher event, SIGHUP). `Ok(None)`: nothing new (our own write,
    /// an unchanged file, a deleted file, or a broken text already reported).
    /// `Ok(Some(diff))`: the new file is in force. `Err`: the file is invalid and the
    /// previous config stays in force.
    pub fn reload(&self) -> Result<Option<ConfigDiff>, ConfigError> {
        let mut inner = self.lock();
        let disk = read(&self.path)?;
        let seen = disk.clone().unwrap_or_default();
        if inner.last_text.as_deref() == Some(seen.as_str()) {
            inner.last_rejected = None;
            return Ok(None);
        }
        if inner.last_rejected.as_deref() == Some(seen.as_str()) {
            return Ok(None);
        }
        if let Some(e) = inner.suspect(&self.path, disk.as_deref()) {
            // Reported once per text, like an invalid file.
            inner.last_rejected = Some(seen);
            return Err(e);
        }
        let Some(text) = disk else {
            return Ok(None); // deleted with nothing in force: nothing to do
        };
        match parse(&text, &self.path) {
            Ok(config) => Ok(Some(inner.adopt(config, text))),
            Err(e) => {
                inner.last_rejected = Some(text);
                Err(e)
            }
        }
    }

    /// Edits the file's document with `f`, validates the result and writes it atomically;
    /// returns the diff to apply (including any valid outside edit it picked up). An
    /// invalid or cut-short file on disk is never overwritten: the edit fails until it is
    /// fixed. A missing or empty file while programs are in force is rebuilt from the text
    /// in force, so an edit never removes programs the person did not remove.
    pub fn edit(
        &self,
        f: impl FnOnce(&mut DocumentMut) -> Result<(), ConfigError>,
    ) -> Result<ConfigDiff, ConfigError> {
        let mut inner = self.lock();
        let before = Arc::clone(&inner.current);
        let on_disk = read(&self.path)?;
        let disk = match inner.suspect(&self.path, on_disk.as_deref()) {
            Some(ConfigError::Emptied { .. }) => inner.last_text.clone().unwrap_or_default(),
            Some(e) => return Err(e),
            None => on_disk.unwrap_or_default(),
        };
        if inner.last_text.as_deref().unwrap_or_default() != disk {
            let config = parse(&disk, &self.path)?;
            inner.adopt(config, disk.clone());
        }
        let (text, config) = self.edited(&disk, f)?;
        write_atomic(&self.path, text.as_bytes())?;
        inner.adopt(config, text);
        Ok(ConfigDiff::between(&before, &inner.current))
    }

    /// What [`Self::edit`] would do with `f`, up to the write: the same checks of the file
    /// on disk and of the result, naming the same field, but nothing is written or
    /// taken into force (an `update` dry run).
    pub fn check_edit(
        &self,
        f: impl FnOnce(&mut DocumentMut) -> Result<(), ConfigError>,
    ) -> Result<(), ConfigError> {
        let inner = self.lock();
        let on_disk = read(&self.path)?;
        let disk = match inner.suspect(&self.path, on_disk.as_deref()) {
            Some(ConfigError::Emptied { .. }) => inner.last_text.clone().unwrap_or_default(),
            Some(e) => return Err(e),
            None => on_disk.unwrap_or_default(),
        };
        drop(inner);
        self.edited(&disk, f).map(drop)
    }

    /// `disk` edited by `f`, and the config it holds (validated).
    fn edited(
        &self,
        disk: &str,
        f: impl FnOnce(&mut DocumentMut) -> Result<(), ConfigError>,
    ) -> Result<(String, Config), ConfigError> {
        let mut doc: DocumentMut = disk
            .parse()
            .map_err(|e| ConfigError::Edit(format!("cannot edit the file: {e}")))?;
        f(&mut doc)?;
        let text = doc.to_string();
        let config = parse(&text, &self.path)?;
        Ok((text, config))
    }

    /// Appends a `[[program]]` entry; fails if its id is taken.
    pub fn add_program(&self, entry: &ProgramEntry) -> Result<ConfigDiff, ConfigError> {
        let text = toml::to_string(entry).map_err(|e| ConfigError::Edit(e.to_string()))?;
        let parsed = text
            .parse::<DocumentMut>()
            .map_err(|e| ConfigError::Edit(e.to_string()))?;
        // Nested tables (backoff, breaker, restart…) become inline tables so the entry is
        // one self-contained `[[program]]` block wherever it lands in the document.
        let mut table = toml_edit::Table::new();
        for (key, item) in parsed.as_table().iter() {
            let value = item
                .clone()
                .into_value()
                .map_err(|_| ConfigError::Edit(format!("cannot write field {key}")))?;
            table.insert(key, Item::Value(value));
        }
        let id = entry.spec.id.as_str().to_owned();
        self.edit(move |doc| {
            if programs(doc)
                .iter()
                .any(|t| t.get("id").and_then(Item::as_str) == Some(&id))
            {
                return Err(ConfigError::Edit(format!(
                    "a program with id {id:?} exists"
                )));
            }
            let item = doc
                .entry("program")
                .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
            match item.as_array_of_tables_mut() {
                Some(array) => {
                    array.push(table);
                    Ok(())
                }
                None => Err(ConfigError::Edit(
                    "`program` is not a list of tables".into(),
                )),
            }
        })
    }

    /// Removes the `[[program]]` entry with this id (comments of other entries stay).
    pub fn remove_program(&self, id: &str) -> Result<ConfigDiff, ConfigError> {
        self.edit(|doc| {
            let array = doc
                .get_mut("program")
                .and_then(Item::as_array_of_tables_mut)
                .ok_or_else(|| ConfigError::Edit(format!("no program with id {id:?}")))?;
            let index = array
                .iter()
                .position(|t| t.get("id").and_then(Item::as_str) == Some(id))
                .ok_or_else(|| ConfigError::Edit(format!("no program with id {id:?}")))?;
            array.remove(index);
            Ok(())
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave `Inner` half-updated (each field is
        // replaced whole), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    /// Why the file's text (`None`: missing) is not the person's word: missing or empty
    /// (no TOML at all) while programs are in force, or the start of the last good text
    /// cut mid-line. A file emptied on purpose still says something (`# no programs`).
    fn suspect(&self, path: &Path, text: Option<&str>) -> Option<ConfigError> {
        let programs = self.current.program.len();
        let text = text.unwrap_or_default();
        if text.trim().is_empty() {
            return (programs > 0).then(|| ConfigError::Emptied {
                path: path.to_owned(),
                programs,
            });
        }
        let last = self.last_text.as_deref().unwrap_or_default();
        let cut = !text.ends_with('\n') && last.len() > text.len() && last.starts_with(text);
        cut.then(|| ConfigError::Truncated {
            path: path.to_owned(),
        })
    }

    fn adopt(&mut self, config: Config, text: String) -> ConfigDiff {
        let diff = ConfigDiff::between(&self.current, &config);
        self.current = Arc::new(config);
        self.last_text = Some(text);
        self.last_rejected = None;
        diff
    }
}

fn programs(doc: &DocumentMut) -> Vec<&toml_edit::Table> {
    doc.get("program")
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::io(path, e)),
    }
}
