use lifeguard_engine::{Exit, ProgramSpec, Signal, Wanted};

use super::*;

const NOW: u64 = 1_000_000;

fn program(id: &str, state: Observed) -> ProgramSnapshot {
    let spec = ProgramSpec::build(id, ["sleep", "1"]).unwrap();
    ProgramSnapshot {
        id: spec.id.clone(),
        name: id.to_string(),
        spec,
        state,
        wanted: Wanted::Up,
        paused: false,
        paused_until: None,
        restarts: 0,
        attempt: 0,
        last_exit: None,
        deaths_last_hour: 0,
        instance: None,
        unprotected: None,
        ready: false,
        talk_status: None,
    }
}

fn running(id: &str) -> ProgramSnapshot {
    program(
        id,
        Observed::Running {
            pid: 7,
            since: NOW - 5,
        },
    )
}

fn snapshot(programs: Vec<ProgramSnapshot>) -> Snapshot {
    Snapshot {
        paused: false,
        paused_until: None,
        programs,
    }
}

#[test]
fn table() {
    let backoff = Observed::Backoff {
        next_restart: NOW + 2_500,
        delay_ms: 2_500,
    };
    let gave_up = Observed::GaveUp { at: NOW, deaths: 5 };
    let exited = Observed::Exited {
        exit: Exit::Signal {
            signal: Signal::KILL,
            core_dumped: false,
        },
        at: NOW,
    };
    let mut paused_for = snapshot(vec![running("a")]);
    paused_for.paused = true;
    paused_for.paused_until = Some(NOW + 15 * 60_000);
    let mut paused_forever = snapshot(vec![running("a")]);
    paused_forever.paused = true;
    let rows: Vec<(&str, Snapshot, TrayIcon, &str)> = vec![
        (
            "empty",
            snapshot(vec![]),
            TrayIcon::Ok,
            "No programs protected yet",
        ),
        (
            "one up",
            snapshot(vec![running("a")]),
            TrayIcon::Ok,
            "1 program protected, running",
        ),
        (
            "all up",
            snapshot(vec![running("a"), running("b")]),
            TrayIcon::Ok,
            "2 programs protected, all running",
        ),
        (
            "one stopped",
            snapshot(vec![running("a"), program("b", Observed::Stopped)]),
            TrayIcon::Ok,
            "2 programs protected, 1 running",
        ),
        (
            "exited",
            snapshot(vec![program("a", exited)]),
            TrayIcon::Ok,
            "1 program protected, 0 running",
        ),
        (
            "backoff",
            snapshot(vec![running("a"), program("b", backoff.clone())]),
            TrayIcon::Restarting,
            "2 programs protected, 1 restarting",
        ),
        (
            "starting",
            snapshot(vec![program("a", Observed::Starting)]),
            TrayIcon::Restarting,
            "1 program protected, 1 restarting",
        ),
        (
            "gave up wins over restarting",
            snapshot(vec![program("a", gave_up), program("b", backoff)]),
            TrayIcon::GaveUp,
            "1 of 2 programs gave up",
        ),
        (
            "paused with an end",
            paused_for,
            TrayIcon::Paused,
            "Protection paused for 15 min more",
        ),
        (
            "paused until resumed",
            paused_forever,
            TrayIcon::Paused,
            "Protection paused until resumed",
        ),
    ];
    for (name, snapshot, icon, summary) in rows {
        let view = TrayView::of(&snapshot, NOW);
        assert_eq!(view.icon, icon, "{name}");
        assert_eq!(view.summary, summary, "{name}");
        assert_eq!(view.paused, snapshot.paused, "{name}");
    }
}

#[test]
fn program_lines_say_the_state_in_words() {
    let backoff = Observed::Backoff {
        next_restart: NOW + 2_100,
        delay_ms: 2_100,
    };
    let view = TrayView::of(&snapshot(vec![running("web"), program("db", backoff)]), NOW);
    assert_eq!(
        view.programs,
        vec![
            ("web".to_string(), "web — running".to_string()),
            ("db".to_string(), "db — restarting in 3 s".to_string()),
        ]
    );
}

#[test]
fn a_program_killed_often_says_how_often() {
    let mut web = running("web");
    web.deaths_last_hour = 40;
    web.last_exit = Some(Exit::Signal {
        signal: Signal::KILL,
        core_dumped: false,
    });
    let mut db = running("db");
    db.deaths_last_hour = 1;
    db.last_exit = Some(Exit::Code(1));
    let view = TrayView::of(&snapshot(vec![web, db]), NOW);
    assert_eq!(
        view.programs,
        vec![
            (
                "web".to_string(),
                "web — running, killed 40 times in the last hour".to_string()
            ),
            (
                "db".to_string(),
                "db — running, died once in the last hour".to_string()
            ),
        ]
    );
}

#[test]
fn hour_long_pauses_read_in_hours() {
    assert_eq!(minutes(60 * 60_000), "1 h");
    assert_eq!(minutes(59_000), "1 min");
    assert_eq!(minutes(0), "1 min");
}

#[test]
fn the_app_itself_is_not_counted_as_a_program() {
    let view = TrayView::of(&snapshot(vec![running("web"), running(SELF_ID)]), NOW);
    assert_eq!(view.summary, "1 program protected, running");
    assert_eq!(view.programs.len(), 1);
}
