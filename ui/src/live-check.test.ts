import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorField, liveCheck, placeError, touchedErrors } from "./live-check";
import { defaultForm, formFromEntry, validateForm, type ProgramForm } from "./validate";
import type { ApiError, ProgramInput } from "./types";

const form = (over: Partial<ProgramForm>): ProgramForm => ({ ...defaultForm(), program: "/usr/bin/sleep", args: "1000", ...over });
const entryOf = (f: ProgramForm, ranges = true): ProgramInput => {
  const r = validateForm(f, { ranges });
  if (!("entry" in r)) throw new Error(JSON.stringify(r));
  return r.entry;
};

describe("the daemon's errors in the form", () => {
  it("go next to the field the daemon names in `field`", () => {
    const grace: ApiError = { kind: "invalid_spec", message: "invalid program spec: stop_grace: is over an hour — use e.g. \"5s\"", field: "stop_grace" };
    expect(placeError(grace)).toEqual({ field: "stopGrace", message: grace.message });
    expect(errorField({ kind: "invalid_spec", message: "x", field: "backoff.initial" })).toBe("backoffInitial");
    expect(errorField({ kind: "invalid_spec", message: "x", field: "breaker.window" })).toBe("window");
    expect(errorField({ kind: "invalid_spec", message: "x", field: "memory_limit.max" })).toBe("memoryMax");
    expect(errorField({ kind: "invalid_spec", message: "x", field: "hook_timeout" })).toBe("hookTimeout");
    expect(errorField({ kind: "invalid_spec", message: "x", field: "health.timeout" })).toBe("healthTimeout");
    expect(errorField({ kind: "invalid_spec", message: "x", field: "argv[1]" })).toBe("args");
  });

  it("fall back on the path their message starts with, and else on the whole form", () => {
    expect(errorField({ kind: "invalid_spec", message: "invalid program spec: backoff.max: is over a day" })).toBe("backoffMax");
    expect(placeError({ kind: "no_daemon", message: "Lifeguard is not running" })).toEqual({ form: "Lifeguard is not running" });
  });
});

describe("checking while typing", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("asks once typing pauses, with the latest values", async () => {
    const asked: string[] = [];
    const shown: (string | null)[] = [];
    const live = liveCheck(async (v: string) => (asked.push(v), null), (e, v) => shown.push(e ? e.message : v), 300);
    live.schedule("a");
    await vi.advanceTimersByTimeAsync(100);
    live.schedule("ab");
    await vi.advanceTimersByTimeAsync(299);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual(["ab"]);
    expect(shown).toEqual(["ab"]);
  });

  it("drops a slow answer about values typed over since", async () => {
    const answers: ((e: ApiError | null) => void)[] = [];
    const shown: string[] = [];
    const live = liveCheck((_: string) => new Promise<ApiError | null>((r) => answers.push(r)),
      (e, v) => shown.push(`${v}:${e?.message ?? "ok"}`), 10);
    live.schedule("2h");
    await vi.advanceTimersByTimeAsync(10);
    live.schedule("5s");
    await vi.advanceTimersByTimeAsync(10);
    answers[1]?.(null);
    answers[0]?.({ kind: "invalid_spec", message: "over an hour" });
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual(["5s:ok"]);
  });

  it("asks nothing after a cancel", async () => {
    const check = vi.fn(async () => null);
    const live = liveCheck(check, () => {}, 10);
    live.schedule(1);
    live.cancel();
    await vi.advanceTimersByTimeAsync(50);
    expect(check).not.toHaveBeenCalled();
  });

  it("shows only the problems of fields already touched", () => {
    const r = validateForm(form({ program: "", env: "NOEQUALS" }));
    const errors = "errors" in r ? r.errors : [];
    expect(touchedErrors(errors, new Set(["env"])).map((e) => e.field)).toEqual(["env"]);
  });
});

describe("the edit form's checks", () => {
  it("leave the limits to the daemon when it is asked, so its message is the one shown", () => {
    expect(entryOf(form({ stopGrace: "2h" }), false).stop_grace).toBe("2h");
    expect("errors" in validateForm(form({ stopGrace: "2h" }))).toBe(true);
    // A value that cannot make an entry is still the form's to report.
    const r = validateForm(form({ stopGrace: "soon" }), { ranges: false });
    expect("errors" in r && r.errors.map((e) => e.field)).toEqual(["stopGrace"]);
  });

  it("keep every field of an entry through the form, nothing lost on save", () => {
    const entry: ProgramInput = {
      ...entryOf(form({ name: "Worker", args: "--port 8080 'a b'", cwd: "/srv", env: "A=1\nB=two" })),
      memory_limit: { max: "500MB", checks: 4, interval: "3s", action: "notify" },
      on_restart: ["/usr/bin/logger", "restarted"], on_give_up: ["/usr/bin/notify-send", "gave up"], hook_timeout: "10s",
      stdout: { file: "/tmp/worker.out" }, stderr: "null",
      health: { tcp: "127.0.0.1:8080", interval: "5s", failures: 2, timeout: "1s", start_grace: "20s" },
      sd_notify: true, watchdog: "30s",
    };
    (entry as Record<string, unknown>).window_ping = { interval: "5s", after: "30s", restart_after: "2m" };
    expect(entryOf(formFromEntry(entry))).toEqual(entry);
  });

  it("names the field of a hook or output it cannot read", () => {
    const r = validateForm(form({ onRestart: "'open", stdout: "relative/path", memoryAction: "restart", memoryMax: "" }));
    expect("errors" in r && r.errors.map((e) => e.field).sort()).toEqual(["memoryMax", "onRestart", "stdout"]);
  });
});
