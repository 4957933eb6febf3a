//! A running program's row shows its memory and CPU ("1.9 MB · 0 % CPU"), refreshed from
//! the daemon's `usage` every 2 s; a stopped program's shows nothing.

use crate::driver::AppSession;
use crate::steps::*;

#[tokio::test]
async fn a_running_programs_row_shows_its_memory_and_cpu_and_a_stopped_ones_does_not() {
    let session = AppSession::start().await;
    let pid_file = session.home().join("used.pid");
    let row = protect_testprog(&session, "Used", &pid_file).await;
    let pid = pid_from(&pid_file, None).await;
    let usage = format!("{row} [data-role=usage]");
    // The CPU % needs two answers: the figure is whole from the second one on.
    let shown = text_until(&session, &usage, |t| t.ends_with(" % CPU")).await;
    let (memory, cpu) = shown.split_once(" · ").unwrap();
    let (amount, unit) = memory.split_once(' ').unwrap();
    assert!(
        amount.parse::<f64>().is_ok_and(|n| n > 0.0) && ["KB", "MB"].contains(&unit),
        "{shown}"
    );
    let percent = cpu.strip_suffix(" % CPU").unwrap();
    assert!(percent == "<1" || percent.parse::<u32>().is_ok(), "{shown}");

    click(&session, &format!("{row} button[data-action=stop]")).await;
    dead(pid).await;
    text_until(&session, &usage, str::is_empty).await;
    session.close().await;
}
