import { describe, expect, it } from "vitest";
import { menuStep } from "./menus";

describe("menuStep", () => {
  it("moves down and up, wrapping around", () => {
    expect(menuStep("ArrowDown", -1, 3)).toBe(0);
    expect(menuStep("ArrowDown", 2, 3)).toBe(0);
    expect(menuStep("ArrowUp", 0, 3)).toBe(2);
    expect(menuStep("ArrowUp", -1, 3)).toBe(2);
  });
  it("jumps to the ends and ignores other keys", () => {
    expect(menuStep("Home", 2, 3)).toBe(0);
    expect(menuStep("End", 0, 3)).toBe(2);
    expect(menuStep("a", 0, 3)).toBeNull();
    expect(menuStep("ArrowDown", -1, 0)).toBeNull();
  });
});
