// A program's live output on its page: the log followed as it grows (the daemon's
// `logs` follow), stdout and stderr told apart, with a stream filter, pause, search and
// "Open log file".
import { toApiError } from "../api";
import * as desktop from "../desktop";
import { h, replaceChildren } from "../dom";
import {
  heldShown, receive, setPaused, tagLines, visibleLines, type OutputState, type StreamFilter,
} from "../output-view";

const FILTERS: [StreamFilter, string][] = [["both", "Both"], ["stdout", "stdout"], ["stderr", "stderr"]];

/** The output panel of program `id`; `dispose` stops following. */
export function outputPanel(id: string, say: (message: string, tone?: "info" | "error") => void): { el: HTMLElement; dispose: () => void } {
  const log = h("pre", { class: "log", tabindex: 0, "aria-label": "Output", "aria-live": "off", "data-output": id });
  const search = h("input", { type: "search", class: "output-search", placeholder: "Search the output…",
    "aria-label": "Search the output" });
  const count = h("span", { class: "muted", "aria-live": "polite" });
  const pause = h("button", { type: "button", "data-action": "pause-output", "aria-pressed": "false" }, "Pause");
  const filterButtons = FILTERS.map(([value, label]) => h("button", { type: "button", "data-stream-filter": value,
    "aria-pressed": String(value === "both"), title: value === "both" ? "Show stdout and stderr" : `Show only ${value}` }, label));
  const filters = h("div", { class: "segmented", role: "group", "aria-label": "Streams shown" }, ...filterButtons);
  const open = h("button", { type: "button", "data-action": "open-log" }, "Open log file");
  const el = h("div", { class: "output" },
    h("div", { class: "toolbar" }, pause, filters, search, count, h("span", { class: "spacer" }), open), log);

  let state: OutputState = { lines: [], paused: false, held: [] };
  let filter: StreamFilter = "both";
  let stderrPath: string | undefined;
  let note = "Loading…";
  const draw = () => {
    const query = search.value;
    const shown = visibleLines(state.lines, filter, query);
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    if (!state.lines.length) replaceChildren(log, note);
    // One span a line: stderr's are marked by class (and colour), and say so to a
    // screen reader through their title.
    else replaceChildren(log, ...shown.map((l) => h("span", { class: `line ${l.stream}`, "data-stream": l.stream,
      title: l.stream === "stderr" ? "stderr" : null }, `${l.text}\n`)));
    const narrowed = query || filter !== "both";
    count.textContent = narrowed ? `${shown.length} of ${state.lines.length} lines` : "";
    const held = heldShown(state, filter);
    pause.textContent = state.paused ? (held ? `Resume (${held} new)` : "Resume") : "Pause";
    pause.setAttribute("aria-pressed", String(state.paused));
    // Following means staying at the end, unless the reader scrolled up or searches.
    if (!state.paused && !query && atBottom) log.scrollTop = log.scrollHeight;
  };
  pause.addEventListener("click", () => ((state = setPaused(state, !state.paused)), draw()));
  search.addEventListener("input", draw);
  for (const button of filterButtons) {
    button.addEventListener("click", () => {
      filter = (button.dataset.streamFilter as StreamFilter | undefined) ?? "both";
      for (const b of filterButtons) b.setAttribute("aria-pressed", String(b === button));
      draw();
    });
  }
  open.addEventListener("click", () => void desktop.openLogFile(id).then(
    (path) => say(stderrPath && stderrPath !== path ? `Opened ${path}; stderr is in ${stderrPath}` : `Opened ${path}`),
    (e) => say(toApiError(e).message, "error")));

  let disposed = false;
  const unlisten = desktop.onLog((batch) => {
    if (batch.program !== id || !batch.lines.length) return;
    state = receive(state, tagLines(batch.lines, batch.streams));
    draw();
  });
  desktop.logsFollow(id).then(
    (tail) => {
      if (disposed) return void desktop.logsUnfollow(id).catch(() => undefined);
      note = "(no output yet)";
      stderrPath = tail.stderr_path;
      state = receive({ ...state, lines: [] }, tagLines(tail.lines, tail.streams));
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
