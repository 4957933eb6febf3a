// The JSON shapes the shell sends and accepts. They mirror the Rust types' serde forms
// (engine: event.rs, snapshot.rs, spec.rs, exit.rs; service: config/model.rs, history/*),
// so a change there is a change here. Times are milliseconds since the Unix epoch (UTC).

/** How a process ended (engine `Exit`). */
export type Exit =
  | { code: number }
  | { signal: { signal: string; core_dumped: boolean } }
  | "unknown";

/** What a program is doing (engine `Observed`, tagged by `state`). */
export type Observed =
  | { state: "stopped" }
  | { state: "starting" }
  | { state: "running"; pid: number; since: number }
  | { state: "stopping"; pid: number; kill_at: number | null }
  | { state: "backoff"; next_restart: number; delay_ms: number }
  | { state: "held"; since: number }
  | { state: "exited"; exit: Exit; at: number }
  | { state: "gave_up"; at: number; deaths: number };

/** When a death is followed by a restart (engine `RestartPolicy`). */
export type RestartPolicy =
  | { policy: "always" }
  | { policy: "on-failure"; clean_exit_codes: number[] }
  | { policy: "never" };

/** Where a program's output goes (engine `Output`). */
export type Output = "inherit" | "null" | { file: string };

/** A health check (engine `HealthCheck`, issue 4): exactly one of http, tcp, command. */
export interface HealthCheck {
  http?: string;
  tcp?: string;
  command?: string[];
  interval?: string;
  timeout?: string;
  start_grace?: string;
  failures?: number;
}

/** One `[[program]]` entry: the engine's `ProgramSpec` flattened with the service's options. */
export interface ProgramEntry {
  id: string;
  name: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  restart: RestartPolicy;
  backoff: { initial: string; max: string; min_uptime: string; jitter: number };
  breaker: { enabled: boolean; max_deaths: number; window: string };
  stop_signal: string;
  stop_grace: string;
  stdout?: Output;
  stderr?: Output;
  health?: HealthCheck;
  autostart: boolean;
  notify: boolean;
  desktop_id?: string;
  icon?: string;
  /** The XDG autostart entry Lifeguard took over ("nm-applet.desktop"). */
  autostart_entry?: string;
}

/** The engine's spec as the snapshot carries it (no service options). */
export type ProgramSpec = Omit<ProgramEntry, "autostart" | "notify" | "desktop_id" | "icon" | "autostart_entry">;

/** One program's state (engine `ProgramSnapshot`). */
export interface ProgramSnapshot {
  id: string;
  name: string;
  spec: ProgramSpec;
  state: Observed;
  wanted: "up" | "down";
  paused: boolean;
  paused_until: number | null;
  restarts: number;
  attempt: number;
  last_exit: Exit | null;
  /** Deaths of running instances (kills, crashes; not stops) in the last hour. */
  deaths_last_hour?: number;
  /** How to find its process tree again (engine `Instance`); opaque to the window. */
  instance?: unknown;
  /** Why protection is not active although it was wanted up (engine `unprotected`). */
  unprotected?: string | null;
}

/** Every program plus the global pause (engine `Snapshot`). */
export interface Snapshot {
  paused: boolean;
  paused_until: number | null;
  programs: ProgramSnapshot[];
}

/** Engine event kinds (`EventKind`, snake_case). */
export type EventKind =
  | "added" | "removed" | "updated" | "started" | "restarted" | "exited"
  | "restart_scheduled" | "spawn_failed" | "gave_up" | "paused" | "resumed"
  | "retried" | "stopping" | "stopped"
  // Issue 4 (trees, launchers, adoption, health checks):
  | "handed_off" | "nothing_left" | "adopted" | "health_failed"
  // Issue 20 (memory limits, hooks):
  | "memory_high" | "hook_failed";

/** One engine event, in its flat JSON-line form. */
export interface EngineEvent {
  ts: number;
  event: EventKind;
  program: string;
  name: string;
  pid: number | null;
  attempt: number;
  exit: "code" | "signal" | "unknown" | null;
  exit_code: number | null;
  signal: string | null;
  signal_number: number | null;
  core_dumped: boolean | null;
  uptime_ms: number | null;
  delay_ms: number | null;
  until: number | null;
  requested_by: string | null;
  reason: string | null;
}

/** One row of the restart history (service `HistoryRecord`). */
export interface HistoryRecord {
  id?: number;
  ts_ms: number;
  program_id: string;
  program_name: string;
  kind: string;
  pid: number | null;
  exit_code: number | null;
  signal: number | null;
  signal_name: string | null;
  uptime_ms: number | null;
  delay_ms: number | null;
  attempt: number | null;
  requested_by: string | null;
  reason: string | null;
  detail: unknown;
}

/** Keyset cursor: the (time, id) of the last row of a page (service `Cursor`). */
export interface Cursor {
  ts_ms: number;
  id: number;
}

/** Which history rows to return; absent fields mean "any". */
export interface HistoryFilter {
  program?: string;
  kinds?: string[];
  since?: number;
  until?: number;
}

/** One page of history, newest first. */
export interface HistoryPage {
  records: HistoryRecord[];
  next: Cursor | null;
}

/** Per-program statistics (service `ProgramStats`). */
export interface ProgramStats {
  program_id: string;
  restarts_24h: number;
  restarts_7d: number;
  uptime_pct: number | null;
  failures: number;
  mtbf_ms: number | null;
  last_exit: HistoryRecord | null;
  last_exit_reason: string | null;
}

/** Restarts per UTC day, one series per program (service `RestartChart`). */
export interface RestartChart {
  day_starts_ms: number[];
  series: { program_id: string; counts: number[] }[];
}

/** The config's `[settings]` (service `Settings`). */
export interface Settings {
  notifications: boolean;
  launch_at_login: boolean;
  default_restart: RestartPolicy;
  metrics: { enabled: boolean; bind: string };
  programs_outlive_daemon: boolean;
  history: { max_age: string; max_rows?: number | null };
}

/** An installed application (a freedesktop `.desktop` entry). */
export interface DesktopApp {
  id: string;
  name: string;
  argv: string[];
  icon: string | null;
  comment: string | null;
}

/** An app the desktop starts at login (an XDG autostart entry). */
export interface LoginApp {
  /** Its desktop id, e.g. "nm-applet.desktop": the entry a takeover overrides. */
  id: string;
  name: string;
  argv: string[];
  comment: string | null;
  /** It asks the session to restart it (X-GNOME-AutoRestart / X-MATE-AutoRestart). */
  wants_restart: boolean;
  /** The entry is the user's own (~/.config/autostart), not the system's. */
  users_own: boolean;
}

/** A running program: the user's processes grouped by executable. */
export interface RunningProgram {
  name: string;
  exe: string;
  /** Its oldest process: the one adopted when it is protected. */
  pid: number;
  argv: string[];
  cwd: string | null;
  pids: number[];
  memory_bytes: number;
  started_at: number;
}

/** Where Lifeguard keeps its files. */
export interface Paths {
  config: string;
  data: string;
  state: string;
}

/** Every command rejects with this; branch on `kind`, never parse `message`. */
export interface ApiError {
  kind: string;
  message: string;
}
