// "Protect a program": pick from installed applications, running programs, or a file,
// then confirm one short form. Saving adds the program and goes back home.
import * as api from "../api";
import { avatar, h, replaceChildren } from "../dom";
import { ago, formatBytes } from "../format";
import { joinArgs } from "../args";
import { defaultForm, slugify, type ProgramForm } from "../validate";
import type { DesktopApp, LoginApp, RunningProgram } from "../types";
import { programForm } from "./form";
import type { Ctx, View } from "./view";

type Tab = "installed" | "login" | "running" | "file";
const TABS: [Tab, string][] = [
  ["installed", "Installed applications"], ["login", "Starts at login"], ["running", "Running now"], ["file", "Choose a file"],
];

/** The picker view. */
export function protectView(ctx: Ctx): View {
  const panel = h("div", { class: "tab-panel", role: "tabpanel", id: "protect-panel" });
  const tabs = TABS.map(([tab, label]) =>
    h("button", { type: "button", role: "tab", id: `tab-${tab}`, "aria-controls": "protect-panel",
      onclick: () => select(tab) }, label));
  const tablist = h("div", { class: "tabs", role: "tablist", "aria-label": "How to choose the program" }, ...tabs);
  // Arrow keys move between tabs, as in native tab bars.
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0 || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
    const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    next?.focus();
    next?.click();
  });
  const el = h("section", { class: "view" }, h("h2", {}, "Protect a program"), tablist, panel);

  const showForm = (form: ProgramForm, note?: string, adoptPid?: number) => {
    const back = h("button", { type: "button", class: "link", onclick: () => select(currentTab) }, "← Choose another");
    replaceChildren(panel, currentTab === "file" ? null : back, programForm(form, "Protect it", async (entry) => {
      try {
        await api.addProgram(entry, adoptPid);
        ctx.say(`${entry.name} is protected`);
        await ctx.store.refresh();
        ctx.go("#/programs");
        return null;
      } catch (error) {
        return api.toApiError(error);
      }
    }, { note }));
    panel.querySelector<HTMLInputElement>(currentTab === "file" ? "#f-program" : "#f-name")?.focus();
  };

  let currentTab: Tab = "installed";
  const select = (tab: Tab) => {
    currentTab = tab;
    tabs.forEach((t, i) => {
      const on = TABS[i]?.[0] === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    });
    panel.setAttribute("aria-labelledby", `tab-${tab}`);
    if (tab === "file") showForm(defaultForm());
    else if (tab === "installed") void list(panel, "Search applications", api.desktopApps, appItem, (app) =>
      showForm({ ...defaultForm(), name: app.name, id: slugify(app.name), program: app.argv[0] ?? "",
        // The icon arrives as a data URL for display; the config keeps the desktop id,
        // from which the icon can be found again, rather than kilobytes of base64.
        args: joinArgs(app.argv.slice(1)), desktopId: app.id }));
    else if (tab === "login") void list(panel, "Search apps started at login", api.loginApps, loginItem, (app) =>
      showForm({ ...defaultForm(), name: app.name, id: slugify(app.name), program: app.argv[0] ?? "",
        args: joinArgs(app.argv.slice(1)), autostartEntry: app.id, autostart: true },
        `Lifeguard takes ${app.name} over from the desktop's login start: the desktop stops starting it ` +
        "(Lifeguard writes a hidden entry of the same name in ~/.config/autostart), Lifeguard starts it at login " +
        "and restarts it when it dies. Removing it from Lifeguard gives the entry back." +
        (app.wants_restart ? " It asks the desktop to restart it, which today's desktops no longer do." : "")));
    else void list(panel, "Search running programs", api.runningProcesses, processItem, (p) =>
      showForm({ ...defaultForm(), name: p.name, id: slugify(p.name), program: p.argv[0] ?? p.exe,
        args: joinArgs(p.argv.slice(1)), cwd: p.cwd ?? "" },
        `Lifeguard watches the copy already running (PID ${p.pid}) without restarting it, ` +
        "and relaunches it with this command line if it dies.", p.pid));
  };
  select("installed");
  return { el };
}

/** A searchable list of choices loaded once from the shell. */
async function list<T extends { name: string }>(
  panel: HTMLElement, label: string, load: () => Promise<T[]>,
  render: (item: T) => HTMLElement[], choose: (item: T) => void,
): Promise<void> {
  const search = h("input", { type: "search", id: "picker-search", placeholder: label, "aria-label": label });
  const ul = h("ul", { class: "choices", "aria-live": "polite" }, h("li", { class: "muted" }, "Loading…"));
  replaceChildren(panel, search, ul);
  let items: T[];
  try {
    items = await load();
  } catch (error) {
    replaceChildren(ul, h("li", { class: "error-line" }, api.toApiError(error).message));
    return;
  }
  const fill = () => {
    const q = search.value.trim().toLowerCase();
    const shown = items.filter((i) => !q || JSON.stringify(i).toLowerCase().includes(q)).slice(0, 300);
    replaceChildren(ul, ...(shown.length ? shown.map((item) =>
      h("li", {}, h("button", { type: "button", class: "choice", "data-name": item.name, onclick: () => choose(item) },
        ...render(item)))) : [h("li", { class: "muted" }, "Nothing matches.")]));
  };
  search.addEventListener("input", fill);
  fill();
  search.focus();
}

function appItem(app: DesktopApp): HTMLElement[] {
  return [avatar(app.name, app.icon), h("span", { class: "choice-text" },
    h("strong", {}, app.name), h("span", { class: "muted" }, app.comment ?? app.argv.join(" ")))];
}

function loginItem(app: LoginApp): HTMLElement[] {
  const restart = app.wants_restart ? " · asks to be restarted" : "";
  const whose = app.users_own ? "your entry" : "system entry";
  return [avatar(app.name), h("span", { class: "choice-text" },
    h("strong", {}, app.name), h("span", { class: "muted" }, app.comment ?? app.argv.join(" ")),
    h("span", { class: "muted", "data-role": "login-note" }, `${whose}${restart}`))];
}

function processItem(p: RunningProgram): HTMLElement[] {
  const count = p.pids.length > 1 ? ` · ${p.pids.length} processes` : "";
  return [avatar(p.name), h("span", { class: "choice-text" },
    h("strong", {}, p.name), h("span", { class: "muted command" }, p.argv.join(" ")),
    h("span", { class: "muted" }, `${formatBytes(p.memory_bytes)} · started ${ago(p.started_at, Date.now())}${count}`))];
}
