// Holds the model and feeds it: one snapshot at start (and after reconnects or stale
// events), then engine events through the reducer. Views subscribe to changes.
import * as api from "./api";
import { applyEvent, emptyState, fromSnapshot, type AppState, type ProgramExtras } from "./state";
import type { EngineEvent } from "./types";

type Listener = (state: AppState) => void;

/** The id under which the daemon guards the desktop app itself: not one of the person's
 * programs, so the window does not list it (the tray does not either). */
export const SELF_ID = "lifeguard-desktop";

/** The live model of the daemon's programs. */
export class Store {
  state: AppState = emptyState();
  /** The first snapshot has arrived (until then views show "loading"). */
  loaded = false;
  /** Why the last snapshot failed, for the views' error line. */
  error: api.ApiError | null = null;
  private listeners = new Set<Listener>();
  private refreshTimer: number | undefined;
  /** Events seen while each in-flight refresh waits for its snapshot. */
  private recorders = new Set<EngineEvent[]>();

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to the shell's events, then loads the first snapshot. Events arriving
   * before the snapshot are applied after it (they are newer). */
  async start(): Promise<void> {
    await api.onEvent((event) => {
      if (event.program === SELF_ID) return;
      for (const seen of this.recorders) seen.push(event);
      this.set(applyEvent(this.state, event));
      if (this.state.stale) this.scheduleRefresh();
    }).catch((e) => console.error("cannot listen to events", e));
    await api.onConnection((connected) => {
      this.set({ ...this.state, connected });
      if (connected) void this.refresh();
    }).catch((e) => console.error("cannot listen to the connection", e));
    await this.refresh();
  }

  /** Fetches a fresh snapshot and the history's per-program numbers. */
  async refresh(): Promise<void> {
    // A snapshot may have been taken before events that arrive while it travels (a kill
    // right after a pause): replay those on top of it, or it would undo them.
    const seen: EngineEvent[] = [];
    this.recorders.add(seen);
    try {
      const raw = await api.status();
      const snap = { ...raw, programs: raw.programs.filter((p) => p.id !== SELF_ID) };
      const extras = new Map<string, ProgramExtras>();
      await Promise.all(snap.programs.map(async (p) => {
        try {
          const s = await api.stats(p.id);
          extras.set(p.id, { restarts_24h: s.restarts_24h, last_exit_at: s.last_exit?.ts_ms ?? null });
        } catch {
          // Stats are a nicety: the row still shows its state without them.
        }
      }));
      this.error = null;
      this.loaded = true;
      let next = fromSnapshot(snap, extras, this.state);
      for (const event of seen) next = applyEvent(next, event);
      this.set({ ...next, stale: false });
    } catch (error) {
      this.error = api.toApiError(error);
      this.loaded = true;
      this.set({ ...this.state, connected: this.error.kind !== "no_daemon" && this.state.connected });
    } finally {
      this.recorders.delete(seen);
    }
  }

  /** Several stale events in a burst (a global pause of 20 programs) cost one snapshot. */
  private scheduleRefresh(): void {
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), 150);
  }

  private set(state: AppState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}
