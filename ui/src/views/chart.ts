// The restarts-per-day chart as SVG: stacked bars, a light grid, a legend. Colours come
// from CSS classes (series-0 … series-7), so dark mode and the CSP need nothing inline.
// Days are local days; a bar is a button that filters the table to its program and day.
import { layout, type Frame } from "../chart";
import { h, svg } from "../dom";
import { localDate } from "../localdays";
import type { RestartChart } from "../types";

const FRAME: Frame = { width: 720, height: 190, top: 10, left: 32, bottom: 22 };

/** The bar a person clicked: whose restarts, on which local day. */
export interface BarPick {
  program: string;
  name: string;
  dayStart: number;
}

/** The chart and its legend; a sentence instead when nothing restarted. `cut`: the
 * counts stop at a limit, so the caption says "at least". */
export function restartChartElement(chart: RestartChart, name: (id: string) => string,
  pick?: (bar: BarPick) => void, cut = false): HTMLElement {
  const total = chart.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0);
  const caption = h("figcaption", {}, `Restarts per day, last ${chart.day_starts_ms.length} days: ${cut ? "at least " : ""}${total} in all`);
  if (total === 0) return h("div", {}, caption, h("p", { class: "muted" }, "No program had to be restarted in this time."));
  const g = layout(chart, FRAME);
  const plotBottom = FRAME.height - FRAME.bottom;
  const root = svg("svg", { viewBox: `0 0 ${FRAME.width} ${FRAME.height}`, role: pick ? "group" : "img",
    "aria-label": `Restarts per day over the last ${chart.day_starts_ms.length} days` });
  for (const t of g.ticks) {
    root.append(svg("line", { class: "grid", x1: FRAME.left, x2: FRAME.width, y1: t.y, y2: t.y }),
      svg("text", { class: "axis", x: FRAME.left - 6, y: t.y + 4, "text-anchor": "end" }, String(Math.round(t.value))));
  }
  for (const b of g.bars) {
    const dayStart = chart.day_starts_ms[b.day] ?? 0;
    const id = chart.series[b.series]?.program_id ?? "";
    const label = `${name(id)}: ${b.count} on ${localDate(dayStart)}`;
    const rect = svg("rect", { class: `bar series-${b.series % 8}`, x: b.x, y: b.y, width: b.width, height: b.height,
      "data-program": id, "data-day": localDate(dayStart) }, svg("title", {}, label));
    if (pick) {
      rect.setAttribute("role", "button");
      rect.setAttribute("tabindex", "0");
      rect.setAttribute("aria-label", `${label}: show in the table`);
      const choose = () => pick({ program: id, name: name(id), dayStart });
      rect.addEventListener("click", choose);
      rect.addEventListener("keydown", (e) => {
        const key = (e as KeyboardEvent).key;
        if (key === "Enter" || key === " ") (e.preventDefault(), choose());
      });
    }
    root.append(rect);
  }
  const days = chart.day_starts_ms;
  const slot = (FRAME.width - FRAME.left) / Math.max(1, days.length);
  days.forEach((ts, i) => {
    if (i % 7 !== days.length % 7 && i !== days.length - 1) return; // a label a week keeps it readable
    const d = new Date(ts);
    const last = i === days.length - 1;
    root.append(svg("text", { class: "axis", x: last ? FRAME.width : FRAME.left + slot * (i + 0.5), y: plotBottom + 16,
      "text-anchor": last ? "end" : "middle" },
      `${d.getDate()}/${d.getMonth() + 1}`));
  });
  const legend = h("ul", { class: "legend" }, ...chart.series.map((s, i) =>
    h("li", {}, h("span", { class: `swatch series-${i % 8}`, "aria-hidden": "true" }), name(s.program_id))));
  return h("div", {}, caption, root as unknown as HTMLElement, legend);
}
