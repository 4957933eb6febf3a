//! Program names are text: a server that renders body markup gets them escaped.
#![allow(clippy::unwrap_used)]

mod notify_support;

use lifeguard_engine::{EventKind, Origin, Signal, Supervisor};
use lifeguard_service::notify::{Notifier, Prefs};
use notify_support::{eventually, kill, next, testprog, Dunst, Monitor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_names_with_markup_are_escaped_in_bodies() {
    let monitor = Monitor::start().await;
    let _dunst = Dunst::start().await;
    let supervisor = Supervisor::new();
    let mut events = supervisor.subscribe();
    let _notifier = Notifier::spawn(supervisor.subscribe(), Prefs::default());
    let mut pids = Vec::new();
    for i in 0..6 {
        let id = format!("markup{i}");
        let name = format!("Markprobe <b>{i}</b> & <a href=\"http://x.invalid\">co</a>");
        supervisor
            .add(testprog(&id, &name, &[]), Origin::api())
            .await
            .unwrap();
        pids.push(
            next(&mut events, EventKind::Started, &id)
                .await
                .pid
                .unwrap(),
        );
    }
    for pid in &pids {
        kill(*pid, Signal::KILL);
    }
    // The summary of a mass restart lists the names in its body.
    let call = eventually("the mass-restart summary", || {
        monitor
            .calls("Markprobe")
            .into_iter()
            .find(|c| c.summary == "6 programs were restarted")
    })
    .await;
    // The summary names five of the six (in no set order) and counts the rest.
    let escaped = (0..6)
        .filter(|i| {
            call.body.contains(&format!(
                "Markprobe &lt;b&gt;{i}&lt;/b&gt; &amp; &lt;a href=\"http://x.invalid\"&gt;co&lt;/a&gt;"
            ))
        })
        .count();
    assert_eq!(escaped, 5, "{call:#?}");
    assert!(!call.body.contains("<b>"), "{call:#?}");
    supervisor.shutdown(Origin::api()).await;
}
