import { describe, expect, it } from "vitest";
import { applyEvent, fromSnapshot, shouldRestart } from "./state";
import { event, killed, program, snapshot } from "./testdata";

const load = (...ps: Parameters<typeof snapshot>) => fromSnapshot(snapshot(...ps), new Map([["clock", { restarts_24h: 2, last_exit_at: null }]]));

describe("applyEvent", () => {
  it("a SIGKILL, the scheduled restart and the restart move the row through backoff back to running", () => {
    let s = load(program());
    s = applyEvent(s, killed(10_000));
    expect(s.programs[0]?.state).toEqual({ state: "exited", exit: { signal: { signal: "SIGKILL", core_dumped: false } }, at: 10_000 });
    expect(s.programs[0]?.last_exit_at).toBe(10_000);
    s = applyEvent(s, event({ event: "restart_scheduled", ts: 10_001, delay_ms: 250, attempt: 1 }));
    expect(s.programs[0]?.state).toEqual({ state: "backoff", next_restart: 10_251, delay_ms: 250 });
    s = applyEvent(s, event({ event: "restarted", ts: 10_260, pid: 101, attempt: 1 }));
    expect(s.programs[0]?.state).toEqual({ state: "running", pid: 101, since: 10_260 });
    expect(s.programs[0]?.restarts).toBe(1);
    expect(s.programs[0]?.restarts_24h).toBe(3);
    expect(s.programs[0]?.last_exit).toEqual({ signal: { signal: "SIGKILL", core_dumped: false } });
    expect(s.stale).toBe(false);
  });

  it("a death while paused is held, not shown as a plain exit", () => {
    const s = applyEvent(load(program({ paused: true })), killed());
    expect(s.programs[0]?.state).toEqual({ state: "held", since: 10_000 });
  });

  it("a clean exit under on-failure is not held even while paused", () => {
    const s = applyEvent(load(program({ paused: true })), event({ event: "exited", exit: "code", exit_code: 0 }));
    expect(s.programs[0]?.state.state).toBe("exited");
  });

  it("stop shows stopping then stopped and wanted down", () => {
    let s = applyEvent(load(program()), event({ event: "stopping", pid: 100, requested_by: "ui" }));
    expect(s.programs[0]?.state).toEqual({ state: "stopping", pid: 100, kill_at: null });
    s = applyEvent(s, event({ event: "stopped", exit: "signal", signal: "SIGTERM", core_dumped: false }));
    expect(s.programs[0]?.state).toEqual({ state: "stopped" });
    expect(s.programs[0]?.wanted).toBe("down");
  });

  it("gave up takes the death count from the engine's reason", () => {
    const s = applyEvent(load(program()), event({ event: "gave_up", attempt: 4, reason: "5 deaths within 2m: gave up until retried" }));
    expect(s.programs[0]?.state).toEqual({ state: "gave_up", at: 10_000, deaths: 5 });
  });

  it("removed drops the row; added and pauses ask for a fresh snapshot", () => {
    expect(applyEvent(load(program()), event({ event: "removed" })).programs).toEqual([]);
    expect(applyEvent(load(program()), event({ event: "added", program: "new" })).stale).toBe(true);
    const paused = applyEvent(load(program()), event({ event: "paused", until: 99 }));
    expect(paused.stale).toBe(true);
    expect(paused.programs[0]?.paused).toBe(true);
    expect(paused.programs[0]?.paused_until).toBe(99);
  });

  it("an event for an unknown program asks for a snapshot instead of guessing", () => {
    const s = applyEvent(load(), event({ event: "started", program: "ghost" }));
    expect(s.stale).toBe(true);
    expect(s.programs).toEqual([]);
  });

  it("does not mutate the state it was given", () => {
    const before = load(program());
    const copy = JSON.stringify(before);
    applyEvent(before, killed());
    expect(JSON.stringify(before)).toBe(copy);
  });
});

describe("issue 4 events", () => {
  it("adoption and hand-off keep the row running with the new pid", () => {
    let s = applyEvent(load(program({ state: { state: "stopped" } })), event({ event: "adopted", pid: 7, ts: 50 }));
    expect(s.programs[0]?.state).toEqual({ state: "running", pid: 7, since: 50 });
    s = applyEvent(s, event({ event: "handed_off", pid: 8, ts: 60 }));
    expect(s.programs[0]?.state).toEqual({ state: "running", pid: 8, since: 50 });
  });
  it("a start with nothing left says protection is not active until a copy is watched", () => {
    let s = applyEvent(load(program()), event({ event: "nothing_left", pid: 5, exit: "code", exit_code: 0, reason: "PID 5 exited 0 after 47 ms" }));
    expect(s.programs[0]?.state.state).toBe("exited");
    expect(s.programs[0]?.unprotected).toContain("no copy");
    s = applyEvent(s, event({ event: "adopted", pid: 7, reason: "handed to the copy already running (PID 7); watching it" }));
    expect(s.programs[0]?.state.state).toBe("running");
    expect(s.programs[0]?.unprotected).toBeNull();
    expect(s.programs[0]?.last_reason).toBe("handed to the copy already running (PID 7); watching it");
  });
  it("a failed health check says so until the restart", () => {
    const s = applyEvent(load(program()), event({ event: "health_failed", reason: "3 failed checks" }));
    expect(s.programs[0]?.last_reason).toBe("3 failed checks");
    expect(applyEvent(s, event({ event: "restarted", pid: 9 })).programs[0]?.state.state).toBe("running");
  });
});

describe("shouldRestart", () => {
  it("follows the policy like the engine", () => {
    const onFailure = { policy: "on-failure" as const, clean_exit_codes: [0, 3] };
    expect(shouldRestart(onFailure, { code: 3 })).toBe(false);
    expect(shouldRestart(onFailure, { code: 1 })).toBe(true);
    expect(shouldRestart(onFailure, { signal: { signal: "SIGTERM", core_dumped: false } })).toBe(true);
    expect(shouldRestart({ policy: "always" }, { code: 0 })).toBe(true);
    expect(shouldRestart({ policy: "never" }, "unknown")).toBe(false);
  });
});
