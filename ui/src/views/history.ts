// History: the restarts of the last 30 local days as a chart whose bars filter the table,
// then the table of incidents (a death and what followed it, expandable to the raw
// events) and other events, newest first, with filters, free-text search, keyset paging
// and export of the filtered range.
import * as api from "../api";
import { h, replaceChildren } from "../dom";
import { dateTime, formatDuration, kindWords, recordCause, whoAsked } from "../format";
import { downtime, groupIncidents, incidentSummary, searchItems, type HistoryItem, type Incident } from "../incidents";
import { chartByLocalDay, localDate, localDayStarts, nextDayStart } from "../localdays";
import { buildFilter, currentStart, firstPage, hasNewer, hasOlder, KIND_GROUPS, loaded, newer, older, type Pager, type Range } from "../paging";
import type { HistoryFilter, HistoryRecord } from "../types";
import { restartChartElement, type BarPick } from "./chart";
import type { Ctx, View } from "./view";

/** Records a page asks for: large, so few incidents straddle a page's edge. */
const PAGE_SIZE = 200;
const CHART_DAYS = 30;
/** The chart counts at most this many restarts (5 requests); it says so when cut. */
const CHART_MAX_RECORDS = 5000;
const COLUMNS = ["When", "Program", "What happened", "Downtime", "Who asked"];

/** The History view. */
export function historyView(ctx: Ctx): View {
  const programSelect = h("select", { id: "h-program" }, h("option", { value: "" }, "All programs"),
    ...ctx.store.state.programs.map((p) => h("option", { value: p.id }, p.name)));
  const kindSelect = h("select", { id: "h-kind" }, ...KIND_GROUPS.map((g, i) => h("option", { value: i }, g.label)));
  const dayOption = h("option", { value: "day", hidden: true }, "");
  const rangeSelect = h("select", { id: "h-range" },
    h("option", { value: "24h" }, "Last 24 hours"), h("option", { value: "7d" }, "Last 7 days"),
    h("option", { value: "30d" }, `Last ${CHART_DAYS} days`), h("option", { value: "all" }, "All time"), dayOption);
  rangeSelect.value = "30d"; // the chart's range, so bars and rows tell the same story
  const search = h("input", { type: "search", id: "h-search", placeholder: "Search…", "data-find": true,
    "aria-label": "Search the history" });
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
      labelled("Search", search),
      h("span", { class: "spacer" }), exportButton("csv", "Export CSV…"), exportButton("jsonl", "Export JSON lines…")),
    h("div", { class: "table-wrap" }, h("table", { class: "events" },
      h("caption", { class: "visually-hidden" }, "Incidents and events, newest first"),
      h("thead", {}, h("tr", {}, ...COLUMNS.map((t) => h("th", { scope: "col" }, t)))),
      tbody)),
    h("div", { class: "pager" }, newerButton, pageInfo, olderButton));

  let pager: Pager = firstPage();
  let filter: HistoryFilter = {};
  let day: { since: number; until: number } | null = null;
  let items: HistoryItem[] = [];
  const expanded = new Set<string>();
  let generation = 0;
  const show = () => {
    const shown = searchItems(items, search.value);
    replaceChildren(tbody, ...(shown.length ? shown.flatMap((item) => rows(item, expanded, show))
      : [h("tr", {}, h("td", { colspan: COLUMNS.length, class: "muted" },
        items.length ? "Nothing on this page matches the search." : "No events match these filters."))]));
  };
  const go = async (next: Pager) => {
    pager = next;
    const mine = ++generation;
    try {
      const page = await api.history(filter, currentStart(pager), PAGE_SIZE);
      if (mine !== generation) return; // a newer filter won the race
      pager = loaded(pager, page.next);
      items = groupIncidents(page.records);
      show();
      pageInfo.textContent = `Page ${pager.index + 1}`;
    } catch (error) {
      replaceChildren(tbody, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "error-line" }, api.toApiError(error).message)));
    }
    newerButton.disabled = !hasNewer(pager);
    olderButton.disabled = !hasOlder(pager);
  };
  const refilter = () => {
    const range = rangeSelect.value;
    const now = Date.now();
    filter = buildFilter(programSelect.value, KIND_GROUPS[Number(kindSelect.value)]?.kinds ?? [],
      range === "day" ? "all" : (range as Range), now);
    // Day ranges start at local midnight, like the chart's bars.
    if (range === "7d" || range === "30d") filter.since = localDayStarts(now, range === "7d" ? 7 : CHART_DAYS)[0];
    if (range === "day" && day) Object.assign(filter, day);
    if (range !== "day") dayOption.hidden = true;
    void go(firstPage());
  };
  const pick = (bar: BarPick) => {
    day = { since: bar.dayStart, until: nextDayStart(bar.dayStart) };
    dayOption.textContent = localDate(bar.dayStart);
    dayOption.hidden = false;
    rangeSelect.value = "day";
    if ([...programSelect.options].some((o) => o.value === bar.program)) programSelect.value = bar.program;
    kindSelect.value = "0";
    refilter();
    ctx.say(`Showing ${bar.name} on ${localDate(bar.dayStart)}`);
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
  search.addEventListener("input", show);
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
  Promise.all([localChart(), chartReady]).then(
    ([[chart, cut]]) => replaceChildren(chartBox, restartChartElement(chart, nameOf(ctx), pick, cut)),
    (error) => replaceChildren(chartBox, h("p", { class: "muted" }, `The restart chart is not available: ${api.toApiError(error).message}`)));
  return { el, dispose: () => (unsubscribe(), window.clearTimeout(liveTimer)) };
}

