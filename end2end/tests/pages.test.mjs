// What a new visitor meets on every page: each page names itself in the
// browser's tab, signed-out visitors are offered the way in rather than forms
// they cannot send, and the header follows the session as one moves around
// with JavaScript. (Every test file also fails on any console error: see
// support/platform.mjs.)

import { test } from "node:test";
import assert from "node:assert/strict";
import { platformWithAdmin, hydrated } from "../support/platform.mjs";
import { openRound, PASSWORD } from "../support/flows.mjs";

const platform = platformWithAdmin();
const APP = "بودجهٔ محله";
const ROUND = "بودجهٔ مشارکتی منطقه ۱";

let roundUrl;

test("each page's title names it, then the platform", async () => {
  ({ roundUrl } = await openRound(platform, {
    titleFa: ROUND,
    titleEn: "District 1 participatory budget",
    budget: "۵۰۰٬۰۰۰٬۰۰۰",
    k: "2",
  }));
  const page = await (await platform.browser.newContext()).newPage();
  const titles = new Map();
  for (const path of ["/", "/rounds", "/login", "/register", "/check", "/reset-password", new URL(roundUrl).pathname]) {
    await page.goto(platform.url + path);
    const heading = (await page.locator("h1").first().textContent()).trim();
    const title = await page.title();
    assert.equal(title, `${heading} · ${APP}`, `${path} is titled by its heading`);
    titles.set(title, path);
  }
  assert.equal(titles.size, 7, "no two pages share a title");
  assert.equal(await page.title(), `${ROUND} · ${APP}`, "a round's page is titled by the round");

  await page.goto(roundUrl + "/results");
  assert.equal(await page.title(), `نتیجهٔ ${ROUND} · ${APP}`);
  await page.goto(`${platform.url}/lang/en?back=${encodeURIComponent(new URL(roundUrl).pathname)}`);
  await page.waitForURL(roundUrl);
  assert.equal(await page.title(), "District 1 participatory budget · Neighborhood Budget");
  await page.context().close();
});

test("signed out, the account page and a round taking proposals offer only the way in", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await platform.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(platform.url + "/account");
    if (javaScriptEnabled) await hydrated(page);
    assert.equal(await page.locator("main a[href='/login']").count(), 1, "a link to sign in");
    assert.equal(await page.locator("#current").count(), 0, "no password form");
    assert.equal(await page.locator("main button", { hasText: "خروج" }).count(), 0, "no sign-out button");

    await page.goto(roundUrl);
    if (javaScriptEnabled) await hydrated(page);
    assert.equal(await page.locator("#title").count(), 0, "no proposal form to fill in for nothing");
    const invitation = page.locator(".sign-in-to-propose");
    assert.match(await invitation.textContent(), /پس از ورود می‌توانند طرح پیشنهاد کنند/);
    assert.equal(await invitation.locator("a[href='/login']").count(), 1);
    await context.close();
  }
});

test("with JavaScript the header follows the session across pages", async () => {
  const page = await (await platform.browser.newContext()).newPage();
  const header = page.locator("header.site-header");
  await page.goto(platform.url + "/");
  await hydrated(page);
  assert.equal(await header.locator("a[href='/login']").count(), 1, "signed out: sign in");

  await platform.signIn(page, "office1@tehran.ir", PASSWORD);
  await page.waitForURL(/\/office$/);
  await hydrated(page);
  for (const link of ["a[href='/rounds']", "a.brand"]) {
    await header.locator(link).click();
    await hydrated(page);
    assert.equal(await header.locator("a[href='/login']").count(), 0, `after ${link}: no "sign in"`);
    assert.equal(await header.locator("a[href='/account']").count(), 1, `after ${link}: my account`);
  }

  await header.locator("button", { hasText: "خروج" }).click();
  await page.waitForURL(platform.url + "/");
  await hydrated(page);
  await header.locator("a[href='/rounds']").click();
  await hydrated(page);
  assert.equal(await header.locator("a[href='/account']").count(), 0, "signed out: no account link");
  assert.equal(await header.locator("a[href='/login']").count(), 1, "signed out: sign in");
  await page.context().close();
});
