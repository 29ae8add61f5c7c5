// Voting in the browser: a resident votes with JavaScript (the meter counts
// down and blocks a third pick), changes the vote and gets a new receipt,
// changes it again on a slow connection before the page's code has started
// and finds the changes kept;
// another votes with JavaScript disabled, is told in Persian that three picks
// are too many, and casts a valid ballot; the office sees two voters.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { platformWithAdmin, screenshots, hydrated } from "../support/platform.mjs";
import { PASSWORD, issueCode, registerVerified, advancePhase, openRound, propose } from "../support/flows.mjs";

const platform = platformWithAdmin();

const RECEIPT = /^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){4}$/;
const TITLES = ["کاشت درخت در خیابان", "روشنایی کوچهٔ باغ", "نیمکت برای پارک محله"];

let staffPage;
let roundUrl;
let sara;
let codeForReza;

const advance = (phase) => advancePhase(staffPage, roundUrl, phase);

test("an office puts three projects on an approval ballot of two", async () => {
  ({ staffPage, roundUrl } = await openRound(platform, {
    titleFa: "بودجهٔ مشارکتی منطقه ۱",
    titleEn: "District 1 participatory budget",
    budget: "۵۰۰٬۰۰۰٬۰۰۰",
    k: "2",
  }));

  const code = await issueCode(staffPage, platform, "۰۴۹۹۳۷۰۸۹۹", "نیاوران");
  codeForReza = await issueCode(staffPage, platform, "0013542419", "نیاوران");
  sara = await registerVerified(platform, "09121234567", code);
  for (const title of TITLES) {
    const description = "طرحی برای محله که ساکنان سال‌هاست درخواستش را داده‌اند.";
    await propose(sara, roundUrl, { title, description, neighborhood: "نیاوران" });
  }

  await advance("review");
  for (let i = 0; i < TITLES.length; i++) {
    await staffPage.locator("form.accept input[name=cost]").nth(i).fill("۱۰۰٬۰۰۰");
    await staffPage.locator("form.accept button[type=submit]").nth(i).click();
    await staffPage.locator(".proposal-row .status-accepted").nth(i).waitFor({ timeout: 10_000 });
  }
  await advance("voting");
});

test("with JavaScript the meter counts down, a third pick is blocked, and a receipt follows", async () => {
  await sara.goto(roundUrl);
  await sara.click("a.vote-link");
  await sara.waitForURL(/\/ballot$/);
  await hydrated(sara);
  const meter = sara.locator(".meter");
  assert.equal(await meter.textContent(), "می‌توانید ۲ طرح دیگر انتخاب کنید.");
  const box = (title) => sara.locator(".ballot-project", { hasText: title }).locator("input");
  // Each box tells where the project is, what it is about, and links to its page.
  const firstBox = sara.locator(".ballot-project", { hasText: TITLES[0] });
  assert.match(await firstBox.locator(".project-meta").textContent(), /نیاوران/);
  assert.match(await firstBox.locator(".project-summary").textContent(), /ساکنان سال‌هاست درخواستش را داده‌اند/);
  assert.match(await firstBox.locator(".project-summary a").getAttribute("href"), /^\/proposals\/\d+$/);
  assert.equal(await sara.locator(".ballot-project .project-summary a").count(), TITLES.length);
  await box(TITLES[0]).check();
  assert.equal(await meter.textContent(), "می‌توانید ۱ طرح دیگر انتخاب کنید.");
  await box(TITLES[1]).check();
  assert.equal(await meter.textContent(), "می‌توانید ۰ طرح دیگر انتخاب کنید.");
  assert.equal(await box(TITLES[2]).isDisabled(), true, "a third pick is blocked");
  const why = sara.locator(".ballot-project", { hasText: TITLES[2] }).locator(".blocked-why");
  assert.match(await why.textContent(), /طرح دیگری را بردارید/, "and the box says why");
  assert.equal(await sara.locator(".blocked-why").count(), 1, "only beside the blocked box");
  await sara.click("form.ballot button[type=submit]");
  const receipt = sara.locator(".receipt-code");
  await receipt.waitFor({ timeout: 10_000 });
  const first = (await receipt.textContent()).trim();
  assert.match(first, RECEIPT);
  // The page opens on the receipt, which stays whole on one line on a phone.
  await hydrated(sara);
  assert.equal(await sara.evaluate(() => document.activeElement?.classList.contains("receipt")), true, "focus on the receipt");
  await sara.setViewportSize({ width: 320, height: 640 });
  const fits = await receipt.evaluate((e) => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= 320);
  assert.ok(fits, "whole on one line, within the screen");
  await sara.setViewportSize({ width: 1280, height: 720 });
  await sara.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await sara.locator(".receipt-buttons button").first().click();
  await sara.locator(".receipt-buttons [role=status]", { hasText: "رونوشت برداشته شد" }).waitFor({ timeout: 5_000 });
  assert.equal(await sara.evaluate(() => navigator.clipboard.readText()), first, "copied whole");
  assert.deepEqual(await sara.locator(".my-choices li").allTextContents(), [TITLES[0], TITLES[1]]);
  await sara.screenshot({ path: join(screenshots, "ballot-receipt-fa.png"), fullPage: true });

  // Changing the vote: the last ballot counts and gets a new receipt.
  await box(TITLES[1]).uncheck();
  await box(TITLES[2]).check();
  await sara.click("form.ballot button[type=submit]");
  await sara.locator(".my-choices li", { hasText: TITLES[2] }).waitFor({ timeout: 10_000 });
  const second = (await receipt.textContent()).trim();
  assert.match(second, RECEIPT);
  assert.notEqual(second, first);
  assert.equal(await sara.locator(".my-choices li", { hasText: TITLES[1] }).count(), 0);
});

