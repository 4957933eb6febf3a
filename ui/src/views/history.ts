// History: the restart chart of the last 30 days, then the events table, newest first,
// with filters, keyset paging and export of the filtered range.
import * as api from "../api";
import { h, replaceChildren } from "../dom";
import { dateTime, kindWords, recordCause, whoAsked } from "../format";
import { buildFilter, currentStart, firstPage, hasNewer, hasOlder, KIND_GROUPS, loaded, newer, older, type Pager, type Range } from "../paging";
import type { HistoryFilter, HistoryRecord } from "../types";
import { restartChartElement } from "./chart";
import type { Ctx, View } from "./view";

const PAGE_SIZE = 50;

/** The History view. */
export function historyView(ctx: Ctx): View {
  const programSelect = h("select", { id: "h-program" }, h("option", { value: "" }, "All programs"),
    ...ctx.store.state.programs.map((p) => h("option", { value: p.id }, p.name)));
  const kindSelect = h("select", { id: "h-kind" }, ...KIND_GROUPS.map((g, i) => h("option", { value: i }, g.label)));
  const rangeSelect = h("select", { id: "h-range" },
    h("option", { value: "24h" }, "Last 24 hours"), h("option", { value: "7d" }, "Last 7 days"),
    h("option", { value: "30d" }, "Last 30 days"), h("option", { value: "all" }, "All time"));
  rangeSelect.value = "7d";
  const tbody = h("tbody", {});
  const pageInfo = h("span", { class: "muted", "aria-live": "polite" });
  const newerButton = h("button", { type: "button", "data-action": "newer", onclick: () => go(newer(pager)) }, "← Newer");
  const olderButton = h("button", { type: "button", "data-action": "older", onclick: () => go(older(pager)) }, "Older →");
  const chartBox = h("figure", { class: "chart" }, h("p", { class: "muted" }, "Loading the chart…"));
  const exportButton = (format: api.ExportFormat, label: string) =>
    h("button", { type: "button", "data-action": `export-${format}`, onclick: () => void exportAs(format) }, label);
  const labelled = (label: string, control: HTMLElement) => h("div", { class: "field" }, h("label", { for: control.id }, label), control);

  const el = h("section", { class: "view history" },
    h("h2", {}, "History"),
    chartBox,
    h("div", { class: "filters", role: "group", "aria-label": "Filters" },
      labelled("Program", programSelect), labelled("What happened", kindSelect), labelled("When", rangeSelect),
      h("span", { class: "spacer" }), exportButton("csv", "Export CSV…"), exportButton("jsonl", "Export JSON lines…")),
    h("div", { class: "table-wrap" }, h("table", { class: "events" },
      h("caption", { class: "visually-hidden" }, "Events, newest first"),
      h("thead", {}, h("tr", {}, ...["Time", "Program", "What happened", "Cause", "Who asked"].map((t) => h("th", { scope: "col" }, t)))),
      tbody)),
    h("div", { class: "pager" }, newerButton, pageInfo, olderButton));

  let pager: Pager = firstPage();
  let filter: HistoryFilter = {};
  let generation = 0;
  const go = async (next: Pager) => {
    pager = next;
    const mine = ++generation;
    try {
      const page = await api.history(filter, currentStart(pager), PAGE_SIZE);
      if (mine !== generation) return; // a newer filter won the race
      pager = loaded(pager, page.next);
      replaceChildren(tbody, ...(page.events.length ? page.events.map(row)
        : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No events match these filters."))]));
      pageInfo.textContent = `Page ${pager.index + 1}`;
    } catch (error) {
      replaceChildren(tbody, h("tr", {}, h("td", { colspan: 5, class: "error-line" }, api.toApiError(error).message)));
    }
    newerButton.disabled = !hasNewer(pager);
    olderButton.disabled = !hasOlder(pager);
  };
  const refilter = () => {
    filter = buildFilter(programSelect.value, KIND_GROUPS[Number(kindSelect.value)]?.kinds ?? [], rangeSelect.value as Range, Date.now());
    void go(firstPage());
  };
  const exportAs = async (format: api.ExportFormat) => {
    try {
      const path = await api.exportHistory(filter, format);
      if (path) ctx.say(`Saved to ${path}`);
    } catch (error) {
      ctx.say(api.toApiError(error).message, "error");
    }
  };
  for (const s of [programSelect, kindSelect, rangeSelect]) s.addEventListener("change", refilter);
  refilter();
  // Live on the first page: new events re-fetch it (debounced), older pages stay still
  // so rows do not shift under the reader.
  let liveTimer: number | undefined;
  const unsubscribe = ctx.store.subscribe(() => {
    if (pager.index !== 0) return;
    window.clearTimeout(liveTimer);
    liveTimer = window.setTimeout(() => void go(firstPage()), 500);
  });
  // Names come from the model: wait for its first snapshot so the legend is not ids.
  const chartReady = ctx.store.loaded ? Promise.resolve() : new Promise<void>((done) => {
    const stop = ctx.store.subscribe(() => ctx.store.loaded && (stop(), done()));
  });
  Promise.all([api.restartChart(30), chartReady]).then(
    ([chart]) => replaceChildren(chartBox, restartChartElement(chart, nameOf(ctx))),
    (error) => replaceChildren(chartBox, h("p", { class: "muted" }, `The restart chart is not available: ${api.toApiError(error).message}`)));
  return { el, dispose: () => (unsubscribe(), window.clearTimeout(liveTimer)) };
}

function nameOf(ctx: Ctx): (id: string) => string {
  return (id) => ctx.store.state.programs.find((p) => p.id === id)?.name ?? id;
}

function row(r: HistoryRecord): HTMLTableRowElement {
  return h("tr", { "data-kind": r.kind, "data-program": r.program_id },
    h("td", { class: "nowrap" }, dateTime(r.ts_ms)), h("td", {}, r.program_name),
    h("td", {}, kindWords(r.kind)), h("td", {}, recordCause(r)), h("td", {}, whoAsked(r.requested_by)));
}
