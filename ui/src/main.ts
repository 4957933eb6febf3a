import "./style.css";
import { appInfo } from "./api";
import { versionLabel } from "./format";

async function start(): Promise<void> {
  const version = document.getElementById("app-version");
  if (!version) return;
  try {
    version.textContent = versionLabel(await appInfo());
  } catch (error) {
    version.textContent = "version unknown";
    console.error("app_info failed", error);
  }
}

void start();
