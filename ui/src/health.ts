// The optional health check of the program form (engine `HealthCheck`, issue 4): one
// probe (HTTP, TCP or a command), how often, and how many failures restart the program.
import { joinArgs, splitArgs } from "./args";
import { DURATION_FIX, parseDuration } from "./duration";
import type { HealthCheckInput } from "./types";
import type { ProgramForm } from "./validate";

/** The health check of the form, or undefined for none; problems go to `bad`. */
export function healthCheck(
  f: ProgramForm,
  bad: (field: keyof ProgramForm, message: string) => void,
  outOfRange: (field: keyof ProgramForm, message: string) => void = bad,
): HealthCheckInput | undefined {
  if (f.healthKind === "none") return undefined;
  const target = f.healthTarget.trim();
  const check: HealthCheckInput = {};
  if (f.healthKind === "http") {
    if (!/^http:\/\/[^/\s]+(\/\S*)?$/.test(target)) bad("healthTarget", "Health check: use a plain http:// address, e.g. http://127.0.0.1:8080/health");
    check.http = target;
  } else if (f.healthKind === "tcp") {
    if (!/^[^\s/]+:\d{1,5}$/.test(target)) bad("healthTarget", "Health check: use host:port, e.g. 127.0.0.1:5432");
    check.tcp = target;
  } else {
    const argv = splitArgs(target);
    if (!argv?.length) bad("healthTarget", "Health check: give the command to run; it must exit 0 when healthy");
    check.command = argv ?? [];
  }
  const every = parseDuration(f.healthInterval);
  if (every === null) bad("healthInterval", `Check every: "${f.healthInterval}" is not a duration; ${DURATION_FIX}`);
  // The daemon's limits (crates/engine/src/ranges.rs): health.interval ≤ 1d, health.failures ≤ 1000.
  else if (every > 86_400_000) outOfRange("healthInterval", 'Check every: longer than the limit of 1d; use at most "1d"');
  const failures = Number(f.healthFailures);
  if (!(Number.isInteger(failures) && failures > 0)) bad("healthFailures", "Failed checks before a restart: use a whole number above zero, e.g. 3");
  else if (failures > 1000) outOfRange("healthFailures", "Failed checks before a restart: more than the limit of 1000; use at most 1000");
  check.interval = f.healthInterval.trim();
  check.failures = failures;
  if (f.healthTimeout.trim()) check.timeout = f.healthTimeout.trim();
  if (f.healthGrace.trim()) check.start_grace = f.healthGrace.trim();
  return check;
}

/** The form fields of an entry's health check (none when it has none). */
export function healthForm(h: HealthCheckInput | null | undefined): Partial<ProgramForm> {
  if (!h) return {};
  const kind = h.http !== undefined ? "http" : h.tcp !== undefined ? "tcp" : "command";
  return {
    healthKind: kind, healthTarget: h.http ?? h.tcp ?? joinArgs(h.command ?? []),
    healthInterval: h.interval ?? "10s", healthFailures: String(h.failures ?? 3),
    healthTimeout: h.timeout ?? "", healthGrace: h.start_grace ?? "",
  };
}
