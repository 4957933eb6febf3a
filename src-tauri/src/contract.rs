//! The desktop contract's TypeScript types, generated from the Rust types the commands and
//! events carry (ts-rs) into `ui/src/contract.ts`, so the window cannot drift from the
//! daemon's shapes. The test fails when the checked-in file is stale; to regenerate:
//! `LIFEGUARD_WRITE_CONTRACT=1 cargo nextest run -p lifeguard-desktop contract`.

use lifeguard_engine::{
    BackoffSpec, BreakerSpec, EventKind, Exit, HealthCheck, MemoryAction, MemoryLimit, Observed,
    Output, ProgramId, ProgramSnapshot, ProgramSpec, RequestedBy, RestartPolicy, Signal, Snapshot,
    Usage,
};
use lifeguard_service::config::{
    HistorySettings, MetricsSettings, ProgramEntry, ProgramOptions, Settings,
};
use lifeguard_service::history::{
    Cursor, HistoryRecord, Page, ProgramStats, RestartChart, RestartSeries,
};
use lifeguard_service::protocol::desktop::{MissedList, MissedRestart};
use lifeguard_service::protocol::methods::{ConfigView, HistoryParams, LogLines, Removed, Stream};
use lifeguard_service::protocol::usage::{ProgramUsage, UsageReport};
use ts_rs::{Config, TS};

use crate::commands::{AppInfo, CommandError, PathsView, ProgramIcons};
use crate::discover::choices::AppChoice;
use crate::discover::processes::RunningProgram;
use crate::discover::LoginApp;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/contract.ts");

/// Every type of the contract, in the order the file lists them.
fn declarations(cfg: &Config) -> Vec<String> {
    vec![
        // The engine: state, specs, events.
        Snapshot::decl(cfg),
        ProgramSnapshot::decl(cfg),
        Observed::decl(cfg),
        Exit::decl(cfg),
        ProgramSpec::decl(cfg),
        RestartPolicy::decl(cfg),
        BackoffSpec::decl(cfg),
        BreakerSpec::decl(cfg),
        Output::decl(cfg),
        HealthCheck::decl(cfg),
        MemoryLimit::decl(cfg),
        MemoryAction::decl(cfg),
        lifeguard_engine::event_line_decl(cfg),
        EventKind::decl(cfg),
        RequestedBy::decl(cfg),
        ProgramId::decl(cfg),
        Signal::decl(cfg),
        // The service: config, history, the daemon's results.
        ProgramEntry::decl(cfg),
        ProgramOptions::decl(cfg),
        Settings::decl(cfg),
        MetricsSettings::decl(cfg),
        HistorySettings::decl(cfg),
        ConfigView::decl(cfg),
        HistoryParams::decl(cfg),
        Page::decl(cfg),
        Cursor::decl(cfg),
        HistoryRecord::decl(cfg),
        ProgramStats::decl(cfg),
        RestartChart::decl(cfg),
        RestartSeries::decl(cfg),
        LogLines::decl(cfg),
        Stream::decl(cfg),
        Removed::decl(cfg),
        MissedList::decl(cfg),
        MissedRestart::decl(cfg),
        UsageReport::decl(cfg),
        ProgramUsage::decl(cfg),
        Usage::decl(cfg),
        // The desktop app's own.
        AppInfo::decl(cfg),
        PathsView::decl(cfg),
        AppChoice::decl(cfg),
        ProgramIcons::decl(cfg),
        LoginApp::decl(cfg),
        RunningProgram::decl(cfg),
        CommandError::decl(cfg),
    ]
}

/// The file as it should be.
fn generated() -> String {
    // Times and counts fit in a JS number: the JSON the webview parses has no bigint.
    let cfg = Config::new().with_large_int("number");
    let mut text = String::from(
        "// Generated from the Rust types by src-tauri/src/contract.rs (ts-rs): do not edit.\n\
         // Regenerate: LIFEGUARD_WRITE_CONTRACT=1 cargo nextest run -p lifeguard-desktop contract\n",
    );
    for decl in declarations(&cfg) {
        text.push_str("\nexport ");
        text.push_str(&decl);
        text.push('\n');
    }
    text
}

#[test]
fn ui_contract_ts_is_generated_from_the_rust_types() {
    let want = generated();
    if std::env::var_os("LIFEGUARD_WRITE_CONTRACT").is_some() {
        std::fs::write(FILE, &want).expect("cannot write ui/src/contract.ts");
        return;
    }
    let have = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/contract.ts is stale: the Rust types of the desktop contract changed. \
         Regenerate it with `LIFEGUARD_WRITE_CONTRACT=1 cargo nextest run -p lifeguard-desktop \
         contract` and check the UI still type-checks (`npm --prefix ui run typecheck`)."
    );
}
