import { describe, expect, it } from "vitest";
import { downtime, groupIncidents, incidentSummary, searchItems, type Incident } from "./incidents";
import type { HistoryRecord } from "./types";

let nextId = 1;
function rec(kind: string, ts: number, over: Partial<HistoryRecord> = {}): HistoryRecord {
  return { id: nextId++, ts_ms: ts, program_id: "clock", program_name: "Clock", kind, pid: null, exit_code: null,
    signal: null, signal_name: null, uptime_ms: null, delay_ms: null, attempt: null, requested_by: null, reason: null,
    detail: null, ...over };
}
const newestFirst = (...records: HistoryRecord[]) => records.reverse();
const killed = (ts: number, over: Partial<HistoryRecord> = {}) =>
  rec("exited", ts, { signal: 9, signal_name: "SIGKILL", uptime_ms: 9000, ...over });

describe("groupIncidents", () => {
  it("makes one row of a death, its scheduled restart and the restart", () => {
    const items = groupIncidents(newestFirst(rec("started", 0), killed(1000), rec("restart_scheduled", 1000, { delay_ms: 0 }),
      rec("restarted", 1002)));
    expect(items.map((i) => i.type)).toEqual(["incident", "event"]);
    const incident = items[0] as Incident;
    expect(incident.events.map((e) => e.kind)).toEqual(["exited", "restart_scheduled", "restarted"]);
    expect(downtime(incident)).toBe(2);
    expect(incidentSummary(incident)).toBe("killed by SIGKILL after 9 s → back in 2 ms");
  });

  it("counts failed tries and giving up", () => {
    const items = groupIncidents(newestFirst(rec("exited", 0, { exit_code: 1, uptime_ms: 100 }), rec("restart_scheduled", 0),
      rec("spawn_failed", 250, { reason: "No such file" }), rec("restart_scheduled", 250), rec("gave_up", 500)));
    expect(items).toHaveLength(1);
    expect(incidentSummary(items[0] as Incident)).toBe("exited with code 1 after 100 ms → gave up after 2 tries");
  });

  it("keeps programs apart and leaves an unanswered death open", () => {
    const other = { program_id: "editor", program_name: "Editor" };
    const items = groupIncidents(newestFirst(killed(0), killed(10, other), rec("restarted", 20, other)));
    expect(items.map((i) => (i.type === "incident" ? `${i.program_id}:${i.outcome}` : "event")))
      .toEqual(["editor:back", "clock:open"]);
    expect(incidentSummary(items[1] as Incident)).toContain("not back yet");
  });

  it("leaves a stop the person asked for, and a restart cut off by the page, as events", () => {
    const items = groupIncidents(newestFirst(rec("restarted", 5), rec("stopping", 10, { requested_by: "ui" }),
      rec("stopped", 12, { requested_by: "ui" })));
    expect(items.map((i) => i.type)).toEqual(["event", "event", "event"]);
  });
});

describe("searchItems", () => {
  it("finds rows by every word of the query, in any case", () => {
    const items = groupIncidents(newestFirst(killed(0), rec("restarted", 3), rec("paused", 10, { program_id: "editor", program_name: "Editor" })));
    expect(searchItems(items, "")).toHaveLength(2);
    expect(searchItems(items, "sigkill clock")).toHaveLength(1);
    expect(searchItems(items, "EDITOR")).toHaveLength(1);
    expect(searchItems(items, "sigkill editor")).toHaveLength(0);
  });
});
