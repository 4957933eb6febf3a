//! Single-instance apps: a start that hands its request to a copy already running exits 0
//! at once and leaves nothing of its own. The embedder knows how to find that copy (the
//! same user and executable; the owner of the app's D-Bus name), which takes files and
//! buses the engine does not touch; the engine asks it through this hook and watches what
//! it names, instead of recording `nothing_left` and leaving the program unprotected.

use std::sync::Arc;

use crate::procfs::Identity;
use crate::ProgramSpec;

/// Finds the copy already running that a start of `spec` handed its request to.
///
/// Called on the program's task right after a quick exit 0 that left nothing of its tree,
/// so it must be quick (a `/proc` scan, a local D-Bus call) and must not block on anything
/// that can hang. Return only a process the user owns and that no other program's
/// instance is: the engine watches it as this program's instance, and SIGKILLs its tree
/// when it dies.
pub trait FindCopy: Send + Sync + 'static {
    /// The running copy, or `None` when none can be told apart.
    fn find_copy(&self, spec: &ProgramSpec) -> Option<Identity>;
}

impl<F> FindCopy for F
where
    F: Fn(&ProgramSpec) -> Option<Identity> + Send + Sync + 'static,
{
    fn find_copy(&self, spec: &ProgramSpec) -> Option<Identity> {
        self(spec)
    }
}

/// The hook as the program tasks share it.
pub(crate) type CopyFinder = Arc<dyn FindCopy>;
