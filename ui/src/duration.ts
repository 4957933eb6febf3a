// Engine durations as people type them: "250ms", "10s", "2m", "1h30m" (crates/engine/src/duration.rs).

/** Whole durations: every number needs a unit. */
const DURATION = /^(\d+(ns|us|ms|s|m|h|d))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 };

/** Milliseconds of an engine duration ("250ms", "1h30m"), or null when it is not one. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (!DURATION.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(/(\d+)(ns|us|ms|s|m|h|d)/g)) total += Number(m[1]) * (UNIT_MS[m[2] ?? "s"] ?? 0);
  return total;
}

/** The fix to suggest after a bad duration. */
export const DURATION_FIX = 'write e.g. "250ms", "10s", "2m" or "1h30m"';
