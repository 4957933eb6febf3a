// Pure formatting helpers: no DOM, no Tauri, unit tested.
import type { AppInfo } from "./api";

/** The version line shown in the header, e.g. "version 0.1.0". */
export function versionLabel(info: AppInfo): string {
  return `version ${info.version}`;
}
