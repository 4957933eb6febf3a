import { describe, expect, it } from "vitest";
import { buildFilter, currentStart, firstPage, hasNewer, hasOlder, loaded, newer, older } from "./paging";

describe("keyset paging", () => {
  it("walks older and back newer with the cursors the daemon gave", () => {
    let p = loaded(firstPage(), { ts_ms: 50, id: 5 });
    expect(currentStart(p)).toBeNull();
    expect(hasOlder(p)).toBe(true);
    expect(hasNewer(p)).toBe(false);
    p = loaded(older(p), { ts_ms: 20, id: 2 });
    expect(currentStart(p)).toEqual({ ts_ms: 50, id: 5 });
    p = loaded(older(p), null);
    expect(currentStart(p)).toEqual({ ts_ms: 20, id: 2 });
    expect(hasOlder(p)).toBe(false);
    expect(older(p)).toBe(p);
    p = newer(p);
    expect(currentStart(p)).toEqual({ ts_ms: 50, id: 5 });
    expect(p.next).toEqual({ ts_ms: 20, id: 2 });
    p = newer(newer(p));
    expect(currentStart(p)).toBeNull();
    expect(hasNewer(p)).toBe(false);
  });

  it("builds filters leaving out what is not chosen", () => {
    expect(buildFilter("", [], "all", 1_000)).toEqual({});
    expect(buildFilter("clock", ["restarted"], "24h", 100_000_000)).toEqual({ program: "clock", kinds: ["restarted"], since: 100_000_000 - 86_400_000 });
  });
});
