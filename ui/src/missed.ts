// The restarts no notification showed (no notification server answered): the words of
// the Programs view's banner, kept pure so they are tested without a DOM.
import type { MissedRestart } from "./contract";
import { clock } from "./format";

/** The banner's text: "3 restarts while you were away" and one line per program. */
export interface MissedText {
  title: string;
  lines: string[];
}

/** The banner's words for the daemon's `missed` list; null when there is nothing to show. */
export function missedText(list: MissedRestart[]): MissedText | null {
  const total = list.reduce((sum, m) => sum + m.count, 0);
  if (total === 0) return null;
  const title = total === 1 ? "1 restart while you were away" : `${total} restarts while you were away`;
  const lines = list.map((m) => m.count > 1
    ? `${m.title} ${m.count} times, the last at ${clock(m.at_ms)}`
    : `${m.title} at ${clock(m.at_ms)}`);
  return { title, lines };
}
