// A stand-in for the Tauri shell, injected ONLY by preview/screenshots.mjs into headless
// Chromium so the views can be looked at before (or without) the real app. Never bundled:
// nothing under ui/src imports it, and the shipped CSP would refuse it anyway.
(() => {
  const now = Date.now();
  const min = 60_000, hour = 60 * min, day = 24 * hour;
  const scenario = new URLSearchParams(location.search).get("scenario") ?? "normal";
  const spec = (id, name, argv, extra = {}) => ({
    id, name, argv, restart: { policy: "on-failure", clean_exit_codes: [0] },
    backoff: { initial: "250ms", max: "30s", stable_after: "10s", jitter: 0.1 },
    breaker: { enabled: true, max_deaths: 5, window: "2m" }, stop_signal: "SIGTERM", stop_grace: "5s", ...extra,
  });
  const prog = (id, name, argv, state, extra = {}) => ({
    id, name, spec: spec(id, name, argv), state, wanted: "up", paused: false, paused_until: null,
    restarts: 0, attempt: 0, last_exit: null, ...extra,
  });
  const kill = { signal: { signal: "SIGKILL", core_dumped: false } };
  const globalPause = scenario === "paused";
  const programs = scenario === "empty" ? [] : [
    prog("firefox", "Firefox", ["/usr/lib/firefox-esr/firefox-esr"], { state: "running", pid: 4242, since: now - 2 * hour - 5 * min },
      { last_exit: kill, restarts: 3 }),
    prog("syncthing", "Syncthing", ["/usr/bin/syncthing", "serve", "--no-browser"],
      globalPause ? { state: "held", since: now - min } : { state: "backoff", next_restart: now + 4_000, delay_ms: 4_000 },
      { last_exit: { code: 1 }, attempt: 2, restarts: 7 }),
    prog("backup", "Nightly backup agent", ["/home/ana/bin/backup-agent", "--watch"], { state: "gave_up", at: now - 20 * min, deaths: 5 },
      { last_exit: { signal: { signal: "SIGSEGV", core_dumped: true } } }),
    prog("notes", "Notes server", ["/usr/bin/python3", "-m", "notes.server"], { state: "running", pid: 5120, since: now - 3 * day },
      { paused: true }),
    prog("clock", "Desk clock", ["/usr/bin/xclock"], { state: "stopped" }, { wanted: "down", last_exit: { signal: { signal: "SIGTERM", core_dumped: false } } }),
  ].map((p) => (globalPause ? { ...p, paused: true } : p));
  const lastExitAt = { firefox: now - 5 * min, syncthing: now - 40_000, backup: now - 20 * min, clock: now - day };
  const restarts24 = { firefox: 1, syncthing: 6, backup: 5, notes: 0, clock: 0 };
  const rec = (ago, program_id, program_name, kind, extra = {}) => ({
    id: Math.round(ago / 1000), ts_ms: now - ago, program_id, program_name, kind, pid: null, exit_code: null, signal: null,
    signal_name: null, uptime_ms: null, delay_ms: null, attempt: null, requested_by: null, reason: null, detail: null, ...extra,
  });
  const records = [
    rec(40_000, "syncthing", "Syncthing", "restart_scheduled", { delay_ms: 4000, attempt: 2 }),
    rec(41_000, "syncthing", "Syncthing", "exited", { exit_code: 1, pid: 901 }),
    rec(5 * min - 300, "firefox", "Firefox", "restarted", { pid: 4242 }),
    rec(5 * min - 200, "firefox", "Firefox", "restart_scheduled", { delay_ms: 0 }),
    rec(5 * min, "firefox", "Firefox", "exited", { signal: 9, signal_name: "SIGKILL", pid: 4100, uptime_ms: 3 * hour }),
    rec(20 * min, "backup", "Nightly backup agent", "gave_up", { reason: "5 deaths within 2m: gave up until retried" }),
    rec(21 * min, "backup", "Nightly backup agent", "exited", { signal: 11, signal_name: "SIGSEGV" }),
    rec(hour, "notes", "Notes server", "paused", { requested_by: "tray" }),
    rec(day, "clock", "Desk clock", "stopped", { requested_by: "ui", signal: 15, signal_name: "SIGTERM" }),
    rec(2 * day, "notes", "Notes server", "started", { requested_by: "config", pid: 5120 }),
  ];
  const chart = {
    day_starts_ms: Array.from({ length: 30 }, (_, i) => Math.floor(now / day) * day - (29 - i) * day),
    series: [
      { program_id: "firefox", counts: Array.from({ length: 30 }, (_, i) => (i % 6 === 0 ? 2 : i % 4 === 0 ? 1 : 0)) },
      { program_id: "syncthing", counts: Array.from({ length: 30 }, (_, i) => (i > 24 ? i - 22 : i % 9 === 0 ? 1 : 0)) },
      { program_id: "backup", counts: Array.from({ length: 30 }, (_, i) => (i === 29 ? 5 : 0)) },
    ],
  };
  const icon = (hue) => "data:image/svg+xml;base64," + btoa(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect rx="7" width="32" height="32" fill="hsl(${hue},60%,50%)"/><circle cx="16" cy="16" r="8" fill="white"/></svg>`);
  const responses = {
    app_info: { name: "Lifeguard", version: "0.1.0" },
    status: { paused: globalPause, paused_until: globalPause ? now + 45 * min : null, programs },
    programs: programs.map((p) => ({ ...p.spec, autostart: true, notify: true })),
    history: { events: records, next: { ts_ms: now - 3 * day, id: 1 } },
    restart_chart: chart,
    logs: { program: "syncthing", path: "/home/ana/.local/state/lifeguard/logs/syncthing.log", omitted: 0,
      lines: ["[sync] listening on 127.0.0.1:8384", "[sync] connection to device ABCD closed: EOF", "[sync] panic: folder marker missing"] },
    settings_get: { path: "/home/ana/.config/lifeguard/config.toml", settings: {
      notifications: true, launch_at_login: true, default_restart: { policy: "on-failure", clean_exit_codes: [0] },
      metrics: { enabled: false, bind: "127.0.0.1:9464" },
      programs_outlive_daemon: true, history: { max_age: "90d" },
    } },
    autostart_get: true,
    tray_notice: null,
    paths: { config: "/home/ana/.config/lifeguard/config.toml", data: "/home/ana/.local/share/lifeguard/history.sqlite", state: "/home/ana/.local/state/lifeguard" },
    desktop_apps: [
      { id: "firefox-esr.desktop", name: "Firefox ESR", argv: ["/usr/lib/firefox-esr/firefox-esr"], icon: icon(20), comment: "Browse the World Wide Web" },
      { id: "org.gnome.Calculator.desktop", name: "Calculator", argv: ["gnome-calculator"], icon: icon(210), comment: "Perform arithmetic, scientific or financial calculations" },
      { id: "syncthing-start.desktop", name: "Start Syncthing", argv: ["/usr/bin/syncthing", "serve", "--no-browser"], icon: icon(200), comment: "Starts the main syncthing process in the background." },
      { id: "org.keepassxc.KeePassXC.desktop", name: "KeePassXC", argv: ["keepassxc"], icon: icon(110), comment: "Community-driven port of the Windows application “KeePass Password Safe”" },
      { id: "thunderbird.desktop", name: "Thunderbird", argv: ["/usr/bin/thunderbird"], icon: null, comment: "Send and receive mail with Thunderbird" },
      { id: "xterm.desktop", name: "XTerm", argv: ["xterm"], icon: icon(0), comment: "standard terminal emulator for the X window system" },
    ],
    running_processes: [
      { name: "firefox-esr", exe: "/usr/lib/firefox-esr/firefox-esr", argv: ["/usr/lib/firefox-esr/firefox-esr"], cwd: "/home/ana", pids: [4242, 4301, 4302, 4388], memory_bytes: 1_450_000_000, started_at: now - 2 * hour },
      { name: "syncthing", exe: "/usr/bin/syncthing", argv: ["/usr/bin/syncthing", "serve", "--no-browser"], cwd: "/home/ana", pids: [901], memory_bytes: 88_000_000, started_at: now - 3 * day },
      { name: "python3.11", exe: "/usr/bin/python3.11", argv: ["/usr/bin/python3", "-m", "notes.server"], cwd: "/home/ana/notes", pids: [5120], memory_bytes: 41_000_000, started_at: now - 3 * day },
      { name: "bash", exe: "/usr/bin/bash", argv: ["-bash"], cwd: "/home/ana", pids: [700, 812], memory_bytes: 9_500_000, started_at: now - 5 * hour },
    ],
    pick_executable: "/usr/local/bin/lg-testprog",
  };
  const callbacks = new Map();
  const listeners = new Map();
  let nextId = 1;
  window.__TAURI_INTERNALS__ = {
    transformCallback(cb) {
      const id = nextId++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback(id) { callbacks.delete(id); },
    convertFileSrc: (p) => p,
    async invoke(cmd, args) {
      if (cmd === "plugin:event|listen") {
        listeners.set(args.event, [...(listeners.get(args.event) ?? []), args.handler]);
        return nextId++;
      }
      if (cmd === "stats") {
        const id = args.program;
        return { program_id: id, restarts_24h: restarts24[id] ?? 0, restarts_7d: (restarts24[id] ?? 0) * 3,
          uptime_pct: id === "syncthing" ? 91.4 : 99.97, failures: 4, mtbf_ms: 9 * hour + 12 * min,
          last_exit: lastExitAt[id] ? { ts_ms: lastExitAt[id] } : null, last_exit_reason: "killed by SIGKILL" };
      }
      if (cmd === "add_program" && scenario === "invalid") {
        throw { kind: "invalid_spec", message: "argv[0]: /nope does not exist — give the program's path or name" };
      }
      if (cmd in responses) return structuredClone(responses[cmd]);
      return null;
    },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener() {} };
  // Lets the screenshot script push an event, as the shell would.
  window.__preview_emit = (event, payload) => {
    for (const id of listeners.get(event) ?? []) callbacks.get(id)?.({ event, id, payload });
  };
})();
