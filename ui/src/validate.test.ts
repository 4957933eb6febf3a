import { describe, expect, it } from "vitest";
import { splitArgs, joinArgs } from "./args";
import { parseDuration } from "./duration";
import { defaultForm, fieldOfSpecPath, formFromEntry, slugify, validateForm, type ProgramForm } from "./validate";

const form = (over: Partial<ProgramForm>): ProgramForm => ({ ...defaultForm(), program: "/usr/bin/sleep", args: "1000", ...over });
const errorsOf = (f: ProgramForm) => {
  const r = validateForm(f);
  return "errors" in r ? r.errors : [];
};

describe("validateForm", () => {
  it("builds an entry with the issue's defaults", () => {
    const r = validateForm(form({ name: "Sleeper" }));
    if (!("entry" in r)) throw new Error(JSON.stringify(r));
    expect(r.entry).toMatchObject({
      id: "sleeper", name: "Sleeper", argv: ["/usr/bin/sleep", "1000"], autostart: true, notify: true,
      restart: { policy: "on-failure", clean_exit_codes: [0] }, backoff: { initial: "250ms", max: "30s", min_uptime: "1s" },
      breaker: { enabled: true, max_deaths: 5, window: "2m" }, stop_signal: "SIGTERM", stop_grace: "5s",
    });
    expect(r.entry.cwd).toBeUndefined();
  });

  it("names the field of every problem", () => {
    const errors = errorsOf(form({ program: " ", backoffInitial: "fast", jitter: "2", env: "NOEQUALS", cwd: "relative", args: "'open" }));
    expect(errors.map((e) => e.field).sort()).toEqual(["args", "backoffInitial", "cwd", "env", "jitter", "program"]);
    expect(errors.find((e) => e.field === "backoffInitial")?.message).toMatch(/^First restart delay: "fast" is not a duration/);
    expect(errors.find((e) => e.field === "env")?.message).toBe("Environment: line 1 needs the form NAME=value");
  });

  it("checks the minimum uptime's range", () => {
    expect(errorsOf(form({ minUptime: "10ms" })).map((e) => e.field)).toEqual(["minUptime"]);
    expect(errorsOf(form({ minUptime: "2h" })).map((e) => e.field)).toEqual(["minUptime"]);
    expect(errorsOf(form({ minUptime: "3s" }))).toEqual([]);
  });

  it("refuses durations and counts past the daemon's limits, naming the limit", () => {
    const errors = errorsOf(form({ backoffInitial: "200000000000000d", backoffMax: "200000000000000d", window: "30d", maxDeaths: "4000000000" }));
    expect(errors.map((e) => e.field).sort()).toEqual(["backoffInitial", "backoffMax", "maxDeaths", "window"]);
    expect(errors.find((e) => e.field === "backoffInitial")?.message).toMatch(/limit of 1d/);
    expect(errorsOf(form({ backoffInitial: "1d", backoffMax: "1d", window: "7d" }))).toEqual([]);
  });

  it("checks the order of the backoff bounds and the breaker", () => {
    expect(errorsOf(form({ backoffInitial: "10s", backoffMax: "1s" })).map((e) => e.field)).toEqual(["backoffMax"]);
    expect(errorsOf(form({ maxDeaths: "0" })).map((e) => e.field)).toEqual(["maxDeaths"]);
    expect(errorsOf(form({ maxDeaths: "0", breakerEnabled: false }))).toEqual([]);
    expect(errorsOf(form({ id: "Bad Id" })).map((e) => e.field)).toEqual(["id"]);
    expect(errorsOf(form({ cleanCodes: "0, 300" })).map((e) => e.field)).toEqual(["cleanCodes"]);
  });

  it("round-trips an entry through the form", () => {
    const r = validateForm(form({ name: "X", args: "--name 'two words'", env: "A=1\nB=x=y", cwd: "/tmp" }));
    if (!("entry" in r)) throw new Error("invalid");
    expect(r.entry.env).toEqual({ A: "1", B: "x=y" });
    const again = validateForm(formFromEntry(r.entry));
    expect(again).toEqual(r);
  });

  it("builds and checks a health check", () => {
    const ok = validateForm(form({ healthKind: "http", healthTarget: "http://127.0.0.1:8080/health" }));
    if (!("entry" in ok)) throw new Error("invalid");
    expect(ok.entry.health).toEqual({ http: "http://127.0.0.1:8080/health", interval: "10s", failures: 3 });
    expect(validateForm(formFromEntry(ok.entry))).toEqual(ok);
    expect(errorsOf(form({ healthKind: "tcp", healthTarget: "no-port" })).map((e) => e.field)).toEqual(["healthTarget"]);
    expect(errorsOf(form({ healthKind: "command", healthTarget: "", healthFailures: "0" })).map((e) => e.field)).toEqual(["healthTarget", "healthFailures"]);
    const none = validateForm(form({}));
    expect("entry" in none && none.entry.health).toBe(undefined);
  });

  it("maps the daemon's spec paths to form fields", () => {
    expect(fieldOfSpecPath("argv[0]")).toBe("program");
    expect(fieldOfSpecPath("argv[2]")).toBe("args");
    expect(fieldOfSpecPath("backoff.initial")).toBe("backoffInitial");
    expect(fieldOfSpecPath("nonsense")).toBeNull();
  });
});

describe("helpers", () => {
  it("parses engine durations", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("10")).toBeNull();
    expect(parseDuration("")).toBeNull();
  });
  it("splits and joins arguments without a shell", () => {
    expect(splitArgs(`a "b c" 'd e' f\\ g ""`)).toEqual(["a", "b c", "d e", "f g", ""]);
    expect(splitArgs(`"open`)).toBeNull();
    const argv = ["--x", "two words", "it's"];
    expect(splitArgs(joinArgs(argv))).toEqual(argv);
  });
  it("derives ids from names", () => {
    expect(slugify("Mozilla Firefox")).toBe("mozilla-firefox");
    expect(slugify("  ++ ")).toBe("program");
  });
});
