// Every page passes axe-core's WCAG 2.1 A and AA rules, in both languages, at a
// desktop and a phone width: signed out, as a verified resident, as staff and
// as an administrator. On the way, every page's browser code is weighed: at
// most 200 KB with gzip, and never the recount engine.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { platformWithAdmin, hydrated, gzipBytes, watchCode } from "../support/platform.mjs";
import { openRound, issueCode, registerVerified, propose, PASSWORD } from "../support/flows.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// The most browser code (JS and wasm, gzip) a page may fetch: about a second
// on a 1.6 Mbit/s phone connection.
const CODE_BUDGET = 200_000;

const platform = platformWithAdmin();

// What each page's browser code weighs, in order: "path lang width: bytes".
const weighed = [];

// The axe violations of each page, for a visitor signed in as `login` (or not),
// and what breaks the code budget.
async function violations(login, password, paths) {
  const found = [];
  for (const width of [1280, 360]) {
    for (const lang of ["fa", "en"]) {
      // axe is injected by the test, so the page's own script policy is set aside for it.
      const context = await platform.browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
      await context.addCookies([{ name: "lang", value: lang, url: platform.url }]);
      const page = await context.newPage();
      if (login) {
        await platform.signIn(page, login, password);
        await page.waitForURL((url) => url.pathname !== "/login", { timeout: 10_000 });
      }
      const code = await watchCode(page);
      for (const path of paths) {
        code.clear();
        await page.goto(platform.url + path);
        await hydrated(page);
        const at = `${path} ${lang} ${width}px`;
        let bytes = 0;
        for (const url of code) {
          if (new URL(url).pathname.startsWith("/pkg/recount.")) found.push(`${at}: fetches the recount engine ${url}`);
          bytes += await gzipBytes(url);
        }
        weighed.push(`${at}: ${bytes}`);
        if (code.size === 0) found.push(`${at}: no browser code was seen`);
        if (bytes > CODE_BUDGET) found.push(`${at}: ${bytes} bytes of browser code, over ${CODE_BUDGET}`);
        if (login) {
          const signedIn = await page.locator('header.site-header a[href="/account"]').count();
          assert.equal(signedIn, 1, `${path} is seen signed in as ${login}`);
        }
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG);
        for (const v of result.violations) {
          found.push(`${path} ${lang} ${width}px: ${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
      await context.close();
    }
  }
  return found;
}

test("no page has an accessibility violation, for anyone, in either language or width", async () => {
  const { staffPage, roundUrl } = await openRound(platform, {
    titleFa: "بودجهٔ محله ۱۴۰۵",
    titleEn: "Neighborhood budget 2026",
    budget: "۱۰۰۰۰۰۰۰۰۰",
    k: "۲",
  });
  const code = await issueCode(staffPage, platform, "۰۴۹۹۳۷۰۸۹۹", "نیاوران");
  const resident = await registerVerified(platform, "09121234567", code);
  await propose(resident, roundUrl, {
    title: "پارک محله",
    description: "یک پارک کوچک با نیمکت و درخت برای همهٔ اهالی محله.",
    neighborhood: "نیاوران",
  });
  const proposal = new URL(resident.url()).pathname;
  const round = new URL(roundUrl).pathname;
  await resident.context().close();

  const everyone = ["/", "/login", "/register", "/reset-password", "/rounds", round, proposal, "/check", "/districts/1/projects", "/nowhere"];
  const found = [
    ...(await violations(null, null, everyone)),
    ...(await violations("09121234567", PASSWORD, ["/account", round, `${round}/ballot`, proposal])),
    ...(await violations("office1@tehran.ir", PASSWORD, ["/office", "/office/rounds", `/office${round}`])),
    ...(await violations("admin@tehran.ir", "admin password", ["/admin"])),
  ];
  assert.deepEqual(found, [], found.join("\n"));
  console.log(`browser code per page, gzip bytes (budget ${CODE_BUDGET}):\n${weighed.join("\n")}`);
});
