// Archive, pin and mute in Chromium against the simulator: optimistic, rolled back with a clear error
// when Unipile fails, kept after a reload, and a change made on the phone (no webhook in v1) shows
// after a sync; on a phone, in dark mode, with no serious axe violation while the menu is open.
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { newChat, openInbox, sim, simApi } from "./helpers";

// Each test signs in, makes chats and waits out Unipile's retries: more than the default minute on a busy machine.
test.describe.configure({ timeout: 180_000 });

test.afterEach(async ({ request }) => {
  await sim(request, "/_sim/faults", {});
});

type SimChat = { archived: number; pinned: number; muted_until: number | string | null };
const simChat = (request: APIRequestContext, id: string) => simApi<SimChat>(request, `/chats/${id}`);

async function rowMenu(page: Page, row: Locator, name: string, item: string) {
  await row.hover();
  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

/** Row names in the list, top first (the list is virtualised: the top rows are in the DOM). */
async function order(page: Page) {
  return page.getByTestId("chat-name").allTextContents();
}

test("archive: a Unipile fault rolls back with a clear error; then it moves to the Archived view, also after a reload, and back", async ({ page, request }) => {
  await openInbox(page);
  const { row, name, chat_id } = await newChat(page, request, { text: "archive me" });
  await row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(name);

  await sim(request, "/_sim/faults", { chatActionFailStatus: 503 });
  await page.getByRole("button", { name: "Chat actions" }).click();
  await page.getByRole("menuitem", { name: "Archive" }).click();
  // At once, before Unipile answered; then put back with the reason.
  await expect(row).toBeHidden();
  await expect(page.getByText("Could not archive this chat. Unipile had a problem. Try again in a moment.")).toBeVisible();
  await expect(row).toBeVisible();
  await expect(page.getByTestId("thread-subtitle")).not.toContainText("Archived");
  expect((await simChat(request, chat_id)).archived).toBe(0);

  await sim(request, "/_sim/faults", {});
  await page.keyboard.press("y");
  await expect(page.getByText("Chat archived")).toBeVisible();
  await expect(row).toBeHidden();
  await expect(page.getByTestId("thread-subtitle")).toContainText("Archived");
  await expect.poll(async () => (await simChat(request, chat_id)).archived).toBe(1);

  await page.getByTestId("archived-view").click();
  await expect(page).toHaveURL(/archived=1/);
  await expect(row).toBeVisible();
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByTestId("thread-subtitle")).toContainText("Archived");

  await rowMenu(page, row, name, "Move to inbox");
  await expect(row).toBeHidden();
  await expect.poll(async () => (await simChat(request, chat_id)).archived).toBe(0);
  await page.getByTestId("archived-view").click();
  await expect(row).toBeVisible();
});

test("pin: a fault puts the chat back in its place; pinned it comes before newer chats, after a reload too; p unpins", async ({ page, request }) => {
  await openInbox(page);
  const older = await newChat(page, request, { text: "pin me" });
  const newer = await newChat(page, request, { text: "I am newer" });
  const before = await order(page);
  expect(before.indexOf(newer.name)).toBeGreaterThanOrEqual(0);
  expect(before.indexOf(newer.name)).toBeLessThan(before.indexOf(older.name));
  const wasAt = before.indexOf(older.name);

  await sim(request, "/_sim/faults", { chatActionFailStatus: 503 });
  await rowMenu(page, older.row, older.name, "Pin to top");
  await expect(page.getByText("Could not pin this chat. Unipile had a problem. Try again in a moment.")).toBeVisible();
  await expect(older.row.getByTestId("pinned-icon")).toHaveCount(0);
  await expect.poll(async () => (await order(page)).indexOf(older.name)).toBe(wasAt);
  expect((await simChat(request, older.chat_id)).pinned).toBe(0);

  await sim(request, "/_sim/faults", {});
  await rowMenu(page, older.row, older.name, "Pin to top");
  await expect(page.getByText("Chat pinned")).toBeVisible();
  await expect(older.row.getByTestId("pinned-icon")).toBeVisible();
  await expect.poll(async () => (await order(page)).indexOf(older.name) < (await order(page)).indexOf(newer.name)).toBe(true);
  await expect.poll(async () => (await simChat(request, older.chat_id)).pinned).toBe(1);

  await page.reload();
  await expect(older.row.getByTestId("pinned-icon")).toBeVisible();
  const after = await order(page);
  expect(after.indexOf(older.name)).toBeLessThan(after.indexOf(newer.name));

  await older.row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(older.name);
  await page.keyboard.press("p");
  await expect(page.getByText("Chat unpinned")).toBeVisible();
  await expect(older.row.getByTestId("pinned-icon")).toHaveCount(0);
  await expect.poll(async () => (await simChat(request, older.chat_id)).pinned).toBe(0);
});

test("archived, pinned and muted on the phone (no webhook) show up after the chat syncs", async ({ page, request }) => {
  await openInbox(page);
  const { row, name, chat_id } = await newChat(page, request, { text: "changed elsewhere" });
  await row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(name);
  await sim(request, "/_sim/chat-state", { chat_id, pinned: 1, muted_until: -1 });
  await page.getByRole("button", { name: "Resync this chat" }).click();
  // The sync's chat.updated reaches the open page: the row and the header change without a reload.
  await expect(row.getByTestId("pinned-icon")).toBeVisible({ timeout: 30_000 });
  await expect(row.getByTestId("muted-icon")).toBeVisible();
  await expect(page.locator("header").getByTestId("muted-icon")).toBeVisible();
  await expect(page.getByTestId("complete-through")).toBeVisible();

  await sim(request, "/_sim/chat-state", { chat_id, archived: 1 });
  await page.getByRole("button", { name: "Resync this chat" }).click();
  await expect(row).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId("thread-subtitle")).toContainText("Archived");
});

test.describe("on a phone in dark mode", () => {
  test.use({ colorScheme: "dark", viewport: { width: 375, height: 740 } });

  test("the header menu mutes for 8 hours, the list shows it, and nothing is seriously inaccessible", async ({ page, request }) => {
    await openInbox(page);
    const { row, name, chat_id } = await newChat(page, request, { text: "mute me on the phone" });
    await row.click();
    await expect(page.getByTestId("thread-title")).toHaveText(name);
    await page.getByRole("button", { name: "Chat actions" }).click();
    await expect(page.getByRole("menuitem", { name: "Mute for 8 hours" })).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.getByRole("menuitem", { name: "Mute for 8 hours" }).click();
    await expect(page.getByText("Chat muted")).toBeVisible();
    await expect(page.locator("header").getByTestId("muted-icon")).toBeVisible();
    const muted = await simChat(request, chat_id);
    expect(typeof muted.muted_until).toBe("string");
    expect(Date.parse(muted.muted_until as string) - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
    await page.getByRole("link", { name: "Back to chats" }).click();
    await expect(row.getByTestId("muted-icon")).toBeVisible();
    // Dark mode really is on.
    await expect(page.locator("html")).toHaveClass(/dark/);
  });
});
