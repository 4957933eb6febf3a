// Program detail: its live row, uptime and MTBF from the history, its settings ("Edit"
// opens the same form as "Protect a program", checked by the daemon as you type), its
// recent events and the tail of its output.
import * as api from "../api";
import { h, replaceChildren } from "../dom";
import { dateTime, formatDuration, kindWords, recordCause, whoAsked } from "../format";
import type { ProgramView } from "../state";
import type { ProgramInput, ProgramStats } from "../types";
import { joinArgs } from "../args";
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
      showSummary(ctx, p, settings);
    }
  };
  update();
  const unsubscribe = ctx.store.subscribe(update);

  api.stats(id).then((s) => replaceChildren(stats, ...statItems(s)),
    (e) => replaceChildren(stats, h("dd", { class: "muted" }, api.toApiError(e).message)));
  api.history({ program: id }, null, 15).then(
    (page) => replaceChildren(events, ...(page.events.length ? page.events.map((r) =>
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

/** The settings at a glance, and "Edit". */
function showSummary(ctx: Ctx, p: ProgramView, box: HTMLElement): void {
  const policy = { always: "always", "on-failure": "when it fails", never: "never" }[p.spec.restart.policy];
  replaceChildren(box,
    h("p", { "data-role": "settings-command" }, h("code", {}, joinArgs(p.spec.argv))),
    h("p", { class: "muted" }, `Restarted ${policy}; stopped with ${p.spec.stop_signal}, then SIGKILL after ${p.spec.stop_grace}.`),
    h("button", { type: "button", "data-action": "edit-settings", onclick: () => void showSettings(ctx, p.id, box) }, "Edit"));
}

/** The edit form, filled from the config entry when the shell offers it. */
async function showSettings(ctx: Ctx, id: string, box: HTMLElement): Promise<void> {
  const p = ctx.store.state.programs.find((x) => x.id === id);
  if (!p) return;
  let entry: ProgramInput = { ...p.spec, autostart: true, notify: true };
  try {
    entry = (await api.programs()).find((e) => e.id === p.id) ?? entry;
  } catch {
    // Older shells have no `programs` command: the spec alone still edits everything
    // but the service options, which keep their defaults.
  }
  const close = () => showSummary(ctx, ctx.store.state.programs.find((x) => x.id === id) ?? p, box);
  const form = programForm(formFromEntry(entry), "Save changes", async (next) => {
    try {
      const saved = await api.updateProgram(next);
      ctx.say(`${next.name} saved`);
      await ctx.store.refresh();
      showSummary(ctx, { ...p, ...ctx.store.state.programs.find((x) => x.id === id), spec: saved.spec }, box);
      return null;
    } catch (error) {
      return api.toApiError(error);
    }
  }, {
    editing: true,
    cancel: close,
    check: async (next) => {
      try {
        await api.checkProgram(next);
        return null;
      } catch (error) {
        return api.toApiError(error);
      }
    },
  });
  replaceChildren(box, form);
  form.querySelector<HTMLInputElement>("#f-name")?.focus();
}
