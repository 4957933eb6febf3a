// The window's model of the daemon. A program's state is never worked out here: it is the
// daemon's snapshot (from `status`, and after every burst of events on the event stream),
// assigned as it comes. Events only add what the history would: restarts in the last
// 24 hours, when the last exit happened, and why the last start failed.
import type { EngineEvent, ProgramSnapshot, Snapshot } from "./types";

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
}

/** What the history knows about a program at load time. */
export interface ProgramExtras {
  restarts_24h: number;
  last_exit_at: number | null;
}

/** An empty model, before the first snapshot. */
export function emptyState(): AppState {
  return { paused: false, paused_until: null, programs: [], connected: true };
}

/** The model from a snapshot: the daemon's state as it is, with the extras the history
 * gave (or the previous model had) kept beside it. */
export function fromSnapshot(snap: Snapshot, extras: Map<string, ProgramExtras>, previous?: AppState): AppState {
  const before = new Map(previous?.programs.map((p) => [p.id, p]));
  return {
    paused: snap.paused,
    paused_until: snap.paused_until,
    connected: true,
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

/** Notes what an event adds to the record of its program (counts, times, reasons); the
 * program's state waits for the snapshot that follows. Pure: never mutates `state`. */
export function noteEvent(state: AppState, e: EngineEvent): AppState {
  const index = state.programs.findIndex((p) => p.id === e.program);
  const p = state.programs[index];
  if (!p) return state;
  const next = noted(p, e);
  if (next === p) return state;
  const programs = state.programs.slice();
  programs[index] = next;
  return { ...state, programs };
}

function noted(p: ProgramView, e: EngineEvent): ProgramView {
  switch (e.event) {
    case "started":
      return { ...p, last_reason: null };
    case "restarted":
      return { ...p, last_reason: null, restarts_24h: p.restarts_24h + 1 };
    case "exited":
      return { ...p, last_exit_at: e.ts, last_reason: null };
    case "adopted":
      // A single-instance app's copy: "handed to the copy already running (PID N); watching it".
      return { ...p, last_reason: e.reason ?? p.last_reason };
    case "nothing_left":
    case "gave_up":
      return { ...p, last_exit_at: e.event === "nothing_left" ? e.ts : p.last_exit_at, last_reason: e.reason };
    case "health_failed":
      return { ...p, last_reason: e.reason ?? "health check failed" };
    case "memory_high":
      return { ...p, last_reason: e.reason ?? "over its memory limit" };
    case "not_responding":
    case "responding":
      return { ...p, last_reason: e.reason ?? p.last_reason };
    case "spawn_failed":
      return { ...p, last_reason: e.reason, last_exit_at: e.ts };
    case "stopped":
      return e.exit === null ? p : { ...p, last_exit_at: e.ts };
    default:
      return p;
  }
}
