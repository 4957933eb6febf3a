//! What a program's task costs while it waits: every program of the daemon holds one
//! (issue 21: the daemon's RSS with 100 programs). An async fn keeps its by-value
//! arguments twice in its future, so the ~1.5 KiB actor goes in boxed.

use std::sync::Arc;

use tokio::sync::{broadcast, mpsc};

use crate::actor::{Actor, First};
use crate::machine::Machine;
use crate::{OsSpawner, ProgramId, ProgramSpec};

#[test]
fn a_programs_task_holds_its_actor_once() {
    let id = ProgramId::new("p").unwrap_or_else(|e| panic!("{e}"));
    let spec = ProgramSpec::new(id, ["true"]);
    let (events, _) = broadcast::channel(1);
    let actor = Actor::new(
        Machine::new(spec, 0),
        Arc::new(OsSpawner::default()),
        Arc::default(),
        events,
    );
    let (_tx, rx) = mpsc::channel(1);
    let task = Box::new(actor).run(rx, None, First::Idle, None);
    let size = std::mem::size_of_val(&task);
    // Boxed, the future is the waiting state and a pointer (568 bytes in a debug build);
    // with the actor by value it was 3480.
    assert!(
        size < 1024,
        "a program's task is {size} bytes beside its {}-byte actor",
        std::mem::size_of::<Actor>()
    );
}
