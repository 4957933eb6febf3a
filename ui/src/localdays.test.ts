import { describe, expect, it } from "vitest";
import { chartByLocalDay, localDate, localDayStarts, nextDayStart } from "./localdays";
import type { HistoryRecord } from "./types";

const restart = (ts: number, program_id = "clock"): HistoryRecord => ({ ts_ms: ts, program_id, program_name: program_id,
  kind: "restarted", pid: null, exit_code: null, signal: null, signal_name: null, uptime_ms: null, delay_ms: null,
  attempt: null, requested_by: null, reason: null, detail: null });

describe("local days", () => {
  const now = new Date(2026, 10, 23, 14, 5).getTime();
  it("start at local midnight, today last", () => {
    const starts = localDayStarts(now, 3);
    expect(starts.map(localDate)).toEqual(["2026-11-21", "2026-11-22", "2026-11-23"]);
    for (const s of starts) expect(new Date(s).getHours()).toBe(0);
    expect(localDate(nextDayStart(starts[2] ?? 0))).toBe("2026-11-24");
  });
  it("count a restart just after local midnight on its own local day", () => {
    const starts = localDayStarts(now, 3);
    const justAfter = new Date(2026, 10, 22, 0, 30).getTime();
    const justBefore = new Date(2026, 10, 21, 23, 59).getTime();
    const chart = chartByLocalDay([restart(justAfter), restart(justBefore), restart(now, "editor"), restart(0)], starts);
    expect(chart.series).toEqual([
      { program_id: "clock", counts: [1, 1, 0] },
      { program_id: "editor", counts: [0, 0, 1] },
    ]);
  });
});
