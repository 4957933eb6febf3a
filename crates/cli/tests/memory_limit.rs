//! A memory limit with its defaults (3 checks in a row, 2 s apart, restart): a program
//! whose processes grow past it is restarted, with the cause in words in the history; one
//! that stays under it is left alone. Real processes (`lg-testprog --grow-mb`), real RSS.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::procs::{kill_tagged, unique};
use common::{testprog, wait_for, Env};

#[test]
fn a_program_past_its_memory_limit_is_restarted_with_the_cause_and_one_under_it_is_not() {
    let tag = unique("memory");
    let prog = testprog();
    let config = format!(
        "[[program]]\nid = \"hog\"\nargv = [\"{prog}\", \"--grow-mb\", \"100/s\", \"--tag\", \"{tag}\"]\n\
         memory_limit = {{ max = \"100MB\" }}\n\n\
         [[program]]\nid = \"modest\"\nargv = [\"{prog}\", \"--grow-mb\", \"40/s\", \"--grow-to\", \"40\", \"--tag\", \"{tag}\"]\n\
         memory_limit = {{ max = \"100MB\" }}\n"
    );
    let mut env = Env::new(Some(&config));
    env.start_daemon(&[]);
    let hog = env.running_pid("hog");
    let modest = env.running_pid("modest");
    let started = Instant::now();
    wait_for("the hog to be restarted", || {
        env.pid_of("hog").is_some_and(|p| p != hog)
    });
    // Over 100 MB from about 1 s on, three checks 2 s apart: not before ~4 s.
    assert!(
        started.elapsed() > Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let high = env.json(&["history", "--program", "hog", "--kind", "memory_high"]);
    let reason = high[0]["reason"].as_str().unwrap().to_owned();
    assert!(
        reason.starts_with("using ")
            && reason.contains("MB, over its 100 MB limit (3 checks in a row)"),
        "{reason}"
    );
    let used: u64 = reason["using ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(used > 100, "{reason}");
    let exited = env.json(&["history", "--program", "hog", "--kind", "exited"]);
    assert_eq!(
        exited[0]["signal_name"], "SIGTERM",
        "its stop signal: {exited}"
    );
    assert!(exited[0]["reason"]
        .as_str()
        .unwrap()
        .contains("over its memory limit"));
    // The modest one ran the same time under its limit and is untouched.
    assert_eq!(env.pid_of("modest"), Some(modest));
    let none = env.json(&["history", "--program", "modest", "--kind", "memory_high"]);
    assert_eq!(none.as_array().unwrap().len(), 0, "{none}");
    drop(env);
    kill_tagged(&tag);
}

#[test]
fn a_bad_memory_limit_is_refused_naming_the_field_the_limit_and_the_fix() {
    let config = format!(
        "[[program]]\nid = \"x\"\nargv = [\"{}\"]\nmemory_limit = {{ max = \"10KB\" }}\n",
        testprog()
    );
    let env = Env::new(Some(&config));
    let out = env.cli(&["config", "check"]);
    let text = common::text(&out.stderr) + &common::text(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("memory_limit.max"), "{text}");
    assert!(text.contains("1 MB"), "{text}");
    assert!(text.contains("500MB"), "{text}");
}
