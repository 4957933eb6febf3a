//! What the machine's tests share: a spec, the machine in each named state, and short
//! views of states and actions.

use std::time::{Duration, Instant};

use super::{Action, Input, Machine, Scope, State};
use crate::{Exit, ProgramId, ProgramSpec, Signal};

pub(super) const MS: Duration = Duration::from_millis(1);

pub(super) fn spec() -> ProgramSpec {
    let mut s = ProgramSpec::new(ProgramId::new("t").unwrap(), ["prog"]);
    s.backoff.jitter = 0.0;
    s
}

/// Compact view of an action list: kinds of emitted events and OS actions, in order.
pub(super) fn summary(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .map(|a| match a {
            Action::Spawn => "spawn".to_owned(),
            Action::SignalTree { signal, .. } => format!("signal {signal}"),
            Action::FindHeir => "find heir".to_owned(),
            Action::Emit(n) => format!("{:?}", n.kind),
        })
        .collect()
}

/// Short names of states, for table rows.
pub(super) fn name(s: &State) -> &'static str {
    match s {
        State::Stopped => "Stopped",
        State::Starting { .. } => "Starting",
        State::Running { .. } => "Running",
        State::Stopping { .. } => "Stopping",
        State::Backoff { .. } => "Backoff",
        State::Held { .. } => "Held",
        State::Exited { .. } => "Exited",
        State::GaveUp { .. } => "GaveUp",
        State::Seeking { .. } => "Seeking",
    }
}

/// Builds a machine in the named state at `t0`.
pub(super) fn machine_in(state: &str, t0: Instant) -> Machine {
    let mut m = Machine::new(spec(), 1);
    let run = |m: &mut Machine| {
        m.step(Input::Start, t0);
        m.step(Input::Spawned { pid: 100 }, t0);
    };
    match state {
        "Stopped" => {}
        "Starting" => {
            m.step(Input::Start, t0);
        }
        "Running" => run(&mut m),
        "Stopping" => {
            run(&mut m);
            m.step(Input::Stop, t0);
        }
        "Backoff" => {
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(1),
                },
                t0,
            );
        }
        "Held" => {
            run(&mut m);
            m.step(
                Input::Pause {
                    scope: Scope::Program,
                    until: None,
                },
                t0,
            );
            m.step(
                Input::Died {
                    exit: Exit::Code(1),
                },
                t0,
            );
        }
        "Exited" => {
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(0),
                },
                t0 + Duration::from_secs(60),
            );
        }
        "Seeking" => {
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(0),
                },
                t0,
            );
        }
        "GaveUp" => {
            m.spec.breaker.max_deaths = 1;
            run(&mut m);
            m.step(
                Input::Died {
                    exit: Exit::Code(1),
                },
                t0,
            );
        }
        other => panic!("no such state {other}"),
    }
    assert_eq!(name(&m.state), state, "setting up {state}");
    m
}

pub(super) fn kill9() -> Exit {
    Exit::Signal {
        signal: Signal::KILL,
        core_dumped: false,
    }
}
