// What every view gets and gives back.
import type { Store } from "../store";

/** Shared services of the window. */
export interface Ctx {
  store: Store;
  /** Goes to a route, e.g. "#/history". */
  go(route: string): void;
  /** Shows a short message in the status line (read out by screen readers). */
  say(message: string, tone?: "info" | "error"): void;
}

/** A mounted view: its element and how to tear it down. */
export interface View {
  el: HTMLElement;
  dispose?(): void;
}
