import { describe, expect, it } from "vitest";
import { configProblem, historyArgs, historyPage, logLines, programEntries, programStats, settings } from "./normalize";

describe("shapes from the shell", () => {
  it("reads the broken config the daemon started on, if any", () => {
    expect(configProblem({ path: "/c", settings: {}, config_problem: "invalid config: x" })).toBe("invalid config: x");
    expect(configProblem({ path: "/c", settings: {} })).toBeNull();
    expect(configProblem(null)).toBeNull();
  });

  it("sends history arguments in both the contract's and the daemon's form", () => {
    const args = historyArgs({ program: "a", kinds: ["exited"], since: 5 }, { ts_ms: 9, id: 2 }, 50);
    expect(args).toMatchObject({ filter: { program: "a" }, cursor: { ts_ms: 9, id: 2 }, limit: 50 });
    expect(args.query).toEqual({ program: "a", kinds: ["exited"], since_ms: 5, until_ms: null, after: { ts_ms: 9, id: 2 }, limit: 50 });
  });
  it("reads pages with records or events", () => {
    expect(historyPage({ events: [{ kind: "x" }], next: null }).records).toHaveLength(1);
    expect(historyPage({ records: [], next: { ts_ms: 1, id: 1 } }).next).toEqual({ ts_ms: 1, id: 1 });
  });
  it("picks one program's stats from a list", () => {
    const stats = [{ program_id: "a", restarts_24h: 1 }, { program_id: "b", restarts_24h: 2 }];
    expect(programStats(stats, "b").restarts_24h).toBe(2);
    expect(programStats(stats[0], "a").restarts_24h).toBe(1);
    expect(() => programStats([], "a")).toThrow();
  });
  it("unwraps log lines and settings", () => {
    expect(logLines({ program: "a", path: "/x", lines: ["one"] })).toEqual(["one"]);
    expect(logLines(["two"])).toEqual(["two"]);
    const s = { notifications: true };
    expect(settings({ path: "/c", settings: s })).toBe(s);
    expect(settings(s)).toBe(s);
  });
  it("flattens the daemon's {spec, options} program list", () => {
    const spec = { id: "a", name: "A", argv: ["x"] };
    expect(programEntries([{ spec, options: { autostart: false, notify: true, icon: "i" } }])).toEqual([
      { id: "a", name: "A", argv: ["x"], autostart: false, notify: true, icon: "i" },
    ]);
    expect(programEntries([{ ...spec, autostart: true, notify: false }])[0]?.notify).toBe(false);
    expect(programEntries(null)).toEqual([]);
  });
});
