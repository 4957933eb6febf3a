// The window's model of the daemon: built from one snapshot, then moved forward by
// engine events through a pure reducer (no polling). Events that carry too little to
// apply (a program added or changed, a pause that may be global) mark the model stale,
// and the caller fetches one fresh snapshot.
import type { EngineEvent, Exit, ProgramSnapshot, RestartPolicy, Snapshot } from "./types";

/** One program as the window shows it: the snapshot plus what the history adds. */
export interface ProgramView extends ProgramSnapshot {
  /** Restarts in the last 24 hours (history stats at load, then counted from events). */
  restarts_24h: number;
  /** When the last exit happened, if known. */
  last_exit_at: number | null;
  /** Why it last failed to start or gave up, in the engine's words. */
  last_reason: string | null;
}

/** Everything the views render from. */
export interface AppState {
  paused: boolean;
  paused_until: number | null;
  programs: ProgramView[];
  /** Whether the shell is connected to the daemon. */
  connected: boolean;
  /** A fresh snapshot is needed: an event could not be applied on its own. */
  stale: boolean;
}

/** What the history knows about a program at load time. */
export interface ProgramExtras {
  restarts_24h: number;
  last_exit_at: number | null;
}

/** An empty model, before the first snapshot. */
export function emptyState(): AppState {
  return { paused: false, paused_until: null, programs: [], connected: true, stale: false };
}

/** The model from a snapshot, keeping extras (and restart counts) the history gave. */
export function fromSnapshot(snap: Snapshot, extras: Map<string, ProgramExtras>, previous?: AppState): AppState {
  const before = new Map(previous?.programs.map((p) => [p.id, p]));
  return {
    paused: snap.paused,
    paused_until: snap.paused_until,
    connected: true,
    stale: false,
    programs: snap.programs.map((p) => {
      const old = before.get(p.id);
      const extra = extras.get(p.id);
      return {
        ...p,
        restarts_24h: extra?.restarts_24h ?? old?.restarts_24h ?? 0,
        last_exit_at: extra?.last_exit_at ?? old?.last_exit_at ?? null,
        last_reason: old?.last_reason ?? p.unprotected ?? null,
      };
    }),
  };
}

/** The exit an event describes, rebuilt from its flat fields. */
export function eventExit(e: EngineEvent): Exit | null {
  if (e.exit_code !== null) return { code: e.exit_code };
  if (e.signal !== null) return { signal: { signal: e.signal, core_dumped: e.core_dumped ?? false } };
  return e.exit === null ? null : "unknown";
}

/** Whether the policy restarts after this exit (mirrors the engine's `should_restart`). */
export function shouldRestart(policy: RestartPolicy, exit: Exit): boolean {
  if (policy.policy === "always") return true;
  if (policy.policy === "never") return false;
  return !(typeof exit === "object" && "code" in exit && policy.clean_exit_codes.includes(exit.code));
}

/** Moves the model forward by one event. Pure: returns a new state, never mutates. */
export function applyEvent(state: AppState, e: EngineEvent): AppState {
  if (e.event === "removed") {
    return { ...state, programs: state.programs.filter((p) => p.id !== e.program) };
  }
  const index = state.programs.findIndex((p) => p.id === e.program);
  const current = state.programs[index];
  if (e.event === "added" || e.event === "updated" || e.event === "paused" || e.event === "resumed" || !current) {
    // Paused/resumed may be one program's or the global pause: the snapshot says which.
    const patched = current ? patchPause(current, e) : undefined;
    return { ...replace(state, index, patched), stale: true };
  }
  const next = step(current, e);
  // Only an exit can leave a program unprotected; anything after it protects it again.
  const protectedAgain = next.state.state !== "exited" && next.unprotected;
  return replace(state, index, protectedAgain ? { ...next, unprotected: null } : next);
}

function patchPause(p: ProgramView, e: EngineEvent): ProgramView {
  if (e.event === "paused") return { ...p, paused: true, paused_until: e.until };
  if (e.event === "resumed") return { ...p, paused: false, paused_until: null };
  return p;
}

function replace(state: AppState, index: number, next: ProgramView | undefined): AppState {
  if (!next || index < 0) return state;
  const programs = state.programs.slice();
  programs[index] = next;
  return { ...state, programs };
}

/** One program's transition for an event about it. */
function step(p: ProgramView, e: EngineEvent): ProgramView {
  const pid = e.pid ?? 0;
  switch (e.event) {
    case "started":
      return { ...p, state: { state: "running", pid, since: e.ts }, wanted: "up", attempt: e.attempt, last_reason: null };
    case "restarted":
      return {
        ...p, state: { state: "running", pid, since: e.ts }, wanted: "up", attempt: e.attempt, last_reason: null,
        restarts: p.restarts + 1, restarts_24h: p.restarts_24h + 1,
      };
    case "exited": {
      const exit = eventExit(e) ?? "unknown";
      const held = p.paused && p.wanted === "up" && shouldRestart(p.spec.restart, exit);
      return {
        ...p, last_exit: exit, last_exit_at: e.ts, last_reason: null,
        deaths_last_hour: (p.deaths_last_hour ?? 0) + 1,
        state: held ? { state: "held", since: e.ts } : { state: "exited", exit, at: e.ts },
      };
    }
    case "adopted":
      // A single-instance app's copy: "handed to the copy already running (PID N); watching it".
      return { ...p, state: { state: "running", pid, since: e.ts }, wanted: "up", last_reason: e.reason ?? p.last_reason };
    case "handed_off": {
      // A launcher passed the program on to `pid`: the same run goes on.
      const since = p.state.state === "running" ? p.state.since : e.ts;
      return { ...p, state: { state: "running", pid, since } };
    }
    case "nothing_left":
      return { ...p, state: { state: "exited", exit: { code: 0 }, at: e.ts }, last_exit: { code: 0 }, last_exit_at: e.ts, last_reason: e.reason,
        unprotected: "it exited 0 at once and left nothing running, and no copy of it already running was found to watch" };
    case "health_failed":
      return { ...p, last_reason: e.reason ?? "health check failed" };
    case "memory_high":
      return { ...p, last_reason: e.reason ?? "over its memory limit" };
    case "restart_scheduled": {
      const delay = e.delay_ms ?? 0;
      return { ...p, attempt: e.attempt, state: { state: "backoff", next_restart: e.ts + delay, delay_ms: delay } };
    }
    case "spawn_failed":
      return { ...p, state: { state: "starting" }, last_reason: e.reason, last_exit_at: e.ts };
    case "gave_up":
      return { ...p, state: { state: "gave_up", at: e.ts, deaths: deathsFrom(e) }, last_reason: e.reason };
    case "retried":
      return { ...p, attempt: 0, wanted: "up", state: { state: "starting" } };
    case "stopping":
      return { ...p, wanted: "down", state: { state: "stopping", pid, kill_at: null } };
    case "stopped": {
      const exit = eventExit(e);
      return exit
        ? { ...p, wanted: "down", state: { state: "stopped" }, last_exit: exit, last_exit_at: e.ts }
        : { ...p, wanted: "down", state: { state: "stopped" } };
    }
    default:
      return p;
  }
}

/** The engine's gave_up reason starts with the death count ("5 deaths within 2m: …"). */
function deathsFrom(e: EngineEvent): number {
  const n = Number.parseInt(e.reason ?? "", 10);
  return Number.isFinite(n) ? n : e.attempt;
}
