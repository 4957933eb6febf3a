import { describe, expect, it } from "vitest";
import { ago, deathsNote, exitLine, exitWords, formatBytes, formatDuration, kindWords, lastExitText, recordCause, stateText, stateTone, versionLabel, whoAsked } from "./format";
import { program } from "./testdata";
import type { HistoryRecord } from "./types";

const MIN = 60_000;

describe("versionLabel", () => {
  it("shows the version the shell reports", () => {
    expect(versionLabel({ name: "Lifeguard", version: "1.2.3" })).toBe("version 1.2.3");
  });
});

describe("causes and durations", () => {
  it("says how a program ended and how long ago", () => {
    const now = 1_000 * MIN;
    expect(lastExitText({ signal: { signal: "SIGKILL", core_dumped: false } }, now - 5 * MIN, now)).toBe("Killed by SIGKILL 5 min ago");
    expect(lastExitText({ code: 1 }, now - 3_000, now)).toBe("Exited with code 1 3 s ago");
    expect(lastExitText(null, null, now)).toBe("No exit yet");
    expect(exitWords({ signal: { signal: "SIGSEGV", core_dumped: true } })).toBe("killed by SIGSEGV (core dumped)");
    expect(exitWords("unknown")).toBe("ended with an unknown status");
  });

  it("says a program the user stopped was stopped by them, not killed by SIGTERM", () => {
    const now = 1_000 * MIN;
    const term = { signal: { signal: "SIGTERM", core_dumped: false } } as const;
    const view = (over: Parameters<typeof program>[0]) => ({ ...program(over), last_exit_at: now - 2 * MIN, last_reason: null });
    expect(exitLine(view({ state: { state: "stopped" }, wanted: "down", last_exit: term }), now)).toBe("Stopped by you 2 min ago");
    // A stray SIGTERM, with the program still wanted up, is what it was.
    expect(exitLine(view({ wanted: "up", last_exit: term }), now)).toBe("Killed by SIGTERM 2 min ago");
    // Released ("stop protecting") or never started: not a stop the user asked for here.
    expect(exitLine(view({ state: { state: "stopped" }, wanted: "down", last_exit: term, unprotected: "left running" }), now)).toBe("Killed by SIGTERM 2 min ago");
    expect(exitLine(view({ state: { state: "stopped" }, wanted: "down", last_exit: null }), now)).toBe("No exit yet");
    expect(exitLine({ ...view({}), last_reason: "gave up after 5 deaths" }, now)).toBe("gave up after 5 deaths");
  });

  // The same table as `words_read_as_a_person_would_say_them` in
  // crates/engine/src/duration.rs: keep them in step.
  it("formats durations in words, in at most two units", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(46.826349)).toBe("47 ms");
    expect(formatDuration(999.4)).toBe("999 ms");
    expect(formatDuration(999.6)).toBe("1 s");
    expect(formatDuration(3_000)).toBe("3 s");
    expect(formatDuration(59_999)).toBe("59 s");
    expect(formatDuration(MIN)).toBe("1 min");
    expect(formatDuration(5 * MIN + 30_000)).toBe("5 min 30 s");
    expect(formatDuration(60 * MIN)).toBe("1 h");
    expect(formatDuration(133 * MIN + 59_000)).toBe("2 h 13 min");
    expect(formatDuration(1440 * MIN)).toBe("1 day");
    expect(formatDuration(3 * 1440 * MIN + 4 * 60 * MIN)).toBe("3 days 4 h");
    expect(formatDuration(-5)).toBe("0 ms");
  });

  it("says ago in one unit", () => {
    expect(ago(0, 1_000)).toBe("just now");
    expect(ago(0, 90 * MIN)).toBe("1 h ago");
    expect(ago(0, 1440 * MIN)).toBe("1 day ago");
    expect(ago(0, 3 * 1440 * MIN)).toBe("3 days ago");
  });

  it("formats bytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536 * 1024)).toBe("1.5 MB");
    expect(formatBytes(300 * 1024 * 1024)).toBe("300 MB");
  });
});

