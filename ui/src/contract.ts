// Generated from the Rust types by src-tauri/src/contract.rs (ts-rs): do not edit.
// Regenerate: LIFEGUARD_WRITE_CONTRACT=1 cargo nextest run -p lifeguard-desktop contract

export type Snapshot = { 
/**
 * Whether protection is paused for all programs.
 */
paused: boolean, 
/**
 * When the global pause ends (ms since the epoch), if it has an end.
 */
paused_until: number | null, 
/**
 * The programs, by id.
 */
programs: Array<ProgramSnapshot>, };

export type ProgramSnapshot = { 
/**
 * Its id.
 */
id: ProgramId, 
/**
 * Its display name.
 */
name: string, 
/**
 * Its full spec.
 */
spec: ProgramSpec, 
/**
 * What it is doing.
 */
state: Observed, 
/**
 * What is wanted.
 */
wanted: "up" | "down", 
/**
 * Whether its restarts are held (own or global pause).
 */
paused: boolean, 
/**
 * When its own pause ends (ms since the epoch), if paused with an end.
 */
paused_until: number | null, 
/**
 * Instances started in place of another so far.
 */
restarts: number, 
/**
 * Quick deaths in a row.
 */
attempt: number, 
/**
 * How the last instance ended.
 */
last_exit: Exit | null, 
/**
 * Deaths of running instances (kills, crashes; not stops) in the last hour: a
 * program that keeps being killed is restarted every time, and this says how often.
 */
deaths_last_hour: number, 
/**
 * The running instance (main pid + start time, tree token, group) while one runs:
 * what a state file keeps to re-adopt it with
 * [`Supervisor::adopt`](crate::Supervisor::adopt) after a restart of the supervisor.
 */
instance?: unknown, 
/**
 * Why protection is not active although the program was wanted up (it ended in a
 * way Lifeguard cannot follow), for the window and `status` to say so.
 */
unprotected?: string | null, 
/**
 * For a program that notifies (`spec.sd_notify`): whether the running instance said
 * `READY=1`; until then the window and tray say "starting".
 */
ready?: boolean, 
/**
 * The running instance's last `STATUS=` line, in its own words.
 */
talk_status?: string | null, };

export type Observed = { "state": "stopped" } | { "state": "starting" } | { "state": "running", 
/**
 * Its pid.
 */
pid: number, 
/**
 * Since when.
 */
since: number, } | { "state": "stopping", 
/**
 * Its pid.
 */
pid: number, 
/**
 * When SIGKILL follows, unless already sent.
 */
kill_at: number | null, } | { "state": "backoff", 
/**
 * When it restarts.
 */
next_restart: number, 
/**
 * How long that is from now, in ms.
 */
delay_ms: number, } | { "state": "held", 
/**
 * Since when.
 */
since: number, } | { "state": "exited", 
/**
 * How.
 */
exit: Exit, 
/**
 * When.
 */
at: number, } | { "state": "gave_up", 
/**
 * When.
 */
at: number, 
/**
 * Deaths in the window.
 */
deaths: number, };

export type Exit = { "code": number } | { "signal": { 
/**
 * The signal (serialized as its name, e.g. `"SIGKILL"`).
 */
signal: Signal, 
/**
 * Whether it dumped core.
 */
core_dumped: boolean, } } | "unknown";

export type ProgramSpec = { 
/**
 * Stable identifier used in events, history and controls.
 */
id: ProgramId, 
/**
 * Display name; empty means "use the id".
 */
name: string, 
/**
 * The program and its arguments, run directly (no shell unless argv says `sh -c`).
 */
argv: Array<string>, 
/**
 * Working directory; `None` inherits the supervisor's.
 */
cwd?: string | null, 
/**
 * Environment variables set on top of the supervisor's environment.
 */
env?: { [key in string]: string }, 
/**
 * When a death is followed by a restart.
 */
restart: RestartPolicy, 
/**
 * Spacing of restarts after quick deaths.
 */
backoff: BackoffSpec, 
/**
 * The crash-loop breaker.
 */
breaker: BreakerSpec, 
/**
 * Signal sent to the program's process group to stop it.
 */
stop_signal: Signal, 
/**
 * How long to wait after the stop signal before SIGKILLing the group.
 */
stop_grace: string, 
/**
 * Where the program's standard output goes.
 */
stdout: Output, 
/**
 * Where the program's standard error goes.
 */
stderr: Output, 
/**
 * An optional health check; without one the engine does no periodic work for it.
 */
health?: HealthCheck | null, 
/**
 * An optional memory limit on the whole tree; without one nothing is measured.
 */
memory_limit?: MemoryLimit | null, 
/**
 * A command (argv, no shell) run after each restart, once the new instance runs, with
 * the cause in `LIFEGUARD_*` variables (`hooks.rs`); it never delays the restart.
 */
on_restart?: Array<string> | null, 
/**
 * A command (argv, no shell) run when the breaker gives up on the program.
 */
on_give_up?: Array<string> | null, 
/**
 * How long a hook may run before it is killed (with its process group).
 */
hook_timeout?: string, 
/**
 * Whether the program speaks the sd_notify protocol on the `NOTIFY_SOCKET` it is
 * given: it counts as starting until it says `READY=1`, and its `STATUS=` is shown.
 */
sd_notify?: boolean, 
/**
 * A watchdog interval (`0s`: none): a program that said `WATCHDOG=1` and then stays
 * silent this long is restarted. It is passed as `WATCHDOG_USEC` and implies a
 * `NOTIFY_SOCKET`.
 */
watchdog?: string, };

