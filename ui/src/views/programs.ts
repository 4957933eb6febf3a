// Programs (home): one row per protected program, live; the global pause and its banner;
// an empty state that leads to "Protect a program".
import * as api from "../api";
import { act } from "./act";
import { h, replaceChildren } from "../dom";
import { clock } from "../format";
import type { AppState } from "../state";
import { tick } from "../ticker";
import { missedBanner } from "./missed";
import { programRow, type Row } from "./row";
import { usageFigures, usageText } from "../usage";
import type { UsageReport } from "../types";
import type { Ctx, View } from "./view";

/** Pause lengths offered, in minutes (null: until resumed). */
export const PAUSE_CHOICES: [string, number | null][] = [
  ["15 minutes", 15], ["1 hour", 60], ["4 hours", 240], ["Until I resume", null],
];

/** The Programs view. */
export function programsView(ctx: Ctx): View {
  const rows = new Map<string, Row>();
  // The icons by program id, asked again whenever the set of programs changes.
  let icons: Record<string, string> = {};
  let iconKey = "";
  let disposed = false;
  const askIcons = (key: string) => {
    void api.programIcons().then((answer) => {
      if (disposed || key !== iconKey) return;
      icons = answer.icons;
      for (const [id, row] of rows) row.setIcon(icons[id] ?? null);
    }, () => undefined);
  };
  // Memory and CPU on the rows: asked every 2 s while this view is mounted and the window
  // is shown, never otherwise (the daemon reads /proc only when asked).
  let lastUsage: UsageReport | null = null;
  let usageTimer: number | undefined;
  const pollUsage = () => {
    void api.usage().then((report) => {
      if (disposed) return;
      const figures = usageFigures(lastUsage, report);
      lastUsage = report;
      for (const [id, row] of rows) {
        const f = figures.get(id);
        row.setUsage(f ? usageText(f) : null);
      }
    }, () => undefined);
  };
  const followVisibility = () => {
    window.clearInterval(usageTimer);
    usageTimer = undefined;
    if (disposed || document.hidden) return;
    pollUsage();
    usageTimer = window.setInterval(pollUsage, 2000);
  };
  document.addEventListener("visibilitychange", followVisibility);
  const list = h("ul", { class: "programs", "aria-label": "Protected programs" });
  const banner = h("div", { class: "banner paused", role: "status", hidden: true });
  const body = h("div", {});
  const pauseMenu = h("details", { class: "menu" },
    h("summary", { class: "button" }, "Pause protection"),
    h("div", { class: "menu-items", role: "menu" }, ...PAUSE_CHOICES.map(([label, minutes]) =>
      h("button", { type: "button", role: "menuitem", "data-pause": minutes ?? "forever",
        onclick: () => {
          pauseMenu.open = false;
          void act(ctx, api.pause(null, minutes), `Protection paused${minutes ? ` for ${label}` : ""}`);
        } }, label))));
  const resumeButton = h("button", { type: "button", id: "resume-all", onclick: () =>
    void act(ctx, api.resume(null), "Protection resumed") }, "Resume protection");
  const protect = h("a", { class: "button primary", href: "#/protect" }, "Protect a program");
  const toolbar = h("div", { class: "toolbar" },
    h("h2", {}, "Protected programs"), h("span", { class: "spacer" }), pauseMenu, protect);
  const missed = missedBanner();
  const el = h("section", { class: "view", "aria-labelledby": "programs-title" }, toolbar, banner, missed.el, body);
  toolbar.querySelector("h2")?.setAttribute("id", "programs-title");

  const update = (state: AppState) => {
    banner.hidden = !state.paused;
    // The empty state has its own big button; one is enough.
    protect.hidden = ctx.store.loaded && state.programs.length === 0;
    pauseMenu.hidden = state.paused;
    if (state.paused) {
      const text = h("span", { id: "pause-banner-text" });
      tick(text, () => state.paused_until
        ? `Protection is paused until ${clock(state.paused_until)}. Programs that stop now stay down.`
        : "Protection is paused until you resume it. Programs that stop now stay down.");
      replaceChildren(banner, text, resumeButton);
    }
    if (!ctx.store.loaded) return replaceChildren(body, h("p", { class: "muted" }, "Loading…"));
    if (ctx.store.error && state.programs.length === 0) {
      return replaceChildren(body, h("p", { class: "error-line" }, `Could not load the programs: ${ctx.store.error.message}`));
    }
    if (state.programs.length === 0) return replaceChildren(body, emptyState(protect));
    if (list.parentElement !== body) replaceChildren(body, list);
    const seen = new Set<string>();
    state.programs.forEach((p, i) => {
      seen.add(p.id);
      let row = rows.get(p.id);
      if (!row) {
        row = programRow(ctx, p);
        row.setIcon(icons[p.id] ?? null);
        rows.set(p.id, row);
      }
      row.update(p, state.paused);
      // Keep the order of the snapshot without moving rows that are already in place.
      if (list.children[i] !== row.el) list.insertBefore(row.el, list.children[i] ?? null);
    });
    for (const [id, row] of rows) if (!seen.has(id)) (row.el.remove(), rows.delete(id));
    const key = [...seen].sort().join("\n");
    if (key !== iconKey) askIcons(iconKey = key);
  };
  update(ctx.store.state);
  const unsubscribe = ctx.store.subscribe(update);
  followVisibility();
  return {
    el,
    dispose: () => {
      disposed = true;
      document.removeEventListener("visibilitychange", followVisibility);
      window.clearInterval(usageTimer);
      unsubscribe();
      missed.dispose();
    },
  };
}

function emptyState(protect: HTMLElement): HTMLElement {
  const el = h("div", { class: "empty" },
    h("h3", {}, "Nothing is protected yet"),
    h("p", {}, "Choose a program and Lifeguard will keep it running: when it crashes or someone kills it, it is started again at once, and you get a note about it."),
    h("a", { class: "button primary big", href: "#/protect" }, "Protect a program"));
  // A daemon on a broken config.toml supervises nothing yet: adding the programs again
  // would start second copies. Say so instead.
  void api.settingsGet().then(({ config_problem: problem }) => {
    if (!problem) return;
    protect.hidden = true;
    replaceChildren(el,
      h("h3", {}, "config.toml is broken"),
      h("p", { class: "error-line" }, problem),
      h("p", {}, "No program is supervised until the file is fixed. Programs that were running are left as they are and are taken over again when you fix it, so do not add them again."));
  }, () => undefined);
  return el;
}
