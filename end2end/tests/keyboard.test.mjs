// With the keyboard alone, a resident casts a ballot of each rule (approval,
// knapsack, cumulative): Tab to each choice, Space or digits to choose, Enter
// to cast. Every element the focus lands on shows that it has it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { platformWithAdmin, hydrated } from "../support/platform.mjs";
import { createStaff, signedIn, issueCode, registerVerified, advancePhase, createRound, propose } from "../support/flows.mjs";

const platform = platformWithAdmin();

const TITLES = ["آب‌نمای میدان", "دوچرخه‌راه محله"];
// Each rule, and what its meter says once both projects are chosen.
const ROUNDS = [
  { rule: "approval", k: "۲", titleEn: "Approval ballot", left: "می‌توانید ۰ طرح دیگر انتخاب کنید." },
  { rule: "knapsack", titleEn: "Knapsack ballot", left: /^بودجهٔ باقی‌مانده: ۱۰۰٬۰۰۰ / },
  { rule: "cumulative", k: "۵", titleEn: "Cumulative ballot", left: "امتیاز باقی‌مانده: ۰" },
];

let staffPage;
let resident;

test("an office opens one round of each ballot rule, with two projects each", async () => {
  await createStaff(platform, "office1@tehran.ir", "منطقه ۱");
  staffPage = await signedIn(platform, "office1@tehran.ir");
  await staffPage.waitForURL(/\/office$/);
  const code = await issueCode(staffPage, platform, "۰۴۹۹۳۷۰۸۹۹", "نیاوران");
  resident = await registerVerified(platform, "09121234567", code);
  for (const round of ROUNDS) {
    round.url = await createRound(staffPage, platform, {
      titleFa: `دورهٔ ${round.rule}`,
      titleEn: round.titleEn,
      budget: "۵۰۰٬۰۰۰",
      k: round.k,
      rule: round.rule,
    });
    for (const title of TITLES) {
      const description = "طرحی که اهالی نیاوران سال‌هاست می‌خواهند.";
      await propose(resident, round.url, { title, description, neighborhood: "نیاوران" });
    }
    await advancePhase(staffPage, round.url, "review");
    for (let i = 0; i < TITLES.length; i++) {
      await staffPage.locator("form.accept input[name=cost]").nth(i).fill("۲۰۰٬۰۰۰");
      await staffPage.locator("form.accept button[type=submit]").nth(i).click();
      await staffPage.locator(".proposal-row .status-accepted").nth(i).waitFor({ timeout: 10_000 });
    }
    await advancePhase(staffPage, round.url, "voting");
  }
});

// Presses Tab until the focus is on `selector`; fails if it lands anywhere
// without a visible focus mark on the way.
async function tabTo(page, selector) {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate((wanted) => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        at: el.outerHTML.slice(0, 80),
        visible: el.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        there: el.matches(wanted),
      };
    }, selector);
    assert.ok(focus.visible, `the focus is visible on ${focus.at}`);
    if (focus.there) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

for (const round of ROUNDS) {
  test(`a ${round.rule} ballot is cast with the keyboard alone`, async () => {
    const page = resident;
    await page.goto(round.url + "/ballot");
    await hydrated(page);
    const choices = page.locator("form.ballot .ballot-project input");
    for (let i = 0; i < TITLES.length; i++) {
      await tabTo(page, `form.ballot .ballot-project:nth-child(${i + 1}) input`);
      if (round.rule === "cumulative") {
        await page.keyboard.type(i === 0 ? "3" : "2");
      } else {
        await page.keyboard.press("Space");
      }
    }
    if (round.rule === "cumulative") {
      assert.deepEqual(await choices.evaluateAll((inputs) => inputs.map((i) => i.value)), ["3", "2"]);
    } else {
      assert.deepEqual(await choices.evaluateAll((inputs) => inputs.map((i) => i.checked)), [true, true]);
    }
    const meter = await page.locator(".meter").textContent();
    if (typeof round.left === "string") assert.equal(meter, round.left, "the meter counted what the keyboard chose");
    else assert.match(meter, round.left, "the meter counted what the keyboard chose");
    await tabTo(page, "form.ballot button[type=submit]");
    await page.keyboard.press("Enter");
    await page.locator(".receipt .success").waitFor({ timeout: 10_000 });
    assert.equal(await page.locator(".my-choices li").count(), 2);
  });
}
