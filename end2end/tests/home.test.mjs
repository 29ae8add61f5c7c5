// The home page as a visitor sees it: Persian and right-to-left by default,
// English on request, with the right digits and calendar, interactive once
// hydrated, and usable without JavaScript.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPlatform, screenshots, hydrated } from "../support/platform.mjs";

let platform;
before(async () => {
  platform = await startPlatform();
});
after(async () => {
  await platform?.stop();
});

const LATIN_DIGITS = /[0-9]/;
const PERSIAN_DIGITS = /[۰-۹]/;

// The current Solar Hijri and Gregorian years, from the browser's own ICU
// rather than from the code under test.
const jalaliYear = new Intl.DateTimeFormat("fa-IR-u-ca-persian-nu-arabext", { year: "numeric" })
  .format(new Date())
  .replace(/[^۰-۹]/g, "");
const gregorianYear = String(new Date().getFullYear());

test("Persian is the default: right-to-left, Persian digits, Solar Hijri date, own font", async () => {
  const page = await platform.browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await page.goto(platform.url + "/");
  await hydrated(page);
  assert.deepEqual(problems, [], "the page loads and hydrates without errors");

  const html = page.locator("html");
  assert.equal(await html.getAttribute("lang"), "fa");
  assert.equal(await html.getAttribute("dir"), "rtl");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), "rtl");
  assert.equal(await page.locator("h1").textContent(), "مناطق و محله‌ها");

  const summary = await page.locator(".summary").textContent();
  assert.equal(summary, "۳ منطقه و ۱۲ محله در تهران");
  assert.equal(await page.locator(".district").count(), 3);
  assert.equal(await page.locator(".district li").count(), 12);

  const today = await page.locator(".today").textContent();
  assert.ok(today.includes(jalaliYear), `"${today}" shows the Solar Hijri year ${jalaliYear}`);
  assert.ok(!LATIN_DIGITS.test(today), `"${today}" has only Persian digits`);

  const fontLoaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return document.fonts.check('16px "Vazirmatn"', "محله");
  });
  assert.ok(fontLoaded, "the self-hosted Vazirmatn font is in use");

  // The first district card starts on the right-hand side in a right-to-left page.
  const first = await page.locator(".district").first().boundingBox();
  const second = await page.locator(".district").nth(1).boundingBox();
  assert.ok(first.x > second.x, "cards flow from right to left");

  await page.screenshot({ path: join(screenshots, "home-fa.png"), fullPage: true });
  await page.close();
});

test("after hydration the neighborhood search filters as you type, without reloading", async () => {
  const page = await platform.browser.newPage();
  await page.goto(platform.url + "/");
  await hydrated(page);
  const requests = [];
  page.on("request", (r) => r.resourceType() === "document" && requests.push(r.url()));

  await page.locator("#q").fill("تجر");
  await page.waitForSelector(".filter-result");
  assert.equal((await page.locator(".filter-result").textContent()).trim().startsWith("۱ محله پیدا شد"), true);
  assert.equal(await page.locator(".district").count(), 1);
  assert.deepEqual(await page.locator(".district li").allTextContents(), ["تجریش"]);

  // Arabic kaf, as some keyboards type it, still finds ونک.
  await page.locator("#q").fill("ونك");
  assert.deepEqual(await page.locator(".district li").allTextContents(), ["ونک"]);

  await page.locator(".filter-result a").click();
  assert.equal(await page.locator(".district li").count(), 12);
  assert.deepEqual(requests, [], "filtering happened in the page, not by navigation");
  await page.close();
});

test("English is one click away: left-to-right, Latin digits, Gregorian date, kept in a cookie", async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(platform.url + "/");
  await page.locator(".lang-switch").click();
  await page.waitForSelector("html[lang=en]");
  await hydrated(page);

  assert.equal(await page.locator("html").getAttribute("dir"), "ltr");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), "ltr");
  assert.equal(await page.locator("h1").textContent(), "Districts and neighborhoods");
  assert.equal(await page.locator(".summary").textContent(), "3 districts and 12 neighborhoods in Tehran");
  const today = await page.locator(".today").textContent();
  assert.ok(today.includes(gregorianYear), `"${today}" shows ${gregorianYear}`);
  assert.ok(!PERSIAN_DIGITS.test(today), `"${today}" has only Latin digits`);

  await page.locator("#q").fill("van");
  await page.waitForSelector(".filter-result");
  assert.ok((await page.locator(".filter-result").textContent()).includes("Neighborhoods found: 1"));
  await page.locator("#q").fill("");

  const first = await page.locator(".district").first().boundingBox();
  const second = await page.locator(".district").nth(1).boundingBox();
  assert.ok(first.x < second.x, "cards flow from left to right");
  await page.screenshot({ path: join(screenshots, "home-en.png"), fullPage: true });

  // The choice survives a fresh visit, and switching back restores Persian.
  await page.goto(platform.url + "/");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await page.locator(".lang-switch").click();
  await page.waitForSelector("html[lang=fa]");
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  await context.close();
});

test("without JavaScript the search and the language switch still work", async () => {
  const context = await platform.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(platform.url + "/");
  await page.locator("#q").fill("ونک");
  await page.locator(".search button").click();
  await page.waitForURL(/q=/);
  assert.deepEqual(await page.locator(".district li").allTextContents(), ["ونک"]);
  assert.equal(await page.locator("html").getAttribute("data-hydrated"), null);

  await page.locator(".lang-switch").click();
  await page.waitForSelector("html[lang=en]");
  assert.deepEqual(await page.locator(".district li").allTextContents(), ["Vanak"], "the search is kept");
  await context.close();
});

test("an unknown address answers 404 with a translated page", async () => {
  const page = await platform.browser.newPage();
  const response = await page.goto(platform.url + "/no/such/page");
  assert.equal(response.status(), 404);
  assert.equal(await page.locator("h1").textContent(), "صفحه پیدا نشد");
  await page.close();
});

test("the bundle, stylesheet and font are named by their content and kept for good", async () => {
  const page = await platform.browser.newPage();
  const answers = new Map();
  page.on("response", (r) => answers.set(new URL(r.url()).pathname, r.headers()["cache-control"]));
  await page.goto(platform.url + "/");
  await hydrated(page);
  await page.evaluate(() => document.fonts.ready);
  const hashed = [...answers.keys()].filter((path) => /^\/(pkg|fonts)\//.test(path));
  for (const kind of [/\/pkg\/app\.[0-9a-f]{16}\.js$/, /\/pkg\/app\.[0-9a-f]{16}\.wasm$/, /\/pkg\/app\.[0-9a-f]{16}\.css$/, /\/fonts\/Vazirmatn\.[0-9a-f]{16}\.woff2$/]) {
    const path = hashed.find((p) => kind.test(p));
    assert.ok(path, `one of ${hashed.join(", ")} matches ${kind}`);
    assert.equal(answers.get(path), "public, max-age=31536000, immutable", path);
  }
  assert.equal(answers.get("/"), "no-store", "pages are not cached");
  await page.close();
});
