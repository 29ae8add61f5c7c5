// Starts the real server binary on a free port with a fresh SQLite database and
// the demo data, and launches Debian's Chromium through playwright-core.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
export const screenshots = join(here, "..", "screenshots");

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}:\n${output.join("")}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${output.join("")}`);
}

// Waits until the page has hydrated (the browser bundle marks the document).
export async function hydrated(page) {
  await page.waitForSelector("html[data-hydrated=true]", { state: "attached", timeout: 15_000 });
}

// The bytes a browser that only takes gzip downloads for `url`: the body as
// sent, not unpacked.
export function gzipBytes(url) {
  return new Promise((resolve, reject) => {
    get(url, { headers: { "accept-encoding": "gzip" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk) => (bytes += chunk.length));
      res.on("end", () => resolve(bytes));
      res.on("error", reject);
    }).on("error", reject);
  });
}

// The browser code (JavaScript and WebAssembly) a page fetches while `load`
// runs, as addresses; the page's cache is off so that every page counts all of it.
export async function watchCode(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const seen = new Set();
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".js") || path.endsWith(".wasm")) seen.add(request.url());
  });
  return seen;
}

// Every error any page of `browser` logs to its console or throws, so that
// a test file fails on one (see `stop`). A page the tests visit to see it
// refused (404, 403, 429…) is logged by Chromium as a failed load: only a
// failed load of the site's own code, style or font counts.
function watchConsoles(browser) {
  const errors = [];
  const watch = (context) => {
    context.on("console", (message) => {
      if (message.type() !== "error") return;
      const at = message.location().url ?? "";
      const refusedPage = message.text().startsWith("Failed to load resource") && !/\.(js|wasm|css|woff2)$/.test(new URL(at, "http://x").pathname);
      if (!refusedPage) errors.push(`${at}: ${message.text()}`);
    });
    context.on("weberror", (error) => errors.push(`${error.page()?.url()}: ${error.error()}`));
    return context;
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watch(await newContext(options));
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    watch(page.context());
    return page;
  };
  return errors;
}

export async function startPlatform() {
  const bin = process.env.MAHALLE_SERVER_BIN;
  if (!bin) throw new Error("MAHALLE_SERVER_BIN must name the server binary (scripts/test sets it)");
  const data = mkdtempSync(join(tmpdir(), "mahalle-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output = [];
  const env = {
    ...process.env,
    MAHALLE_ADDR: `127.0.0.1:${port}`,
    DATABASE_URL: `sqlite://${join(data, "mahalle.db")}`,
    MAHALLE_SECRET_FILE: join(data, "secret.key"),
    MAHALLE_SITE_ROOT: process.env.MAHALLE_SITE_ROOT ?? join(root, "target", "site"),
    MAHALLE_LOG: "warn",
  };
  const child = spawn(bin, ["serve", "--demo"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => output.push(String(d)));
  child.stderr.on("data", (d) => output.push(String(d)));
  await waitHealthy(url, child, output);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(screenshots, { recursive: true });
  const consoleErrors = watchConsoles(browser);

  return {
    url,
    browser,
    // Signs in through the login page, as a person would.
    async signIn(page, login, password) {
      await page.goto(url + "/login");
      await hydrated(page);
      await page.fill("#login", login);
      await page.fill("#password", password);
      await page.click("form.stack button[type=submit]");
    },
    // Runs the server's command line against the same database, as an operator would.
    cli(args, input = "") {
      const run = spawnSync(bin, args, { env, input, encoding: "utf8" });
      if (run.status !== 0) throw new Error(`server ${args.join(" ")} failed:\n${run.stdout}${run.stderr}`);
      return run.stdout;
    },
    // Stops the server and the browser; fails if any page logged an error.
    async stop() {
      await browser.close();
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      rmSync(data, { recursive: true, force: true });
      if (consoleErrors.length) {
        throw new Error(`pages logged errors in the browser console:\n${consoleErrors.join("\n")}`);
      }
    },
  };
}

// The platform a test file runs against, with its administrator
// (admin@tehran.ir, made with the command line): started before the file's
// tests, stopped after them.
export function platformWithAdmin() {
  const platform = {};
  before(async () => {
    Object.assign(platform, await startPlatform());
    platform.cli(["admin", "create", "admin@tehran.ir"], "admin password\n");
  });
  after(async () => {
    await platform.stop?.();
  });
  return platform;
}
