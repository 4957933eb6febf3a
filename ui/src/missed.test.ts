import { describe, expect, it } from "vitest";
import { missedText } from "./missed";
import { clock } from "./format";

const at = new Date(2026, 11, 2, 14, 5).getTime();

describe("missed restarts banner", () => {
  it("counts every missed popup and names each program with its local time", () => {
    const text = missedText([
      { program: "firefox", title: "Firefox restarted", count: 2, at_ms: at },
      { program: "db", title: "Postgres restarted", count: 1, at_ms: at + 60_000 },
    ]);
    expect(text?.title).toBe("3 restarts while you were away");
    expect(text?.lines).toEqual([
      "Firefox restarted 2 times, the last at 14:05",
      `Postgres restarted at ${clock(at + 60_000)}`,
    ]);
  });
  it("says one restart in the singular, and nothing for an empty list", () => {
    expect(missedText([{ program: "a", title: "A restarted", count: 1, at_ms: at }])?.title)
      .toBe("1 restart while you were away");
    expect(missedText([])).toBeNull();
  });
});
