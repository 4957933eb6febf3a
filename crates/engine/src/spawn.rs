//! Starting programs for real: argv (no shell), own process group, stdin from /dev/null,
//! the session environment under the spec's overrides, and the instance marker on top.

use std::fs::OpenOptions;
use std::future::Future;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;

use crate::instance::{INSTANCE_VAR, PROGRAM_VAR};
use crate::procfs::Identity;
use crate::spawner::{Child, Launch, Spawner};
use crate::{Exit, ExitRecords, Instance, Output, Signal};

/// The real [`Spawner`]: `tokio::process` children, each in its own process group.
///
/// Children are reaped through tokio's child wait (a pidfd or SIGCHLD plus `waitpid` on
/// that pid only), never `waitpid(-1)`, so children of other libraries in the same process
/// are left alone.
#[derive(Clone, Default)]
pub struct OsSpawner {
    records: Option<Arc<dyn ExitRecords>>,
}

impl OsSpawner {
    /// A spawner whose watched processes that are not its children (adopted ones) get
    /// their exit status from `records` (a keeper's), instead of [`Exit::Unknown`].
    pub fn with_exit_records(records: Arc<dyn ExitRecords>) -> Self {
        Self {
            records: Some(records),
        }
    }
}

impl std::fmt::Debug for OsSpawner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OsSpawner")
            .field("exit_records", &self.records.is_some())
            .finish()
    }
}

impl Spawner for OsSpawner {
    fn spawn(&self, launch: &Launch<'_>) -> std::io::Result<Box<dyn Child>> {
        let spec = launch.spec;
        let (program, args) = spec
            .argv
            .split_first()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty argv"))?;
        let mut cmd = tokio::process::Command::new(program);
        cmd.args(args)
            .envs(launch.session_env)
            .envs(&spec.env)
            .env(PROGRAM_VAR, spec.id.as_str())
            .env(INSTANCE_VAR, launch.token)
            .stdin(Stdio::null())
            .stdout(stdio(&spec.stdout)?)
            .stderr(stdio(&spec.stderr)?)
            // Own group: a stop reaches its helpers, and a Ctrl-C in the supervisor's
            // terminal does not reach the program behind the supervisor's back.
            .process_group(0)
            .kill_on_drop(false);
        if let Some(cwd) = &spec.cwd {
            cmd.current_dir(cwd);
        }
        let child = cmd.spawn()?;
        let pid = child
            .id()
            .ok_or_else(|| std::io::Error::other("child exited before its pid was read"))?;
        crate::spawned::insert(pid);
        // Our unreaped child: its pid cannot have been reused yet.
        let start_time = crate::inspect::stat(pid).map_or(0, |s| s.start_time);
        Ok(Box::new(OsChild {
            child,
            pid,
            start_time,
        }))
    }

    fn signal_tree(&self, instance: &Instance, signal: Signal) -> std::io::Result<()> {
        crate::kill::signal_tree(instance, signal)
    }

    fn signal_group(&self, instance: &Instance, signal: Signal) -> std::io::Result<()> {
        instance
            .pgid
            .map_or(Ok(()), |g| crate::kill::signal_group(g, signal))
    }

    fn find_heir(&self, instance: &Instance) -> Option<(Identity, Box<dyn Child>)> {
        // More than one look: a launcher's intermediate process may exit between the
        // listing of processes and the reading of its environment (before its child was
        // listed), or between the listing and the opening of its pidfd. The next listing
        // has its child. The later looks scan every process: an orphan being reparented
        // to us may be missing from our children lists for a moment. What stayed in the
        // program's group or session is preferred to what left it (a tmux server the
        // program started is not its heir when the program itself went on in its group).
        use crate::tree::{heir, members_scanning, Reach};
        [false, true, true].into_iter().find_map(|every_process| {
            let own = members_scanning(instance, Reach::Own, every_process);
            crate::reap::reap_zombies(&own);
            let found = heir(instance, &own).or_else(|| {
                let launched = members_scanning(instance, Reach::Launched, every_process);
                crate::reap::reap_zombies(&launched);
                heir(instance, &launched)
            })?;
            let who = Identity {
                pid: found.pid,
                start_time: found.start_time,
            };
            let watch = crate::watch::Watched::open(who, self.records.clone()).ok()?;
            Some((who, Box::new(watch) as Box<dyn Child>))
        })
    }

    fn follow(&self, instance: &Instance, pid: u32) -> Option<(Identity, Box<dyn Child>)> {
        // Only a process the program started (of its tree, wherever it went) can be named:
        // a stranger's pid in a message is never watched, let alone signalled later.
        use crate::tree::{members_scanning, Reach};
        let named = members_scanning(instance, Reach::Launched, false)
            .into_iter()
            .find(|s| s.pid == pid && !s.is_zombie())?;
        let who = Identity {
            pid,
            start_time: named.start_time,
        };
        let watch = crate::watch::Watched::open(who, self.records.clone()).ok()?;
        Some((who, Box::new(watch) as Box<dyn Child>))
    }

    fn watch(&self, process: Identity) -> std::io::Result<Box<dyn Child>> {
        match crate::watch::Watched::open(process, self.records.clone()) {
            Ok(watched) => Ok(Box::new(watched)),
            // Ended already, while no supervisor watched (a daemon being revived), but
            // its parent recorded how: adopted, it ends at once with that status, and the
            // policy answers it as it would have then (a quit stays a quit).
            Err(gone) => match self.records.as_ref().and_then(|r| r.take(process)) {
                Some(exit) => Ok(Box::new(crate::watch::Ended { process, exit })),
                None => Err(gone),
            },
        }
    }
}

fn stdio(output: &Output) -> std::io::Result<Stdio> {
    Ok(match output {
        Output::Inherit => Stdio::inherit(),
        Output::Null => Stdio::null(),
        Output::File(path) => OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .into(),
    })
}

struct OsChild {
    child: tokio::process::Child,
    pid: u32,
    start_time: u64,
}

impl Child for OsChild {
    fn pid(&self) -> u32 {
        self.pid
    }

    fn start_time(&self) -> u64 {
        self.start_time
    }

    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>> {
        Box::pin(async move {
            let status = self.child.wait().await;
            crate::spawned::remove(self.pid);
            match status {
                Ok(status) => Exit::from_status(status),
                Err(_) => Exit::Unknown,
            }
        })
    }
}

impl Drop for OsChild {
    fn drop(&mut self) {
        // Left running unwatched (removed with keep-running, or the supervisor going
        // away): no longer a program's main process to skip.
        crate::spawned::remove(self.pid);
    }
}
