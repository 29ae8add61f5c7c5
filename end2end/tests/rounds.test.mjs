// A budget round from start to ballot, all in the browser: staff open a round
// and start its proposals phase, a verified resident of Niavaran proposes a
// project, staff start the review and accept it with an official cost, and
// the public pages show it as a project on the ballot.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { platformWithAdmin, screenshots, hydrated } from "../support/platform.mjs";
import { createStaff, signedIn, issueCode, registerVerified, confirmMove } from "../support/flows.mjs";

const platform = platformWithAdmin();

let staffPage;
let roundUrl;
let proposalUrl;

test("staff of District 1 open a round and start taking proposals", async () => {
  await createStaff(platform, "office1@tehran.ir", "منطقه ۱");
  staffPage = await signedIn(platform, "office1@tehran.ir");
  await staffPage.waitForURL(/\/office$/);
  await staffPage.click("a[href='/office/rounds']");
  await staffPage.waitForURL(/\/office\/rounds$/);
  await hydrated(staffPage);
  await staffPage.fill("#title_fa", "بودجهٔ مشارکتی منطقه ۱");
  await staffPage.fill("#title_en", "District 1 participatory budget");
  await staffPage.fill("#budget", "۵۰۰٬۰۰۰٬۰۰۰");
  await staffPage.fill("#ballot_param", "3");
  await staffPage.click("form:has(#title_fa) button[type=submit]");
  await staffPage.waitForURL(/\/office\/rounds\/\d+$/, { timeout: 10_000 });
  roundUrl = staffPage.url().replace("/office/rounds/", "/rounds/");
  await staffPage.locator(".phase-draft").first().waitFor();
  assert.equal(await staffPage.inputValue("#budget"), "۵۰۰٬۰۰۰٬۰۰۰", "the settings read back in Persian digits");
  assert.equal(await staffPage.inputValue("#ballot_param"), "۳");
  // The office plans the phases' days, in the Solar Hijri calendar.
  await staffPage.fill("#plan-proposals", "۱۴۰۵/۰۹/۲۰");
  await staffPage.fill("#plan-voting", "1405/10/01");
  await staffPage.click("form.plan button[type=submit]");
  await staffPage.locator(".schedule-list li").nth(1).waitFor({ timeout: 10_000 });
  assert.deepEqual(
    (await staffPage.locator(".schedule-list li").allTextContents()).map((t) => t.trim()),
    ["دریافت پیشنهادها · ۲۰ آذر ۱۴۰۵", "رأی‌گیری · ۱ دی ۱۴۰۵"],
  );
  await confirmMove(staffPage);
  await staffPage.locator(".phase-proposals").first().waitFor({ timeout: 10_000 });
  const visitor = await (await platform.browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto(roundUrl);
  assert.equal(await visitor.locator(".schedule-list li[aria-current=step]").count(), 1, "the current phase is marked");
});

test("a verified resident of Niavaran proposes a project", async () => {
  const code = await issueCode(staffPage, platform, "۰۴۹۹۳۷۰۸۹۹", "نیاوران");
  const page = await registerVerified(platform, "09121234567", code);

  await page.goto(roundUrl);
  await hydrated(page);
  await page.fill("#title", "کاشت درخت در خیابان");
  await page.fill("#description", "کاشت درخت چنار در دو سوی خیابان اصلی محله برای سایه و هوای پاک.");
  await page.selectOption("#category", "green");
  await page.selectOption("#neighborhood_id", { label: "نیاوران" });
  await page.fill("#estimate", "۲۰۰٬۰۰۰");
  await page.click("form:has(#title) button[type=submit]");
  await page.waitForURL(/\/proposals\/\d+$/, { timeout: 10_000 });
  proposalUrl = page.url();
  assert.equal(await page.locator("h1").textContent(), "کاشت درخت در خیابان");
  assert.equal(await page.locator(".status").first().textContent(), "ثبت‌شده");
  await page.screenshot({ path: join(screenshots, "proposal-fa.png"), fullPage: true });
});

test("the office enters the proposal of a resident who came to the desk", async () => {
  await staffPage.goto(roundUrl.replace("/rounds/", "/office/rounds/"));
  await staffPage.fill("#resident", "مینا احمدی، ۰۹۱۲۱۱۱۲۲۳۳");
  await staffPage.fill("form.desk-proposal #title", "رمپ ورودی کتابخانه");
  await staffPage.fill("form.desk-proposal #description", "ساخت رمپ برای ورود صندلی چرخ‌دار به کتابخانهٔ محله.");
  await staffPage.selectOption("form.desk-proposal #neighborhood_id", { label: "نیاوران" });
  await staffPage.click("form.desk-proposal button[type=submit]");
  await staffPage.waitForURL(/\/proposals\/\d+$/, { timeout: 10_000 });
  assert.equal(await staffPage.locator(".entered-at-office").textContent(), "ثبت‌شده در دفتر منطقه");
  assert.equal(await staffPage.getByText("مینا احمدی").count(), 0, "who brought it is not on the page");
});

test("staff review the proposal and accept it with a cost: it is a project", async () => {
  await staffPage.goto(roundUrl.replace("/rounds/", "/office/rounds/"));
  await hydrated(staffPage);
  // The move says what it freezes before it is made.
  await staffPage.click(".advance-confirm > summary");
  assert.match(await staffPage.locator(".advance-confirm .notice").textContent(), /طرح تازه‌ای پذیرفته نمی‌شود/);
  assert.ok(await staffPage.locator(".phase-proposals").first().isVisible(), "nothing moved on the first click");
  await staffPage.click("form.advance button[type=submit]");
  await staffPage.locator(".phase-review").first().waitFor({ timeout: 10_000 });
  const row = staffPage.locator(".proposal-row", { hasText: "کاشت درخت در خیابان" });
  // A refused decision is shown in its row, with the focus on the field it is about.
  await row.locator("form.accept input[name=cost]").fill("بسیار");
  await row.locator("form.accept button[type=submit]").click();
  await staffPage.locator(".proposal-row .review .error").waitFor({ timeout: 10_000 });
  const refusedRow = staffPage.locator(".proposal-row", { hasText: "کاشت درخت در خیابان" });
  assert.match(await refusedRow.locator(".review .error").textContent(), /مبلغی مثبت به تومان/);
  const errorId = await refusedRow.locator(".review .error").getAttribute("id");
  await staffPage.waitForFunction(
    (id) => document.activeElement?.getAttribute("aria-describedby") === id && document.activeElement.name === "cost",
    errorId,
    { timeout: 5_000 },
  );

  // A typo is corrected in the open: the proposal's page shows what changed.
  await staffPage.goto(proposalUrl);
  await staffPage.fill("#correct-title", "کاشت درخت در خیابان اصلی");
  await staffPage.click("#correct button[type=submit]");
  await staffPage.locator(".corrections del").waitFor({ timeout: 10_000 });
  assert.equal(await staffPage.locator(".corrections del").first().textContent(), "کاشت درخت در خیابان");

  await staffPage.goto(roundUrl.replace("/rounds/", "/office/rounds/"));
  const corrected = staffPage.locator(".proposal-row", { hasText: "کاشت درخت در خیابان اصلی" });
  await corrected.locator("form.accept input[name=cost]").fill("۲۵۰٬۰۰۰");
  await corrected.locator("form.accept button[type=submit]").click();
  await staffPage.locator(".proposal-row .status-accepted").waitFor({ timeout: 10_000 });
  await staffPage.screenshot({ path: join(screenshots, "review-fa.png"), fullPage: true });

  // Anyone, without JavaScript, sees the project and its official cost.
  const context = await platform.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(proposalUrl);
  assert.equal(await page.locator(".status").first().textContent(), "در برگهٔ رأی");
  assert.equal(await page.locator(".official-cost").textContent(), "۲۵۰٬۰۰۰ تومان");
  await page.goto(roundUrl + "?status=accepted");
  assert.equal(await page.locator(".proposal-row a").count(), 1);
  assert.equal(await page.locator(".proposal-row a").textContent(), "کاشت درخت در خیابان اصلی");

  // On the English page the Persian title keeps its own language and direction.
  await page.goto(platform.url + "/lang/en?back=" + encodeURIComponent(new URL(proposalUrl).pathname));
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator("h1").getAttribute("lang"), "fa");
  assert.equal(await page.locator("h1").getAttribute("dir"), "auto");
});
