// Pure formatting helpers: no DOM, no Tauri, unit tested. Words follow the engine's own
// (`Exit`'s Display in crates/engine/src/exit.rs) so the CLI and the window agree.
import type { AppInfo } from "./api";
import type { Exit, HistoryRecord, Observed, ProgramSnapshot } from "./types";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The version line shown in the header, e.g. "version 0.1.0". */
export function versionLabel(info: AppInfo): string {
  return `version ${info.version}`;
}

/**
 * A duration in words: "47 ms", "3 s", "5 min 30 s", "2 h 13 min", "3 days 4 h". Rounded to
 * the nearest millisecond, then at most the two largest units, the smaller dropped when
 * zero, never rounded up. The same rules as `lifeguard_engine::duration::words` (Rust),
 * which writes the durations of history details, notifications and the CLI.
 */
export function formatDuration(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
  if (t < SECOND) return `${t} ms`;
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s`;
  if (t < HOUR) return two(Math.floor(t / MINUTE), "min", Math.floor((t % MINUTE) / SECOND), "s");
  if (t < DAY) return two(Math.floor(t / HOUR), "h", Math.floor((t % HOUR) / MINUTE), "min");
  const d = Math.floor(t / DAY);
  return two(d, d === 1 ? "day" : "days", Math.floor((t % DAY) / HOUR), "h");
}

/** How long ago `ts` was, in one unit: "just now", "12 s ago", "5 min ago", "3 days ago". */
export function ago(ts: number, now: number): string {
  const t = now - ts;
  if (t < 2 * SECOND) return "just now";
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s ago`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)} min ago`;
  if (t < DAY) return `${Math.floor(t / HOUR)} h ago`;
  const d = Math.floor(t / DAY);
  return d === 1 ? "1 day ago" : `${d} days ago`;
}

/** How a process ended, in words: "killed by SIGKILL", "exited with code 1". */
export function exitWords(exit: Exit): string {
  if (exit === "unknown") return "ended with an unknown status";
  if ("code" in exit) return `exited with code ${exit.code}`;
  const core = exit.signal.core_dumped ? " (core dumped)" : "";
  return `killed by ${exit.signal.signal}${core}`;
}

/** The last exit with its age: "killed by SIGKILL 5 min ago" (no age when unknown). */
export function lastExitText(exit: Exit | null, at: number | null, now: number): string {
  if (!exit) return "No exit yet";
  const words = exitWords(exit);
  const sentence = words.charAt(0).toUpperCase() + words.slice(1);
  return at === null ? sentence : `${sentence} ${ago(at, now)}`;
}

/** The row's last-exit line: the engine's reason when it gave one; "Stopped by you" for
 * a program stopped on request (it is wanted down, so its last end was the stop asked
 * for, not a stray SIGTERM); else how it last ended. */
export function exitLine(
  p: Pick<ProgramSnapshot, "state" | "wanted" | "last_exit" | "unprotected"> & { last_exit_at: number | null; last_reason: string | null },
  now: number,
): string {
  if (p.last_reason) return p.last_reason;
  const down = p.state.state === "stopped" || p.state.state === "exited";
  if (down && p.wanted === "down" && !p.unprotected && p.last_exit) {
    return p.last_exit_at === null ? "Stopped by you" : `Stopped by you ${ago(p.last_exit_at, now)}`;
  }
  return lastExitText(p.last_exit, p.last_exit_at, now);
}

/** A coarse name for a state, used as a CSS class and by tests: running, restarting… */
/** "Killed 40 times in the last hour" ("Died" when the last end was not a signal), or
 * null: a program killed after running is restarted every time; this says how often. */
export function deathsNote(p: Partial<Pick<ProgramSnapshot, "deaths_last_hour">> & Pick<ProgramSnapshot, "last_exit">): string | null {
  const n = p.deaths_last_hour ?? 0;
  if (n === 0) return null;
  const verb = p.last_exit !== null && p.last_exit !== "unknown" && "signal" in p.last_exit ? "Killed" : "Died";
  return `${verb} ${n === 1 ? "once" : `${n} times`} in the last hour`;
}

export function stateTone(p: Pick<ProgramSnapshot, "state" | "paused" | "unprotected">): string {
  const s: Observed = p.state;
  if (s.state === "exited" && p.unprotected) return "unprotected";
  if (p.paused && s.state !== "running") return "paused";
  switch (s.state) {
    case "running": return p.paused ? "paused" : "running";
    case "backoff": case "starting": case "stopping": return "restarting";
    case "held": return "paused";
    case "gave_up": return "gave-up";
    default: return "stopped";
  }
}

/** What a program is doing, in words, e.g. "Running · up 5 min" or "Restarting in 3 s". */
export function stateText(
  p: Pick<ProgramSnapshot, "state" | "paused" | "paused_until" | "unprotected">
    & Partial<Pick<ProgramSnapshot, "ready" | "talk_status" | "spec">>,
  now: number,
): string {
  const s = p.state;
  switch (s.state) {
    case "running": {
      // A program that speaks sd_notify is starting until it says READY=1; its own
      // STATUS= line follows the state.
      const waiting = p.spec?.sd_notify === true && !p.ready;
      const up = waiting ? "Starting… (not ready yet)" : `Running · up ${formatDuration(now - s.since)}`;
      const said = p.talk_status ? `${up} · ${p.talk_status}` : up;
      return p.paused ? `${said} · protection paused` : said;
    }
    case "backoff":
      return p.paused ? "Paused" : `Restarting in ${formatDuration(Math.max(0, s.next_restart - now) + 999)}`;
    case "held": return p.paused_until ? `Paused until ${clock(p.paused_until)}` : "Paused";
    case "starting": return "Starting…";
    case "stopping": return "Stopping…";
    case "gave_up": return `Gave up after ${s.deaths} quick deaths`;
    case "exited":
      if (p.unprotected) return "Not protected · nothing left running";
      return p.paused ? "Paused · exited" : `Exited (${exitWords(s.exit)})`;
    case "stopped": return p.paused ? "Paused · stopped" : "Stopped";
  }
}

/** A wall-clock time of day, "14:05", for "paused until" lines. */
export function clock(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A full local date and time for tables: "2026-11-23 14:05:09". */
export function dateTime(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${clock(ts)}:${p(d.getSeconds())}`;
}

