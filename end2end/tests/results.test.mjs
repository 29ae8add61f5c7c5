// The whole story in Persian: an office opens a round, residents verified at
// the office propose, the office reviews, three residents vote, the office
// closes voting, reviews the count and publishes it; anyone sees the results,
// checks that the digest is the SHA-256 of the downloaded ballots, recounts them
// in the browser, and finds a ballot by its receipt; the office then reports
// progress on a funded project and the district's public page shows it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { platformWithAdmin, screenshots, hydrated } from "../support/platform.mjs";
import { issueCode, registerVerified, advancePhase, openRound, propose } from "../support/flows.mjs";

const platform = platformWithAdmin();

const TITLES = ["بازسازی زمین بازی کودکان", "پیاده‌روسازی خیابان اصلی", "کتابخانهٔ کوچک محله"];
const COSTS = ["۲۰۰٬۰۰۰٬۰۰۰", "۱۵۰٬۰۰۰٬۰۰۰", "۱۰۰٬۰۰۰٬۰۰۰"];
// Who chooses what: the playground and the pavement lead.
const CHOICES = [
  [0, 1],
  [0, 2],
  [0, 1],
];
const VOTERS = [
  ["09121110001", "0499370899"],
  ["09121110002", "0013542419"],
  ["09121110003", "0084575948"],
];

let staffPage;
let roundUrl;
let residents = [];
const receipts = [];

const advance = (phase) => advancePhase(staffPage, roundUrl, phase);

test("verify, propose, review and vote: three residents cast their ballots", async () => {
  ({ staffPage, roundUrl } = await openRound(platform, {
    titleFa: "بودجهٔ مشارکتی ۱۴۰۵ منطقه ۱",
    titleEn: "District 1 budget 1405",
    budget: "۳۵۰٬۰۰۰٬۰۰۰",
    k: "۲",
  }));

  for (const [mobile, nationalCode] of VOTERS) {
    const code = await issueCode(staffPage, platform, nationalCode, "تجریش");
    residents.push(await registerVerified(platform, mobile, code));
  }
  const author = residents[0];
  for (const title of TITLES) {
    const description = "ساکنان تجریش سال‌هاست این طرح را برای محله می‌خواهند.";
    await propose(author, roundUrl, { title, description, neighborhood: "تجریش" });
  }

  await advance("review");
  for (let i = 0; i < TITLES.length; i++) {
    // Rows name other projects too (as merge targets): find the row by its own title link.
    const title = staffPage.locator("a", { hasText: TITLES[i] });
    const row = staffPage.locator(".proposal-row").filter({ has: title });
    await row.locator("form.accept input[name=cost]").fill(COSTS[i]);
    await row.locator("form.accept button[type=submit]").click();
    await row.locator(".status-accepted").waitFor({ timeout: 10_000 });
  }
  await advance("voting");

  // A resident finds the round from their account page, with what to do next.
  await residents[0].goto(platform.url + "/account");
  await residents[0].locator(".open-rounds a.next-step", { hasText: "رأی بدهید" }).waitFor({ timeout: 10_000 });

  for (let v = 0; v < residents.length; v++) {
    const page = residents[v];
    await page.goto(roundUrl + "/ballot");
    await hydrated(page);
    for (const i of CHOICES[v]) {
      await page.locator(".ballot-project", { hasText: TITLES[i] }).locator("input").check();
    }
    await page.click("form.ballot button[type=submit]");
    const receipt = page.locator(".receipt-code");
    await receipt.waitFor({ timeout: 10_000 });
    receipts.push((await receipt.textContent()).trim());
  }
  await residents[2].goto(platform.url + "/account");
  assert.equal(
    (await residents[2].locator(".my-ballots code").textContent()).trim(),
    receipts[2],
    "the account page keeps the receipt",
  );
});

test("the office closes voting, reviews the count and publishes it", async () => {
  await advance("closed");
  const panel = staffPage.locator(".office-result");
  await panel.locator(".winners li").first().waitFor({ timeout: 15_000 });
  assert.equal(await panel.locator(".winners li").count(), 2, "the draft funds two projects");
  await panel.locator("form.publish button[type=submit]").click();
  await staffPage.locator(".phase-published").first().waitFor({ timeout: 10_000 });
});

