//! Starting programs for real: argv (no shell), own process group, stdin from /dev/null,
//! the session environment under the spec's overrides, and the instance marker on top.

use std::fs::OpenOptions;
use std::future::Future;
use std::pin::Pin;
use std::process::Stdio;

use crate::instance::{INSTANCE_VAR, PROGRAM_VAR};
use crate::procfs::Identity;
use crate::spawner::{Child, Launch, Spawner};
use crate::{Exit, Instance, Output, Signal};

/// The real [`Spawner`]: `tokio::process` children, each in its own process group.
///
/// Children are reaped through tokio's child wait (a pidfd or SIGCHLD plus `waitpid` on
/// that pid only), never `waitpid(-1)`, so children of other libraries in the same process
/// are left alone.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsSpawner;

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

    fn find_heir(&self, instance: &Instance) -> Option<(Identity, Box<dyn Child>)> {
        // More than one look: a launcher's intermediate process may exit between the
        // listing of processes and the reading of its environment (before its child was
        // listed), or between the listing and the opening of its pidfd. The next listing
        // has its child. The later looks scan every process: an orphan being reparented
        // to us may be missing from our children lists for a moment.
        [false, true, true].into_iter().find_map(|every_process| {
            let members = crate::tree::members_scanning(instance, every_process);
            crate::reap::reap_zombies(&members);
            let heir = crate::tree::heir(instance, &members)?;
            let who = Identity {
                pid: heir.pid,
                start_time: heir.start_time,
            };
            let watch = crate::watch::Watched::open(who).ok()?;
            Some((who, Box::new(watch) as Box<dyn Child>))
        })
    }

    fn watch(&self, process: Identity) -> std::io::Result<Box<dyn Child>> {
        Ok(Box::new(crate::watch::Watched::open(process)?))
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
