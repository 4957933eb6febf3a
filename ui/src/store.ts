// Holds the model and feeds it: one snapshot at start (and after reconnects and actions),
// then the daemon's snapshots from the event stream, assigned as they come; events only
// add the record's extras (state.ts). Views subscribe to changes.
import * as api from "./api";
import { emptyState, fromSnapshot, noteEvent, type AppState, type ProgramExtras } from "./state";
import type { Snapshot } from "./types";

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
  /** Stream snapshots received so far: a `status` answer that travelled while a newer
   * one came on the stream is not assigned over it. */
  private streamed = 0;

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to the shell's events and snapshots, then loads the first snapshot. */
  async start(): Promise<void> {
    await api.onEvent((event) => {
      if (event.program === SELF_ID) return;
      this.set(noteEvent(this.state, event));
    }).catch((e) => console.error("cannot listen to events", e));
    await api.onSnapshot((snap) => {
      this.streamed += 1;
      const known = new Set(this.state.programs.map((p) => p.id));
      this.set(fromSnapshot(withoutSelf(snap), new Map(), this.state));
      const added = this.state.programs.filter((p) => !known.has(p.id)).map((p) => p.id);
      if (this.loaded && added.length > 0) void this.loadExtras(added);
    }).catch((e) => console.error("cannot listen to snapshots", e));
    await api.onConnection((connected) => {
      this.set({ ...this.state, connected });
      if (connected) void this.refresh();
    }).catch((e) => console.error("cannot listen to the connection", e));
    await this.refresh();
  }

  /** Fetches a fresh snapshot and the history's per-program numbers. */
  async refresh(): Promise<void> {
    const streamedBefore = this.streamed;
    try {
      const snap = withoutSelf(await api.status());
      const extras = await extrasOf(snap.programs.map((p) => p.id));
      this.error = null;
      this.loaded = true;
      // The stream's snapshot is newer than this answer if one came while it travelled.
      const base = this.streamed === streamedBefore ? snap : stateAsSnapshot(this.state);
      this.set(fromSnapshot(base, extras, this.state));
    } catch (error) {
      this.error = api.toApiError(error);
      this.loaded = true;
      this.set({ ...this.state, connected: this.error.kind !== "no_daemon" && this.state.connected });
    }
  }

  /** The history's numbers for programs that appeared on the stream. */
  private async loadExtras(ids: string[]): Promise<void> {
    const extras = await extrasOf(ids);
    this.set(fromSnapshot(stateAsSnapshot(this.state), extras, this.state));
  }

  private set(state: AppState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}

function withoutSelf(snap: Snapshot): Snapshot {
  return { ...snap, programs: snap.programs.filter((p) => p.id !== SELF_ID) };
}

function stateAsSnapshot(state: AppState): Snapshot {
  return { paused: state.paused, paused_until: state.paused_until, programs: state.programs };
}

async function extrasOf(ids: string[]): Promise<Map<string, ProgramExtras>> {
  const extras = new Map<string, ProgramExtras>();
  await Promise.all(ids.map(async (id) => {
    try {
      const s = await api.stats(id);
      extras.set(id, { restarts_24h: s.restarts_24h, last_exit_at: s.last_exit?.ts_ms ?? null });
    } catch {
      // Stats are a nicety: the row still shows its state without them.
    }
  }));
  return extras;
}
