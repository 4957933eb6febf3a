//! Lifeguard's supervision engine: launch programs, notice every death at once, restart
//! them with a policy, a backoff and a crash-loop breaker, pause, stop. A library with no
//! files, sockets or GUI of its own, so any Rust program can embed it to supervise its own
//! children.
//!
//! # Embedding it
//!
//! ```
//! use lifeguard_engine::{EventKind, Origin, ProgramSpec, Supervisor};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let supervisor = Supervisor::new(); // a cheap handle: clone it into every task
//! let mut events = supervisor.subscribe();
//!
//! let spec = ProgramSpec::build("sleeper", ["sleep", "600"])?;
//! let id = spec.id.clone();
//! supervisor.add(spec, Origin::api()).await?; // returns once it was started
//!
//! supervisor.restart(&id, Origin::api().with_reason("new settings")).await?;
//! loop {
//!     let event = events.recv().await?;
//!     println!("{}", event.to_json_line());
//!     if event.kind == EventKind::Restarted {
//!         break;
//!     }
//! }
//! let snapshot = supervisor.snapshot().await?;
//! assert_eq!(snapshot.programs[0].restarts, 1);
//!
//! for report in supervisor.shutdown(Origin::api()).await {
//!     println!("{} ended: {:?}", report.program, report.exit);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # How it works
//!
//! - **One task per program** ([`Supervisor::add`] spawns it) owns the program's child
//!   process and its [`machine::Machine`], and sleeps in one `select!` on exactly three
//!   things: the child's exit (tokio's child wait: a pidfd or SIGCHLD, then `waitpid` on that
//!   pid only — never `waitpid(-1)`, so other libraries' children are safe), the next
//!   control from a handle, and the machine's one deadline (a backoff, a stop's grace, or a
//!   pause's end). With nothing scheduled there is no timer at all: an idle supervisor makes
//!   no wake-ups.
//! - **The [`Supervisor`] handle** is `Clone`; it holds the map of program ids to their
//!   tasks' control channels, the global pause, and the event [broadcast](Supervisor::subscribe).
//!   Each method sends a control with a reply channel and returns once the task applied
//!   it (stops: once the program is down). Every control carries an [`Origin`]
//!   (`requested_by` + `reason`) that is copied into the events it causes.
//! - **The state machine** ([`machine`]) is pure: `step(input, now) -> actions`, no I/O, no
//!   clock, and the only thing that moves a program's state (the task feeds it every
//!   control, death and timer; its fields are private). What is *wanted* (up/down, paused)
//!   is kept apart from what *is*, and drives the one decision taken whenever the program
//!   is down. Its helpers
//!   are pure too: [`policy`] (restart or not), [`backoff`] (immediate after a real run of
//!   at least `backoff.min_uptime`, doubling after quick deaths, capped, jittered) and
//!   [`breaker`] (N quick deaths in a window → gave up; a real run clears the tally, so
//!   a program killed after running is restarted every time). A failed spawn is a quick
//!   death for both.
//! - **The OS seam** is the [`Spawner`] trait ([`OsSpawner`] for real): argv without a
//!   shell, a new process group per program, stdin from /dev/null, the session
//!   environment ([`Supervisor::set_session_env`]) under the spec's `env`, and on top the
//!   markers `LIFEGUARD_PROGRAM=<id>` and `LIFEGUARD_INSTANCE=<token>` (one token per
//!   instance), which every descendant inherits.
//! - **Whole trees.** An instance's tree is its main process, what stays in its own
//!   process group or session (descendants by parentage that did not start a session of
//!   their own, orphans carrying its token), plus our zombie children from the tree's
//!   groups and sessions. A process that left with `setsid` (a tmux server, a `setsid -f`
//!   job, a terminal's shell) is the user's and is never signalled. It is scanned only when needed — a
//!   death, a stop, a launcher's exit — never periodically. With
//!   [`enable_child_subreaper`] (Lifeguard's binaries call it; a library must opt in)
//!   orphans come to us, so only our own children (`/proc/self/task/*/children`) need a
//!   look; otherwise every process's `/proc/PID/environ` is read. Signals go through
//!   pidfds checked against the start time seen in the scan, so a reused pid is never
//!   hit. When the main process dies, the rest of its tree is SIGKILLed before the
//!   restart; a stop sends the stop signal to the whole tree, SIGKILL after the grace,
//!   and SIGKILL to whatever is left once the main process is gone. Inherited zombies
//!   are reaped by pid (a pidfd's `waitid`), in the background as they end.
//! - **Single-instance apps.** A quick exit 0 that left nothing may have handed its
//!   request to a copy already running. The embedder's [`FindCopy`] hook
//!   ([`Supervisor::set_copy_finder`]) names that copy; it is watched as the program's
//!   instance (event `adopted`, "handed to the copy already running (PID N); watching
//!   it") and restarted when it dies. Without a copy, the snapshot's
//!   [`unprotected`](ProgramSnapshot::unprotected) says protection is not active, and why.
//! - **Launchers.** A main process that exits 0 within [`LAUNCHER_WINDOW`] of its start
//!   makes the machine look for an heir — later, a clean exit is the user's quit: the
//!   oldest live process of the tree (preferably one still in its group or session, else
//!   any carrying its token) becomes the main
//!   process (event `handed_off`, watched through a pidfd); with nothing left, the exit
//!   is recorded (`nothing_left`, with the reason) and never restarted, whatever the
//!   policy. An heir that is not our child ends with an unknown status; a quick one is
//!   treated like a launcher's exit too (a launcher's intermediate process) — but if it
//!   left nothing to follow, it was killed rather than handed off: a death, restarted by
//!   the policy. Likewise once a program has handed off to an heir (it is a launcher):
//!   a later start that exits 0 with nothing left means its program died before it was
//!   found, and that is a death with an unknown status, not "nothing left".
//! - **Adoption.** [`Supervisor::adopt`] watches a process that is already running (a
//!   pidfd, after checking its start time), with an [`Instance`] from
//!   [`ProcessInfo::instance`] (a process the user picked; [`ProcessInfo::to_spec`]
//!   relaunches it with the same argv, cwd and environment) or from a state file (every
//!   snapshot carries the running [`Instance`]: pid, start time, token). When it dies it
//!   is restarted by the policy as a normal child; `on-failure` counts its unknown exit
//!   status as a failure, unless its parent recorded the real one ([`ExitRecords`],
//!   [`OsSpawner::with_exit_records`]).
//! - **Health checks** ([`HealthCheck`]: HTTP GET 2xx/3xx, TCP connect, or a command's
//!   exit status) run in one task per running instance, only for programs that have one
//!   — the engine's only periodic work. After `failures` failures in a row the program
//!   is stopped and restarted as a failure (events `health_failed`, then `exited` and
//!   `restart_scheduled` naming the health check), counted by the breaker.
//! - **Shutdown** first holds every program's restarts (a global pause), then stops them
//!   all, so programs killed meanwhile (the session ending) are not brought back.
//!
//! The states and transitions are drawn once, in [`machine`]'s documentation.
//!
//! # Caveats
//!
//! - Tree attribution rests on the environment marker: a descendant that clears its
//!   environment (`env -i`, some sandboxes) and escapes both the process group and the
//!   parentage of a live member (double fork) is not found. No cgroups are used.
//! - Without the subreaper, orphans go to init: their exit status is unknown and
//!   finding them costs a read of every process's environment (a few ms per scan).
//! - An adopted process's orphans from before the adoption carry no token and are not
//!   part of its tree; only its live descendants by parentage are.
//! - "Nothing left" after a quick exit 0 is never restarted, even under `always`: a
//!   program that exits 0 quickly on purpose should use `never`/`on-failure` anyway.
//! - HTTP health checks speak plain HTTP/1.1 only (no TLS, no redirects followed: a
//!   3xx is healthy).
//! - As a subreaper, the embedding process inherits orphans of all its children; the
//!   engine reaps only those of its programs' trees.
//! - Dropping every handle stops the programs gracefully in the background; dropping the
//!   tokio runtime instead leaves them running, unsupervised. Call
//!   [`Supervisor::shutdown`] before exiting.

