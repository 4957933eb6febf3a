//! Taking a program over from the desktop's login start (XDG autostart): a program added
//! with `autostart_entry = "<id>.desktop"` gets a `Hidden=true` override of that id in
//! the user's autostart directory, so the session no longer starts a second copy at
//! login, while the daemon starts it (an `autostart` program). The user's own entry of
//! that id, if they had one, is kept word for word in Lifeguard's config directory and
//! put back when the program is removed; without one, removing the override lets the
//! system's entry speak again. The system's entries are never written.
//!
//! Here in the service, not the window: `add` and `remove` come from the CLI too.

use std::path::{Path, PathBuf};

use super::state::Daemon;
use crate::config::{write_atomic, ProgramEntry};
use crate::protocol::RpcError;

/// Marks an override as Lifeguard's: only such a file is ever replaced or removed.
const MARK: &str = "X-Lifeguard-Takeover=true";

/// Why a takeover or its undoing failed.
#[derive(Debug, thiserror::Error)]
pub enum TakeoverError {
    /// The id is not a desktop file name.
    #[error(
        "autostart_entry: {0:?} is not an autostart entry id; use the file name of an entry \
         in ~/.config/autostart or /etc/xdg/autostart, e.g. \"nm-applet.desktop\""
    )]
    BadId(String),
    /// No home or config directory to write to.
    #[error("autostart_entry: no $XDG_CONFIG_HOME or $HOME to find ~/.config/autostart in")]
    NoHome,
    /// A file could not be read or written.
    #[error("autostart_entry: {0}")]
    Io(String),
}

/// The user's autostart directory and where the user's own entries are kept meanwhile.
#[derive(Debug, Clone)]
pub(super) struct Places {
    /// `$XDG_CONFIG_HOME/autostart` (`~/.config/autostart`).
    pub autostart: PathBuf,
    /// Lifeguard's own keeping of the entries it replaced.
    pub kept: PathBuf,
}

impl Places {
    /// From the environment, as the session finds them; `config_dir` is Lifeguard's.
    pub fn from_env(config_dir: &Path) -> Result<Self, TakeoverError> {
        let config_home = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .ok_or(TakeoverError::NoHome)?;
        Ok(Self {
            autostart: config_home.join("autostart"),
            kept: config_dir.join("autostart-taken-over"),
        })
    }

    /// Writes the override of `id` for the program `name`, keeping the user's own entry
    /// first. Taking over an entry already taken over keeps what was kept then.
    pub fn take_over(&self, id: &str, name: &str) -> Result<(), TakeoverError> {
        check(id)?;
        let entry = self.autostart.join(id);
        match std::fs::read(&entry) {
            Ok(own) if !is_ours(&own) => write(&self.kept.join(id), &own)?,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&entry, &e)),
        }
        let name = name.replace(['\n', '\r'], " ");
        let text = format!(
            "# Written by Lifeguard, which starts {name} at login itself and restarts it when it\n\
             # dies. Removing {name} from Lifeguard puts back what was here before.\n\
             [Desktop Entry]\nType=Application\nName={name}\nHidden=true\n{MARK}\n"
        );
        write(&entry, text.as_bytes())
    }

    /// Undoes the takeover of `id`: the user's own entry back as it was, or no file at all
    /// when they had none. A file the user replaced meanwhile is theirs: left alone.
    pub fn give_back(&self, id: &str) -> Result<(), TakeoverError> {
        check(id)?;
        let entry = self.autostart.join(id);
        let kept = self.kept.join(id);
        match std::fs::read(&entry) {
            Ok(now) if !is_ours(&now) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&entry, &e)),
        }
        match std::fs::read(&kept) {
            Ok(own) => {
                write(&entry, &own)?;
                std::fs::remove_file(&kept).map_err(|e| io(&kept, &e))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::remove_file(&entry) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&entry, &e)),
                    _ => Ok(()),
                }
            }
            Err(e) => Err(io(&kept, &e)),
        }
    }
}

