// The defaults of a program, read from the JSON Schema that the Rust types generate
// (docs/config.schema.json, kept current by a test). So the window, `lifeguard add`,
// `lifeguard run` and a `[[program]]` with only `id` and `argv` share one set of defaults,
// documented in docs/restarts.md, and none of them can drift from the engine's.
import schema from "../../docs/config.schema.json";

const entry = schema.$defs.ProgramEntry.properties;

/** The engine's defaults for a new program. */
export const programDefaults = {
  restart: entry.restart.default,
  backoff: entry.backoff.default,
  breaker: entry.breaker.default,
  stopSignal: entry.stop_signal.default,
  stopGrace: entry.stop_grace.default,
  autostart: entry.autostart.default,
  notify: entry.notify.default,
};
