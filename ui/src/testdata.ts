// Builders of engine-shaped JSON for the unit tests (not bundled: only tests import it).
import type { EngineEvent, ProgramSnapshot, Snapshot } from "./types";

/** A running program snapshot, overridable. */
export function program(over: Partial<ProgramSnapshot> = {}): ProgramSnapshot {
  return {
    id: "clock", name: "Clock",
    spec: {
      id: "clock", name: "Clock", argv: ["/usr/bin/clock"], restart: { policy: "on-failure", clean_exit_codes: [0] },
      backoff: { initial: "250ms", max: "30s", min_uptime: "1s", jitter: 0.1 },
      breaker: { enabled: true, max_deaths: 5, window: "2m" }, stop_signal: "SIGTERM", stop_grace: "5s", stdout: "inherit", stderr: "inherit",
    },
    state: { state: "running", pid: 100, since: 1_000 }, wanted: "up", paused: false, paused_until: null,
    restarts: 0, attempt: 0, last_exit: null, deaths_last_hour: 0, ...over,
  };
}

/** A snapshot of the given programs. */
export function snapshot(...programs: ProgramSnapshot[]): Snapshot {
  return { paused: false, paused_until: null, programs };
}

/** An engine event with every optional field null. */
export function event(over: Partial<EngineEvent> & Pick<EngineEvent, "event">): EngineEvent {
  return {
    ts: 10_000, program: "clock", name: "Clock", pid: null, attempt: 0, exit: null, exit_code: null, signal: null,
    signal_number: null, core_dumped: null, uptime_ms: null, delay_ms: null, until: null, requested_by: null,
    reason: null, ...over,
  };
}

/** The exited event of a SIGKILL. */
export function killed(ts = 10_000): EngineEvent {
  return event({ event: "exited", ts, pid: 100, exit: "signal", signal: "SIGKILL", signal_number: 9, core_dumped: false, uptime_ms: 9_000 });
}
