import { defineConfig } from "vitest/config";

// The desktop app embeds ui/dist; no dev server is needed for a plain build.
export default defineConfig({
  clearScreen: false,
  build: { outDir: "dist", emptyOutDir: true, target: "safari15" },
  test: { include: ["src/**/*.test.ts"] },
});
