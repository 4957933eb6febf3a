// The drop-down menus are <details> elements (keyboard-operable without script) with
// ARIA menu roles; this adds what those roles promise and native menus do: opening
// focuses the first item, arrow keys, Home and End move between items, Escape, Tab and
// a click elsewhere close the menu.

/** The item to focus after `key` in a menu of `count` items with `current` focused
 * (-1: none); null when the key does not move. */
export function menuStep(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowDown": return current < 0 ? 0 : (current + 1) % count;
    case "ArrowUp": return current < 0 ? count - 1 : (current - 1 + count) % count;
    case "Home": return 0;
    case "End": return count - 1;
    default: return null;
  }
}

function items(menu: HTMLDetailsElement): HTMLElement[] {
  return [...menu.querySelectorAll<HTMLElement>("[role=menuitem]")].filter((el) => !el.hasAttribute("disabled"));
}

function close(menu: HTMLDetailsElement, refocus: boolean): void {
  menu.open = false;
  if (refocus) menu.querySelector("summary")?.focus();
}

/** Installs the document-wide handlers once. */
export function installMenuBehaviour(): void {
  document.addEventListener("keydown", (event) => {
    const menu = (event.target as Element | null)?.closest?.<HTMLDetailsElement>("details.menu");
    if (event.key === "Escape") {
      for (const open of document.querySelectorAll<HTMLDetailsElement>("details.menu[open]")) close(open, true);
      return;
    }
    if (!menu) return;
    if (event.key === "Tab" && menu.open) return close(menu, false);
    const list = items(menu);
    const current = list.indexOf(document.activeElement as HTMLElement);
    if (!menu.open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      menu.open = true; // the toggle handler focuses the first item
      event.preventDefault();
      return;
    }
    const next = menu.open ? menuStep(event.key, current, list.length) : null;
    if (next === null) return;
    event.preventDefault();
    list[next]?.focus();
  });
  // Opening by keyboard or mouse moves focus into the menu, as a menu button does.
  document.addEventListener("toggle", (event) => {
    const menu = event.target;
    if (menu instanceof HTMLDetailsElement && menu.classList.contains("menu") && menu.open) items(menu)[0]?.focus();
  }, true);
  document.addEventListener("click", (event) => {
    for (const menu of document.querySelectorAll<HTMLDetailsElement>("details.menu[open]")) {
      if (!menu.contains(event.target as Node)) menu.open = false;
    }
  });
}
