import { describe, expect, it } from "vitest";
import type { UsageReport } from "./types";
import { usageFigures, usageText } from "./usage";

const report = (at_ms: number, programs: [string, number, number][]): UsageReport => ({
  at_ms,
  programs: programs.map(([id, pid, cpu_ms]) => ({ id, pid, cpu_ms, rss_bytes: 24_117_248, processes: 1 })),
});

describe("CPU % from two usage answers", () => {
  it("is the CPU time used per wall time between them, in % of a core", () => {
    const first = report(10_000, [["editor", 7, 1_000], ["busy", 8, 5_000]]);
    const second = report(12_000, [["editor", 7, 1_080], ["busy", 8, 8_000]]);
    const figures = usageFigures(first, second);
    expect(figures.get("editor")?.cpu_percent).toBeCloseTo(4);
    // Two busy threads on two cores: over 100 %, as top shows it.
    expect(figures.get("busy")?.cpu_percent).toBeCloseTo(150);
  });

  it("is unknown for the first answer, a restarted instance and a clock that did not move", () => {
    const first = report(10_000, [["a", 7, 1_000], ["b", 8, 2_000]]);
    expect(usageFigures(null, first).get("a")?.cpu_percent).toBeNull();
    const restarted = report(12_000, [["a", 9, 10], ["b", 8, 2_100]]);
    const figures = usageFigures(first, restarted);
    expect(figures.get("a")?.cpu_percent).toBeNull();
    expect(figures.get("b")?.cpu_percent).toBeCloseTo(5);
    expect(usageFigures(first, report(10_000, [["b", 8, 2_100]])).get("b")?.cpu_percent).toBeNull();
  });

  it("leaves out programs that are down", () => {
    const first = report(10_000, [["a", 7, 1_000]]);
    expect(usageFigures(first, report(12_000, [])).size).toBe(0);
  });

  it("reads as memory and CPU", () => {
    expect(usageText({ rss_bytes: 24_117_248, cpu_percent: 4.2 })).toBe("23 MB · 4 % CPU");
    expect(usageText({ rss_bytes: 24_117_248, cpu_percent: 0.3 })).toBe("23 MB · <1 % CPU");
    expect(usageText({ rss_bytes: 24_117_248, cpu_percent: 0 })).toBe("23 MB · 0 % CPU");
    expect(usageText({ rss_bytes: 24_117_248, cpu_percent: null })).toBe("23 MB");
  });
});
