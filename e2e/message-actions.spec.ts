// Acting on messages in Chromium: react (quick and from the picker), remove our reaction, edit and
// delete our own message, forward it to another chat; each still so after a reload. A simulator fault
// for each shows the error and puts the message back. On a phone, in dark mode: the menu opens by
// tap and by long press, fits the screen and passes axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { newChat, openInbox, sim } from "./helpers";

// Long flows on a shared, busy machine: each reload waits for the whole inbox again.
test.describe.configure({ timeout: 240_000 });

const composer = (page: Page) => page.getByLabel("Message", { exact: true });
const bubbleWith = (page: Page, text: string) =>
  page.getByTestId("message").filter({ has: page.getByTestId("message-text").getByText(text, { exact: true }) });
const menuFor = (message: Locator) => message.getByTestId("message-actions");
const item = (page: Page, name: string) => page.getByRole("menuitem", { name });

async function openChat(page: Page, row: Locator, name: string) {
  await row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(name);
}

async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await expect(bubbleWith(page, text).getByTestId("message-status")).toHaveText(/Sent|Delivered|Seen/);
}

/** Reloads and waits for the thread to show `text` again. */
async function reload(page: Page, name: string, text: string) {
  await page.reload();
  await expect(page.getByTestId("thread-title")).toHaveText(name);
  await expect(page.getByTestId("message-text").getByText(text, { exact: true }).first()).toBeVisible();
}

test("react, remove, pick, edit, forward and delete, each kept after a reload", async ({ page, request }) => {
  await openInbox(page);
  const target = await newChat(page, request, { text: "Forward things here" });
  const chat = await newChat(page, request, { text: "Pick a time?" });
  await openChat(page, chat.row, chat.name);
  const theirs = bubbleWith(page, "Pick a time?");

  await menuFor(theirs).click();
  await item(page, "React with 👍").click();
  await expect(theirs.getByTestId("reaction")).toHaveText("👍");
  await reload(page, chat.name, "Pick a time?");
  await expect(theirs.getByTestId("reaction")).toHaveText("👍");

  await menuFor(theirs).click();
  await item(page, "Remove my reaction").click();
  await expect(theirs.getByTestId("reaction")).toHaveCount(0);

  await menuFor(theirs).click();
  await item(page, "More reactions").click();
  await page.getByRole("dialog", { name: "Pick a reaction" }).getByRole("button", { name: "React with 🔥" }).click();
  await expect(theirs.getByTestId("reaction")).toHaveText("🔥");
  await reload(page, chat.name, "Pick a time?");
  await expect(theirs.getByTestId("reaction")).toHaveText("🔥");

  await send(page, "Meet at 9");
  await menuFor(bubbleWith(page, "Meet at 9")).click();
  await item(page, "Edit").click();
  const editor = page.getByLabel("Edit message");
  await editor.fill("Meet at 10");
  await editor.press("Enter");
  const mine = bubbleWith(page, "Meet at 10");
  await expect(mine.getByRole("button", { name: "edited" })).toBeVisible();
  await reload(page, chat.name, "Meet at 10");
  await expect(mine.getByRole("button", { name: "edited" })).toBeVisible();
  await expect(bubbleWith(page, "Meet at 9")).toHaveCount(0);

  await menuFor(mine).click();
  await item(page, "Forward…").click();
  const dialog = page.getByRole("dialog", { name: "Forward message" });
  await dialog.getByLabel("Search chats").fill(target.name);
  await dialog.getByRole("button", { name: target.name }).click();
  await expect(page.getByText(`Forwarded to ${target.name}`)).toBeVisible();
  await expect(dialog).toBeHidden();

  await menuFor(mine).click();
  await item(page, "Delete for everyone").click();
  await expect(page.getByTestId("message-deleted")).toHaveCount(1);
  await expect(bubbleWith(page, "Meet at 10")).toHaveCount(0);
  await reload(page, chat.name, "Pick a time?");
  await expect(page.getByTestId("message-deleted")).toHaveCount(1);

  // The copy arrived in the other chat (by its echo) as our own message, once.
  await openChat(page, target.row, target.name);
  await expect(bubbleWith(page, "Meet at 10")).toHaveCount(1);
  await expect(bubbleWith(page, "Meet at 10").getByTestId("message-status")).toHaveText(/Sent|Delivered|Seen/);
});

test("a Unipile fault on each action shows why and puts the message back", async ({ page, request }) => {
  await openInbox(page);
  const target = await newChat(page, request, { text: "Another chat" });
  const chat = await newChat(page, request, { text: "Are you coming?" });
  await openChat(page, chat.row, chat.name);
  await send(page, "On my way");
  const theirs = bubbleWith(page, "Are you coming?");
  const mine = bubbleWith(page, "On my way");

  await sim(request, "/_sim/faults", { actionFailStatus: 422 });
  try {
    const refused = (what: string) =>
      page.getByText(`${what} did not work. Unipile refused it: Injected failure of a message action.`).last();

    await menuFor(theirs).click();
    await item(page, "React with 😂").click();
    await expect(refused("The reaction")).toBeVisible();
    await expect(theirs.getByTestId("reaction")).toHaveCount(0);

    await menuFor(mine).click();
    await item(page, "Edit").click();
    await page.getByLabel("Edit message").fill("Not coming");
    await page.getByLabel("Edit message").press("Enter");
    await expect(refused("The edit")).toBeVisible();
    await expect(mine).toBeVisible();
    await expect(mine.getByRole("button", { name: "edited" })).toHaveCount(0);

    await menuFor(mine).click();
    await item(page, "Delete for everyone").click();
    await expect(refused("Deleting")).toBeVisible();
    await expect(mine).toBeVisible();
    await expect(page.getByTestId("message-deleted")).toHaveCount(0);

    await menuFor(mine).click();
    await item(page, "Forward…").click();
    const dialog = page.getByRole("dialog", { name: "Forward message" });
    await dialog.getByLabel("Search chats").fill(target.name);
    await dialog.getByRole("button", { name: target.name }).click();
    await expect(refused("Forwarding")).toBeVisible();
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
  } finally {
    await sim(request, "/_sim/faults", {});
  }
  await reload(page, chat.name, "On my way");
  await expect(theirs.getByTestId("reaction")).toHaveCount(0);
  await expect(mine.getByRole("button", { name: "edited" })).toHaveCount(0);
  await openChat(page, target.row, target.name);
  await expect(bubbleWith(page, "On my way")).toHaveCount(0);
});

test.describe("on a phone in dark mode", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true, colorScheme: "dark" });

  test("the menu opens by tap and by long press, fits the screen and passes axe", async ({ page, request }) => {
    await openInbox(page);
    const chat = await newChat(page, request, { text: "Long press me" });
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await openChat(page, chat.row, chat.name);
    const theirs = bubbleWith(page, "Long press me");

    await menuFor(theirs).tap();
    const menu = page.getByRole("menu");
    await expect(menu).toBeVisible();
    const box = (await menu.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]).analyze();
    expect(
      violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    ).toEqual([]);
    await item(page, "React with ❤️").tap();
    await expect(theirs.getByTestId("reaction")).toHaveText("❤️");
    await expect(menu).toBeHidden();

    // A long press on the bubble (a touch held down) opens the same menu.
    await theirs.getByTestId("bubble").dispatchEvent("pointerdown", { pointerType: "touch", isPrimary: true });
    await expect(menu).toBeVisible();
    await item(page, "Remove my reaction").tap();
    await expect(theirs.getByTestId("reaction")).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
