// The rows' "23 MB · 4 % CPU": the daemon reports cumulative CPU time and keeps no
// samples, so the window turns two of its answers into a rate.
import { formatBytes } from "./format";
import type { UsageReport } from "./types";

/** What a row shows of one program's usage. */
export interface UsageFigures {
  rss_bytes: number;
  /** CPU time per wall time since the previous answer, in % of one core (like top);
   * null for the first answer of an instance. */
  cpu_percent: number | null;
}

/** Each running program's figures in `next`, its CPU % computed against `prev` (the
 * previous answer): Δ cpu time / Δ wall time, only between readings of the same
 * instance (the same pid) and only when the clock moved. Programs absent from `next`
 * are down and get nothing. */
export function usageFigures(prev: UsageReport | null, next: UsageReport): Map<string, UsageFigures> {
  const before = new Map(prev?.programs.map((p) => [p.id, p]) ?? []);
  const wall = prev ? next.at_ms - prev.at_ms : 0;
  const out = new Map<string, UsageFigures>();
  for (const p of next.programs) {
    const old = before.get(p.id);
    const cpu = old && old.pid === p.pid && wall > 0 && p.cpu_ms >= old.cpu_ms
      ? (100 * (p.cpu_ms - old.cpu_ms)) / wall
      : null;
    out.set(p.id, { rss_bytes: p.rss_bytes, cpu_percent: cpu });
  }
  return out;
}

/** "23 MB · 4 % CPU"; "23 MB" until a CPU % is known. */
export function usageText(f: UsageFigures): string {
  const memory = formatBytes(f.rss_bytes);
  if (f.cpu_percent === null) return memory;
  const pct = f.cpu_percent;
  const shown = pct > 0 && pct < 1 ? "<1" : String(Math.round(pct));
  return `${memory} · ${shown} % CPU`;
}