export type RestartPolicy = { "policy": "always" } | { "policy": "on-failure", 
/**
 * Exit codes that mean "finished on purpose".
 */
clean_exit_codes: Array<number>, } | { "policy": "never" };

export type BackoffSpec = { 
/**
 * Delay before the restart after the first quick death that waits: the first of a
 * streak that began with no real run, else the second.
 */
initial: string, 
/**
 * Upper bound of the delay.
 */
max: string, 
/**
 * A run at least this long is a real run: its death is restarted at once and forgets
 * earlier quick deaths (backoff and crash-loop tally). Shorter runs are quick deaths.
 */
min_uptime: string, 
/**
 * Fraction (0.0–1.0) of a delay that is randomly taken off, so programs that died
 * together do not restart in lockstep.
 */
jitter: number, };

export type BreakerSpec = { 
/**
 * Off means restart forever (still spaced by the backoff).
 */
enabled: boolean, 
/**
 * How many quick deaths within `window` trip the breaker.
 */
max_deaths: number, 
/**
 * The sliding window quick deaths are counted in.
 */
window: string, };

export type Output = "inherit" | "null" | { "file": string };

export type HealthCheck = { 
/**
 * `http://host:port/path`: healthy when a GET answers 2xx or 3xx (plain HTTP only).
 */
http?: string | null, 
/**
 * `host:port`: healthy when a TCP connection is accepted.
 */
tcp?: string | null, 
/**
 * A command (argv, no shell): healthy when it exits 0.
 */
command?: Array<string> | null, 
/**
 * Time between checks.
 */
interval: string, 
/**
 * How long one check may take before it counts as failed.
 */
timeout: string, 
/**
 * No checks this long after a start (the program is still coming up).
 */
start_grace: string, 
/**
 * Failures in a row that restart the program.
 */
failures: number, };

export type MemoryLimit = { 
/**
 * The most the program's processes together may use (resident set size), in bytes;
 * written `"500MB"` (MB = 1000² bytes), `"2GB"`, `"512MiB"` (MiB = 1024²).
 */
max: string, 
/**
 * Checks in a row above `max` that trigger the action.
 */
checks: number, 
/**
 * Time between checks.
 */
interval: string, 
/**
 * What happens past the limit.
 */
action: MemoryAction, };

export type MemoryAction = "restart" | "notify";

export type EngineEvent = { ts: number, event: EventKind, program: ProgramId, name: string, pid: number | null, attempt: number, exit: string | null, exit_code: number | null, signal: Signal | null, signal_number: number | null, core_dumped: boolean | null, uptime_ms: number | null, delay_ms: number | null, until: number | null, requested_by: RequestedBy | null, reason: string | null, };

export type EventKind = "added" | "removed" | "updated" | "started" | "restarted" | "exited" | "restart_scheduled" | "spawn_failed" | "gave_up" | "paused" | "resumed" | "retried" | "stopping" | "stopped" | "handed_off" | "nothing_left" | "adopted" | "health_failed" | "memory_high" | "not_responding" | "responding" | "hook_failed" | "ready" | "status" | "shutting_down" | "main_changed";

export type RequestedBy = "ui" | "tray" | "cli" | "api" | "config";

export type ProgramId = string;

export type Signal = string;

