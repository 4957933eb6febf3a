import { describe, expect, it } from "vitest";
import { versionLabel } from "./format";

describe("versionLabel", () => {
  it("shows the version the shell reports", () => {
    expect(versionLabel({ name: "Lifeguard", version: "1.2.3" })).toBe("version 1.2.3");
  });
});
