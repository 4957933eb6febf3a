// One 1-second clock for "up 5 min" / "restarting in 3 s" texts. It only rewrites text
// nodes that asked for it, so nothing reflows but those words.

const texts = new Map<Element, () => string>();
let timer: number | undefined;

/** Keeps `el`'s text equal to `text()` every second while it is in the document. */
export function tick(el: Element, text: () => string): void {
  el.textContent = text();
  texts.set(el, text);
  timer ??= window.setInterval(refresh, 1000);
}

function refresh(): void {
  for (const [el, text] of texts) {
    if (!el.isConnected) {
      texts.delete(el);
      continue;
    }
    const next = text();
    if (el.textContent !== next) el.textContent = next;
  }
  if (texts.size === 0 && timer !== undefined) {
    window.clearInterval(timer);
    timer = undefined;
  }
}
