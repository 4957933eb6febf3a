// Shell commands of the live output and the window shortcuts (docs/desktop-api.md).
// Kept apart from api.ts so each view pulls in only what it uses.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { toApiError } from "./api";
import type { Stream } from "./contract";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toApiError(error);
  }
}

/** A program's last lines when following began, and where its log files are. */
export interface LogTail {
  program: string;
  /** The stdout file (an older daemon's combined file). */
  path: string;
  /** The stderr file; absent from an older daemon. */
  stderr_path?: string;
  lines: string[];
  /** The stream of each of `lines`; empty from an older daemon (all stdout). */
  streams: Stream[];
  omitted: number;
}

/** New lines of a followed log. */
export interface LogBatch {
  program: string;
  lines: string[];
  /** The stream of each of `lines`. */
  streams?: Stream[];
}

const streamsOf = (raw: unknown): Stream[] =>
  Array.isArray(raw) ? raw.map((s) => (s === "stderr" ? "stderr" : "stdout")) : [];

/** Starts following a program's output; new lines arrive through `onLog`. */
export const logsFollow = async (id: string): Promise<LogTail> => {
  const raw = await call<Partial<LogTail>>("logs_follow", { id });
  return { program: String(raw.program ?? id), path: String(raw.path ?? ""),
    stderr_path: raw.stderr_path ? String(raw.stderr_path) : undefined,
    lines: Array.isArray(raw.lines) ? raw.lines.map(String) : [], streams: streamsOf(raw.streams),
    omitted: Number(raw.omitted ?? 0) };
};
/** Stops following a program's output. */
export const logsUnfollow = (id: string) => call<void>("logs_unfollow", { id });
/** Opens the program's stdout log file (its stderr file if only that exists) in the desktop's viewer; resolves to its path. */
export const openLogFile = (id: string) => call<string>("open_log_file", { id });
/** Closes the window (Ctrl+W); the app and the daemon keep running. */
export const closeWindow = () => call<void>("close_window");
/** Quits the app (Ctrl+Q); the daemon keeps protecting. */
export const quitApp = () => call<void>("quit_app");
/** Batches of new lines of followed logs. */
export const onLog = (handler: (batch: LogBatch) => void): Promise<UnlistenFn> =>
  listen<LogBatch>("lifeguard://log", (e) => handler(e.payload));
