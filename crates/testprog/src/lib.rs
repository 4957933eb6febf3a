//! Locating the built `lg-testprog`.
