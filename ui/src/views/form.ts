// The program form shared by "Protect a program" and the detail view's "Edit": plain
// fields first, the rest under "Advanced". Errors show inline under the field they name.
// Editing checks as you type: the form's shape checks, then the daemon's own (a dry run).
import * as api from "../api";
import { field, h } from "../dom";
import { liveCheck, placeError, touchedErrors } from "../live-check";
import { validateForm, type FieldError, type ProgramForm } from "../validate";
import type { ProgramInput } from "../types";

type Inputs = { [K in keyof ProgramForm]: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement };

/** What the form may do besides saving. */
export interface FormOptions {
  editing?: boolean;
  note?: string;
  /** Asks the daemon whether the entry would be accepted (a dry run); checked while typing. */
  check?: (entry: ProgramInput) => Promise<api.ApiError | null>;
  /** Offers "Cancel", which calls this. */
  cancel?: () => void;
}

/** Builds the form; `save` sends the entry and resolves to the daemon's error, if any. */
export function programForm(
  initial: ProgramForm,
  submitLabel: string,
  save: (entry: ProgramInput) => Promise<api.ApiError | null>,
  options: FormOptions = {},
): HTMLFormElement {
  const text = (value: string, attrs: Record<string, string | boolean | undefined> = {}) => h("input", { type: "text", value, ...attrs });
  const check = (on: boolean) => h("input", { type: "checkbox", checked: on });
  const inputs: Inputs = {
    name: text(initial.name, { autocomplete: "off" }),
    program: text(initial.program, { spellcheck: "false", placeholder: "/usr/bin/example" }),
    args: text(initial.args, { spellcheck: "false" }),
    cwd: text(initial.cwd, { spellcheck: "false", placeholder: "(Lifeguard's own)" }),
    policy: h("select", {},
      h("option", { value: "on-failure" }, "When it fails (not after a clean exit)"),
      h("option", { value: "always" }, "Always, even after a clean exit"),
      h("option", { value: "never" }, "Never (run once)")),
    notify: check(initial.notify),
    autostart: check(initial.autostart),
    id: text(initial.id, { spellcheck: "false", readonly: options.editing }),
    cleanCodes: text(initial.cleanCodes),
    backoffInitial: text(initial.backoffInitial),
    backoffMax: text(initial.backoffMax),
    minUptime: text(initial.minUptime),
    jitter: text(initial.jitter, { inputmode: "decimal" }),
    breakerEnabled: check(initial.breakerEnabled),
    maxDeaths: text(initial.maxDeaths, { inputmode: "numeric" }),
    window: text(initial.window),
    stopSignal: text(initial.stopSignal),
    stopGrace: text(initial.stopGrace),
    env: h("textarea", { rows: 3, spellcheck: "false", placeholder: "NAME=value, one per line" }, initial.env),
    healthKind: h("select", {}, h("option", { value: "none" }, "None"), h("option", { value: "http" }, "HTTP address answers"),
      h("option", { value: "tcp" }, "TCP port accepts connections"), h("option", { value: "command" }, "Command exits 0")),
    healthTarget: text(initial.healthTarget, { spellcheck: "false" }),
    healthInterval: text(initial.healthInterval),
    healthFailures: text(initial.healthFailures, { inputmode: "numeric" }),
    healthTimeout: text(initial.healthTimeout, { placeholder: "5s" }),
    healthGrace: text(initial.healthGrace, { placeholder: "(none)" }),
    memoryAction: h("select", {}, h("option", { value: "none" }, "No limit"),
      h("option", { value: "restart" }, "Restart it above the limit"), h("option", { value: "notify" }, "Only notify above the limit")),
    memoryMax: text(initial.memoryMax, { spellcheck: "false", placeholder: "500MB" }),
    memoryChecks: text(initial.memoryChecks, { inputmode: "numeric" }),
    memoryInterval: text(initial.memoryInterval),
    onRestart: text(initial.onRestart, { spellcheck: "false", placeholder: "(none)" }),
    onGiveUp: text(initial.onGiveUp, { spellcheck: "false", placeholder: "(none)" }),
    hookTimeout: text(initial.hookTimeout, { placeholder: "30s" }),
    sdNotify: h("select", {}, h("option", { value: "" }, "No"),
      h("option", { value: "yes" }, "Yes: it says READY=1 on its NOTIFY_SOCKET")),
    watchdog: text(initial.watchdog, { placeholder: "(none)" }),
    stdout: text(initial.stdout, { spellcheck: "false", placeholder: "(its log file)" }),
    stderr: text(initial.stderr, { spellcheck: "false", placeholder: "(its log file)" }),
    desktopId: h("input", { type: "hidden", value: initial.desktopId }),
    icon: h("input", { type: "hidden", value: initial.icon }),
    autostartEntry: h("input", { type: "hidden", value: initial.autostartEntry }),
    windowPing: h("input", { type: "hidden", value: initial.windowPing }),
  };
  inputs.policy.value = initial.policy;
  inputs.sdNotify.value = initial.sdNotify;
  inputs.healthKind.value = initial.healthKind;
  inputs.memoryAction.value = initial.memoryAction;
  const f = (key: keyof ProgramForm, label: string, hint?: string) => field(`f-${key}`, label, inputs[key], hint);
  const checkbox = (key: keyof ProgramForm, label: string) => {
    inputs[key].id = `f-${key}`;
    return h("div", { class: "field check" }, inputs[key], h("label", { for: `f-${key}` }, label));
  };
  const browse = h("button", { type: "button", "data-action": "browse", onclick: async () => {
    try {
      const path = await api.pickExecutable();
      if (path) inputs.program.value = path;
    } catch (error) {
      formError.textContent = api.toApiError(error).message;
    }
  } }, "Browse…");
  const programField = f("program", "Program", "The executable to run; no shell is involved.");
  programField.insertBefore(h("div", { class: "inline" }, inputs.program, browse), programField.querySelector(".hint"));
  const formError = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary", "data-action": "save" }, submitLabel);
  const cancel = options.cancel
    ? h("button", { type: "button", "data-action": "cancel-edit", onclick: options.cancel }, "Cancel") : null;
  const checkState = h("p", { class: "hint", id: "f-check", "aria-live": "polite" });
  const form = h("form", { class: "program-form", novalidate: true },
    options.note ? h("p", { class: "hint", id: "f-note" }, options.note) : null,
    f("name", "Name"), programField,
    f("args", "Arguments", "Separated by spaces; quote an argument that contains spaces."),
    f("cwd", "Working directory"),
    f("policy", "Restart it"),
    checkbox("notify", "Show a notification when it is restarted"),
    checkbox("autostart", "Start it with Lifeguard"),
    h("details", { class: "advanced" }, h("summary", {}, "Advanced"),
      h("div", { class: "grid" },
        f("id", "Id", "Used by the command line and the history; cannot change later."),
        f("cleanCodes", "Clean exit codes", "With “when it fails”: these codes mean it finished on purpose."),
        f("backoffInitial", "First restart delay", "After a quick death, e.g. 250ms."),
        f("backoffMax", "Longest restart delay"),
        f("minUptime", "Minimum uptime", "A death after a run this long is restarted at once; shorter runs are quick deaths."),
        f("jitter", "Jitter", "0 to 1: part of each delay taken off at random."),
        checkbox("breakerEnabled", "Give up after a crash loop"),
        f("maxDeaths", "Quick deaths before giving up"),
        f("window", "Crash-loop window"),
        f("stopSignal", "Stop signal"),
        f("stopGrace", "Stop grace", "How long to wait before SIGKILL."),
        f("env", "Environment"),
        f("healthKind", "Health check", "Restart it when it stops answering, not only when it dies."),
        f("healthTarget", "Address or command", "http://127.0.0.1:8080/health, 127.0.0.1:5432 or a command."),
        f("healthInterval", "Check every"),
        f("healthFailures", "Failed checks before a restart"),
        f("healthTimeout", "Check timeout", "How long one check may take."),
        f("healthGrace", "Grace after a start", "Failed checks this soon after a start do not count."),
        f("memoryAction", "Memory limit", "Measured on the program with all its children."),
        f("memoryMax", "Most memory", "e.g. 500MB, 2GB or 512MiB."),
        f("memoryChecks", "Checks above the limit before acting"),
        f("memoryInterval", "Measure every"),
        f("onRestart", "After each restart, run", "A command (no shell); the cause is in LIFEGUARD_* variables."),
        f("onGiveUp", "When it gives up, run"),
        f("hookTimeout", "Hook time limit"),
        f("sdNotify", "Reports its own state", "sd_notify: starting until READY=1; its STATUS= is shown."),
        f("watchdog", "Watchdog", "Restart it when it has said WATCHDOG=1 and then stays silent this long."),
        f("stdout", "Standard output", "Empty: its log file; “discard”; or an absolute path."),
        f("stderr", "Standard error"))),
    inputs.desktopId, inputs.icon, inputs.autostartEntry, inputs.windowPing, checkState, formError,
    h("div", { class: "form-actions" }, submit, cancel));

  const values = (): ProgramForm => {
    const out = { ...initial } as Record<string, string | boolean>;
    for (const [key, input] of Object.entries(inputs)) {
      out[key] = input instanceof HTMLInputElement && input.type === "checkbox" ? input.checked : input.value;
    }
    return out as unknown as ProgramForm;
  };
  const show = (errors: FieldError[], focus = true) => {
    for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
    for (const input of Object.values(inputs)) input.removeAttribute("aria-invalid");
    formError.textContent = errors.length && focus ? "Please fix the fields marked below." : "";
    for (const e of errors) {
      const slot = form.querySelector(`#f-${e.field}-error`);
      if (slot) slot.textContent = e.message;
      else formError.textContent = e.message;
      inputs[e.field].setAttribute("aria-invalid", "true");
    }
    const firstBad = errors[0];
    if (firstBad && focus) {
      if (form.querySelector(`.advanced #f-${firstBad.field}`)) (form.querySelector(".advanced") as HTMLDetailsElement).open = true;
      inputs[firstBad.field].focus();
    }
  };
  // With a daemon to ask, its limits and messages are the ones shown; the form checks
  // only what it needs to build an entry.
  const checkOptions = { ranges: !options.check };
  const showDaemon = (error: api.ApiError, focus: boolean) => {
    const placed = placeError(error);
    if ("field" in placed) show([placed], focus);
    else (show([], focus), (formError.textContent = placed.form));
  };
  const touched = new Set<string>();
  const live = options.check ? liveCheck(options.check, (error) => {
    checkState.textContent = error ? "" : "Lifeguard accepts these settings.";
    if (error) showDaemon(error, false);
    else show([], false);
  }) : null;
  const onEdit = (event: Event) => {
    if (!live) return;
    const key = (event.target as HTMLElement | null)?.id?.replace(/^f-/, "");
    if (key) touched.add(key);
    const result = validateForm(values(), checkOptions);
    if ("errors" in result) {
      live.cancel();
      checkState.textContent = "";
      return show(touchedErrors(result.errors, touched), false);
    }
    checkState.textContent = "Checking…";
    live.schedule(result.entry);
  };
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    live?.cancel();
    const result = validateForm(values(), checkOptions);
    if ("errors" in result) return show(result.errors);
    show([]);
    submit.disabled = true;
    const error = await save(result.entry);
    submit.disabled = false;
    // On an error everything typed stays; the daemon's message goes next to its field.
    if (error) showDaemon(error, true);
  });
  return form;
}
