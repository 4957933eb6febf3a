//! The `/proc` parsers on crafted inputs, PID reuse included.

use super::*;

/// A `/proc/PID/stat` line with the given command, state, parent, group, session and start.
fn stat_line(
    pid: u32,
    comm: &str,
    state: char,
    ppid: u32,
    pgrp: u32,
    sid: u32,
    start: u64,
) -> String {
    format!(
        "{pid} ({comm}) {state} {ppid} {pgrp} {sid} 34817 {pgrp} 4194560 1289 0 0 0 3 1 0 0 20 0 \
         1 0 {start} 8937472 891 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
    )
}

#[test]
fn parses_the_fields_it_needs() {
    let s = Stat::parse(&stat_line(4242, "sleep", 'S', 1, 4242, 4200, 987_654)).unwrap();
    assert_eq!(
        s,
        Stat {
            pid: 4242,
            state: 'S',
            ppid: 1,
            pgrp: 4242,
            session: 4200,
            utime: 3,
            stime: 1,
            start_time: 987_654,
        }
    );
    assert!(!s.is_zombie());
}

#[test]
fn command_names_with_spaces_and_parentheses_do_not_shift_fields() {
    let s = Stat::parse(&stat_line(7, "a) b (c ) Z 9", 'R', 2, 3, 4, 55)).unwrap();
    assert_eq!((s.pid, s.state, s.ppid, s.start_time), (7, 'R', 2, 55));
}

#[test]
fn zombies_are_recognised() {
    let s = Stat::parse(&stat_line(8, "defunct", 'Z', 1, 8, 8, 1)).unwrap();
    assert!(s.is_zombie());
}

#[test]
fn truncated_or_garbled_stat_is_none() {
    assert_eq!(Stat::parse(""), None);
    assert_eq!(Stat::parse("12 (x) S 1 2"), None);
    assert_eq!(
        Stat::parse("x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"),
        None
    );
}

#[test]
fn identity_rejects_a_reused_pid() {
    let recorded = Identity {
        pid: 4242,
        start_time: 987_654,
    };
    let same = Stat::parse(&stat_line(4242, "app", 'S', 1, 4242, 4242, 987_654)).unwrap();
    let reused = Stat::parse(&stat_line(4242, "app", 'S', 1, 4242, 4242, 1_200_000)).unwrap();
    let other_pid = Stat::parse(&stat_line(4243, "app", 'S', 1, 4243, 4243, 987_654)).unwrap();
    let dead = Stat::parse(&stat_line(4242, "app", 'Z', 1, 4242, 4242, 987_654)).unwrap();
    assert!(recorded.matches(&same));
    assert!(
        !recorded.matches(&reused),
        "a later start time is another process"
    );
    assert!(!recorded.matches(&other_pid));
    assert!(!recorded.matches(&dead), "a zombie is no longer running");
}

#[test]
fn nul_lists_and_environ() {
    let cmdline = b"/usr/bin/app\0--flag\0with space\0";
    assert_eq!(nul_list(cmdline), ["/usr/bin/app", "--flag", "with space"]);
    let env = b"HOME=/root\0LIFEGUARD_INSTANCE=abc\0EQ=a=b\0junk\0";
    let map = environ(env);
    assert_eq!(map["HOME"], "/root");
    assert_eq!(map["EQ"], "a=b");
    assert!(!map.contains_key("junk"));
    assert!(environ_has(env, "LIFEGUARD_INSTANCE=abc"));
    assert!(!environ_has(env, "LIFEGUARD_INSTANCE=ab"));
    assert!(!environ_has(b"", "X=1"));
}

#[test]
fn children_lists() {
    assert_eq!(children("12 345 6 \n"), [12, 345, 6]);
    assert!(children("").is_empty());
}
