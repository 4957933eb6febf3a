//! Programs that talk back: one `NOTIFY_SOCKET` (a datagram socket with `SO_PASSCRED`)
//! per program that notifies or has a watchdog, in `$XDG_RUNTIME_DIR/lifeguard/notify/`
//! (0700). Only that program's processes may speak on it: the kernel's credentials of each
//! datagram name the sender, which must be the instance's main process, in its process
//! group or session, or a descendant of its main process. What they say goes to the
//! engine ([`Supervisor::talk`]); the rest is dropped with a debug line. Binding costs no
//! wake-up: each socket's task sleeps on the reactor until a datagram arrives.

use std::collections::HashMap;
use std::io::IoSliceMut;
use std::mem::MaybeUninit;
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use lifeguard_engine::talk_spec::{parse, socket_path};
use lifeguard_engine::{inspect, Instance, ProgramId, ProgramSpec, Supervisor};
use rustix::net::{RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags};
use tokio::io::Interest;

/// The bound sockets, one task each, for the daemon's life.
pub(super) struct Sockets {
    dir: PathBuf,
    bound: Mutex<HashMap<ProgramId, tokio::task::JoinHandle<()>>>,
}

impl Sockets {
    /// Sockets in `runtime_dir/notify`.
    pub(super) fn new(runtime_dir: &Path) -> Self {
        Self {
            dir: runtime_dir.join("notify"),
            bound: Mutex::new(HashMap::new()),
        }
    }

    /// Where the sockets are (the engine passes each program its path).
    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Binds `spec`'s socket if it talks and has none yet. A failure is returned for the
    /// daemon's warnings; the program then runs without one.
    pub(super) fn ensure(&self, spec: &ProgramSpec, sup: &Supervisor) -> std::io::Result<()> {
        if !spec.talks() || tokio::runtime::Handle::try_current().is_err() {
            return Ok(());
        }
        let mut bound = self.bound.lock().unwrap_or_else(|p| p.into_inner());
        if bound.get(&spec.id).is_some_and(|t| !t.is_finished()) {
            return Ok(());
        }
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let path = socket_path(&self.dir, &spec.id);
        // A socket file left by an earlier daemon: ours to replace (we hold the lock).
        let _ = std::fs::remove_file(&path);
        let socket = UnixDatagram::bind(&path)?;
        rustix::net::sockopt::set_socket_passcred(&socket, true)?;
        socket.set_nonblocking(true)?;
        let socket = tokio::net::UnixDatagram::from_std(socket)?;
        let task = tokio::spawn(listen(socket, spec.id.clone(), sup.clone()));
        bound.insert(spec.id.clone(), task);
        Ok(())
    }
}

/// Reads datagrams until the socket fails; each is checked and passed on.
async fn listen(socket: tokio::net::UnixDatagram, id: ProgramId, sup: Supervisor) {
    let mut buf = vec![0u8; 4096];
    loop {
        if socket.readable().await.is_err() {
            return;
        }
        let got = socket.try_io(Interest::READABLE, || receive(&socket, &mut buf));
        let (len, sender) = match got {
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => {
                tracing::warn!(program = %id, error = %e, "NOTIFY_SOCKET closed");
                return;
            }
        };
        let Ok(program) = sup.program(&id).await else {
            continue; // removed meanwhile
        };
        let from_tree = sender
            .zip(program.instance.as_ref())
            .is_some_and(|(pid, inst)| of_tree(pid, inst));
        if !from_tree {
            tracing::debug!(program = %id, ?sender, "NOTIFY_SOCKET message from outside its tree dropped");
            continue;
        }
        for talk in parse(&buf[..len], program.spec.watchdog) {
            let _ = sup.talk(&id, talk).await;
        }
    }
}

/// One datagram and its sender's pid (from the kernel's credentials).
fn receive(
    socket: &tokio::net::UnixDatagram,
    buf: &mut [u8],
) -> std::io::Result<(usize, Option<u32>)> {
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmCredentials(1))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let msg = rustix::net::recvmsg(
        socket,
        &mut [IoSliceMut::new(buf)],
        &mut control,
        RecvFlags::DONTWAIT,
    )?;
    let mut sender = None;
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmCredentials(cred) = message {
            sender = u32::try_from(cred.pid.as_raw_nonzero().get()).ok();
        }
    }
    Ok((msg.bytes, sender))
}

/// Whether `pid` belongs to the instance: its main process, in its group or session, or
/// a descendant of its main process (a helper that moved to a group of its own).
fn of_tree(pid: u32, inst: &Instance) -> bool {
    if pid == inst.main.pid {
        return true;
    }
    let Some(stat) = inspect::stat(pid) else {
        return false;
    };
    if inst.pgid == Some(stat.pgrp) || inst.session == Some(stat.session) {
        return true;
    }
    let mut parent = stat.ppid;
    // Bounded: a pid table read while processes come and go can hold a cycle.
    for _ in 0..32 {
        if parent == inst.main.pid {
            return true;
        }
        match inspect::stat(parent) {
            Some(s) if s.ppid > 1 && s.ppid != parent => parent = s.ppid,
            _ => return false,
        }
    }
    false
}
