// The only module that talks to the desktop shell: Tauri commands and typed events.
import { invoke } from "@tauri-apps/api/core";

/** What the shell tells about itself (`app_info` command). */
export interface AppInfo {
  name: string;
  version: string;
}

/** Asks the shell for its name and version. */
export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}
