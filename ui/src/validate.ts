// The "protect a program" form: its values, their checks (each error names the field
// and the fix), and the conversion to one config `[[program]]` entry. Nothing is sent
// until every check passes, so nothing is saved half-way. The daemon checks again.
import { splitArgs, joinArgs } from "./args";
import { DURATION_FIX, parseDuration } from "./duration";
import { programDefaults } from "./defaults";
import { extrasDefaults, extrasForm, extrasOf } from "./extras";
import { healthCheck, healthForm } from "./health";
import type { ProgramInput, RestartPolicy } from "./types";

/** What the form's inputs hold, as text where people type. */
export interface ProgramForm {
  id: string;
  name: string;
  program: string;
  args: string;
  cwd: string;
  policy: RestartPolicy["policy"];
  cleanCodes: string;
  notify: boolean;
  autostart: boolean;
  backoffInitial: string;
  backoffMax: string;
  minUptime: string;
  jitter: string;
  breakerEnabled: boolean;
  maxDeaths: string;
  window: string;
  stopSignal: string;
  stopGrace: string;
  env: string;
  desktopId: string;
  icon: string;
  /** The XDG autostart entry taken over from the desktop's login start, if any. */
  autostartEntry: string;
  /** The entry's `window_ping` table as JSON, carried through an edit unchanged (the form
   * has no field of its own for it yet, and saving must not lose it). */
  windowPing: string;
  healthKind: "none" | "http" | "tcp" | "command";
  healthTarget: string;
  healthInterval: string;
  healthFailures: string;
  healthTimeout: string;
  healthGrace: string;
  /** "none" for no memory limit, else what happens past it. */
  memoryAction: "none" | "restart" | "notify";
  memoryMax: string;
  memoryChecks: string;
  memoryInterval: string;
  /** Hooks: a command line each, empty for none. */
  onRestart: string;
  onGiveUp: string;
  hookTimeout: string;
  /** "yes" when it speaks sd_notify (READY=1, STATUS=… on its NOTIFY_SOCKET). */
  sdNotify: "" | "yes";
  /** Its watchdog interval, empty for none. */
  watchdog: string;
  /** Empty for the log file, "discard", or an absolute path. */
  stdout: string;
  stderr: string;
}

/** How much `validateForm` checks: `ranges: false` leaves the limits to the daemon (the
 * edit form asks it with a dry run, so its own message is the one shown). */
export interface CheckOptions {
  ranges?: boolean;
}

const DAY_MS = 86_400_000;

/** The daemon's limits (`crates/engine/src/ranges.rs`), mirrored so the form says so first. */
export const LIMITS: Partial<Record<keyof ProgramForm, { ms: number; text: string }>> = {
  backoffInitial: { ms: DAY_MS, text: "1d" },
  backoffMax: { ms: DAY_MS, text: "1d" },
  window: { ms: 7 * DAY_MS, text: "7d" },
};

/** `breaker.max_deaths` at most this (`ranges::MAX_DEATHS`). */
export const MAX_DEATHS = 10_000;

/** One problem, tied to the form field it is about. */
export interface FieldError {
  field: keyof ProgramForm;
  message: string;
}

/** The engine's defaults (on-failure, notifications on, start with Lifeguard…), the same
 * as `lifeguard add` and a bare `[[program]]` get: see `defaults.ts`. */
export function defaultForm(): ProgramForm {
  const d = programDefaults;
  return {
    id: "", name: "", program: "", args: "", cwd: "", policy: d.restart.policy as RestartPolicy["policy"],
    cleanCodes: d.restart.clean_exit_codes.join(", "), notify: d.notify, autostart: d.autostart,
    backoffInitial: d.backoff.initial, backoffMax: d.backoff.max, minUptime: d.backoff.min_uptime,
    jitter: String(d.backoff.jitter), breakerEnabled: d.breaker.enabled, maxDeaths: String(d.breaker.max_deaths),
    window: d.breaker.window, stopSignal: d.stopSignal, stopGrace: d.stopGrace, env: "", desktopId: "",
    icon: "", autostartEntry: "", windowPing: "", healthKind: "none", healthTarget: "", healthInterval: "10s", healthFailures: "3",
    healthTimeout: "", healthGrace: "", ...extrasDefaults,
  };
}

/** A program id from a display name: "Mozilla Firefox" → "mozilla-firefox". */
export function slugify(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[^a-z0-9]+|-+$/g, "");
  return slug.slice(0, 64) || "program";
}

