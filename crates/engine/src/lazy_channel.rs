//! An unbounded channel made on first use. A program's task has one for its health
//! check's verdicts and one for its memory reports, and most programs have neither; a
//! tokio channel allocates its shared state and a first block of 32 slots up front
//! (~1.5 KiB), which 100 programs would hold for nothing (issue 21: the daemon's size).

use tokio::sync::mpsc;

/// A channel whose owner receives, made by the first [`LazyChannel::sender`].
pub(crate) struct LazyChannel<T> {
    chan: Option<(mpsc::UnboundedSender<T>, mpsc::UnboundedReceiver<T>)>,
}

impl<T> Default for LazyChannel<T> {
    fn default() -> Self {
        Self { chan: None }
    }
}

impl<T> LazyChannel<T> {
    /// A sender, making the channel if it does not exist yet.
    pub(crate) fn sender(&mut self) -> mpsc::UnboundedSender<T> {
        self.chan
            .get_or_insert_with(mpsc::unbounded_channel)
            .0
            .clone()
    }

    /// Whether the channel was made.
    #[cfg(test)]
    fn is_made(&self) -> bool {
        self.chan.is_some()
    }

    /// The next message. Never resolves before a sender was handed out; never `None`
    /// after, since the channel keeps a sender of its own (as the task's did before).
    pub(crate) async fn recv(&mut self) -> Option<T> {
        match &mut self.chan {
            Some((_, rx)) => rx.recv().await,
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn made_by_the_first_sender_and_delivers() {
        let mut chan = LazyChannel::<u32>::default();
        assert!(!chan.is_made());
        let quiet = tokio::time::timeout(Duration::from_millis(50), chan.recv()).await;
        assert!(quiet.is_err(), "an unmade channel received {quiet:?}");
        assert!(!chan.is_made(), "waiting made the channel");

        let tx = chan.sender();
        assert!(chan.is_made());
        assert!(tx.send(7).is_ok());
        let got = tokio::time::timeout(Duration::from_secs(5), chan.recv()).await;
        assert_eq!(got.ok().flatten(), Some(7));

        // A sender dropped is not the end: the channel keeps one.
        drop(tx);
        assert!(chan.sender().send(8).is_ok());
        let got = tokio::time::timeout(Duration::from_secs(5), chan.recv()).await;
        assert_eq!(got.ok().flatten(), Some(8));
    }
}
