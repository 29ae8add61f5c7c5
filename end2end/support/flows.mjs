// Steps that several stories share, done in the browser as people do them.

import { hydrated } from "./platform.mjs";

export const PASSWORD = "a long password";

// The administrator (created with the command line) adds a staff account.
export async function createStaff(platform, login, district) {
  const admin = await (await platform.browser.newContext()).newPage();
  await platform.signIn(admin, "admin@tehran.ir", "admin password");
  await admin.waitForURL(/\/admin$/);
  await hydrated(admin);
  await admin.fill("#staff_login", login);
  await admin.fill("#staff_password", PASSWORD);
  await admin.selectOption("#district_id", { label: district });
  await admin.click("form:has(#staff_login) button[type=submit]");
  await admin.locator(".staff li", { hasText: login }).waitFor({ timeout: 10_000 });
  await admin.context().close();
}

// A page of its own, signed in.
export async function signedIn(platform, login, options = {}) {
  const page = await (await platform.browser.newContext(options)).newPage();
  await platform.signIn(page, login, PASSWORD);
  return page;
}

// Staff check an ID card and hand out a one-time code.
export async function issueCode(staffPage, platform, nationalCode, neighborhood) {
  await staffPage.goto(platform.url + "/office");
  await hydrated(staffPage);
  await staffPage.fill("#national_code", nationalCode);
  await staffPage.fill("#birth_year", "۱۳۷۰");
  await staffPage.selectOption("#neighborhood_id", { label: neighborhood });
  await staffPage.click("form:has(#national_code) button[type=submit]");
  const issued = staffPage.locator(".issued-code .code");
  await issued.waitFor({ timeout: 10_000 });
  return (await issued.textContent()).trim();
}

// A resident registers with a mobile number and redeems the office's code.
export async function registerVerified(platform, mobile, code) {
  const page = await (await platform.browser.newContext()).newPage();
  await page.goto(platform.url + "/register");
  await hydrated(page);
  await page.fill("#login", mobile);
  await page.fill("#password", PASSWORD);
  await page.fill("#password_confirm", PASSWORD);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(/\/account$/);
  await page.fill("#code", code);
  await page.click("form:has(#code) button[type=submit]");
  await page.locator(".verified").waitFor({ timeout: 10_000 });
  return page;
}

// The office moves its round one phase on, from the round's office page.
export async function advancePhase(staffPage, roundUrl, phase) {
  await staffPage.goto(roundUrl.replace("/rounds/", "/office/rounds/"));
  await hydrated(staffPage);
  await confirmMove(staffPage);
  await staffPage.locator(`.phase-${phase}`).first().waitFor({ timeout: 10_000 });
}

// A phase move is asked twice: the first click says what it freezes.
export async function confirmMove(staffPage) {
  await staffPage.click(".advance-confirm > summary");
  await staffPage.click("form.advance button[type=submit]");
}

// Staff open a round with the given ballot rule (approval unless named) and
// start taking proposals; returns the round's public address.
export async function createRound(staffPage, platform, { titleFa, titleEn, budget, k, rule = "approval" }) {
  await staffPage.goto(platform.url + "/office/rounds");
  await hydrated(staffPage);
  await staffPage.fill("#title_fa", titleFa);
  await staffPage.fill("#title_en", titleEn);
  await staffPage.fill("#budget", budget);
  await staffPage.selectOption("#ballot_rule", rule);
  await staffPage.fill("#ballot_param", k ?? "");
  await staffPage.click("form:has(#title_fa) button[type=submit]");
  await staffPage.waitForURL(/\/office\/rounds\/\d+$/, { timeout: 10_000 });
  const roundUrl = staffPage.url().replace("/office/rounds/", "/rounds/");
  await advancePhase(staffPage, roundUrl, "proposals");
  return roundUrl;
}

// Staff of District 1 open an approval round of `k` projects and start taking
// proposals; returns their signed-in page and the round's public address.
export async function openRound(platform, round) {
  await createStaff(platform, "office1@tehran.ir", "منطقه ۱");
  const staffPage = await signedIn(platform, "office1@tehran.ir");
  await staffPage.waitForURL(/\/office$/);
  const roundUrl = await createRound(staffPage, platform, round);
  return { staffPage, roundUrl };
}

// A verified resident proposes a project to the round at `roundUrl`.
export async function propose(page, roundUrl, { title, description, neighborhood }) {
  await page.goto(roundUrl);
  await hydrated(page);
  await page.fill("#title", title);
  await page.fill("#description", description);
  await page.selectOption("#neighborhood_id", { label: neighborhood });
  await page.click("form:has(#title) button[type=submit]");
  await page.waitForURL(/\/proposals\/\d+$/, { timeout: 10_000 });
}
