// Starting a conversation in Chromium: with a person of the account (their chat opens, no second one),
// a LinkedIn profile link, a WhatsApp number; a simulator fault rolls the new chat back with the
// reason and gives the draft back; the dialog on a phone, in dark mode, without serious axe findings.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { newChat, openInbox, sim, unique } from "./helpers";

// Each test signs in, waits for a live inbox and goes through Unipile and its echo: slow on a busy machine.
test.describe.configure({ timeout: 150_000 });

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const dialog = (page: Page) => page.getByRole("dialog", { name: "New conversation" });

async function openDialog(page: Page, account: RegExp) {
  await page.getByRole("button", { name: /New conversation/ }).click();
  await expect(dialog(page)).toBeVisible();
  const select = dialog(page).getByLabel("Account");
  const value = await select.locator("option").filter({ hasText: account }).first().getAttribute("value");
  await select.selectOption(value!);
}

async function pickPerson(page: Page, typed: string, name: string) {
  await dialog(page).getByLabel("To").fill(typed);
  await dialog(page)
    .getByRole("list", { name: "People" })
    .getByRole("button", { name: new RegExp(escapeRegExp(name)) })
    .first()
    .click();
  await expect(dialog(page).getByTestId("picked-person")).toContainText(name);
}

async function send(page: Page, text: string) {
  await dialog(page).getByLabel("Message").fill(text);
  await dialog(page).getByRole("button", { name: "Send" }).click();
}

/** The open thread shows `text` once, sent (its echo matched, never a second bubble). */
async function expectSentOnce(page: Page, title: string, text: string) {
  await expect(page.getByTestId("thread-title")).toHaveText(title);
  const bubble = page.getByTestId("message").filter({ hasText: text });
  await expect(bubble.getByTestId("message-status")).toHaveText("Sent", { timeout: 20_000 });
  await expect(bubble).toHaveCount(1);
}

test("a person of the account: their existing chat opens with the message, and no second chat appears", async ({
  page,
  request,
}) => {
  await openInbox(page);
  const { name, row } = await newChat(page, request, { text: "Hi, it's me again" });
  await openDialog(page, /WhatsApp/);
  await pickPerson(page, name.split(" ")[1]!, name);
  const text = `Good to hear from you ${unique()}`;
  await send(page, text);
  await expectSentOnce(page, name, text);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(text);
});

test("a LinkedIn profile link is looked up, and the new chat is named after the person", async ({ page }) => {
  await openInbox(page);
  await openDialog(page, /LinkedIn/);
  await pickPerson(page, "https://www.linkedin.com/in/ines-carvalho-7a21b3/", "Inês Carvalho");
  const text = `Climbing on Saturday? ${unique()}`;
  await send(page, text);
  await expectSentOnce(page, "Inês Carvalho", text);
  await expect(page.getByTestId("chat-row").filter({ hasText: "Inês Carvalho" })).toHaveCount(1);
});

test("a WhatsApp number typed in international form starts a chat, pressing n opens the dialog", async ({ page }) => {
  await openInbox(page);
  await page.keyboard.press("Shift+N");
  await expect(dialog(page)).toBeVisible();
  const select = dialog(page).getByLabel("Account");
  await select.selectOption(
    (await select
      .locator("option")
      .filter({ hasText: /WhatsApp/ })
      .first()
      .getAttribute("value"))!,
  );
  const digits = `3361${Math.floor(1e6 + Math.random() * 8e6)}`;
  await pickPerson(page, `+${digits.slice(0, 2)} ${digits.slice(2)}`, `+${digits}`);
  const text = `Hello from Parley ${unique()}`;
  await send(page, text);
  await expectSentOnce(page, `+${digits}`, text);
});

test("a simulator fault shows the reason, removes the new chat and gives the draft back", async ({ page, request }) => {
  await openInbox(page);
  await sim(request, "/_sim/faults", { sendFailStatus: 503 });
  try {
    await openDialog(page, /WhatsApp/);
    const digits = `4479${Math.floor(1e6 + Math.random() * 8e6)}`;
    await pickPerson(page, `+${digits}`, `+${digits}`);
    const text = `Will this arrive ${unique()}`;
    await send(page, text);
    // Unipile's 503, in the sentence people see (lib/error-message.ts), in the dialog and a toast.
    await expect(dialog(page).getByRole("alert")).toContainText("The conversation could not be started. Unipile had a problem");
    await expect(dialog(page).getByLabel("Message")).toHaveValue(text);
    await expect(page.getByTestId("chat-row").filter({ hasText: `+${digits}` })).toHaveCount(0);
  } finally {
    await sim(request, "/_sim/faults", {});
  }
});

test.describe("on a phone in dark mode", () => {
  test.use({ viewport: { width: 375, height: 740 }, colorScheme: "dark" });

  test("the dialog fits, has an InMail subject on LinkedIn, and no serious axe violation", async ({ page }) => {
    await openInbox(page);
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await openDialog(page, /LinkedIn/);
    await dialog(page)
      .getByLabel(/Send as an InMail/)
      .check();
    await expect(dialog(page).getByLabel("Subject")).toBeVisible();
    await pickPerson(page, "linkedin.com/in/henrik-dahl-93c0", "Henrik Dahl");
    const box = (await dialog(page).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    const { violations } = await new AxeBuilder({ page })
      .include('[role="dialog"]')
      .withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"])
      .analyze();
    const serious = violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious).toEqual([]);
    await dialog(page).getByLabel("Subject").fill("Partnership");
    const text = `An InMail for Henrik ${unique()}`;
    await send(page, text);
    await expectSentOnce(page, "Henrik Dahl", text);
  });
});
