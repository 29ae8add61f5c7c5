// The verification story from the demo, all in the browser: an administrator
// (created on the command line) creates a staff account, staff hand out a
// one-time code, and a resident registers, signs in and redeems it, with
// JavaScript and without.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { platformWithAdmin, screenshots, hydrated } from "../support/platform.mjs";
import { issueCode as issueCodeAt } from "../support/flows.mjs";

const platform = platformWithAdmin();

const PASSWORD = "a long password";

// Staff of District 1 issue a code for a national code in Niavaran.
async function issueCode(staffPage, nationalCode) {
  const code = await issueCodeAt(staffPage, platform, nationalCode, "نیاوران");
  assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  return code;
}

let staffPage;

test("an administrator creates a staff account for District 1", async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await platform.signIn(page, "admin@tehran.ir", "admin password");
  await page.waitForURL(/\/admin$/);
  await hydrated(page);
  await page.fill("#staff_login", "office1@tehran.ir");
  await page.fill("#staff_password", PASSWORD);
  await page.selectOption("#district_id", { label: "منطقه ۱" });
  await page.click("text=ساخت حساب کارمند");
  await page.locator(".staff li", { hasText: "office1@tehran.ir" }).waitFor({ timeout: 10_000 });
  assert.match(await page.locator(".staff-created").textContent(), /حساب کارمند ساخته شد/);
  assert.ok(await page.locator(".audit td", { hasText: "حساب کارمند ساخته شد" }).count() >= 1, "audit-logged in Persian");
  await page.screenshot({ path: join(screenshots, "admin-fa.png"), fullPage: true });

  const staffContext = await platform.browser.newContext();
  staffPage = await staffContext.newPage();
  await platform.signIn(staffPage, "office1@tehran.ir", PASSWORD);
  await staffPage.waitForURL(/\/office$/);
  assert.equal(await staffPage.locator("h1").textContent(), "دفتر منطقه ۱");
});

test("a resident registers, redeems the office's code and is a verified resident of Niavaran", async () => {
  const code = await issueCode(staffPage, "۰۴۹۹۳۷۰۸۹۹");
  await staffPage.screenshot({ path: join(screenshots, "office-fa.png"), fullPage: true });
  // At a public counter the next person sees neither the last one's details
  // nor, once the worker closes it, their code.
  assert.equal(await staffPage.inputValue("#national_code"), "");
  assert.equal(await staffPage.inputValue("#birth_year"), "");
  await staffPage.click(".issued-code a.close-code");
  await staffPage.waitForURL(/\/office$/);
  await hydrated(staffPage);
  assert.equal(await staffPage.locator(".issued-code").count(), 0, "closed, and not shown again");

  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(platform.url + "/register");
  await hydrated(page);
  await page.fill("#login", "۰۹۱۲۱۲۳۴۵۶۷");
  await page.fill("#password", PASSWORD);
  await page.fill("#password_confirm", PASSWORD);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(/\/account$/);
  await page.locator(".unverified").waitFor();

  await page.fill("#code", "ZZZZ-ZZZZ");
  await page.click("form:has(#code) button");
  const error = page.locator("form:has(#code) .error");
  await error.waitFor({ timeout: 10_000 });
  assert.equal(await error.textContent(), "این کد ناشناخته، مصرف‌شده یا منقضی است.");

  await page.fill("#code", code.toLowerCase());
  await page.click("form:has(#code) button");
  const verified = page.locator(".verified");
  await verified.waitFor({ timeout: 10_000 });
  assert.equal(await verified.textContent(), "ساکن تأییدشدهٔ محلهٔ نیاوران، منطقه ۱");
  await page.screenshot({ path: join(screenshots, "verified-fa.png"), fullPage: true });

  // Signing in again, elsewhere, the verification is there.
  const other = await (await platform.browser.newContext()).newPage();
  await platform.signIn(other, "09121234567", PASSWORD);
  await other.waitForURL(/\/account$/);
  assert.equal(await other.locator(".verified").textContent(), "ساکن تأییدشدهٔ محلهٔ نیاوران، منطقه ۱");

  // The desk is told at once that this person needs no new code.
  await staffPage.goto(platform.url + "/office");
  await hydrated(staffPage);
  await staffPage.fill("#national_code", "۰۴۹۹۳۷۰۸۹۹");
  await staffPage.fill("#birth_year", "۱۳۷۰");
  await staffPage.click("form:has(#national_code) button[type=submit]");
  const refused = staffPage.locator("form:has(#national_code) .error");
  await refused.waitFor({ timeout: 10_000 });
  assert.match(await refused.textContent(), /پیش‌تر روی یک حساب تأیید شده است/);
  assert.equal(await staffPage.locator(".issued-code").count(), 0, "no code was issued");

  // On a phone the office finds the resident by part of the number, in Persian
  // digits, and their Move and Revoke buttons are on the screen, not beside it.
  const phone = await (await platform.browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await platform.signIn(phone, "office1@tehran.ir", PASSWORD);
  await phone.waitForURL(/\/office$/);
  await phone.fill("form[role=search] input[name=q]", "۱۲۳۴۵۶۷");
  await phone.click("form[role=search] button[type=submit]");
  await phone.waitForURL(/q=/);
  const rows = phone.locator("table.residents tbody tr");
  assert.equal(await rows.count(), 1, "one resident matches");
  assert.match(await rows.first().textContent(), /۰۹۱۲۱۲۳۴۵۶۷/, "the number in Persian digits");
  for (const name of ["جابه‌جایی", "لغو تأیید"]) {
    const box = await rows.first().getByRole("button", { name }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name} is on the screen: ${JSON.stringify(box)}`);
  }
  await phone.screenshot({ path: join(screenshots, "office-residents-phone-fa.png"), fullPage: true });
});

test("without JavaScript: register, errors are explained in Persian, a code verifies", async () => {
  const code = await issueCode(staffPage, "0013542419");
  const context = await platform.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const register = async (confirmation) => {
    await page.fill("#login", "reza@example.ir");
    await page.fill("#password", PASSWORD);
    await page.fill("#password_confirm", confirmation);
    await page.click("form.stack button[type=submit]");
    await page.waitForLoadState();
  };
  await page.goto(platform.url + "/register");
  await register("a different password");
  assert.equal(await page.locator("form .error").textContent(), "دو گذرواژه یکسان نیستند.");
  await register(PASSWORD);
  await page.waitForURL(/\/account$/);

  await page.fill("#national_code", "0013542418");
  await page.fill("#birth_year", "1365");
  await page.click("form:has(#national_code) button");
  await page.waitForLoadState();
  assert.equal(
    await page.locator("form:has(#national_code) .error").textContent(),
    "این کد ملی معتبر نیست؛ رقم‌ها را بررسی کنید.",
  );

  await page.fill("#code", code);
  await page.click("form:has(#code) button");
  await page.waitForLoadState();
  assert.equal(await page.locator(".verified").textContent(), "ساکن تأییدشدهٔ محلهٔ نیاوران، منطقه ۱");
  await page.screenshot({ path: join(screenshots, "verified-nojs-fa.png"), fullPage: true });
});
