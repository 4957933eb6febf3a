//! The service layer Lifeguard's daemon serves: config, history, control socket,
//! notifications and metrics, on top of the engine.

pub mod session_env;
