// The rest of a program's config entry in the form: its memory limit, its hooks and
// where its output goes. Only their shape is checked here (what must parse to make an
// entry); their ranges are the daemon's, which the edit form asks while you type.
import { joinArgs, splitArgs } from "./args";
import type { MemoryLimit, Output, ProgramInput } from "./types";
import type { ProgramForm } from "./validate";

/** The entry fields these form fields make, or a problem through `bad`. */
export function extrasOf(
  f: ProgramForm,
  bad: (field: keyof ProgramForm, message: string) => void,
): Pick<ProgramInput, "memory_limit" | "on_restart" | "on_give_up" | "hook_timeout" | "stdout" | "stderr" | "sd_notify" | "watchdog"> {
  const out: ReturnType<typeof extrasOf> = {};
  if (f.memoryAction !== "none") {
    const checks = Number(f.memoryChecks);
    if (!f.memoryMax.trim()) bad("memoryMax", 'Memory limit: give a size, e.g. "500MB" or "2GiB"');
    if (!(Number.isInteger(checks) && checks > 0)) bad("memoryChecks", "Checks above the limit: use a whole number above zero, e.g. 3");
    const limit: MemoryLimit = { max: f.memoryMax.trim(), checks, interval: f.memoryInterval.trim(), action: f.memoryAction };
    out.memory_limit = limit;
  }
  const hook = (field: "onRestart" | "onGiveUp", label: string) => {
    if (!f[field].trim()) return undefined;
    const argv = splitArgs(f[field]);
    if (!argv?.length) bad(field, `${label}: a quote is not closed`);
    return argv ?? undefined;
  };
  const onRestart = hook("onRestart", "After each restart, run");
  const onGiveUp = hook("onGiveUp", "When it gives up, run");
  if (onRestart) out.on_restart = onRestart;
  if (onGiveUp) out.on_give_up = onGiveUp;
  if (f.hookTimeout.trim()) out.hook_timeout = f.hookTimeout.trim();
  if (f.sdNotify === "yes") out.sd_notify = true;
  if (f.watchdog.trim() && f.watchdog.trim() !== "0s") out.watchdog = f.watchdog.trim();
  const stream = (field: "stdout" | "stderr", label: string): Output | undefined => {
    const text = f[field].trim();
    if (!text || text === "log") return undefined;
    if (text === "discard") return "null";
    if (!text.startsWith("/")) bad(field, `${label}: leave it empty for the log file, write "discard", or give an absolute path`);
    return { file: text };
  };
  const stdout = stream("stdout", "Standard output");
  const stderr = stream("stderr", "Standard error");
  if (stdout) out.stdout = stdout;
  if (stderr) out.stderr = stderr;
  return out;
}

/** The form fields of an entry's memory limit, hooks and output. */
export function extrasForm(e: ProgramInput): Partial<ProgramForm> {
  const m = e.memory_limit;
  const stream = (o: Output | undefined) => (o === undefined || o === "inherit" ? "" : o === "null" ? "discard" : o.file);
  return {
    memoryAction: m ? m.action : "none", memoryMax: m?.max ?? "", memoryChecks: String(m?.checks ?? 3),
    memoryInterval: m?.interval ?? "2s", onRestart: joinArgs(e.on_restart ?? []), onGiveUp: joinArgs(e.on_give_up ?? []),
    hookTimeout: e.hook_timeout ?? "", stdout: stream(e.stdout), stderr: stream(e.stderr),
    sdNotify: e.sd_notify ? "yes" : "", watchdog: e.watchdog ?? "",
  };
}

/** The defaults of these fields for a new program. */
export const extrasDefaults = {
  memoryAction: "none", memoryMax: "", memoryChecks: "3", memoryInterval: "2s",
  onRestart: "", onGiveUp: "", hookTimeout: "", stdout: "", stderr: "", sdNotify: "", watchdog: "",
} as const;
