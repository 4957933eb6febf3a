// Keyset paging of the history: the daemon returns a cursor for the next (older) page;
// the window keeps the cursors of the pages it has shown so "Newer" can go back without
// any OFFSET (each page costs the same at a million rows).
import type { Cursor, HistoryFilter } from "./types";

/** Where the history table is: the cursor each shown page started after. */
export interface Pager {
  /** starts[i] is the cursor page i was fetched after (null for the first page). */
  starts: (Cursor | null)[];
  /** The page on screen. */
  index: number;
  /** The cursor of the page after the one on screen, if there is one. */
  next: Cursor | null;
}

/** Back to the newest page. */
export function firstPage(): Pager {
  return { starts: [null], index: 0, next: null };
}

/** The cursor to fetch the page on screen with. */
export function currentStart(p: Pager): Cursor | null {
  return p.starts[p.index] ?? null;
}

/** Records what the fetch of the page on screen returned as `next`. */
export function loaded(p: Pager, next: Cursor | null): Pager {
  return { ...p, next };
}

/** Whether there is an older page. */
export const hasOlder = (p: Pager): boolean => p.next !== null;
/** Whether there is a newer page. */
export const hasNewer = (p: Pager): boolean => p.index > 0;

/** Moves to the older page (no-op without one). */
export function older(p: Pager): Pager {
  if (!p.next) return p;
  const starts = p.starts.slice(0, p.index + 1);
  starts.push(p.next);
  return { starts, index: p.index + 1, next: null };
}

/** Moves to the newer page (no-op on the first). */
export function newer(p: Pager): Pager {
  return p.index === 0 ? p : { ...p, index: p.index - 1, next: p.starts[p.index] ?? null };
}

/** The time ranges the filter offers. */
export type Range = "24h" | "7d" | "30d" | "all";

const RANGE_MS: Record<Exclude<Range, "all">, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

/** The history filter of the view's controls; empty choices are left out ("any"). */
export function buildFilter(program: string, kinds: string[], range: Range, now: number): HistoryFilter {
  const filter: HistoryFilter = {};
  if (program) filter.program = program;
  if (kinds.length) filter.kinds = kinds;
  if (range !== "all") filter.since = now - RANGE_MS[range];
  return filter;
}

/** The "what happened" choices of the filter, each a set of history kinds. */
export const KIND_GROUPS: { label: string; kinds: string[] }[] = [
  { label: "Everything", kinds: [] },
  { label: "Restarts", kinds: ["restarted"] },
  { label: "Exits and crashes", kinds: ["exited", "spawn_failed", "health_failed", "memory_high"] },
  { label: "Gave up", kinds: ["gave_up"] },
  { label: "Pauses", kinds: ["paused", "resumed"] },
  { label: "Starts and stops", kinds: ["started", "stopped", "stopping", "adopted", "handed_off", "main_changed", "ready", "shutting_down", "nothing_left"] },
  { label: "Changes", kinds: ["added", "removed", "updated", "config_changed"] },
];
