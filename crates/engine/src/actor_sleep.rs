//! A program's task around a sleep of the machine: the time asleep is handed to the
//! machine (`Input::Slept`) before any other input, so a death seen during or after the
//! sleep is measured in awake time; on wake-up the program is checked at once.

use std::task::{Context, Poll, Waker};

use crate::actor::Actor;
use crate::machine::Input;
use crate::Origin;

impl Actor {
    /// Accounts the time asleep up to now, if the machine sleeps.
    pub(crate) fn account_sleep(&mut self) {
        let Some(since) = self.asleep_since else {
            return;
        };
        let now = crate::clock::now();
        self.asleep_since = Some(now);
        let asleep = now.saturating_duration_since(since);
        // No actions: a sleep only moves the machine's anchors.
        let _ = self.machine.step(Input::Slept { asleep }, now);
    }

    /// The machine woke: the sleep is accounted, then the watched process is checked once,
    /// so a death during the sleep is answered now rather than whenever its wake-up comes.
    pub(crate) fn wake(&mut self, origin: Option<&Origin>) {
        self.account_sleep();
        self.asleep_since = None;
        let Some(child) = self.child.as_mut() else {
            return;
        };
        // One poll of the (cancel-safe) wait: ready only if the process is gone.
        let mut cx = Context::from_waker(Waker::noop());
        let polled = child.wait().as_mut().poll(&mut cx);
        if let Poll::Ready(exit) = polled {
            self.child = None;
            self.feed(Input::Died { exit }, origin);
        }
    }
}
