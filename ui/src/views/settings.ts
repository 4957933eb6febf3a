// Settings: launch at login, notifications, leaving programs running, the default restart policy,
// history retention, the metrics endpoint, and where the files are.
import * as api from "../api";
import { field, h, replaceChildren } from "../dom";
import { parseDuration } from "../duration";
import type { Settings } from "../types";
import type { Ctx, View } from "./view";

/** The Settings view. */
export function settingsView(ctx: Ctx): View {
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const el = h("section", { class: "view settings" }, h("h2", {}, "Settings"), body);
  Promise.all([api.settingsGet(), api.autostartGet().catch(() => null), api.paths().catch(() => null)]).then(
    ([view, autostart, paths]) => replaceChildren(body, form(ctx, view.settings, autostart),
      paths ? h("section", {}, h("h3", {}, "Files"), h("dl", { class: "paths" },
        ...Object.entries(paths).map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, h("code", {}, v)))))) : null),
    (e) => replaceChildren(body, h("p", { class: "error-line" }, api.toApiError(e).message)));
  return { el };
}

/** Whether a metrics address is loopback only, as the daemon requires. */
export function isLoopback(bind: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d{1,5}$/.test(bind.trim());
}

function form(ctx: Ctx, s: Settings, autostart: boolean | null): HTMLFormElement {
  const check = (id: string, label: string, on: boolean) =>
    h("div", { class: "field check" }, h("input", { type: "checkbox", id, checked: on }), h("label", { for: id }, label));
  const policy = h("select", {}, h("option", { value: "on-failure" }, "When it fails"),
    h("option", { value: "always" }, "Always"), h("option", { value: "never" }, "Never"));
  policy.value = s.default_restart.policy;
  const maxAge = h("input", { type: "text", value: s.history.max_age });
  const bind = h("input", { type: "text", value: s.metrics.bind });
  const error = h("p", { class: "form-error", role: "alert" });
  const el = h("form", { class: "settings-form", novalidate: true },
    check("s-login", "Start Lifeguard when I log in", autostart ?? s.launch_at_login),
    check("s-notify", "Show a notification when a program is restarted", s.notifications),
    check("s-outlive", "Leave programs running when Lifeguard itself stops", s.programs_outlive_daemon),
    field("s-policy", "Restart programs that set no policy", policy),
    field("s-age", "Keep history for", maxAge, 'e.g. "90d"; "0s" keeps it forever.'),
    check("s-metrics", "Serve Prometheus metrics", s.metrics.enabled),
    field("s-bind", "Metrics address", bind, "Loopback only, e.g. 127.0.0.1:9464."),
    error, h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, "Save settings")));
  const checked = (id: string) => (el.querySelector(`#${id}`) as HTMLInputElement).checked;
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const age = parseDuration(maxAge.value);
    if (age === null) return void (error.textContent = 'Keep history for: write a duration such as "90d" or "0s"');
    // The daemon's limit (settings.history.max_age, crates/service/src/config/load.rs).
    if (age > 3660 * 86_400_000) return void (error.textContent = 'Keep history for: longer than the limit of 3660d; use at most "3660d", or "0s" to keep everything');
    if (!isLoopback(bind.value)) return void (error.textContent = "Metrics address: use a loopback address such as 127.0.0.1:9464");
    error.textContent = "";
    const p = policy.value as Settings["default_restart"]["policy"];
    const next: Settings = {
      ...s, notifications: checked("s-notify"), launch_at_login: checked("s-login"),
      programs_outlive_daemon: checked("s-outlive"),
      default_restart: p === s.default_restart.policy ? s.default_restart
        : p === "on-failure" ? { policy: p, clean_exit_codes: [0] } : { policy: p },
      history: { ...s.history, max_age: maxAge.value.trim() },
      metrics: { enabled: checked("s-metrics"), bind: bind.value.trim() },
    };
    try {
      await api.settingsSet(next);
      if (autostart !== null && next.launch_at_login !== autostart) await api.autostartSet(next.launch_at_login);
      ctx.say("Settings saved");
    } catch (e) {
      error.textContent = api.toApiError(e).message;
    }
  });
  return el;
}
