//! Lifeguard's supervision engine: a library with no files, sockets or GUI of its own.
