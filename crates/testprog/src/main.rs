//! `lg-testprog`: a scriptable program used by Lifeguard's process tests.

fn main() {}
