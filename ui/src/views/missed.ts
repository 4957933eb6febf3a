// The Programs view's banner of restarts no notification showed, with Dismiss: loaded
// once, then kept by the daemon's `lifeguard://missed` event (no polling).
import * as api from "../api";
import { h, replaceChildren } from "../dom";
import { missedText } from "../missed";
import type { MissedRestart } from "../contract";

/** The banner (hidden while the list is empty) and how to stop following the daemon. */
export function missedBanner(): { el: HTMLElement; dispose: () => void } {
  const el = h("div", { class: "banner missed", role: "status", id: "missed-banner", hidden: true });
  const show = (list: MissedRestart[]) => {
    const text = missedText(list);
    el.hidden = text === null;
    if (!text) return replaceChildren(el);
    const dismiss = h("button", { type: "button", id: "dismiss-missed", onclick: () => {
      el.hidden = true;
      void api.dismissMissed().catch(() => { el.hidden = false; });
    } }, "Dismiss");
    replaceChildren(el,
      h("span", {}, h("strong", {}, text.title),
        h("ul", { class: "missed-list" }, ...text.lines.map((line) => h("li", {}, line)))),
      dismiss);
  };
  let disposed = false;
  let unlisten: (() => void) | null = null;
  void api.missed().then((m) => show(m.missed), () => undefined);
  void api.onMissed(show).then((u) => (disposed ? u() : (unlisten = u)), () => undefined);
  return { el, dispose: () => { disposed = true; unlisten?.(); } };
}
