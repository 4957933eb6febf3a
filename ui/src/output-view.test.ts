import { describe, expect, it } from "vitest";
import {
  appendCapped, heldShown, lineMatches, receive, setPaused, tagLines, visibleLines, type OutputLine, type OutputState,
} from "./output-view";

const out = (text: string): OutputLine => ({ stream: "stdout", text });
const err = (text: string): OutputLine => ({ stream: "stderr", text });

describe("live output", () => {
  it("keeps the newest lines only", () => {
    expect(appendCapped(["a", "b"], ["c", "d"], 3)).toEqual(["b", "c", "d"]);
    expect(appendCapped([], ["x"], 3)).toEqual(["x"]);
  });
  it("holds lines while paused and shows them on resume", () => {
    let s: OutputState = { lines: [out("one")], paused: false, held: [] };
    s = receive(s, [out("two")]);
    s = setPaused(s, true);
    s = receive(s, [out("three"), err("four")]);
    expect(s.lines).toEqual([out("one"), out("two")]);
    expect(s.held).toHaveLength(2);
    s = setPaused(s, false);
    expect(s).toEqual({ lines: [out("one"), out("two"), out("three"), err("four")], paused: false, held: [] });
  });
  it("searches case-insensitively", () => {
    expect(lineMatches("ERROR: disk full", "error")).toBe(true);
    expect(lineMatches("all good", "error")).toBe(false);
    expect(lineMatches("anything", "")).toBe(true);
  });
});

describe("stdout / stderr filter", () => {
  const lines = [out("started"), err("warning: disk 91% full"), out("served 3 requests"), err("error: disk full")];
  it("tags the daemon's parallel lists, an older daemon's lines as stdout", () => {
    expect(tagLines(["a", "b"], ["stdout", "stderr"])).toEqual([out("a"), err("b")]);
    expect(tagLines(["a", "b"], [])).toEqual([out("a"), out("b")]);
    expect(tagLines(["a"], undefined)).toEqual([out("a")]);
  });
  it("shows both streams, or one", () => {
    expect(visibleLines(lines, "both", "")).toEqual(lines);
    expect(visibleLines(lines, "stdout", "")).toEqual([out("started"), out("served 3 requests")]);
    expect(visibleLines(lines, "stderr", "")).toEqual([err("warning: disk 91% full"), err("error: disk full")]);
  });
  it("narrows together with the search", () => {
    expect(visibleLines(lines, "stderr", "error")).toEqual([err("error: disk full")]);
    expect(visibleLines(lines, "stdout", "disk")).toEqual([]);
    expect(visibleLines(lines, "both", "DISK")).toEqual([err("warning: disk 91% full"), err("error: disk full")]);
  });
  it("counts only the held lines the filter would show", () => {
    let s: OutputState = { lines: [], paused: true, held: [] };
    s = receive(s, [out("a"), err("b"), err("c")]);
    expect(heldShown(s, "both")).toBe(3);
    expect(heldShown(s, "stderr")).toBe(2);
    expect(heldShown(s, "stdout")).toBe(1);
    expect(visibleLines(setPaused(s, false).lines, "stdout", "")).toEqual([out("a")]);
  });
});