test("anyone sees the result, its digest is the downloaded file's, and the browser recounts it", async () => {
  const visitor = await (await platform.browser.newContext()).newPage();
  await visitor.goto(roundUrl);
  await visitor.click("a.results-link");
  await visitor.waitForURL(/\/results$/);
  await hydrated(visitor);
  // The link navigates in the browser, which shows the page once its data has come.
  await visitor.locator(".results .winners li a").first().waitFor({ timeout: 15_000 });
  const winners = await visitor.locator(".results .winners li a").allTextContents();
  assert.deepEqual(winners.sort(), [TITLES[0], TITLES[1]].sort(), "playground and pavement are funded");
  const markers = await visitor.locator(".results .winners").evaluate((e) => getComputedStyle(e).listStyleType);
  assert.equal(markers, "persian", "the winners are numbered ۱. ۲., not 1. 2.");
  assert.equal(await visitor.locator(".chart li.funded").count(), 2, "the chart marks the winners");
  assert.equal(await visitor.locator(".chart li svg.bar").count(), 3);
  // Drawn for the width it is shown at: on a phone its labels keep their size.
  await visitor.setViewportSize({ width: 320, height: 700 });
  const labelSize = await visitor.locator(".chart .label").first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(labelSize >= 14, `labels stay readable at 320 px (${labelSize} px)`);
  const barRight = await visitor.locator(".chart svg.bar").first().evaluate((e) => e.getBoundingClientRect().right);
  assert.ok(barRight <= 320, "the chart fits the phone's width");
  await visitor.setViewportSize({ width: 1280, height: 720 });

  const shown = (await visitor.locator(".results code.digest").textContent()).trim();
  const href = await visitor.locator(".downloads a").first().getAttribute("href");
  const file = await (await fetch(platform.url + href)).text();
  assert.equal(shown, createHash("sha256").update(file, "utf8").digest("hex"));
  for (const r of receipts) {
    assert.ok(file.includes("\n" + r.replaceAll("-", "") + ";"), "every receipt is a ballot id");
  }

  // The engine comes only when the visitor asks for a recount.
  const engine = [];
  visitor.on("request", (r) => new URL(r.url()).pathname.startsWith("/pkg/recount.") && engine.push(r.url()));
  const fetched = () => performance.getEntriesByType("resource").some((e) => e.name.includes("/pkg/recount."));
  assert.equal(await visitor.evaluate(fetched), false, "no recount engine before the button");
  await visitor.click("button.recount");
  const match = visitor.locator(".recount-match");
  await match.waitFor({ timeout: 30_000 });
  assert.equal(await match.textContent(), "بازشماری یکسان است: همان برندگان به همان ترتیب، و همان چکیده.");
  assert.deepEqual(engine.map((u) => u.split(".").pop()).sort(), ["js", "wasm"], "the engine came on the click");
  await visitor.screenshot({ path: join(screenshots, "results-fa.png"), fullPage: true });

  // The same page in English reads left to right, the rule explained in English.
  await visitor.goto(platform.url + "/lang/en?back=" + encodeURIComponent(new URL(roundUrl).pathname + "/results"));
  assert.equal(await visitor.locator("html").getAttribute("dir"), "ltr");
  const bar = await visitor.locator(".chart rect").first().getAttribute("x");
  assert.equal(bar, "0.0%", "bars grow from the left in English");
  assert.match(await visitor.locator(".results p.rule").textContent(), /^Method of equal shares/);
  await visitor.screenshot({ path: join(screenshots, "results-en.png"), fullPage: true });
});

test("a voter finds their ballot by its receipt, and a made-up receipt finds nothing", async () => {
  const page = residents[1];
  await page.goto(roundUrl + "/results");
  await hydrated(page);
  await page.fill("#receipt", receipts[1]);
  await Promise.all([page.waitForURL(/\/check\?receipt=/), page.click("form.receipt-check button[type=submit]")]);
  const found = page.locator(".receipt-found");
  await found.waitFor({ timeout: 10_000 });
  assert.deepEqual(await found.locator(".choices li").allTextContents(), [TITLES[0], TITLES[2]]);

  await page.goto(platform.url + "/check?receipt=ABCD-EFGH-JKMN-PQRS-TVWX");
  assert.equal(await page.locator("p.error").textContent(), "هیچ رأیی با این رسید نیست.");
});

test("the office reports progress and the district's page shows it", async () => {
  await staffPage.goto(roundUrl.replace("/rounds/", "/office/rounds/"));
  await hydrated(staffPage);
  const form = staffPage.locator("form.progress-form", { hasText: TITLES[0] });
  await form.locator("select[name=stage]").selectOption("in-progress");
  await form.locator("input[name=percent]").fill("۴۵");
  await form.locator("input[name=spent]").fill("۹۰٬۰۰۰٬۰۰۰");
  await form.locator("textarea[name=note]").fill("کف‌پوش ایمن نصب شد.");
  await form.locator("button[type=submit]").click();
  await staffPage.locator(".progress .project-progress", { hasText: "کف‌پوش ایمن نصب شد." }).waitFor({ timeout: 10_000 });

  const visitor = await (await platform.browser.newContext()).newPage();
  await visitor.goto(platform.url + "/");
  await visitor.locator("article.district", { hasText: "منطقه ۱" }).locator("a.projects-link").click();
  await visitor.waitForURL(/\/districts\/\d+\/projects$/);
  const item = visitor.locator(".project-progress", { hasText: TITLES[0] });
  assert.equal(await item.locator(".stage").textContent(), "در حال اجرا");
  assert.match(await item.textContent(), /٪۴۵ انجام‌شده/);
  assert.match(await item.textContent(), /۹۰٬۰۰۰٬۰۰۰ تومان هزینه‌شده/);
  await visitor.screenshot({ path: join(screenshots, "district-projects-fa.png"), fullPage: true });
});