impl Daemon {
    /// For a program added with `autostart_entry`: writes the override (after keeping the
    /// user's own entry) and returns the id, to give back should the add fail.
    pub(super) fn take_over(&self, entry: &ProgramEntry) -> Result<Option<String>, RpcError> {
        let Some(id) = &entry.options.autostart_entry else {
            return Ok(None);
        };
        if !entry.options.autostart {
            return Err(RpcError::invalid_params(format!(
                "autostart_entry: taking {id:?} over means Lifeguard starts it at login: \
                 set autostart = true (or leave autostart_entry out)"
            )));
        }
        let places = Places::from_env(&self.0.options.paths.config_dir)
            .map_err(|e| RpcError::invalid_params(e.to_string()))?;
        places
            .take_over(id, entry.spec.display_name())
            .map_err(|e| RpcError::invalid_params(e.to_string()))?;
        tracing::info!(program = %entry.spec.id, entry = %id, "took over the autostart entry");
        Ok(Some(id.clone()))
    }

    /// Undoes a takeover once its program left Lifeguard; a failure is a warning (the
    /// program is removed all the same, and the file says what to undo by hand).
    pub(super) fn give_back(&self, id: &str) {
        let undone = Places::from_env(&self.0.options.paths.config_dir)
            .and_then(|places| places.give_back(id));
        match undone {
            Ok(()) => tracing::info!(entry = %id, "gave the autostart entry back"),
            Err(e) => self.warn(format!(
                "{e} — remove ~/.config/autostart/{id} by hand for the desktop to start it again"
            )),
        }
    }
}

/// A desktop file name: no directory part, no hidden file, ends in `.desktop`.
pub(super) fn check(id: &str) -> Result<(), TakeoverError> {
    let fine = id.len() > ".desktop".len()
        && id.len() <= 255
        && id.ends_with(".desktop")
        && !id.starts_with('.')
        && !id.contains(['/', '\0', '\n']);
    if fine {
        Ok(())
    } else {
        Err(TakeoverError::BadId(id.to_owned()))
    }
}

fn is_ours(text: &[u8]) -> bool {
    String::from_utf8_lossy(text)
        .lines()
        .any(|l| l.trim() == MARK)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), TakeoverError> {
    write_atomic(path, bytes).map_err(|e| TakeoverError::Io(e.to_string()))
}

fn io(path: &Path, e: &std::io::Error) -> TakeoverError {
    TakeoverError::Io(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(root: &Path) -> Places {
        Places {
            autostart: root.join("config/autostart"),
            kept: root.join("config/lifeguard/autostart-taken-over"),
        }
    }

    #[test]
    fn the_users_own_entry_comes_back_word_for_word() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        let own = "[Desktop Entry]\nType=Application\nName=Pad\nExec=pad --mine\n# my comment\n";
        std::fs::create_dir_all(&p.autostart).unwrap();
        std::fs::write(p.autostart.join("pad.desktop"), own).unwrap();
        p.take_over("pad.desktop", "Pad").unwrap();
        let written = std::fs::read_to_string(p.autostart.join("pad.desktop")).unwrap();
        assert!(written.contains("\nHidden=true\n"), "{written}");
        // Twice (a re-add): what was kept stays the user's, not the override.
        p.take_over("pad.desktop", "Pad").unwrap();
        p.give_back("pad.desktop").unwrap();
        let back = std::fs::read_to_string(p.autostart.join("pad.desktop")).unwrap();
        assert_eq!(back, own);
        assert!(!p.kept.join("pad.desktop").exists());
    }

    #[test]
    fn without_an_own_entry_the_override_is_removed_and_a_replaced_file_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        p.take_over("sys.desktop", "Sys").unwrap();
        assert!(p.autostart.join("sys.desktop").exists());
        p.give_back("sys.desktop").unwrap();
        assert!(!p.autostart.join("sys.desktop").exists());
        p.take_over("sys.desktop", "Sys").unwrap();
        std::fs::write(
            p.autostart.join("sys.desktop"),
            "[Desktop Entry]\nName=Theirs\n",
        )
        .unwrap();
        p.give_back("sys.desktop").unwrap();
        assert_eq!(
            std::fs::read_to_string(p.autostart.join("sys.desktop")).unwrap(),
            "[Desktop Entry]\nName=Theirs\n"
        );
    }

    #[test]
    fn ids_that_are_not_desktop_file_names_are_refused() {
        for bad in [
            "",
            ".desktop",
            "../x.desktop",
            "a/b.desktop",
            ".hidden.desktop",
            "pad",
        ] {
            let e = check(bad).unwrap_err().to_string();
            assert!(e.starts_with("autostart_entry: "), "{e}");
        }
        check("org.example.Pad.desktop").unwrap();
    }
}