/** Checks the form; returns the entry to send, or every problem found. */
export function validateForm(f: ProgramForm, options: CheckOptions = {}): { entry: ProgramInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const ranges = options.ranges ?? true;
  const bad = (field: keyof ProgramForm, message: string) => errors.push({ field, message });
  const outOfRange = (field: keyof ProgramForm, message: string) => ranges && bad(field, message);
  const name = f.name.trim();
  const id = f.id.trim() || slugify(name || basename(f.program));
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(id)) {
    bad("id", "Id: use lowercase letters, digits, '-', '_' or '.', starting with a letter or digit");
  }
  if (!f.program.trim()) bad("program", "Program: choose the program to run");
  const args = splitArgs(f.args);
  if (args === null) bad("args", "Arguments: a quote is not closed");
  if (f.cwd.trim() && !f.cwd.trim().startsWith("/")) bad("cwd", "Working directory: give an absolute path, starting with /");
  const codes = f.cleanCodes.split(/[\s,]+/).filter(Boolean).map(Number);
  if (f.policy === "on-failure" && codes.some((c) => !Number.isInteger(c) || c < 0 || c > 255)) {
    bad("cleanCodes", "Clean exit codes: use whole numbers from 0 to 255, separated by commas");
  }
  const durations: [keyof ProgramForm, string][] = [
    ["backoffInitial", "First restart delay"], ["backoffMax", "Longest restart delay"],
    ["minUptime", "Minimum uptime"], ["window", "Crash-loop window"], ["stopGrace", "Stop grace"],
  ];
  const ms: Partial<Record<keyof ProgramForm, number>> = {};
  for (const [field, label] of durations) {
    const v = parseDuration(String(f[field]));
    if (v === null) bad(field, `${label}: "${String(f[field])}" is not a duration; ${DURATION_FIX}`);
    else ms[field] = v;
  }
  if (ms.backoffInitial === 0) bad("backoffInitial", "First restart delay: must be more than zero, e.g. \"250ms\"");
  if ((ms.backoffMax ?? Infinity) < (ms.backoffInitial ?? 0)) {
    bad("backoffMax", "Longest restart delay: must be at least the first restart delay");
  }
  if (ms.minUptime !== undefined && (ms.minUptime < 100 || ms.minUptime > 3.6e6)) {
    outOfRange("minUptime", "Minimum uptime: must be from 100ms to 1h, e.g. \"1s\" (the default)");
  }
  if ((ms.stopGrace ?? 0) > 3.6e6) outOfRange("stopGrace", "Stop grace: must be at most an hour, e.g. \"5s\"");
  for (const [field, label] of durations) {
    const limit = LIMITS[field];
    const v = ms[field];
    if (limit && v !== undefined && v > limit.ms) {
      outOfRange(field, `${label}: longer than the limit of ${limit.text}; use at most "${limit.text}" (a longer value is almost always a typo)`);
    }
  }
  const jitter = Number(f.jitter);
  if (!f.jitter.trim() || !(jitter >= 0 && jitter <= 1)) bad("jitter", "Jitter: use a number from 0 to 1, e.g. 0.1");
  const deaths = Number(f.maxDeaths);
  if (f.breakerEnabled && !(Number.isInteger(deaths) && deaths > 0)) {
    bad("maxDeaths", "Deaths before giving up: use a whole number above zero, e.g. 5");
  } else if (f.breakerEnabled && deaths > MAX_DEATHS) {
    outOfRange("maxDeaths", `Deaths before giving up: more than the limit of ${MAX_DEATHS}; use at most ${MAX_DEATHS}`);
  }
  if (f.breakerEnabled && ms.window === 0) bad("window", "Crash-loop window: must be more than zero, e.g. \"2m\"");
  if (!/^(SIG)?[A-Z0-9+-]+$/i.test(f.stopSignal.trim())) bad("stopSignal", "Stop signal: use a name like SIGTERM or a number");
  const env = parseEnv(f.env);
  if (typeof env === "string") bad("env", env);
  const health = healthCheck(f, bad, outOfRange);
  const extras = extrasOf(f, bad);
  if (errors.length || args === null || typeof env === "string") return { errors };
  const restart: RestartPolicy =
    f.policy === "on-failure" ? { policy: "on-failure", clean_exit_codes: codes } : { policy: f.policy };
  const entry: ProgramInput = {
    id, name: name || basename(f.program), argv: [f.program.trim(), ...args], restart,
    backoff: { initial: f.backoffInitial.trim(), max: f.backoffMax.trim(), min_uptime: f.minUptime.trim(), jitter },
    breaker: { enabled: f.breakerEnabled, max_deaths: f.breakerEnabled ? deaths : Math.max(1, deaths || 5), window: f.window.trim() },
    stop_signal: f.stopSignal.trim().toUpperCase(), stop_grace: f.stopGrace.trim(),
    autostart: f.autostart, notify: f.notify, ...extras,
  };
  if (f.cwd.trim()) entry.cwd = f.cwd.trim();
  if (Object.keys(env).length) entry.env = env;
  if (f.desktopId) entry.desktop_id = f.desktopId;
  if (f.icon) entry.icon = f.icon;
  if (f.autostartEntry) entry.autostart_entry = f.autostartEntry;
  if (f.windowPing) (entry as Record<string, unknown>).window_ping = JSON.parse(f.windowPing);
  if (health) entry.health = health;
  return { entry };
}