mod actor;
mod actor_copy;
mod actor_hooks;
mod actor_memory;
mod actor_os;
#[cfg(test)]
mod actor_size_tests;
mod actor_sleep;
mod actor_talk;
mod adopt;
pub mod backoff;
pub mod breaker;
pub mod bytes;
mod clock;
mod copy;
pub mod duration;
mod error;
mod event;
mod exit;
mod exit_records;
mod health;
mod health_spec;
mod hooks;
mod id;
pub mod inspect;
mod instance;
mod kill;
mod lazy_channel;
pub mod machine;
mod memory;
mod memory_spec;
mod origin;
pub mod own_children;
pub mod pidfd;
pub mod policy;
mod process_info;
pub mod procfs;
pub mod ranges;
mod reap;
mod signal;
mod snapshot;
mod spawn;
mod spawned;
mod spawner;
mod spec;
mod spec_compat;
mod subreaper;
mod supervisor;
pub mod talk_spec;
mod tally;
mod tree;
mod usage;
mod validate;
mod watch;

pub use copy::FindCopy;
pub use error::{EngineError, SpecError};
#[cfg(feature = "ts")]
pub use event::event_line_decl;
pub use event::{Event, EventKind};
pub use exit::Exit;
pub use exit_records::{ExitRecords, RECORD_PATIENCE};
pub use health_spec::{HealthCheck, Probe};
pub use id::ProgramId;
pub use instance::{Instance, INSTANCE_VAR, PROGRAM_VAR};
pub use machine::{Talk, Wanted, LAUNCHER_WINDOW};
pub use memory_spec::{MemoryAction, MemoryLimit, LEFT_RUNNING};
pub use origin::{Origin, RequestedBy};
pub use pidfd::PidFd;
pub use process_info::{ProcError, ProcessInfo};
pub use procfs::Identity;
pub use signal::Signal;
pub use snapshot::{Observed, ProgramSnapshot, Snapshot, StopReport};
pub use spawn::OsSpawner;
pub use spawned::is_unreaped_main;
pub use spawner::{Child, Launch, Spawner};
pub use spec::{BackoffSpec, BreakerSpec, Output, ProgramSpec, RestartPolicy};
pub use subreaper::enable_child_subreaper;
pub use supervisor::Supervisor;
pub use usage::Usage;
