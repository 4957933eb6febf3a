// The shapes the shell sends and accepts are generated from the Rust types into
// contract.ts (src-tauri/src/contract.rs; a test fails when it is stale), so a change
// there is a change here. Only the window's own shapes are written below. Times are
// milliseconds since the Unix epoch (UTC).
import type { HealthCheck, Output, Page, ProgramEntry } from "./contract";

export type * from "./contract";

/** Which history rows to return; absent fields mean "any" (the History view's filter;
 * `api.history` sends it as the daemon's `HistoryParams`). */
export interface HistoryFilter {
  program?: string;
  kinds?: string[];
  since?: number;
  until?: number;
}

/** One page of history, newest first: the service's `Page`. */
export type HistoryPage = Page;

/** A health check as the window sends it: the probe and what the form changes; the
 * daemon fills in the rest with its defaults. */
export type HealthCheckInput = Partial<HealthCheck>;

/** A program as the window sends it (`add_program`, `update_program`): the config entry,
 * where the fields the daemon fills with their defaults may be left out. */
export type ProgramInput = Omit<ProgramEntry, "stdout" | "stderr" | "health"> & {
  stdout?: Output;
  stderr?: Output;
  health?: HealthCheckInput | null;
};
