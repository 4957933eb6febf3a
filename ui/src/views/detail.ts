// Program detail: its live row, uptime and MTBF from the history, its settings (the same
// form as "Protect a program"), its recent events and the tail of its output.
import * as api from "../api";
import { h, replaceChildren } from "../dom";
import { dateTime, formatDuration, kindWords, recordCause, whoAsked } from "../format";
import type { ProgramView } from "../state";
import type { ProgramEntry, ProgramStats } from "../types";
import { formFromEntry } from "../validate";
import { programForm } from "./form";
import { outputPanel } from "./output";
import { programRow } from "./row";
import type { Ctx, View } from "./view";

/** The detail view of program `id`. */
export function detailView(ctx: Ctx, id: string): View {
  const list = h("ul", { class: "programs single" });
  const stats = h("dl", { class: "stats" });
  const settings = h("div", {});
  const events = h("ol", { class: "recent" });
  const output = outputPanel(id, ctx.say);
  const title = h("h2", {}, id);
  const el = h("section", { class: "view detail" },
    h("a", { class: "link", href: "#/programs" }, "← All programs"), title, list,
    h("h3", {}, "Reliability"), stats,
    h("div", { class: "columns" },
      h("div", {}, h("h3", {}, "Recent events"), events),
      h("div", {}, h("h3", {}, "Output"), output.el)),
    h("h3", {}, "Settings"), settings);

  let row: ReturnType<typeof programRow> | null = null;
  let formShown = false;
  const update = () => {
    const p = ctx.store.state.programs.find((x) => x.id === id);
    if (!p) {
      if (ctx.store.loaded) replaceChildren(list, h("li", { class: "muted" }, "This program is not protected (any more)."));
      return;
    }
    title.textContent = p.name;
    row ??= programRow(ctx, p);
    row.update(p, ctx.store.state.paused);
    if (row.el.parentElement !== list) replaceChildren(list, row.el);
    if (!formShown) {
      formShown = true;
      void showSettings(ctx, p, settings);
    }
  };
  update();
  const unsubscribe = ctx.store.subscribe(update);

  api.stats(id).then((s) => replaceChildren(stats, ...statItems(s)),
    (e) => replaceChildren(stats, h("dd", { class: "muted" }, api.toApiError(e).message)));
  api.history({ program: id }, null, 15).then(
    (page) => replaceChildren(events, ...(page.records.length ? page.records.map((r) =>
      h("li", {}, h("time", {}, dateTime(r.ts_ms)), " ", h("strong", {}, kindWords(r.kind)), " ",
        recordCause(r), r.requested_by ? ` · ${whoAsked(r.requested_by)}` : "")) : [h("li", { class: "muted" }, "No events yet.")])),
    (e) => replaceChildren(events, h("li", { class: "muted" }, api.toApiError(e).message)));
  return { el, dispose: () => (unsubscribe(), output.dispose()) };
}

function statItems(s: ProgramStats): HTMLElement[] {
  const item = (term: string, value: string) => h("div", {}, h("dt", {}, term), h("dd", {}, value));
  return [
    item("Uptime (7 days)", s.uptime_pct === null ? "—" : `${s.uptime_pct.toFixed(s.uptime_pct >= 99.95 ? 0 : 1)} %`),
    item("Mean time between failures", s.mtbf_ms === null ? "no failures" : formatDuration(s.mtbf_ms)),
    item("Restarts", `${s.restarts_24h} in 24 h · ${s.restarts_7d} in 7 days`),
    item("Last exit", s.last_exit_reason ?? "—"),
  ];
}

/** The settings form, filled from the config entry when the shell offers it. */
async function showSettings(ctx: Ctx, p: ProgramView, box: HTMLElement): Promise<void> {
  let entry: ProgramEntry = { ...p.spec, autostart: true, notify: true };
  try {
    entry = (await api.programs()).find((e) => e.id === p.id) ?? entry;
  } catch {
    // Older shells have no `programs` command: the spec alone still edits everything
    // but the service options, which keep their defaults.
  }
  replaceChildren(box, programForm(formFromEntry(entry), "Save changes", async (next) => {
    try {
      await api.updateProgram(next);
      ctx.say(`${next.name} saved`);
      void ctx.store.refresh();
      return null;
    } catch (error) {
      return api.toApiError(error);
    }
  }, { editing: true }));
}
