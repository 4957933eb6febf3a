import { describe, expect, it } from "vitest";
import { shortcutFor, type KeyPress } from "./shortcuts";

const ctrl = (key: string, more: Partial<KeyPress> = {}): KeyPress =>
  ({ key, ctrlKey: true, altKey: false, shiftKey: false, metaKey: false, ...more });

describe("shortcutFor", () => {
  it("maps the GNOME shortcuts", () => {
    expect(shortcutFor(ctrl("f"))).toBe("find");
    expect(shortcutFor(ctrl("N"))).toBe("new");
    expect(shortcutFor(ctrl(","))).toBe("settings");
    expect(shortcutFor(ctrl("w"))).toBe("close");
    expect(shortcutFor(ctrl("q"))).toBe("quit");
  });
  it("leaves other combinations alone", () => {
    expect(shortcutFor(ctrl("f", { ctrlKey: false }))).toBeNull();
    expect(shortcutFor(ctrl("f", { shiftKey: true }))).toBeNull();
    expect(shortcutFor(ctrl("q", { altKey: true }))).toBeNull();
    expect(shortcutFor(ctrl("c"))).toBeNull();
  });
});
