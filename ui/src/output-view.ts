// The pure parts of a program's live output: a capped line buffer that can be paused,
// and the search over it.

/** Lines the window keeps of a followed log; older ones scroll away. */
export const MAX_LINES = 2000;

/** `lines` with `more` appended, keeping only the newest `max`. */
export function appendCapped(lines: string[], more: string[], max = MAX_LINES): string[] {
  const all = lines.concat(more);
  return all.length > max ? all.slice(all.length - max) : all;
}

/** Whether a line matches a search (case-insensitive substring; empty matches all). */
export function lineMatches(line: string, query: string): boolean {
  return !query || line.toLowerCase().includes(query.toLowerCase());
}

/** Live output's state: the lines shown, and what arrived while paused. */
export interface OutputState {
  lines: string[];
  paused: boolean;
  /** Lines that came while paused, shown on resume. */
  held: string[];
}

/** A new batch of lines: shown at once, or held while paused. */
export function receive(state: OutputState, batch: string[]): OutputState {
  if (state.paused) return { ...state, held: appendCapped(state.held, batch) };
  return { ...state, lines: appendCapped(state.lines, batch) };
}

/** Pauses or resumes following; resuming shows what was held. */
export function setPaused(state: OutputState, paused: boolean): OutputState {
  if (paused) return { ...state, paused };
  return { lines: appendCapped(state.lines, state.held), paused, held: [] };
}