/** The restarts of the chart's local days, counted from the records; true when cut short. */
async function localChart(): Promise<[ReturnType<typeof chartByLocalDay>, boolean]> {
  const starts = localDayStarts(Date.now(), CHART_DAYS);
  const records: HistoryRecord[] = [];
  let cursor: api.Cursor | null = null;
  do {
    const page = await api.history({ kinds: ["restarted"], since: starts[0] }, cursor, 1000);
    records.push(...page.records);
    cursor = page.next;
  } while (cursor && records.length < CHART_MAX_RECORDS);
  return [chartByLocalDay(records, starts), cursor !== null];
}

function nameOf(ctx: Ctx): (id: string) => string {
  return (id) => ctx.store.state.programs.find((p) => p.id === id)?.name ?? id;
}

function eventRow(r: HistoryRecord, raw: boolean): HTMLTableRowElement {
  const cause = recordCause(r);
  return h("tr", { class: raw ? "raw" : null, "data-kind": r.kind, "data-program": r.program_id },
    h("td", { class: "nowrap" }, dateTime(r.ts_ms)), h("td", {}, raw ? "" : r.program_name),
    h("td", {}, kindWords(r.kind), cause ? ` · ${cause}` : ""), h("td", {}, ""), h("td", {}, whoAsked(r.requested_by)));
}

function rows(item: HistoryItem, expanded: Set<string>, redraw: () => void): HTMLTableRowElement[] {
  if (item.type === "event") return [eventRow(item.record, false)];
  const key = `${item.program_id}@${item.start_ms}`;
  const open = expanded.has(key);
  const toggle = h("button", { type: "button", class: "disclosure", "aria-expanded": open ? "true" : "false",
    "data-action": "expand", "aria-label": `${open ? "Hide" : "Show"} the ${item.events.length} events`,
    onclick: () => ((open ? expanded.delete(key) : expanded.add(key)), redraw()) }, open ? "▾" : "▸");
  const down = downtime(item);
  const head = h("tr", { class: `incident outcome-${item.outcome}`, "data-kind": "incident", "data-program": item.program_id },
    h("td", { class: "nowrap" }, toggle, " ", dateTime(item.start_ms)), h("td", {}, item.program_name),
    h("td", { class: "summary" }, summaryText(item)), h("td", { class: "nowrap" }, down === null ? "—" : formatDuration(down)),
    h("td", {}, "Lifeguard"));
  return [head, ...(open ? item.events.map((e) => eventRow(e, true)) : [])];
}

function summaryText(i: Incident): string {
  const s = incidentSummary(i);
  return s.charAt(0).toUpperCase() + s.slice(1);
}
