//! Helpers shared by Lifeguard's benchmark programs.
