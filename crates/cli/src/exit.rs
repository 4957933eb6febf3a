//! Exit codes scripts can rely on, and how errors are printed.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | error (the daemon refused, a file is invalid…) |
//! | 2 | usage error (bad flags or arguments) |
//! | 3 | no daemon running |
//! | 4 | another daemon is already running (`lifeguard daemon`) |
//! | 5 | no such program |
//!
//! `lifeguard status ID` answers with the LSB status codes instead, as `systemctl status`
//! does: 0 running, 3 not running ([`STATUS_DOWN`]), 4 unknown ([`STATUS_UNKNOWN`]).
//! A closed stdout ends any command with [`crate::out::CLOSED`].

use std::process::ExitCode;

use lifeguard_service::client::ClientError;
use lifeguard_service::daemon::DaemonError;
use lifeguard_service::protocol::ErrorKind;

/// Success.
pub const OK: u8 = 0;
/// Any other error.
pub const ERROR: u8 = 1;
/// Bad command line.
pub const USAGE: u8 = 2;
/// Nothing listens on the socket.
pub const NO_DAEMON: u8 = 3;
/// `lifeguard daemon` found another daemon running.
pub const ALREADY_RUNNING: u8 = 4;
/// The program named does not exist.
pub const NO_PROGRAM: u8 = 5;

/// `status ID`: the program is not running (LSB "program is not running").
pub const STATUS_DOWN: u8 = 3;
/// `status ID`: no such program, or no daemon to ask (LSB "status is unknown").
pub const STATUS_UNKNOWN: u8 = 4;

/// Prints `err` on stderr and picks its exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("lifeguard: {err:#}");
    ExitCode::from(code(err))
}

fn code(err: &anyhow::Error) -> u8 {
    if let Some(e) = err.downcast_ref::<ClientError>() {
        return match e {
            ClientError::NoDaemon { .. } => NO_DAEMON,
            ClientError::Rpc(r) if r.kind() == ErrorKind::UnknownProgram => NO_PROGRAM,
            ClientError::Rpc(r) if r.kind() == ErrorKind::InvalidParams => USAGE,
            _ => ERROR,
        };
    }
    if let Some(DaemonError::AlreadyRunning { .. }) = err.downcast_ref::<DaemonError>() {
        return ALREADY_RUNNING;
    }
    if err.downcast_ref::<clap::Error>().is_some() {
        return USAGE;
    }
    ERROR
}