export type ProgramEntry = { 
/**
 * Stable identifier used in events, history and controls.
 */
id: ProgramId, 
/**
 * Display name; empty means "use the id".
 */
name: string, 
/**
 * The program and its arguments, run directly (no shell unless argv says `sh -c`).
 */
argv: Array<string>, 
/**
 * Working directory; `None` inherits the supervisor's.
 */
cwd?: string | null, 
/**
 * Environment variables set on top of the supervisor's environment.
 */
env?: { [key in string]: string }, 
/**
 * When a death is followed by a restart.
 */
restart: RestartPolicy, 
/**
 * Spacing of restarts after quick deaths.
 */
backoff: BackoffSpec, 
/**
 * The crash-loop breaker.
 */
breaker: BreakerSpec, 
/**
 * Signal sent to the program's process group to stop it.
 */
stop_signal: Signal, 
/**
 * How long to wait after the stop signal before SIGKILLing the group.
 */
stop_grace: string, 
/**
 * Where the program's standard output goes.
 */
stdout: Output, 
/**
 * Where the program's standard error goes.
 */
stderr: Output, 
/**
 * An optional health check; without one the engine does no periodic work for it.
 */
health?: HealthCheck | null, 
/**
 * An optional memory limit on the whole tree; without one nothing is measured.
 */
memory_limit?: MemoryLimit | null, 
/**
 * A command (argv, no shell) run after each restart, once the new instance runs, with
 * the cause in `LIFEGUARD_*` variables (`hooks.rs`); it never delays the restart.
 */
on_restart?: Array<string> | null, 
/**
 * A command (argv, no shell) run when the breaker gives up on the program.
 */
on_give_up?: Array<string> | null, 
/**
 * How long a hook may run before it is killed (with its process group).
 */
hook_timeout?: string, 
/**
 * Whether the program speaks the sd_notify protocol on the `NOTIFY_SOCKET` it is
 * given: it counts as starting until it says `READY=1`, and its `STATUS=` is shown.
 */
sd_notify?: boolean, 
/**
 * A watchdog interval (`0s`: none): a program that said `WATCHDOG=1` and then stays
 * silent this long is restarted. It is passed as `WATCHDOG_USEC` and implies a
 * `NOTIFY_SOCKET`.
 */
watchdog?: string, 
/**
 * Start it when the daemon starts (default true); otherwise it is listed but down.
 */
autostart: boolean, 
/**
 * Show a desktop notification when it is restarted (default true).
 */
notify: boolean, 
/**
 * The desktop entry it was picked from (`firefox.desktop`), for the UI.
 */
desktop_id?: string, 
/**
 * Icon name or path, for the UI.
 */
icon?: string, 
/**
 * The XDG autostart entry (`nm-applet.desktop`) Lifeguard took over from the desktop
 * session: a `Hidden=true` override of that id in `~/.config/autostart` keeps the
 * session from starting a second copy at login, and is undone (the user's own entry
 * put back) when the program is removed from Lifeguard.
 */
autostart_entry?: string, };

export type ProgramOptions = { 
/**
 * Start it when the daemon starts (default true); otherwise it is listed but down.
 */
autostart: boolean, 
/**
 * Show a desktop notification when it is restarted (default true).
 */
notify: boolean, 
/**
 * The desktop entry it was picked from (`firefox.desktop`), for the UI.
 */
desktop_id?: string, 
/**
 * Icon name or path, for the UI.
 */
icon?: string, 
/**
 * The XDG autostart entry (`nm-applet.desktop`) Lifeguard took over from the desktop
 * session: a `Hidden=true` override of that id in `~/.config/autostart` keeps the
 * session from starting a second copy at login, and is undone (the user's own entry
 * put back) when the program is removed from Lifeguard.
 */
autostart_entry?: string, };

export type Settings = { 
/**
 * Desktop notifications on restarts (default true).
 */
notifications: boolean, 
/**
 * Start Lifeguard when the user logs in (default true).
 */
launch_at_login: boolean, 
/**
 * Restart policy of programs that do not set `restart` themselves.
 */
default_restart: RestartPolicy, 
/**
 * The Prometheus metrics endpoint.
 */
metrics: MetricsSettings, 
/**
 * Leave the programs running when the daemon exits or dies (default true).
 */
programs_outlive_daemon: boolean, 
/**
 * How much restart history to keep.
 */
history: HistorySettings, };

export type MetricsSettings = { 
/**
 * Serve metrics (default false).
 */
enabled: boolean, 
/**
 * Loopback address and port to listen on (default `127.0.0.1:9464`).
 */
bind: string, };

export type HistorySettings = { 
/**
 * Drop events older than this (default `"90d"`; `"0s"` keeps them forever).
 */
max_age: string, 
/**
 * Keep at most this many events (default: no limit).
 */
max_rows: number | null, };

export type ConfigView = { 
/**
 * The config file.
 */
path: string, 
/**
 * The settings in force.
 */
settings: Settings, 
/**
 * As in `hello`: the daemon started on this broken file and adopts the programs
 * running from before once it is fixed (the window says so instead of "nothing is
 * protected yet").
 */
config_problem?: string | null, };

