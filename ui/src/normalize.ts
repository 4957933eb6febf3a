// Accepts both the contract's shapes (docs/desktop-api.md) and the daemon's raw results
// a shell may forward as they are (service protocol: `Page {events, next}`, `stats` as a
// list, `LogLines {lines}`, `ConfigView {settings, path}`, `list` as `{spec, options}`). Pure, so it is unit tested.
import type { Cursor, HistoryFilter, HistoryPage, HistoryRecord, ProgramEntry, ProgramSpec, ProgramStats, Settings } from "./types";

/** The arguments of `history`: the contract's `{filter, cursor, limit}` plus the same as
 * the daemon's `HistoryParams` under `query` (Tauri ignores arguments a command lacks). */
export function historyArgs(filter: HistoryFilter, cursor: Cursor | null, limit: number): Record<string, unknown> {
  const query = {
    program: filter.program ?? null, kinds: filter.kinds ?? [], since_ms: filter.since ?? null,
    until_ms: filter.until ?? null, after: cursor, limit,
  };
  return { filter, cursor, limit, query };
}

/** A history page as `{records, next}`, from either shape. */
export function historyPage(raw: unknown): HistoryPage {
  const page = (raw ?? {}) as { records?: HistoryRecord[]; events?: HistoryRecord[]; next?: Cursor | null };
  return { records: page.records ?? page.events ?? [], next: page.next ?? null };
}

/** One program's stats, from a single object or the daemon's list. */
export function programStats(raw: unknown, program: string): ProgramStats {
  const list = Array.isArray(raw) ? (raw as ProgramStats[]) : [raw as ProgramStats];
  const found = list.find((s) => s?.program_id === program) ?? list[0];
  if (!found) throw { kind: "unknown_program", message: `no statistics for ${program}` };
  return found;
}

/** Log lines, from a list or `LogLines`. */
export function logLines(raw: unknown): string[] {
  return Array.isArray(raw) ? (raw as string[]) : ((raw as { lines?: string[] } | null)?.lines ?? []);
}

/** The settings, from `Settings` or `ConfigView {settings, path}`. */
export function settings(raw: unknown): Settings {
  const view = raw as { settings?: Settings; path?: string };
  return view && typeof view === "object" && "settings" in view && view.settings ? view.settings : (raw as Settings);
}

/** The broken config file the daemon started on (`ConfigView.config_problem`), if any. */
export function configProblem(raw: unknown): string | null {
  const view = raw as { config_problem?: unknown } | null;
  return view && typeof view === "object" && typeof view.config_problem === "string" ? view.config_problem : null;
}

/** Config entries, flat as in the contract, from flat entries or the daemon's
 * `ProgramInfo {spec, options}` list. */
export function programEntries(raw: unknown): ProgramEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item) => {
    const info = item as { spec?: ProgramSpec; options?: Partial<ProgramEntry> };
    if (!info.spec) return item as ProgramEntry;
    return { autostart: true, notify: true, ...info.spec, ...info.options } as ProgramEntry;
  });
}
