// The only module that talks to the desktop shell: Tauri commands and typed events.
// The contract is written down in docs/desktop-api.md; keep both in step.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  ApiError, ConfigView, Cursor, DesktopApp, EngineEvent, HistoryFilter, HistoryPage, LoginApp, LogLines,
  MissedList, MissedRestart, Paths, ProgramIcons,
  ProgramEntry, ProgramInput, ProgramSnapshot, ProgramStats, RestartChart, RunningProgram, Settings, Snapshot,
  UsageReport,
} from "./types";

export type * from "./types";

/** What the shell tells about itself (`app_info` command). */
export interface AppInfo {
  name: string;
  version: string;
}

/** Controls a program accepts through `control`. */
export type ControlAction = "start" | "stop" | "restart" | "retry";

/** Export formats of `export_history`. */
export type ExportFormat = "csv" | "jsonl";

/** Turns whatever a command rejected with into `{kind, message}`, so callers can branch
 * on `kind` even when the shell itself failed (e.g. an unknown command gives a string). */
export function toApiError(error: unknown): ApiError {
  if (typeof error === "object" && error !== null && "kind" in error) {
    const e = error as { kind: unknown; message?: unknown; field?: unknown };
    const out: ApiError = { kind: String(e.kind), message: String(e.message ?? "") };
    if (typeof e.field === "string") out.field = e.field;
    return out;
  }
  return { kind: "shell", message: String(error) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toApiError(error);
  }
}

/** Asks the shell for its name and version. */
export const appInfo = () => call<AppInfo>("app_info");
/** Every program's state and the global pause. */
export const status = () => call<Snapshot>("status");
/** The restarts no notification showed (no notification server answered), oldest first. */
export const missed = () => call<MissedList>("missed");
/** Forgets them (the banner's Dismiss). */
export const dismissMissed = () => call<void>("dismiss_missed");
/** Memory and CPU time of each running program's process tree, read by the daemon now
 * (see `usage.ts` for the CPU % of two answers); programs that are down are absent. */
export const usage = () => call<UsageReport>("usage");
/** The config entries (spec + options) of all programs; see docs/desktop-api.md. */
export const programs = () => call<ProgramEntry[]>("programs");
/** Protects a new program; rejects with `invalid_spec` naming the field. */
export const addProgram = (program: ProgramInput, adoptPid?: number) =>
  call<void>("add_program", { program, adoptPid: adoptPid ?? null });
/** Replaces a program's entry; resolves to its snapshot after the change. */
export const updateProgram = (program: ProgramInput) => call<ProgramSnapshot>("update_program", { program });
/** Whether the daemon would accept this entry (a dry run: nothing is written); rejects
 * with the error a save would give, `field` naming the bad value's spec path. */
export const checkProgram = (program: ProgramInput) =>
  call<ProgramSnapshot>("update_program", { program, dryRun: true });
/** Removes a program: `keepRunning` true is "stop protecting", false "remove and stop it". */
export const removeProgram = (id: string, keepRunning: boolean) =>
  call<void>("remove_program", { id, keepRunning });
/** Starts, stops, restarts or retries a program. */
export const control = (id: string, action: ControlAction) => call<void>("control", { id, action });
/** Pauses one program (or all with `id` null) for `minutes` (null: until resumed). */
export const pause = (id: string | null, minutes: number | null) => call<void>("pause", { id, minutes });
/** Resumes one program, or everything with `id` null. */
export const resume = (id: string | null) => call<void>("resume", { id });
/** One page of history, newest first, after `cursor`. */
export const history = (filter: HistoryFilter, cursor: Cursor | null, limit: number) =>
  call<HistoryPage>("history", { params: {
    program: filter.program ?? null, kinds: filter.kinds ?? [], since_ms: filter.since ?? null,
    until_ms: filter.until ?? null, after: cursor, limit,
  } });
/** Uptime, MTBF and restart counts of one program. */
export const stats = (program: string) => call<ProgramStats>("stats", { program });
/** Restarts per day per program over the last `days` days. */
export const restartChart = (days: number) => call<RestartChart>("restart_chart", { days });
/** Exports the filtered history through the shell's save dialog; null when cancelled. */
export const exportHistory = (filter: HistoryFilter, format: ExportFormat) =>
  call<string | null>("export_history", { filter, format });
/** The last `lines` lines of a program's captured output. */
export const logs = (id: string, lines: number) => call<LogLines>("logs", { id, lines });
/** The config's `[settings]`, its path, and the broken config.toml the daemon started on, if any
 * (`config_problem`: nothing is supervised until it is fixed). */
export const settingsGet = () => call<ConfigView>("settings_get");
/** Saves the config's `[settings]`. */
export const settingsSet = (settings: Settings) => call<ConfigView>("settings_set", { settings });
/** Whether Lifeguard starts at login. */
export const autostartGet = () => call<boolean>("autostart_get");
/** Turns launch at login on or off. */
export const autostartSet = (enabled: boolean) => call<void>("autostart_set", { enabled });
/** The no-tray-host notice (what to install on this desktop), once per run; else null. */
export const trayNotice = () => call<string | null>("tray_notice");
/** Where the config, data and state files are. */
export const paths = () => call<Paths>("paths");
/** Installed applications (freedesktop entries), icons as data URLs. */
export const desktopApps = () => call<DesktopApp[]>("desktop_apps");
/** Each program's icon (its config `icon`, else its desktop entry's `Icon=`) from the
 * user's icon theme, as data URLs by program id; programs without one are absent. */
export const programIcons = () => call<ProgramIcons>("program_icons");
/** The user's running programs, grouped by executable. */
export const runningProcesses = () => call<RunningProgram[]>("running_processes");
/** The apps the desktop starts at login (XDG autostart entries). */
export const loginApps = () => call<LoginApp[]>("login_apps");
/** Opens the shell's file dialog for an executable; null when cancelled. */
export const pickExecutable = () => call<string | null>("pick_executable");

/** Engine events, one at a time, as the daemon reports them. */
export const onEvent = (handler: (event: EngineEvent) => void): Promise<UnlistenFn> =>
  listen<EngineEvent>("lifeguard://event", (e) => handler(e.payload));
/** The daemon's whole snapshot after each burst of events: the state to show. */
export const onSnapshot = (handler: (snapshot: Snapshot) => void): Promise<UnlistenFn> =>
  listen<Snapshot>("lifeguard://snapshot", (e) => handler(e.payload));
/** The missed restarts, on connecting and on every change of the list. */
export const onMissed = (handler: (missed: MissedRestart[]) => void): Promise<UnlistenFn> =>
  listen<MissedList>("lifeguard://missed", (e) => handler(e.payload.missed));
/** The daemon connection going down or coming back. */
export const onConnection = (handler: (connected: boolean) => void): Promise<UnlistenFn> =>
  listen<{ connected: boolean }>("lifeguard://connection", (e) => handler(e.payload.connected));
/** The tray asking to show a program (or the list, with null). */
export const onNavigate = (handler: (program: string | null) => void): Promise<UnlistenFn> =>
  listen<{ program: string | null }>("lifeguard://navigate", (e) => handler(e.payload.program));