/** `KEY=value` lines → an object, or a message naming the bad line. */
export function parseEnv(text: string): Record<string, string> | string {
  const env: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return `Environment: line ${i + 1} needs the form NAME=value`;
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** The form showing an existing entry, for editing. */
export function formFromEntry(e: ProgramInput): ProgramForm {
  const [program = "", ...rest] = e.argv;
  return {
    ...defaultForm(), id: e.id, name: e.name, program, args: joinArgs(rest), cwd: e.cwd ?? "",
    policy: e.restart.policy,
    cleanCodes: e.restart.policy === "on-failure" ? e.restart.clean_exit_codes.join(", ") : "0",
    notify: e.notify, autostart: e.autostart, backoffInitial: e.backoff.initial, backoffMax: e.backoff.max,
    minUptime: e.backoff.min_uptime, jitter: String(e.backoff.jitter), breakerEnabled: e.breaker.enabled,
    maxDeaths: String(e.breaker.max_deaths), window: e.breaker.window, stopSignal: e.stop_signal,
    stopGrace: e.stop_grace, env: Object.entries(e.env ?? {}).map(([k, v]) => `${k}=${v}`).join("\n"),
    desktopId: e.desktop_id ?? "", icon: e.icon ?? "", autostartEntry: e.autostart_entry ?? "",
    windowPing: "window_ping" in e ? JSON.stringify((e as Record<string, unknown>).window_ping) : "",
    ...healthForm(e.health),
    ...extrasForm(e),
  };
}

/** Which form field a daemon `invalid_spec` message is about: it starts with the spec's
 * field path ("backoff.initial: must be …"), the one machine-readable part it has. */
export function fieldOfSpecPath(path: string): keyof ProgramForm | null {
  const map: [RegExp, keyof ProgramForm][] = [
    [/^argv\[0\]|^argv$/, "program"], [/^argv/, "args"], [/^id/, "id"], [/^name/, "name"], [/^cwd/, "cwd"],
    [/^env/, "env"], [/^restart/, "cleanCodes"], [/^backoff\.initial/, "backoffInitial"],
    [/^backoff\.max/, "backoffMax"], [/^backoff\.min_uptime/, "minUptime"], [/^backoff\.jitter/, "jitter"],
    [/^breaker\.window/, "window"], [/^breaker/, "maxDeaths"], [/^stop_grace/, "stopGrace"], [/^stop_signal/, "stopSignal"],
    [/^health\.interval/, "healthInterval"], [/^health\.failures/, "healthFailures"], [/^health\.timeout/, "healthTimeout"],
    [/^health\.start_grace/, "healthGrace"], [/^health/, "healthTarget"],
    [/^memory_limit\.checks/, "memoryChecks"], [/^memory_limit\.interval/, "memoryInterval"], [/^memory_limit/, "memoryMax"],
    [/^on_restart/, "onRestart"], [/^on_give_up/, "onGiveUp"], [/^hook_timeout/, "hookTimeout"], [/^watchdog/, "watchdog"],
    [/^stdout/, "stdout"], [/^stderr/, "stderr"],
  ];
  return map.find(([re]) => re.test(path))?.[1] ?? null;
}

function basename(path: string): string {
  return path.trim().split("/").pop() ?? "";
}
