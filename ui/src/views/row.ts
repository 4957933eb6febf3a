// One program's row on the home view. Its parts are updated in place so focus stays on
// the button a keyboard user is on, and nothing jumps while events stream in.
import * as api from "../api";
import { joinArgs } from "../args";
import { avatar, h, replaceChildren } from "../dom";
import { deathsNote, exitLine, stateText, stateTone } from "../format";
import type { ProgramView } from "../state";
import { tick } from "../ticker";
import { act } from "./act";
import type { Ctx } from "./view";

/** A mounted row. */
export interface Row {
  el: HTMLLIElement;
  update(p: ProgramView, globalPause: boolean): void;
  /** Shows the app's icon (a `data:` URL), or the letter avatar for null. */
  setIcon(url: string | null): void;
  /** Shows "23 MB · 4 % CPU", or nothing for null (the program is down). */
  setUsage(text: string | null): void;
}

/** Builds the row of one program. */
export function programRow(ctx: Ctx, first: ProgramView): Row {
  let p = first;
  const state = h("span", { class: "state", "data-role": "state" });
  const lastExit = h("span", { class: "last-exit", "data-role": "last-exit" });
  const usage = h("span", { class: "usage", "data-role": "usage", hidden: true });
  const restarts = h("span", { class: "restarts", "data-role": "restarts" });
  const actions = h("div", { class: "actions", role: "group", "aria-label": `Actions for ${p.name}` });
  const title = h("a", { class: "name", href: `#/program/${encodeURIComponent(p.id)}` }, p.name);
  // The command is cut to the row's width: the whole of it shows on hover.
  const command = h("span", { class: "command", "data-role": "command" });
  let face = avatar(p.name);
  let faceKey = "";
  const el = h("li", { class: "row", "data-program": p.id },
    face,
    h("div", { class: "who" }, title, command),
    h("div", { class: "what" }, state, lastExit, usage),
    restarts, actions);
  tick(state, () => stateText(p, Date.now()));
  tick(lastExit, () => exitLine(p, Date.now()));
  let actionKey = "";

  const button = (label: string, action: string, run: () => Promise<unknown>, done: string) =>
    h("button", { type: "button", "data-action": action, onclick: () => void act(ctx, run(), done) }, label);

  const renderActions = (confirming: boolean) => {
    if (confirming) {
      return replaceChildren(actions,
        h("span", { class: "confirm" }, `Stop ${p.name} and stop protecting it?`),
        h("button", { type: "button", class: "danger", "data-action": "confirm-remove", onclick: () =>
          void act(ctx, api.removeProgram(p.id, false), `${p.name} was stopped and removed`) }, "Remove and stop"),
        h("button", { type: "button", "data-action": "cancel", onclick: () => renderActions(false) }, "Cancel"));
    }
    const s = p.state.state;
    const up = s === "running" || s === "starting" || s === "backoff";
    const more = h("details", { class: "menu" },
      h("summary", { class: "button", "aria-label": `More actions for ${p.name}` }, "More"),
      h("div", { class: "menu-items", role: "menu" },
        h("a", { role: "menuitem", href: `#/program/${encodeURIComponent(p.id)}`, "data-action": "edit" }, "Edit…"),
        h("button", { type: "button", role: "menuitem", "data-action": "unprotect",
          title: "Lifeguard forgets it; the program keeps running", onclick: () =>
            void act(ctx, api.removeProgram(p.id, true), `${p.name} is no longer protected (still running)`) },
          "Stop protecting"),
        h("button", { type: "button", role: "menuitem", class: "danger", "data-action": "remove",
          onclick: () => renderActions(true) }, "Remove and stop it…")));
    replaceChildren(actions,
      s === "gave_up" ? button("Try again", "retry", () => api.control(p.id, "retry"), `Trying ${p.name} again`)
      : up ? button("Stop", "stop", () => api.control(p.id, "stop"), `${p.name} stopped`)
      : button("Start", "start", () => api.control(p.id, "start"), `${p.name} started`),
      p.wanted === "up" && s !== "gave_up"
        ? button("Restart now", "restart", () => api.control(p.id, "restart"), `${p.name} restarted`) : null,
      p.paused
        ? button("Resume", "resume", () => api.resume(p.id), `${p.name} is protected again`)
        : button("Pause", "pause", () => api.pause(p.id, null), `Protection of ${p.name} paused`),
      more);
  };

  return {
    el,
    setUsage(text) {
      usage.hidden = text === null;
      usage.textContent = text ?? "";
    },
    setIcon(url) {
      const key = url ?? `letter:${p.name}`;
      if (key === faceKey) return;
      faceKey = key;
      const next = avatar(p.name, url);
      face.replaceWith(next);
      face = next;
    },
    update(next, globalPause) {
      p = next;
      el.dataset.state = stateTone(p);
      state.className = `state tone-${stateTone(p)}`;
      state.textContent = stateText(p, Date.now());
      lastExit.textContent = exitLine(p, Date.now());
      command.textContent = joinArgs(p.spec.argv);
      command.title = joinArgs(p.spec.argv);
      const deaths = deathsNote(p);
      restarts.textContent = `${p.restarts_24h} restart${p.restarts_24h === 1 ? "" : "s"} in 24 h`
        + (deaths ? ` · ${deaths.toLowerCase()}` : "");
      title.textContent = p.name;
      // Rebuild the buttons only when the set changes, keeping focus otherwise.
      const key = `${p.state.state}|${p.wanted}|${p.paused}|${globalPause}|${p.name}`;
      if (key !== actionKey) {
        actionKey = key;
        renderActions(false);
      }
    },
  };
}
