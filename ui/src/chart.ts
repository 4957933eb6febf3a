// Geometry of the "restarts per day" chart: stacked bars, one colour per program.
// Pure numbers here; the view turns them into SVG elements.
import type { RestartChart } from "./types";

/** One bar segment: a program's restarts on one day. */
export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  series: number;
  day: number;
  count: number;
}

/** A horizontal grid line with its label. */
export interface Tick {
  y: number;
  value: number;
}

/** Everything the SVG needs. */
export interface ChartGeometry {
  bars: Bar[];
  ticks: Tick[];
  max: number;
}

/** The plot area inside the SVG's viewBox (room left for labels on the left and below). */
export interface Frame {
  width: number;
  height: number;
  /** Room above the plot, so the top tick's label is not cut. */
  top: number;
  left: number;
  bottom: number;
}

/** A round maximum at or above `n` for the axis: 1, 2, 5, 10, 20, 50… */
export function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** Lays out stacked bars so the tallest day's stack reaches the top of the plot. */
export function layout(chart: RestartChart, frame: Frame): ChartGeometry {
  const days = chart.day_starts_ms.length;
  const totals = chart.day_starts_ms.map((_, d) => chart.series.reduce((sum, s) => sum + (s.counts[d] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = frame.width - frame.left;
  const plotH = frame.height - frame.bottom - frame.top;
  const slot = days ? plotW / days : 0;
  const barW = Math.max(1, slot * 0.7);
  const bars: Bar[] = [];
  for (let d = 0; d < days; d++) {
    let top = frame.top + plotH;
    chart.series.forEach((s, i) => {
      const count = s.counts[d] ?? 0;
      if (!count) return;
      const h = (count / max) * plotH;
      top -= h;
      bars.push({ x: frame.left + d * slot + (slot - barW) / 2, y: top, width: barW, height: h, series: i, day: d, count });
    });
  }
  const steps = max <= 5 ? max : 4;
  const ticks: Tick[] = [];
  for (let i = 0; i <= steps; i++) {
    const value = (max / steps) * i;
    ticks.push({ value, y: frame.top + plotH - (value / max) * plotH });
  }
  return { bars, ticks, max };
}
