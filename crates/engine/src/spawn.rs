//! Starting programs for real: argv (no shell), own process group, stdin from /dev/null.

use std::fs::OpenOptions;
use std::future::Future;
use std::pin::Pin;
use std::process::Stdio;

use crate::spawner::{Child, Spawner};
use crate::{Exit, Output, ProgramSpec, Signal};

/// The real [`Spawner`]: `tokio::process` children, each in its own process group.
///
/// Children are reaped through tokio's child wait (a pidfd or SIGCHLD plus `waitpid` on
/// that pid only), never `waitpid(-1)`, so children of other libraries in the same process
/// are left alone.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsSpawner;

impl Spawner for OsSpawner {
    fn spawn(&self, spec: &ProgramSpec) -> std::io::Result<Box<dyn Child>> {
        let (program, args) = spec
            .argv
            .split_first()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty argv"))?;
        let mut cmd = tokio::process::Command::new(program);
        cmd.args(args)
            .envs(&spec.env)
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
        Ok(Box::new(OsChild { child, pid }))
    }

    fn signal_group(&self, pgid: u32, signal: Signal) -> std::io::Result<()> {
        crate::kill::signal_group(pgid, signal)
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
}

impl Child for OsChild {
    fn pid(&self) -> u32 {
        self.pid
    }

    fn wait(&mut self) -> Pin<Box<dyn Future<Output = Exit> + Send + '_>> {
        Box::pin(async move {
            match self.child.wait().await {
                Ok(status) => Exit::from_status(status),
                Err(_) => Exit::Unknown,
            }
        })
    }
}
