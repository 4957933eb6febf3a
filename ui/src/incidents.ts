// History as incidents: a program's death and what followed it (the restart being
// scheduled, tries that failed, the restart, or giving up) read as one row:
// "killed by SIGKILL → back in 2 ms". Events that are no part of a death (a start, a
// pause, a settings change) stay rows of their own.
//
// Grouped here, in a pure function over a page of records, rather than in the daemon:
// the records, filters, paging and export stay one model (the table's raw events are
// the export's rows), and the grouping is tested without a daemon. The price: an
// incident that straddles a page's edge shows on each page with the events it has
// there, so pages are large (the view asks for 200 records).
import { formatDuration, kindWords, recordCause } from "./format";
import type { HistoryRecord } from "./types";

/** How an incident ended. */
export type Outcome = "back" | "gave_up" | "ended" | "open";

/** One death and what followed it, events oldest first. */
export interface Incident {
  type: "incident";
  program_id: string;
  program_name: string;
  /** When it died. */
  start_ms: number;
  /** When it was back, gave up or was stopped; null while still open. */
  end_ms: number | null;
  /** The first death's cause, "killed by SIGKILL". */
  cause: string;
  outcome: Outcome;
  /** The kind that ended an `ended` incident (stopped, paused, removed…). */
  ended_by: string | null;
  /** Failed tries after the first death. */
  failures: number;
  events: HistoryRecord[];
}

/** A row of the History table: an incident, or an event on its own. */
export type HistoryItem = Incident | { type: "event"; record: HistoryRecord };

const DEATHS = new Set(["exited", "spawn_failed", "health_failed"]);
const ALONG = new Set(["restart_scheduled", "retried", "stopping"]);
const BACK = new Set(["restarted", "started", "adopted"]);
const ENDS = new Set(["stopped", "paused", "removed", "handed_off", "nothing_left"]);

/** Whether a record is a death Lifeguard reacts to: an exit nobody asked for. */
function isDeath(r: HistoryRecord): boolean {
  return DEATHS.has(r.kind) && !(r.kind === "exited" && r.requested_by !== null);
}

/** Groups records (newest first, as history pages come) into rows, newest first. */
export function groupIncidents(records: HistoryRecord[]): HistoryItem[] {
  const items: HistoryItem[] = [];
  const open = new Map<string, Incident>();
  for (const r of [...records].reverse()) {
    const current = open.get(r.program_id);
    if (isDeath(r)) {
      if (current) {
        current.events.push(r);
        current.failures += 1;
        continue;
      }
      const incident: Incident = { type: "incident", program_id: r.program_id, program_name: r.program_name,
        start_ms: r.ts_ms, end_ms: null, cause: recordCause(r) || kindWords(r.kind), outcome: "open",
        ended_by: null, failures: 0, events: [r] };
      open.set(r.program_id, incident);
      items.push(incident);
    } else if (current && (ALONG.has(r.kind) || BACK.has(r.kind) || ENDS.has(r.kind) || r.kind === "gave_up")) {
      current.events.push(r);
      if (ALONG.has(r.kind)) continue;
      current.end_ms = r.ts_ms;
      current.outcome = BACK.has(r.kind) ? "back" : r.kind === "gave_up" ? "gave_up" : "ended";
      current.ended_by = current.outcome === "ended" ? r.kind : null;
      open.delete(r.program_id);
    } else {
      items.push({ type: "event", record: r });
    }
  }
  return items.reverse();
}

/** An incident's outcome in words: "back in 2 ms", "gave up after 3 tries". */
export function outcomeText(i: Incident): string {
  const tries = i.failures ? ` after ${i.failures + 1} tries` : "";
  switch (i.outcome) {
    case "back": return `back in ${formatDuration((i.end_ms ?? i.start_ms) - i.start_ms)}${tries}`;
    case "gave_up": return `gave up${tries}`;
    case "ended": return `${kindWords(i.ended_by ?? "").toLowerCase()} after ${formatDuration((i.end_ms ?? i.start_ms) - i.start_ms)}`;
    case "open": return "not back yet";
  }
}

/** The one-line summary of an incident: "killed by SIGKILL → back in 2 ms". */
export function incidentSummary(i: Incident): string {
  return `${i.cause} → ${outcomeText(i)}`;
}

/** The downtime of an incident, null while it is open. */
export function downtime(i: Incident): number | null {
  return i.end_ms === null ? null : i.end_ms - i.start_ms;
}

/** The words a row can be found by: program, summary, the events' kinds and causes. */
export function searchText(item: HistoryItem): string {
  const parts = item.type === "incident"
    ? [item.program_name, item.program_id, incidentSummary(item), ...item.events.flatMap((e) => [kindWords(e.kind), recordCause(e)])]
    : [item.record.program_name, item.record.program_id, kindWords(item.record.kind), recordCause(item.record)];
  return parts.join(" ").toLowerCase();
}

/** The rows matching a free-text query: every word must appear (case-insensitive). */
export function searchItems(items: HistoryItem[], query: string): HistoryItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return items;
  return items.filter((item) => {
    const text = searchText(item);
    return words.every((w) => text.includes(w));
  });
}
