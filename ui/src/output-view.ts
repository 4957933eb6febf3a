// The pure parts of a program's live output: a capped line buffer that can be paused,
// the stream filter (stdout / stderr / both) and the search over it.
import type { Stream } from "./contract";

/** Lines the window keeps of a followed log; older ones scroll away. */
export const MAX_LINES = 2000;

/** One line of output and the stream it was written to. */
export interface OutputLine {
  stream: Stream;
  text: string;
}

/** Which streams are shown. */
export type StreamFilter = "both" | Stream;

/** `lines` with `more` appended, keeping only the newest `max`. */
export function appendCapped<T>(lines: T[], more: T[], max = MAX_LINES): T[] {
  const all = lines.concat(more);
  return all.length > max ? all.slice(all.length - max) : all;
}

/**
 * The daemon's `lines` with their `streams` (parallel lists); an older daemon sends no
 * `streams`, and then every line was in its one file, counted as stdout.
 */
export function tagLines(lines: string[], streams?: readonly Stream[] | null): OutputLine[] {
  return lines.map((text, i) => ({ text, stream: streams?.[i] === "stderr" ? "stderr" : "stdout" }));
}

/** Whether a line matches a search (case-insensitive substring; empty matches all). */
export function lineMatches(line: string, query: string): boolean {
  return !query || line.toLowerCase().includes(query.toLowerCase());
}

/** The lines shown: those of the chosen streams that match the search. */
export function visibleLines(lines: OutputLine[], filter: StreamFilter, query: string): OutputLine[] {
  return lines.filter((l) => (filter === "both" || l.stream === filter) && lineMatches(l.text, query));
}

/** Live output's state: the lines shown, and what arrived while paused. */
export interface OutputState {
  lines: OutputLine[];
  paused: boolean;
  /** Lines that came while paused, shown on resume. */
  held: OutputLine[];
}

/** A new batch of lines: shown at once, or held while paused. */
export function receive(state: OutputState, batch: OutputLine[]): OutputState {
  if (state.paused) return { ...state, held: appendCapped(state.held, batch) };
  return { ...state, lines: appendCapped(state.lines, batch) };
}

/** Pauses or resumes following; resuming shows what was held. */
export function setPaused(state: OutputState, paused: boolean): OutputState {
  if (paused) return { ...state, paused };
  return { lines: appendCapped(state.lines, state.held), paused, held: [] };
}

/** How many of the held lines the filter would show (the "Resume (N new)" count). */
export function heldShown(state: OutputState, filter: StreamFilter): number {
  return filter === "both" ? state.held.length : state.held.filter((l) => l.stream === filter).length;
}
