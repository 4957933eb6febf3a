// The restart chart in the person's local days. The daemon's `chart` counts UTC days
// (its per-day summary table is keyed by them), which puts a restart at 00:30 local
// time on the wrong bar anywhere east or west of Greenwich. The window counts the
// `restarted` records itself, by local midnight, so the chart, the table and the When
// filter all speak the same days.
import type { HistoryRecord, RestartChart } from "./types";

/** The local midnights of the last `days` days, today's last. */
export function localDayStarts(now: number, days: number): number[] {
  const today = new Date(now);
  const starts: number[] = [];
  for (let i = days - 1; i >= 0; i--) {
    // Built from the calendar date, not by subtracting 24 h: days around a DST switch
    // are 23 or 25 hours long.
    starts.push(new Date(today.getFullYear(), today.getMonth(), today.getDate() - i).getTime());
  }
  return starts;
}

/** The start of the local day after the one starting at `start`. */
export function nextDayStart(start: number): number {
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** Counts records per program and local day; records outside the days are left out. */
export function chartByLocalDay(records: HistoryRecord[], starts: number[]): RestartChart {
  const series = new Map<string, number[]>();
  const end = starts.length ? nextDayStart(starts[starts.length - 1] ?? 0) : 0;
  for (const r of records) {
    if (!starts.length || r.ts_ms < (starts[0] ?? 0) || r.ts_ms >= end) continue;
    let day = starts.length - 1;
    while (day > 0 && r.ts_ms < (starts[day] ?? 0)) day--;
    const counts = series.get(r.program_id) ?? new Array<number>(starts.length).fill(0);
    counts[day] = (counts[day] ?? 0) + 1;
    series.set(r.program_id, counts);
  }
  return {
    day_starts_ms: starts,
    series: [...series.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([program_id, counts]) => ({ program_id, counts })),
  };
}

/** A local calendar date for labels: "2026-11-23". */
export function localDate(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
