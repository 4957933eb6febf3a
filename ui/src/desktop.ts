// Shell commands of the live output and the window shortcuts (docs/desktop-api.md).
// Kept apart from api.ts so each view pulls in only what it uses.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { toApiError } from "./api";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toApiError(error);
  }
}

/** A program's last lines when following began, and where its log file is. */
export interface LogTail {
  program: string;
  path: string;
  lines: string[];
  omitted: number;
}

/** New lines of a followed log. */
export interface LogBatch {
  program: string;
  lines: string[];
}

/** Starts following a program's output; new lines arrive through `onLog`. */
export const logsFollow = async (id: string): Promise<LogTail> => {
  const raw = await call<Partial<LogTail>>("logs_follow", { id });
  return { program: String(raw.program ?? id), path: String(raw.path ?? ""),
    lines: Array.isArray(raw.lines) ? raw.lines.map(String) : [], omitted: Number(raw.omitted ?? 0) };
};
/** Stops following a program's output. */
export const logsUnfollow = (id: string) => call<void>("logs_unfollow", { id });
/** Opens the program's log file in the desktop's viewer; resolves to its path. */
export const openLogFile = (id: string) => call<string>("open_log_file", { id });
/** Closes the window (Ctrl+W); the app and the daemon keep running. */
export const closeWindow = () => call<void>("close_window");
/** Quits the app (Ctrl+Q); the daemon keeps protecting. */
export const quitApp = () => call<void>("quit_app");
/** Batches of new lines of followed logs. */
export const onLog = (handler: (batch: LogBatch) => void): Promise<UnlistenFn> =>
  listen<LogBatch>("lifeguard://log", (e) => handler(e.payload));
