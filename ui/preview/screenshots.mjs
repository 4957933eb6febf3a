// Screenshots of every view for docs/screenshots/, in headless Chromium with a fake shell
// (preview/fake-shell.js). Usage: npm run build && node preview/screenshots.mjs [out dir]
// Needs `apt-get install chromium`. The real app's screenshots come from scripts/screenshot.sh.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const dist = resolve(here, "../dist");
const out = resolve(process.argv[2] ?? resolve(here, "../../docs/screenshots"));
// The shipped CSP (tauri.conf.json) minus Tauri's IPC origins, so a violation shows here.
const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'";
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml" };

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "lg-shots-")), {
  executablePath: "/usr/bin/chromium", headless: true, viewport: { width: 960, height: 640 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
await context.addInitScript({ path: join(here, "fake-shell.js") });
// Serve ui/dist under a fake origin: no server, no network.
await context.route("http://lifeguard.preview/**", (route) => {
  const path = new URL(route.request().url()).pathname;
  const file = join(dist, path === "/" ? "index.html" : path);
  if (!existsSync(file)) return route.fulfill({ status: 404 });
  return route.fulfill({ body: readFileSync(file), contentType: types[extname(file)] ?? "application/octet-stream", headers: { "Content-Security-Policy": csp } });
});

async function shot(name, hash, { scenario = "normal", scheme = "light", zoom = 1, act } = {}) {
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(name, "page error:", e.message));
  page.on("console", (m) => m.type() === "error" && console.error(name, "console:", m.text()));
  await page.emulateMedia({ colorScheme: scheme });
  if (zoom !== 1) await page.setViewportSize({ width: 960 / zoom, height: 640 / zoom });
  await page.goto(`http://lifeguard.preview/?scenario=${scenario}${hash}`);
  await page.waitForTimeout(400);
  if (act) await act(page);
  await page.screenshot({ path: join(out, `${name}.png`), scale: "device", ...(zoom !== 1 ? {} : {}) });
  await page.close();
  console.log("wrote", join(out, `${name}.png`));
}

await shot("programs", "#/programs");
await shot("programs-dark", "#/programs", { scheme: "dark" });
await shot("programs-paused", "#/programs", { scenario: "paused" });
await shot("programs-empty", "#/programs", { scenario: "empty" });
await shot("protect-installed", "#/protect");
await shot("protect-running", "#/protect", { act: (p) => p.click("#tab-running") });
await shot("protect-form-errors", "#/protect", { act: async (p) => {
  await p.click("#tab-file");
  await p.fill("#f-program", "");
  await p.click("details.advanced > summary");
  await p.fill("#f-backoffInitial", "fast");
  await p.click("button[data-action=save]");
} });
await shot("history", "#/history");
await shot("program-detail", "#/program/syncthing");
await shot("settings", "#/settings");
await context.close();

// 200 %: the same window at twice the scale, as a person with a HiDPI or zoomed desktop sees it.
const zoomed = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "lg-shots-")), {
  executablePath: "/usr/bin/chromium", headless: true, viewport: { width: 480, height: 320 }, deviceScaleFactor: 2,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
await zoomed.addInitScript({ path: join(here, "fake-shell.js") });
await zoomed.route("http://lifeguard.preview/**", (route) => {
  const path = new URL(route.request().url()).pathname;
  const file = join(dist, path === "/" ? "index.html" : path);
  return route.fulfill({ body: readFileSync(file), contentType: types[extname(file)] ?? "application/octet-stream", headers: { "Content-Security-Policy": csp } });
});
const page = await zoomed.newPage();
await page.goto("http://lifeguard.preview/?scenario=normal#/programs");
await page.waitForTimeout(400);
await page.screenshot({ path: join(out, "programs-200pct.png") });
console.log("wrote", join(out, "programs-200pct.png"));
await zoomed.close();
