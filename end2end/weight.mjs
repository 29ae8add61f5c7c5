// Page weight and time to interactive on a slow connection, for the README.
//
//   cd end2end && MAHALLE_SERVER_BIN=… MAHALLE_SITE_ROOT=… node weight.mjs
//
// Starts the real server with the demo data on a fresh database, sets up (in the
// browser, as the tests do) a round in voting with three projects and then
// publishes its result, and loads five pages, each in a new browser context
// (empty cache) with Chromium's network throttled to 1.6 Mbit/s down, 750 kbit/s
// up and 150 ms latency. It prints a Markdown table: the bytes transferred
// (compressed, headers included) per kind of resource, the time to first
// contentful paint and the time until the page is interactive, i.e. until the
// browser bundle has hydrated it (`html[data-hydrated=true]`, the signal the
// tests wait for), both from the start of navigation.
//
// Target: every resident page interactive within 3 s on that connection.

import { startPlatform } from "./support/platform.mjs";
import { issueCode, registerVerified, advancePhase, openRound, propose } from "./support/flows.mjs";

const THROTTLE = {
  offline: false,
  latency: 150, // ms
  downloadThroughput: 1.6e6 / 8, // bytes per second
  uploadThroughput: 750e3 / 8,
};
const KINDS = ["html", "css", "js", "wasm", "font", "other"];
const TIMEOUT = 120_000;

function requireEnv() {
  const missing = ["MAHALLE_SERVER_BIN", "MAHALLE_SITE_ROOT"].filter((name) => !process.env[name]);
  if (missing.length) {
    console.error(
      `weight.mjs: set ${missing.join(" and ")}: the server binary and the built site, e.g.\n` +
        "  MAHALLE_SERVER_BIN=~/.cache/mahalle/target/release/server MAHALLE_SITE_ROOT=../target/site node weight.mjs",
    );
    process.exit(2);
  }
}

function kindOf(url, type, mime) {
  const path = new URL(url).pathname;
  mime = (mime ?? "").toLowerCase();
  if (mime.includes("wasm") || path.endsWith(".wasm")) return "wasm";
  if (type === "Document" || mime.startsWith("text/html")) return "html";
  if (type === "Stylesheet" || mime.startsWith("text/css")) return "css";
  if (type === "Script" || mime.includes("javascript")) return "js";
  if (type === "Font" || mime.startsWith("font/") || /\.(woff2?|ttf|otf)$/.test(path)) return "font";
  return "other";
}