test("on a slow connection, what is ticked before the page's code starts is still ticked after, and the meter follows", async () => {
  const cdp = await sara.context().newCDPSession(sara);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: 1_600_000 / 8,
    uploadThroughput: 750_000 / 8,
  });
  // The bundle is held back until the boxes are ticked, as a slower line would.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await sara.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await sara.goto(roundUrl + "/ballot", { waitUntil: "domcontentloaded" });
  const box = (title) => sara.locator(".ballot-project", { hasText: title }).locator("input");
  assert.equal(await box(TITLES[2]).isChecked(), true, "the ballot on file chose the bench");
  await box(TITLES[2]).uncheck();
  await box(TITLES[1]).check();
  assert.equal(await sara.locator("html").getAttribute("data-hydrated"), null, "the code has not started yet");
  release();
  await hydrated(sara);
  assert.deepEqual(
    await Promise.all(TITLES.map((t) => box(t).isChecked())),
    [true, true, false],
    "the changes made before the code started are kept",
  );
  assert.equal(await sara.locator(".meter").textContent(), "می‌توانید ۰ طرح دیگر انتخاب کنید.");
  assert.equal(await box(TITLES[2]).isDisabled(), true, "the code counted the kept ticks");
  await sara.unroute("**/*.wasm");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await sara.click("form.ballot button[type=submit]");
  await sara.locator(".my-choices li", { hasText: TITLES[1] }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await sara.locator(".my-choices li").allTextContents(), [TITLES[0], TITLES[1]]);
});

test("without JavaScript the same form votes, and the server explains a refusal in Persian", async () => {
  await registerVerified(platform, "09127654321", codeForReza);
  const context = await platform.browser.newContext({ javaScriptEnabled: false });
  const reza = await context.newPage();
  await reza.goto(platform.url + "/login");
  await reza.fill("#login", "09127654321");
  await reza.fill("#password", PASSWORD);
  await Promise.all([reza.waitForNavigation(), reza.click("form.stack button[type=submit]")]);
  await reza.goto(roundUrl + "/ballot");
  for (const title of TITLES) {
    await reza.locator(".ballot-project", { hasText: title }).locator("input").check();
  }
  await Promise.all([reza.waitForNavigation(), reza.click("form.ballot button[type=submit]")]);
  assert.equal(
    await reza.locator(".ballot .error").textContent(),
    "بیش از تعدادی که این دوره اجازه می‌دهد طرح انتخاب کرده‌اید.",
  );
  assert.equal(await reza.locator(".ballot input:checked").count(), 3, "the form comes back as sent");
  await reza.locator(".ballot-project", { hasText: TITLES[0] }).locator("input").uncheck();
  await Promise.all([reza.waitForNavigation(), reza.click("form.ballot button[type=submit]")]);
  assert.equal(await reza.locator(".success").textContent(), "رأی شما ثبت شد.");
  assert.match((await reza.locator(".receipt-code").textContent()).trim(), RECEIPT);
  assert.equal(await reza.locator(".my-choices li").count(), 2);
});

test("the office sees how many voted, not what they chose", async () => {
  await staffPage.goto(roundUrl.replace("/rounds/", "/office/rounds/"));
  const row = staffPage.locator(".turnout tbody tr", { hasText: "نیاوران" });
  assert.equal(await row.locator(".voters").textContent(), "۲");
  assert.equal(await staffPage.locator(".receipt-code").count(), 0);
});