const KIND_WORDS: Record<string, string> = {
  started: "Started", restarted: "Restarted", exited: "Exited", restart_scheduled: "Restart scheduled",
  gave_up: "Gave up", health_failed: "Health check failed", paused: "Paused", resumed: "Resumed",
  stopped: "Stopped", adopted: "Adopted", handed_off: "Left running", spawn_failed: "Could not start",
  config_changed: "Settings changed", added: "Protected", removed: "No longer protected",
  updated: "Settings changed", retried: "Tried again", stopping: "Stopping",
  nothing_left: "Ended, nothing left running", memory_high: "Over its memory limit",
  hook_failed: "Hook failed", not_responding: "Not responding", responding: "Responding again",
  ready: "Ready", status: "Said its status", shutting_down: "Said it is shutting down",
  main_changed: "Named a new main process",
};

/** A history kind in words: "restart_scheduled" → "Restart scheduled". */
export function kindWords(kind: string): string {
  return KIND_WORDS[kind] ?? kind.replace(/_/g, " ");
}

/** The cause column of a history row: the exit and the run's length in words, the delay, or the reason. */
export function recordCause(r: HistoryRecord): string {
  const after = r.uptime_ms === null ? "" : ` after ${formatDuration(r.uptime_ms)}`;
  if (r.signal_name) return `killed by ${r.signal_name}${after}`;
  if (r.signal !== null) return `killed by signal ${r.signal}${after}`;
  if (r.exit_code !== null && r.kind === "exited") return `exited with code ${r.exit_code}${after}`;
  if (r.exit_code !== null && !r.reason) return `exited with code ${r.exit_code}${after}`;
  if (r.kind === "restart_scheduled" && r.delay_ms !== null) return r.delay_ms < 1000 ? "at once" : `in ${formatDuration(r.delay_ms)}`;
  return r.reason ?? "";
}

const WHO: Record<string, string> = {
  ui: "You (window)", tray: "You (tray)", cli: "Command line", api: "A program", config: "Config file",
};

/** Who asked for a history event; the engine's own decisions read "Lifeguard". */
export function whoAsked(requestedBy: string | null): string {
  return requestedBy ? (WHO[requestedBy] ?? requestedBy) : "Lifeguard";
}

/** A byte count for people: "512 KB", "1.5 GB". */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