export type HistoryParams = { 
/**
 * Only this program.
 */
program: string | null, 
/**
 * Only these kinds (`exited`, `restarted`…); empty for all.
 */
kinds: Array<string>, 
/**
 * Only events at or after this time (ms since the epoch).
 */
since_ms: number | null, 
/**
 * Only events before this time (ms since the epoch).
 */
until_ms: number | null, 
/**
 * The previous page's `next`, for the following page.
 */
after: Cursor | null, 
/**
 * Page size (default 100, at most 1000).
 */
limit: number | null, };

export type Page = { 
/**
 * The events, newest first.
 */
events: Array<HistoryRecord>, 
/**
 * Cursor for the following (older) page; `None` when this is the last one.
 */
next: Cursor | null, };

export type Cursor = { 
/**
 * `ts_ms` of the last event returned.
 */
ts_ms: number, 
/**
 * `id` of the last event returned.
 */
id: number, };

export type HistoryRecord = { 
/**
 * Row id, assigned by the database; `None` for a record not stored yet.
 */
id?: number | null, 
/**
 * When it happened: UTC milliseconds since the Unix epoch.
 */
ts_ms: number, 
/**
 * The program's stable id.
 */
program_id: string, 
/**
 * The program's display name at the time of the event.
 */
program_name: string, 
/**
 * What happened: one of the names in [`kind`].
 */
kind: string, 
/**
 * The process id involved, if any.
 */
pid: number | null, 
/**
 * Exit code, when the process exited normally.
 */
exit_code: number | null, 
/**
 * Signal number, when the process was killed by a signal.
 */
signal: number | null, 
/**
 * Signal name (`SIGKILL`), alongside `signal`.
 */
signal_name: string | null, 
/**
 * How long the process had been up when it exited.
 */
uptime_ms: number | null, 
/**
 * Delay before a scheduled restart.
 */
delay_ms: number | null, 
/**
 * Start attempt number since the last stable run.
 */
attempt: number | null, 
/**
 * Who asked for it (`ui`, `tray`, `cli`, `api`, `config`), for requested actions.
 */
requested_by: string | null, 
/**
 * Free-text reason (the requester's, or the engine's explanation).
 */
reason: string | null, 
/**
 * Anything else, as JSON (stored as JSON text).
 */
detail: unknown, };

export type ProgramStats = { 
/**
 * The program.
 */
program_id: string, 
/**
 * `restarted` events in the last 24 hours.
 */
restarts_24h: number, 
/**
 * `restarted` events in the last 7 days.
 */
restarts_7d: number, 
/**
 * Percentage of the window the program was up; `None` with no run events at all.
 */
uptime_pct: number | null, 
/**
 * Unrequested failures within the window.
 */
failures: number, 
/**
 * Mean up time between failures within the window; `None` without failures.
 */
mtbf_ms: number | null, 
/**
 * The last `exited` or `spawn_failed` event, whenever it was.
 */
last_exit: HistoryRecord | null, 
/**
 * `last_exit` in words ("killed by SIGKILL", "exit code 1", or its reason).
 */
last_exit_reason: string | null, };

export type RestartChart = { 
/**
 * Start (UTC ms) of each day, oldest first; every series has one count per day.
 */
day_starts_ms: Array<number>, 
/**
 * One series per program that restarted in the range, by program id.
 */
series: Array<RestartSeries>, };

export type RestartSeries = { 
/**
 * The program.
 */
program_id: string, 
/**
 * Restarts on each day of [`RestartChart::day_starts_ms`].
 */
counts: Array<number>, };

export type LogLines = { 
/**
 * The program's id.
 */
program: ProgramId, 
/**
 * The stdout log file (`output/<id>.log`; before stderr had its own file, it held both).
 */
path: string, 
/**
 * The stderr log file (`output/<id>.err.log`). Absent from daemons that wrote both
 * streams to `path`.
 */
stderr_path?: string, 
/**
 * The lines without newlines (invalid UTF-8 replaced). In `logs`' answer: the last
 * lines of stdout, oldest first, then those of stderr (the files carry no times, so
 * the two cannot be interleaved honestly); in a `log` notification: the lines that
 * arrived since the last one, stdout's before stderr's.
 */
lines: Array<string>, 
/**
 * The stream of each of `lines`, in the same order. Empty from daemons that wrote
 * both streams to one file: then every line counts as stdout (see [`LogLines::stream`]).
 */
streams: Array<Stream>, 
/**
 * Older lines left out to keep the message under 1 MiB (0 when none were).
 */
omitted: number, };

