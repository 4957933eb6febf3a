// A program's live output on its page: the log followed as it grows (the daemon's
// `logs` follow), with pause, search and "Open log file".
import { toApiError } from "../api";
import * as desktop from "../desktop";
import { h, replaceChildren } from "../dom";
import { lineMatches, receive, setPaused, type OutputState } from "../output-view";

/** The output panel of program `id`; `dispose` stops following. */
export function outputPanel(id: string, say: (message: string, tone?: "info" | "error") => void): { el: HTMLElement; dispose: () => void } {
  const log = h("pre", { class: "log", tabindex: 0, "aria-label": "Output", "aria-live": "off", "data-output": id });
  const search = h("input", { type: "search", class: "output-search", placeholder: "Search the output…",
    "aria-label": "Search the output" });
  const count = h("span", { class: "muted", "aria-live": "polite" });
  const pause = h("button", { type: "button", "data-action": "pause-output", "aria-pressed": "false" }, "Pause");
  const open = h("button", { type: "button", "data-action": "open-log" }, "Open log file");
  const el = h("div", { class: "output" }, h("div", { class: "toolbar" }, pause, search, count, h("span", { class: "spacer" }), open), log);

  let state: OutputState = { lines: [], paused: false, held: [] };
  let note = "Loading…";
  const draw = () => {
    const query = search.value;
    const shown = query ? state.lines.filter((l) => lineMatches(l, query)) : state.lines;
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    log.textContent = state.lines.length ? shown.join("\n") : note;
    count.textContent = query ? `${shown.length} of ${state.lines.length} lines` : "";
    pause.textContent = state.paused ? (state.held.length ? `Resume (${state.held.length} new)` : "Resume") : "Pause";
    pause.setAttribute("aria-pressed", String(state.paused));
    // Following means staying at the end, unless the reader scrolled up or searches.
    if (!state.paused && !query && atBottom) log.scrollTop = log.scrollHeight;
  };
  pause.addEventListener("click", () => ((state = setPaused(state, !state.paused)), draw()));
  search.addEventListener("input", draw);
  open.addEventListener("click", () => void desktop.openLogFile(id).then(
    (path) => say(`Opened ${path}`), (e) => say(toApiError(e).message, "error")));

  let disposed = false;
  const unlisten = desktop.onLog((batch) => {
    if (batch.program !== id || !batch.lines.length) return;
    state = receive(state, batch.lines);
    draw();
  });
  desktop.logsFollow(id).then(
    (tail) => {
      if (disposed) return void desktop.logsUnfollow(id).catch(() => undefined);
      note = "(no output yet)";
      state = receive({ ...state, lines: [] }, tail.lines);
      draw();
      log.scrollTop = log.scrollHeight;
    },
    (e) => {
      const error = toApiError(e);
      open.disabled = error.kind === "no_log";
      note = error.kind === "no_log" ? "Its output is not captured (it goes to Lifeguard's own output)." : error.message;
      replaceChildren(log, note);
    });
  const dispose = () => {
    disposed = true;
    void unlisten.then((stop) => stop()).catch(() => undefined);
    void desktop.logsUnfollow(id).catch(() => undefined);
  };
  return { el, dispose };
}
