import { describe, expect, it } from "vitest";
import { fromSnapshot, noteEvent, type AppState } from "./state";
import { event, killed, program, snapshot } from "./testdata";
import type { EngineEvent, ProgramSnapshot } from "./types";

const load = (...ps: Parameters<typeof snapshot>) => fromSnapshot(snapshot(...ps), new Map([["clock", { restarts_24h: 2, last_exit_at: null }]]));
/** Events, then the snapshot the daemon sends after them: what the store does. */
const burst = (s: AppState, events: EngineEvent[], ...after: ProgramSnapshot[]) =>
  fromSnapshot(snapshot(...after), new Map(), events.reduce(noteEvent, s));

describe("a snapshot is assigned", () => {
  it("a SIGKILL and the restart: the row shows the daemon's state, the events count the restart", () => {
    let s = load(program());
    s = burst(s, [killed(10_000)], program({
      state: { state: "backoff", next_restart: 10_251, delay_ms: 250 }, attempt: 1,
      last_exit: { signal: { signal: "SIGKILL", core_dumped: false } }, deaths_last_hour: 1,
    }));
    expect(s.programs[0]?.state).toEqual({ state: "backoff", next_restart: 10_251, delay_ms: 250 });
    expect(s.programs[0]?.last_exit_at).toBe(10_000);
    s = burst(s, [event({ event: "restarted", ts: 10_260, pid: 101, attempt: 1 })], program({
      state: { state: "running", pid: 101, since: 10_260 }, restarts: 1, attempt: 1,
      last_exit: { signal: { signal: "SIGKILL", core_dumped: false } }, deaths_last_hour: 1,
    }));
    expect(s.programs[0]?.state).toEqual({ state: "running", pid: 101, since: 10_260 });
    expect(s.programs[0]?.restarts).toBe(1);
    expect(s.programs[0]?.restarts_24h).toBe(3);
    expect(s.programs[0]?.last_exit_at).toBe(10_000);
  });

  it("a restart that cannot start again stays wanted up: Restart is still offered", () => {
    // The events of `lifeguard restart` on a program whose executable was deleted, then
    // the daemon's snapshot. The window once set wanted=down at `stopping`.
    const events = [
      event({ event: "stopping", pid: 100, requested_by: "cli" }),
      event({ event: "stopped", pid: 100, exit: "signal", signal: "SIGTERM", signal_number: 15, core_dumped: false }),
      event({ event: "spawn_failed", attempt: 1, reason: "cannot start /home/ana/victim: No such file or directory" }),
      event({ event: "restart_scheduled", attempt: 1, delay_ms: 250 }),
    ];
    let s = load(program());
    for (const e of events) {
      s = noteEvent(s, e);
      expect(s.programs[0]?.wanted).toBe("up");
    }
    s = fromSnapshot(snapshot(program({ state: { state: "backoff", next_restart: 10_250, delay_ms: 250 }, attempt: 1 })), new Map(), s);
    expect(s.programs[0]?.wanted).toBe("up");
    expect(s.programs[0]?.state.state).toBe("backoff");
    expect(s.programs[0]?.last_reason).toContain("No such file");
  });

  it("the global pause and removals come with the snapshot", () => {
    const paused = fromSnapshot({ paused: true, paused_until: 99, programs: [program({ paused: true })] }, new Map(), load(program()));
    expect(paused.paused).toBe(true);
    expect(paused.paused_until).toBe(99);
    expect(paused.programs[0]?.restarts_24h).toBe(2);
    expect(burst(paused, [event({ event: "removed" })]).programs).toEqual([]);
  });

  it("an event for a program the model does not have yet changes nothing", () => {
    const s = load();
    expect(noteEvent(s, event({ event: "started", program: "ghost" }))).toBe(s);
  });

  it("does not mutate the state it was given", () => {
    const before = load(program());
    const copy = JSON.stringify(before);
    noteEvent(before, killed());
    fromSnapshot(snapshot(program({ state: { state: "stopped" } })), new Map(), before);
    expect(JSON.stringify(before)).toBe(copy);
  });
});

describe("events add the record's reasons", () => {
  it("a start with nothing left, then the copy watched", () => {
    let s = burst(load(program()), [event({ event: "nothing_left", pid: 5, exit: "code", exit_code: 0, reason: "PID 5 exited 0 after 47 ms" })],
      program({ state: { state: "exited", exit: { code: 0 }, at: 10_000 }, unprotected: "no copy of it already running was found to watch" }));
    expect(s.programs[0]?.unprotected).toContain("no copy");
    expect(s.programs[0]?.last_reason).toBe("PID 5 exited 0 after 47 ms");
    s = burst(s, [event({ event: "adopted", pid: 7, reason: "handed to the copy already running (PID 7); watching it" })],
      program({ state: { state: "running", pid: 7, since: 10_000 } }));
    expect(s.programs[0]?.state.state).toBe("running");
    expect(s.programs[0]?.unprotected).toBeUndefined();
    expect(s.programs[0]?.last_reason).toBe("handed to the copy already running (PID 7); watching it");
  });
  it("a failed health check says so until the restart", () => {
    const s = noteEvent(load(program()), event({ event: "health_failed", reason: "3 failed checks" }));
    expect(s.programs[0]?.last_reason).toBe("3 failed checks");
    expect(noteEvent(s, event({ event: "restarted", pid: 9 })).programs[0]?.last_reason).toBeNull();
  });
  it("gave up keeps the engine's reason", () => {
    const s = noteEvent(load(program()), event({ event: "gave_up", attempt: 4, reason: "5 deaths within 2m: gave up until retried" }));
    expect(s.programs[0]?.last_reason).toBe("5 deaths within 2m: gave up until retried");
  });
});