export type Stream = "stdout" | "stderr";

export type Removed = { 
/**
 * The program's id.
 */
program: ProgramId, 
/**
 * With `keep_running`: the pid left running, if it was running.
 */
left_running: number | null, };

export type MissedList = { 
/**
 * One entry per program, oldest first; empty once a summary popup showed them or
 * the person dismissed them.
 */
missed: Array<MissedRestart>, };

export type MissedRestart = { 
/**
 * The program's id.
 */
program: string, 
/**
 * The popup's title that was not shown, e.g. "Firefox restarted".
 */
title: string, 
/**
 * How many popups about it were missed.
 */
count: number, 
/**
 * When the last one was missed, in ms since the Unix epoch.
 */
at_ms: number, };

export type UsageReport = { 
/**
 * When the readings were taken: the daemon's monotonic clock, in milliseconds (only
 * differences between two answers mean anything).
 */
at_ms: number, 
/**
 * One entry per program with a live instance; programs that are down are absent.
 */
programs: Array<ProgramUsage>, };

export type ProgramUsage = { 
/**
 * The program.
 */
id: ProgramId, 
/**
 * Its instance's main process: a rate is only meaningful between two readings of
 * the same instance (a restart starts CPU time from zero).
 */
pid: number, 
/**
 * The resident memory of the tree's live processes, in bytes.
 */
rss_bytes: number, 
/**
 * The user and system CPU time of the tree's live processes, in milliseconds (what
 * ended processes used is gone with them).
 */
cpu_ms: number, 
/**
 * How many live processes the tree has.
 */
processes: number, };

export type Usage = { 
/**
 * The resident memory of the tree's live processes, in bytes.
 */
rss_bytes: number, 
/**
 * The user and system CPU time of the tree's live processes, in milliseconds (what
 * ended processes used is gone with them).
 */
cpu_ms: number, 
/**
 * How many live processes the tree has.
 */
processes: number, };

export type AppInfo = { 
/**
 * The product name, "Lifeguard".
 */
name: string, 
/**
 * The app's version, from Cargo.toml.
 */
version: string, };

export type Paths = { 
/**
 * The config file.
 */
config: string, 
/**
 * The restart history database.
 */
data: string, 
/**
 * Logs, telemetry and captured program output.
 */
state: string, };

export type DesktopApp = { 
/**
 * The desktop id (`firefox-esr.desktop`).
 */
id: string, 
/**
 * Its display name.
 */
name: string, 
/**
 * Its command, field codes removed.
 */
argv: Array<string>, 
/**
 * Its icon as a `data:` URL, when one was found in a usable format.
 */
icon: string | null, 
/**
 * Its comment.
 */
comment: string | null, };

export type ProgramIcons = { 
/**
 * Program id → its icon as a `data:` URL (the CSP loads images only from `data:`).
 * A program with no icon found is absent: its row keeps its letter.
 */
icons: { [key in string]: string }, };

export type LoginApp = { 
/**
 * Its desktop id (the file name, `nm-applet.desktop`): what a takeover overrides.
 */
id: string, 
/**
 * Its display name.
 */
name: string, 
/**
 * Its command, field codes removed.
 */
argv: Array<string>, 
/**
 * Its comment.
 */
comment: string | null, 
/**
 * Whether it asks the session to restart it (`X-GNOME-AutoRestart`,
 * `X-MATE-AutoRestart`), which GNOME 49 and systemd's generator no longer honour.
 */
wants_restart: boolean, 
/**
 * Whether the entry is the user's own (`~/.config/autostart`) rather than the system's.
 */
users_own: boolean, };

export type RunningProgram = { 
/**
 * The executable's file name.
 */
name: string, 
/**
 * The executable's path.
 */
exe: string, 
/**
 * Its oldest process (usually the one that started the rest): the one adopted when
 * the person protects it.
 */
pid: number, 
/**
 * The command line of that process.
 */
argv: Array<string>, 
/**
 * That process's working directory, when readable.
 */
cwd: string | null, 
/**
 * Every process of the program, ascending.
 */
pids: Array<number>, 
/**
 * Resident memory of all its processes, in bytes.
 */
memory_bytes: number, 
/**
 * When its oldest process started, ms since the Unix epoch.
 */
started_at: number, };

export type ApiError = { 
/**
 * Stable machine-readable kind, e.g. `no_daemon`, `invalid_spec`, `unknown_program`.
 */
kind: string, 
/**
 * A sentence for people.
 */
message: string, 
/**
 * The field a bad value is in, when the error is about one: the daemon's spec path
 * (`stop_grace`, `backoff.initial`, `argv`), or the command's own parameter.
 */
field?: string, };
