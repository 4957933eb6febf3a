//! A program that names its own main process (sd_notify `MAINPID=`): the actor checks the
//! named process is of the program's tree and watches it before the machine hears of it,
//! so the machine only ever follows a process Lifeguard may signal.

use crate::actor::Actor;
use crate::machine::State;

impl Actor {
    /// Makes `pid` the watched main process, if it may be: the program runs, and `pid` is
    /// a live process of its tree. `false` leaves everything as it was (the message is
    /// dropped, as systemd drops a `MAINPID=` outside the unit). The old main process
    /// goes on as a member of the tree: its exit is no longer the program's death, and a
    /// task of its own still reaps it when it is our child, so its pid is never reused
    /// under a watch of ours.
    pub(crate) fn follow_main(&mut self, pid: u32) -> bool {
        let State::Running { pid: current, .. } = *self.machine.state() else {
            return false;
        };
        if pid == current {
            return true; // nothing changes; the machine ignores it
        }
        let Some(instance) = self.instance.as_mut() else {
            return false;
        };
        let Some((who, child)) = self.spawner.follow(instance, pid) else {
            return false;
        };
        instance.main = who;
        if let Some(session) = crate::tree::own_session_of(who.pid, who.start_time) {
            instance.session = Some(session);
        }
        if let Some(mut old) = self.child.replace(child) {
            // No longer a program's main process for the scans to skip: a member like any.
            crate::spawned::remove(old.pid());
            tokio::spawn(async move {
                let _ = old.wait().await;
            });
        }
        true
    }
}