// Records, before any of the page's code runs, when the document is marked
// hydrated (performance.now() counts from the start of navigation).
function watchHydration() {
  const mark = () => {
    if (window.__hydratedAt === undefined && document.documentElement?.dataset.hydrated === "true") {
      window.__hydratedAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
  mark();
}

// Loads `url` in a new context (empty cache; `storageState` carries a session's
// cookies only) with the network throttled; returns bytes per kind and timings.
async function measure(platform, url, storageState) {
  const context = await platform.browser.newContext(storageState ? { storageState } : {});
  await context.addInitScript(watchHydration);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map(); // requestId → { url, type, mime, encoding }
  const bytes = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const files = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  cdp.on("Network.requestWillBeSent", (e) => {
    if (!requests.has(e.requestId)) inFlight++;
    requests.set(e.requestId, { url: e.request.url, type: e.type });
    lastActivity = Date.now();
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = requests.get(e.requestId) ?? {};
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    requests.set(e.requestId, {
      ...r,
      url: e.response.url,
      type: e.type,
      mime: e.response.mimeType,
      encoding: headers["content-encoding"] ?? "identity",
    });
    lastActivity = Date.now();
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    inFlight--;
    lastActivity = Date.now();
    if (r.url.startsWith("data:")) return;
    const kind = kindOf(r.url, r.type, r.mime);
    bytes[kind] += e.encodedDataLength;
    files.push({ kind, url: r.url, bytes: e.encodedDataLength, encoding: r.encoding });
  });
  cdp.on("Network.loadingFailed", (e) => {
    if (requests.has(e.requestId)) inFlight--;
    lastActivity = Date.now();
  });
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", THROTTLE);

  const response = await page.goto(url, { waitUntil: "commit", timeout: TIMEOUT });
  if (!response || response.status() >= 400) {
    throw new Error(`${url} answered ${response?.status()}`);
  }
  if (new URL(page.url()).pathname !== new URL(url).pathname) {
    throw new Error(`${url} redirected to ${page.url()} (not signed in?)`);
  }
  await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: TIMEOUT, polling: 50 });
  // Let the page finish what it fetches after hydrating (fonts, server functions).
  const quietSince = Date.now();
  while (Date.now() - quietSince < TIMEOUT && (inFlight > 0 || Date.now() - lastActivity < 1000)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const timing = await page.evaluate(() => ({
    interactive: window.__hydratedAt,
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
  }));
  await context.close();
  return { bytes, files, ...timing };
}

async function setUp(platform) {
  platform.cli(["admin", "create", "admin@tehran.ir"], "admin password\n");
  const { staffPage, roundUrl } = await openRound(platform, {
    titleFa: "بودجهٔ مشارکتی منطقه ۱",
    titleEn: "District 1 participatory budget",
    budget: "۵۰۰٬۰۰۰٬۰۰۰",
    k: "2",
  });
  const code = await issueCode(staffPage, platform, "۰۴۹۹۳۷۰۸۹۹", "نیاوران");
  const resident = await registerVerified(platform, "09121234567", code);
  const titles = ["کاشت درخت در خیابان", "روشنایی کوچهٔ باغ", "نیمکت برای پارک محله"];
  for (const title of titles) {
    const description = "طرحی برای محله که ساکنان سال‌هاست درخواستش را داده‌اند.";
    await propose(resident, roundUrl, { title, description, neighborhood: "نیاوران" });
  }
  await advancePhase(staffPage, roundUrl, "review");
  for (let i = 0; i < titles.length; i++) {
    const row = staffPage.locator(".proposal-row").filter({ has: staffPage.locator("a", { hasText: titles[i] }) });
    await row.locator("form.accept input[name=cost]").fill("۱۰۰٬۰۰۰٬۰۰۰");
    await row.locator("form.accept button[type=submit]").click();
    await row.locator(".status-accepted").waitFor({ timeout: 10_000 });
  }
  await advancePhase(staffPage, roundUrl, "voting");
  return { staffPage, roundUrl, resident, titles };
}

async function voteAndPublish(platform, { staffPage, roundUrl, resident, titles }) {
  await resident.goto(roundUrl + "/ballot");
  await resident.waitForSelector("html[data-hydrated=true]", { state: "attached", timeout: 15_000 });
  for (const title of titles.slice(0, 2)) {
    await resident.locator(".ballot-project", { hasText: title }).locator("input").check();
  }
  await resident.click("form.ballot button[type=submit]");
  await resident.locator(".receipt-code").waitFor({ timeout: 10_000 });
  await advancePhase(staffPage, roundUrl, "closed");
  const panel = staffPage.locator(".office-result");
  await panel.locator(".winners li").first().waitFor({ timeout: 15_000 });
  await panel.locator("form.publish button[type=submit]").click();
  await staffPage.locator(".phase-published").first().waitFor({ timeout: 10_000 });
}

const kb = (n) => (n / 1024).toFixed(1);
const s = (ms) => (ms === undefined ? "–" : (ms / 1000).toFixed(2));

async function main() {
  requireEnv();
  const platform = await startPlatform();
  const rows = [];
  try {
    const round = await setUp(platform);
    const residentState = await round.resident.context().storageState();
    const staffState = await round.staffPage.context().storageState();
    const roundPath = new URL(round.roundUrl).pathname;
    const officePath = roundPath.replace("/rounds/", "/office/rounds/");

    // The ballot page needs a round in voting; the results page a published one,
    // so the round is measured while voting, then voted on and published.
    const pages = [
      { name: "home", path: "/", resident: true },
      { name: "round (voting)", path: roundPath, resident: true },
      { name: "ballot (verified resident)", path: roundPath + "/ballot", state: residentState, resident: true },
      { name: "office's round (staff)", path: officePath, state: staffState, resident: false },
    ];
    const results = { name: "results (published)", path: roundPath + "/results", resident: true };
    for (const p of pages) rows.push({ ...p, ...(await measure(platform, platform.url + p.path, p.state)) });
    await voteAndPublish(platform, round);
    rows.push({ ...results, ...(await measure(platform, platform.url + results.path)) });
  } finally {
    await platform.stop();
  }

  const order = ["home", "round (voting)", "ballot (verified resident)", "results (published)", "office's round (staff)"];
  rows.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));

  console.log(
    `Throttled: ${(THROTTLE.downloadThroughput * 8) / 1e6} Mbit/s down, ${(THROTTLE.uploadThroughput * 8) / 1e3} kbit/s up, ` +
      `${THROTTLE.latency} ms latency; new context (empty cache) per page; KB = 1024 bytes transferred (compressed, with headers).\n`,
  );
  console.log("| page | HTML KB | CSS KB | JS KB | wasm KB | font KB | total KB | first paint s | interactive s |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const total = KINDS.reduce((sum, k) => sum + r.bytes[k], 0);
    const cells = [r.name, ...KINDS.slice(0, 5).map((k) => kb(r.bytes[k])), kb(total), s(r.paint), s(r.interactive)];
    console.log(`| ${cells.join(" | ")} |`);
  }
  const other = rows.filter((r) => r.bytes.other > 0);
  if (other.length) {
    console.log(`\n"total" includes other responses (favicon, server functions): ${other.map((r) => `${r.name} ${kb(r.bytes.other)} KB`).join(", ")}.`);
  }

  console.log("\nResponses (first page measured, for the encodings):");
  for (const f of rows[0].files) {
    console.log(`  ${f.kind.padEnd(5)} ${kb(f.bytes).padStart(7)} KB  ${f.encoding.padEnd(8)} ${new URL(f.url).pathname}`);
  }

  const slow = rows.filter((r) => r.resident && !(r.interactive <= 3000));
  console.log(
    slow.length
      ? `\nTarget (resident pages interactive within 3 s) missed by: ${slow.map((r) => `${r.name} ${s(r.interactive)} s`).join(", ")}.`
      : "\nTarget met: every resident page is interactive within 3 s.",
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  },
);
