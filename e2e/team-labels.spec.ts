// Labels and the contact panel in Chromium against the real app and simulator: an admin creates a
// label, labels two chats (key l and the header button), the label filter shows only them (also after
// a reload), and the contact panel of one chat lists the person's other chat once they are linked as
// the same person; then on a phone in dark mode, with axe.
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { account, openInbox, sim, unique } from "./helpers";

/** A new 1:1 chat from the simulator; the page is reloaded to list it (live arrival is realtime's test, not this one's). */
async function newChat(page: Page, request: APIRequestContext, opts: { text: string; type?: string; name: string }) {
  const acc = await account(request, opts.type ?? "WHATSAPP");
  await sim(request, "/_sim/inbound", { account_id: acc.id, text: opts.text, sender_name: opts.name });
  // The same person may have a chat on another app too: the row is the one with this message.
  const row = page.getByTestId("chat-row").filter({ hasText: opts.name }).filter({ hasText: opts.text });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  return { row };
}

test.setTimeout(180_000);

async function noSeriousAxe(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  expect(serious, `${what}: serious axe violations`).toEqual([]);
}

async function pickLabel(page: Page, name: string) {
  const dialog = page.getByRole("dialog", { name: "Labels" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(name).check();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
}

test("labels, the label filter and the contact panel's other chat", async ({ page, request }) => {
  await openInbox(page);
  const who = `Nora ${unique()}`;
  const wa = await newChat(page, request, { text: "Hello on WhatsApp", type: "WHATSAPP", name: who });
  const tg = await newChat(page, request, { text: "Hello on Telegram", type: "TELEGRAM", name: who });

  // An admin creates the label on the Labels page, linked from the header.
  const label = `VIP ${unique()}`;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Labels" }).click();
  await page.getByLabel("New label", { exact: true }).fill(label);
  await page.getByLabel("Colour of the new label").selectOption("purple");
  await page.getByRole("button", { name: "Create label" }).click();
  await expect(page.getByTestId("label-row").filter({ hasText: label })).toBeVisible();
  await noSeriousAxe(page, "labels page");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();

  // The WhatsApp chat from the keyboard, the Telegram chat from the header button.
  await wa.row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(who);
  await expect(page.getByTestId("thread-subtitle")).toContainText("WhatsApp");
  await page.getByTestId("thread-title").click();
  await page.keyboard.press("l");
  await pickLabel(page, label);
  await expect(wa.row.getByTestId("label-chip")).toHaveText(label);
  await tg.row.click();
  await expect(page.getByTestId("thread-subtitle")).toContainText("Telegram");
  await page.getByRole("button", { name: "Labels", exact: true }).click();
  await pickLabel(page, label);
  await expect(tg.row.getByTestId("label-chip")).toHaveText(label);
  await expect(page.locator("header").getByTestId("label-chip")).toHaveText(label);

  // The filter shows exactly the two labelled chats, and still does after a reload (it is in the URL).
  await page.getByLabel("Label", { exact: true }).selectOption({ label });
  const rows = page.getByTestId("chat-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: who })).toHaveCount(2);
  await page.reload();
  await expect(rows).toHaveCount(2);
  await expect(page.getByLabel("Label", { exact: true })).toHaveValue(/.+/);

  // The contact panel: link the Telegram person as the same person, and their chat is listed.
  await wa.row.click();
  await expect(page.getByTestId("thread-subtitle")).toContainText("WhatsApp");
  await page.getByRole("button", { name: "Contact panel" }).click();
  const panel = page.getByTestId("contact-panel");
  await expect(panel.getByTestId("contact-name")).toHaveText(who);
  await expect(panel.getByText("No other chat with this person.")).toBeVisible();
  await panel.getByLabel("Find a person to link").fill(who);
  await panel.getByRole("list", { name: "People to link" }).getByRole("button").filter({ hasText: "Telegram" }).click();
  await expect(panel.getByTestId("contact-other-chats")).toContainText("Telegram");
  await expect(panel.getByRole("list", { name: "Linked people" })).toContainText(who);
  await page.reload();
  await expect(panel.getByTestId("contact-other-chats")).toContainText("Telegram");
  await expect(panel.getByTestId("label-chip")).toHaveText(label);
  // Opening the other chat from the panel.
  await panel.getByTestId("contact-other-chats").getByRole("button").click();
  await expect(page.getByTestId("thread-subtitle")).toContainText("Telegram");
  await noSeriousAxe(page, "inbox with the contact panel");
});

test.describe("phone, dark", () => {
  test.use({ viewport: { width: 375, height: 740 }, colorScheme: "dark" });

  test("the contact panel is a sheet over the thread, and labels read in dark mode", async ({ page, request }) => {
    await openInbox(page);
    const who = `Ines ${unique()}`;
    const chat = await newChat(page, request, { text: "Hi from a phone", name: who });
    await chat.row.click();
    await expect(page.getByTestId("thread-title")).toHaveText(who);
    // The header keeps its room for the name: the contact panel, labels and read state are in its menu.
    // (Its own width is its text's, which varies with the random name; the column it may grow into does not.)
    const room = await page.getByTestId("thread-title").evaluate((el) => ({
      whole: el.scrollWidth <= el.clientWidth,
      column: el.parentElement!.parentElement!.getBoundingClientRect().width,
    }));
    expect(room).toEqual({ whole: true, column: expect.any(Number) });
    expect(room.column).toBeGreaterThan(150);
    await expect(page.getByRole("button", { name: "Contact panel" })).toBeHidden();
    await page.getByRole("button", { name: "Chat actions" }).click();
    // Opening the chat may already have read it: either way the read toggle is in the menu.
    await expect(page.getByRole("menuitem", { name: /^Mark as (un)?read$/ })).toBeVisible();
    await page.getByRole("menuitem", { name: "Contact panel" }).click();
    const panel = page.getByTestId("contact-panel");
    await expect(panel.getByTestId("contact-name")).toHaveText(who);
    const box = await panel.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(370);
    await noSeriousAxe(page, "contact panel on a phone in dark mode");
    await panel.getByRole("button", { name: "Close the contact panel" }).click();
    await expect(panel).toBeHidden();
    await page.getByRole("button", { name: "Chat actions" }).click();
    await page.getByRole("menuitem", { name: "Labels" }).click();
    await expect(page.getByRole("dialog", { name: "Labels" })).toBeVisible();
    // Focus is in the dialog (not back on the menu button): typing filters the labels.
    await expect(page.getByLabel("Filter labels")).toBeFocused();
    await noSeriousAxe(page, "label picker on a phone in dark mode");
  });
});