describe("state words", () => {
  it("running shows its uptime; backoff counts down in whole seconds", () => {
    expect(stateText(program({ state: { state: "running", pid: 1, since: 0 } }), 5 * MIN)).toBe("Running · up 5 min");
    const talker = program({ state: { state: "running", pid: 1, since: 0 } });
    talker.spec = { ...talker.spec, sd_notify: true };
    expect(stateText(talker, 5 * MIN)).toBe("Starting… (not ready yet)");
    expect(stateText({ ...talker, ready: true, talk_status: "serving 3 clients" }, 5 * MIN))
      .toBe("Running · up 5 min · serving 3 clients");
    expect(stateText(program({ state: { state: "backoff", next_restart: 3_000, delay_ms: 3_000 } }), 500)).toBe("Restarting in 3 s");
  });

  it("a paused program says paused, with its end when it has one", () => {
    const held = program({ paused: true, state: { state: "held", since: 0 } });
    expect(stateText(held, 0)).toBe("Paused");
    expect(stateTone(held)).toBe("paused");
    expect(stateText({ ...held, paused_until: new Date(2026, 0, 1, 14, 5).getTime() }, 0)).toBe("Paused until 14:05");
    expect(stateText(program({ paused: true }), 1_000)).toContain("protection paused");
  });

  it("gave up and stopped have their own words and tones", () => {
    const gaveUp = program({ state: { state: "gave_up", at: 0, deaths: 5 } });
    expect(stateText(gaveUp, 0)).toBe("Gave up after 5 quick deaths");
    expect(stateTone(gaveUp)).toBe("gave-up");
    expect(stateTone(program({ state: { state: "stopped" } }))).toBe("stopped");
    const unprotected = program({ state: { state: "exited", exit: { code: 0 }, at: 0 }, unprotected: "no copy found" });
    expect(stateText(unprotected, 0)).toBe("Not protected · nothing left running");
    expect(stateTone(unprotected)).toBe("unprotected");
    expect(stateText({ ...unprotected, unprotected: null }, 0)).toBe("Exited (exited with code 0)");
  });
});

describe("history rows", () => {
  const base: HistoryRecord = {
    ts_ms: 0, program_id: "a", program_name: "A", kind: "exited", pid: 1, exit_code: null, signal: 9,
    signal_name: "SIGKILL", uptime_ms: 10, delay_ms: null, attempt: 0, requested_by: null, reason: null, detail: null,
  };
  it("describes the cause and who asked", () => {
    expect(recordCause(base)).toBe("killed by SIGKILL after 10 ms");
    expect(recordCause({ ...base, uptime_ms: null })).toBe("killed by SIGKILL");
    expect(recordCause({ ...base, signal: null, signal_name: null, exit_code: 2, uptime_ms: 8_000_000 })).toBe("exited with code 2 after 2 h 13 min");
    expect(recordCause({ ...base, kind: "restart_scheduled", signal: null, signal_name: null, delay_ms: 2_000 })).toBe("in 2 s");
    expect(recordCause({ ...base, kind: "restart_scheduled", signal: null, signal_name: null, delay_ms: 0 })).toBe("at once");
    expect(whoAsked(null)).toBe("Lifeguard");
    expect(whoAsked("tray")).toBe("You (tray)");
    expect(kindWords("restart_scheduled")).toBe("Restart scheduled");
    expect(kindWords("brand_new")).toBe("brand new");
  });
});

describe("deathsNote", () => {
  it("says how often a program was killed in the last hour", () => {
    const kill = { signal: { signal: "SIGKILL", core_dumped: false } };
    expect(deathsNote({ deaths_last_hour: 40, last_exit: kill })).toBe("Killed 40 times in the last hour");
    expect(deathsNote({ deaths_last_hour: 1, last_exit: { code: 1 } })).toBe("Died once in the last hour");
    expect(deathsNote({ deaths_last_hour: 0, last_exit: kill })).toBeNull();
    expect(deathsNote({ last_exit: null })).toBeNull();
  });
});
