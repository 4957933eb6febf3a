// The window's keyboard shortcuts, as GNOME apps have them: Ctrl+F finds (the view's
// search or filter field), Ctrl+N adds a program, Ctrl+, opens the settings, Ctrl+W
// closes the window and Ctrl+Q quits the app (the daemon keeps protecting either way).
import * as desktop from "./desktop";

/** What a shortcut does. */
export type Shortcut = "find" | "new" | "settings" | "close" | "quit";

/** The parts of a key event a shortcut depends on. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** The shortcut a key press means, or null. Only plain Ctrl+key: Ctrl+Shift+F and
 * Alt combinations stay the web view's and the desktop's. */
export function shortcutFor(e: KeyPress): Shortcut | null {
  if (!e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
  switch (e.key.toLowerCase()) {
    case "f": return "find";
    case "n": return "new";
    case ",": return "settings";
    case "w": return "close";
    case "q": return "quit";
    default: return null;
  }
}

/** Installs the shortcuts; `go` changes the route. */
export function installShortcuts(go: (route: string) => void): void {
  document.addEventListener("keydown", (event) => {
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    event.preventDefault();
    switch (shortcut) {
      case "find": return find();
      case "new": return go("#/protect");
      case "settings": return go("#/settings");
      case "close": return void desktop.closeWindow().catch(() => window.close());
      case "quit": return void desktop.quitApp().catch(() => undefined);
    }
  });
}

/** Focuses the current view's search field (`data-find`), else its first filter. */
function find(): void {
  const field = document.querySelector<HTMLElement>("main [data-find]")
    ?? document.querySelector<HTMLElement>("main input[type=search], main .filters select");
  field?.focus();
  if (field instanceof HTMLInputElement) field.select();
}
