import { describe, expect, it } from "vitest";
import { appendCapped, lineMatches, receive, setPaused, type OutputState } from "./output-view";

describe("live output", () => {
  it("keeps the newest lines only", () => {
    expect(appendCapped(["a", "b"], ["c", "d"], 3)).toEqual(["b", "c", "d"]);
    expect(appendCapped([], ["x"], 3)).toEqual(["x"]);
  });
  it("holds lines while paused and shows them on resume", () => {
    let s: OutputState = { lines: ["one"], paused: false, held: [] };
    s = receive(s, ["two"]);
    s = setPaused(s, true);
    s = receive(s, ["three", "four"]);
    expect(s.lines).toEqual(["one", "two"]);
    expect(s.held).toHaveLength(2);
    s = setPaused(s, false);
    expect(s).toEqual({ lines: ["one", "two", "three", "four"], paused: false, held: [] });
  });
  it("searches case-insensitively", () => {
    expect(lineMatches("ERROR: disk full", "error")).toBe(true);
    expect(lineMatches("all good", "error")).toBe(false);
    expect(lineMatches("anything", "")).toBe(true);
  });
});
