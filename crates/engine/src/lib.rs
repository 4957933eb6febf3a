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
//!   clock. What is *wanted* (up/down, paused) is kept apart from what *is*. Its helpers
//!   are pure too: [`policy`] (restart or not), [`backoff`] (immediate after a stable run,
//!   doubling after quick deaths, capped, jittered) and [`breaker`] (N deaths in a window →
//!   gave up). A failed spawn is a quick death for both.
//! - **The OS seam** is the [`Spawner`] trait ([`OsSpawner`] for real): argv without a
//!   shell, a new process group per program, stdin from /dev/null. Stopping sends the
//!   stop signal to the whole group, SIGKILL after the grace, and SIGKILL to whatever is
//!   left in the group once the leader is gone, so a stop leaves nothing behind.
//!
//! ```text
//!                 start                spawned               died, policy: done
//!   Stopped ──────────────▶ Starting ─────────▶ Running ───────────────────────▶ Exited
//!      ▲                      ▲   │ spawn failed   │ │ died, policy: restart
//!      │                      │   ▼                │ ▼
//!      │               timer  │  (death) ◀─────────┘ (death) ── breaker tripped ──▶ GaveUp
//!      │                      │    │ quick: delay                                  │ retry
//!      │                   Backoff ◀┘ stable: start at once                         ▼
//!      │                      │ pause                                           Starting
//!      │                      ▼
//!      │                    Held ── resume ──▶ Starting       (death while paused → Held)
//!      │
//!      └── Stopping ◀── stop / restart (from Running); grace over → SIGKILL;
//!                       died → Stopped (or Starting, for a restart)
//! ```
//!
//! # Caveats
//!
//! - A program that daemonizes (forks, `setsid`, exits — like many desktop launchers)
//!   leaves its own process group: the engine sees a clean exit and cannot stop the
//!   daemon. Adoption of such programs is not part of this crate yet.
//! - When a supervised program dies unexpectedly, helpers it left in its group are not
//!   killed (only a stop clears the group); the restarted instance starts its own.
//! - Dropping every handle stops the programs gracefully in the background; dropping the
//!   tokio runtime instead leaves them running, unsupervised. Call
//!   [`Supervisor::shutdown`] before exiting.

mod actor;
mod actor_os;
mod adopt;
pub mod backoff;
pub mod breaker;
mod clock;
pub mod duration;
mod error;
mod event;
mod exit;
mod health;
mod health_spec;
mod id;
mod inspect;
mod instance;
mod kill;
pub mod machine;
mod origin;
mod pidfd;
pub mod policy;
mod process_info;
pub mod procfs;
mod reap;
mod signal;
mod snapshot;
mod spawn;
mod spawner;
mod spec;
mod subreaper;
mod supervisor;
mod tree;
mod validate;
mod watch;

pub use error::{EngineError, SpecError};
pub use event::{Event, EventKind};
pub use exit::Exit;
pub use health_spec::{HealthCheck, Probe};
pub use id::ProgramId;
pub use instance::{Instance, INSTANCE_VAR, PROGRAM_VAR};
pub use machine::Wanted;
pub use origin::{Origin, RequestedBy};
pub use process_info::{ProcError, ProcessInfo};
pub use procfs::Identity;
pub use signal::Signal;
pub use snapshot::{Observed, ProgramSnapshot, Snapshot, StopReport};
pub use spawn::OsSpawner;
pub use spawner::{Child, Launch, Spawner};
pub use spec::{BackoffSpec, BreakerSpec, Output, ProgramSpec, RestartPolicy};
pub use subreaper::enable_child_subreaper;
pub use supervisor::Supervisor;
