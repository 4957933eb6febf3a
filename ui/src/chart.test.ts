import { describe, expect, it } from "vitest";
import { layout, niceMax } from "./chart";

const frame = { width: 330, height: 130, top: 10, left: 30, bottom: 20 };

describe("restart chart geometry", () => {
  it("rounds the axis up", () => {
    expect([0, 1, 2, 3, 7, 11, 51].map(niceMax)).toEqual([1, 1, 2, 5, 10, 20, 100]);
  });

  it("stacks one day's programs and scales the tallest stack to the plot", () => {
    const chart = { day_starts_ms: [0, 1, 2], series: [{ program_id: "a", counts: [1, 0, 4] }, { program_id: "b", counts: [0, 0, 1] }] };
    const g = layout(chart, frame);
    expect(g.max).toBe(5);
    expect(g.bars).toHaveLength(3); // zero counts draw nothing
    const [a0, a2, b2] = g.bars;
    expect(a0).toMatchObject({ day: 0, series: 0, height: 20, y: 90 });
    expect(a2).toMatchObject({ day: 2, series: 0, height: 80, y: 30 });
    expect(b2).toMatchObject({ day: 2, series: 1, height: 20, y: 10 });
    // Bars sit inside their day's slot (100 px each, 70 % wide, centred).
    expect(a2?.x).toBeCloseTo(30 + 200 + 15);
    expect(a2?.width).toBeCloseTo(70);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("an empty chart has no bars and a unit axis", () => {
    const g = layout({ day_starts_ms: [0, 1], series: [] }, frame);
    expect(g.bars).toEqual([]);
    expect(g.max).toBe(1);
  });
});
