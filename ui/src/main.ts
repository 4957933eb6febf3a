// The window: a header with the navigation, a status line, and one view at a time,
// chosen by the URL hash (#/programs, #/protect, #/history, #/program/<id>, #/settings).
import "./style.css";
import * as api from "./api";
import { h, replaceChildren } from "./dom";
import { versionLabel } from "./format";
import { installMenuBehaviour } from "./menus";
import { installShortcuts } from "./shortcuts";
import { Store } from "./store";
import type { Ctx, View } from "./views/view";
import { programsView } from "./views/programs";
import { protectView } from "./views/protect";
import { historyView } from "./views/history";
import { detailView } from "./views/detail";
import { settingsView } from "./views/settings";

const store = new Store();
const main = document.getElementById("main") as HTMLElement;
const status = document.getElementById("status") as HTMLElement;
const connection = document.getElementById("connection") as HTMLElement;
let current: View | null = null;
let sayTimer: number | undefined;

const ctx: Ctx = {
  store,
  go: (route) => {
    if (location.hash === route) render();
    else location.hash = route;
  },
  say: (message, tone = "info") => {
    status.textContent = message;
    status.className = `status ${tone}`;
    window.clearTimeout(sayTimer);
    sayTimer = window.setTimeout(() => (status.textContent = ""), tone === "error" ? 10000 : 4000);
  },
};

function route(): { name: string; arg: string } {
  const [, name = "programs", arg = ""] = location.hash.split("/");
  return { name, arg: decodeURIComponent(arg) };
}

function render(): void {
  current?.dispose?.();
  const { name, arg } = route();
  const view =
    name === "protect" ? protectView(ctx)
    : name === "history" ? historyView(ctx)
    : name === "program" ? detailView(ctx, arg)
    : name === "settings" ? settingsView(ctx)
    : programsView(ctx);
  current = view;
  replaceChildren(main, view.el);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    const active = link.dataset.route === (name === "program" ? "programs" : name);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  main.focus({ preventScroll: true });
}

store.subscribe((state) => {
  connection.hidden = state.connected;
});

async function start(): Promise<void> {
  const version = document.getElementById("app-version");
  api.appInfo().then(
    (info) => version && (version.textContent = versionLabel(info)),
    () => version && (version.textContent = "version unknown"),
  );
  installMenuBehaviour();
  installShortcuts(ctx.go);
  window.addEventListener("hashchange", render);
  void api.onNavigate((program) => ctx.go(program ? `#/program/${encodeURIComponent(program)}` : "#/programs"));
  render();
  void showTrayNotice();
  await store.start();
}

/** Says once that this desktop shows no tray icons, and what fixes that. */
async function showTrayNotice(): Promise<void> {
  const notice = document.getElementById("tray-notice");
  const text = await api.trayNotice().catch(() => null);
  if (!notice || !text) return;
  const close = h("button", { type: "button" }, "Got it");
  close.addEventListener("click", () => (notice.hidden = true));
  notice.replaceChildren(h("span", {}, text), close);
  notice.hidden = false;
}

connection.replaceChildren(h("span", {}, "Lifeguard's background service is not answering. Reconnecting…"));
void start();
