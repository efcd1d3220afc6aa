// Team notes end to end, with two people signed in in two browsers: a note written by one shows up
// live for the other while the simulator (Unipile) receives no request for it, an @mention notifies,
// a saved reply is inserted with its variables filled; after a reload, on a phone, in dark mode, axe.
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { addAgent, account, login, newChat, openInbox, sim, unique } from "./helpers";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  expect(serious, `${what}: serious or critical axe violations`).toEqual([]);
}

async function signedIn(browser: Browser, user: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, user);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  return { context, page };
}

/** Requests Unipile (the simulator) has received that change something: anything but GET. */
async function writesToUnipile(request: APIRequestContext) {
  const { requests } = await sim<{ requests: Record<string, number> }>(request, "/_sim/stats");
  return Object.entries(requests)
    .filter(([route]) => !route.startsWith("GET "))
    .reduce((sum, [, n]) => sum + n, 0);
}

// Two browsers, a build and a simulator share a small machine: these journeys get three minutes.
test.describe.configure({ timeout: 180_000 });

async function openChat(page: Page, name: string) {
  await page.getByTestId("chat-row").filter({ hasText: name }).first().click();
  await expect(page.getByTestId("thread-title")).toHaveText(name);
}

test("a note is seen live by a teammate, never reaches Unipile, and an @mention notifies them", async ({ page, request, browser }) => {
  await openInbox(page);
  const ben = await addAgent(page, request, { firstName: "Ben" });
  const chat = await newChat(page, request, { text: "Is my order on its way?", name: `Rosa ${unique()}` });
  await openChat(page, chat.name);

  const agent = await signedIn(browser, ben);
  await openChat(agent.page, chat.name);
  await expect(agent.page.getByTestId("mentions-badge")).toHaveCount(0);

  const writesBefore = await writesToUnipile(request);
  await page.getByRole("button", { name: "Note", exact: true }).click();
  await expect(page.getByTestId("note-mode")).toContainText("only your team sees this");
  const box = page.getByLabel("Internal note");
  await box.pressSequentially("Courier is late, @Be");
  // Walk to Ben with the arrows (other teammates may be called Be… too), then pick him with Enter.
  const option = page.getByTestId("picker-option").filter({ hasText: ben.name });
  await expect(option).toBeVisible();
  for (let i = 0; i < 10 && (await option.getAttribute("aria-selected")) !== "true"; i++) await box.press("ArrowDown");
  await box.press("Enter");
  await expect(box).toHaveValue(`Courier is late, @${ben.name} `);
  await box.pressSequentially("please call her back");
  await box.press("Enter");

  const text = `Courier is late, @${ben.name} please call her back`;
  await expect(page.getByTestId("note-text")).toHaveText(text);
  // The teammate sees it without reloading, as a note (not a message bubble), with the mention marked.
  const seen = agent.page.getByTestId("note").filter({ hasText: "Courier is late" });
  await expect(seen).toBeVisible();
  await expect(seen).toContainText("Demo Admin");
  await expect(seen.getByTestId("note-mention")).toHaveText(`@${ben.name}`);
  await expect(agent.page.getByTestId("message-text").filter({ hasText: "Courier is late" })).toHaveCount(0);
  await expect(agent.page.getByTestId("mentions-badge")).toHaveText("1");
  // Nothing was sent, marked or changed at Unipile for the note.
  expect(await writesToUnipile(request)).toBe(writesBefore);

  // The mention is listed; opening it goes to the chat and reads it.
  await agent.page.getByTestId("mentions-button").click();
  const item = agent.page.getByTestId("mention-item").filter({ hasText: "please call her back" });
  await expect(item).toContainText("Demo Admin");
  await expect(item).toContainText(chat.name);
  await item.click();
  await expect(agent.page.getByTestId("thread-title")).toHaveText(chat.name);
  await expect(agent.page.getByTestId("mentions-badge")).toHaveCount(0);

  // Both still see it after a reload.
  await agent.page.reload();
  await expect(agent.page.getByTestId("note-text")).toHaveText(text);
  await agent.context.close();
});

test("a saved reply is inserted from the composer with its variables filled for the chat", async ({ page, request, browser }) => {
  await openInbox(page);
  const cleo = await addAgent(page, request, { firstName: "Cleo" });
  const wa = await account(request, "WHATSAPP");
  const title = `Greeting ${unique()}`;
  await page.goto("/saved-replies");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Text").fill("Hi {{contact.first_name}}, {{me.first_name}} from {{account.name}} here about {{order.id}}");
  await expect(page.getByRole("form", { name: "Add a saved reply" }).getByRole("status")).toContainText("{{order.id}}");
  await page.getByLabel("The whole team (shared)").check();
  await page.getByRole("button", { name: "Add saved reply" }).click();
  await expect(page.getByTestId("saved-reply").filter({ hasText: title })).toContainText("Shared");

  await page.goto("/"); // newChat waits for the chat in the inbox list
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  const chat = await newChat(page, request, { text: "Hello?", name: `Maria ${unique()} Lopez` });
  const agent = await signedIn(browser, cleo);
  await openChat(agent.page, chat.name);
  const box = agent.page.getByLabel("Message", { exact: true });
  await box.pressSequentially(`/${title.split(" ")[0]!.slice(0, 5).toLowerCase()}`);
  const option = agent.page.getByRole("option", { name: new RegExp(title) });
  await expect(option).toBeVisible();
  await expect(option.getByTestId("picker-warning")).toHaveText(/Unknown variable: \{\{order\.id\}\}/);
  // Arrow keys move through the list; Esc closes it and leaves the text as typed.
  await box.press("Escape");
  await expect(option).toHaveCount(0);
  await box.press("Backspace");
  await expect(option).toBeVisible();
  await box.pressSequentially("t");
  await expect(option).toBeVisible();
  // Several saved replies may match "/greet": walk to ours with the arrows.
  for (let i = 0; i < 10 && (await option.getAttribute("aria-selected")) !== "true"; i++) await box.press("ArrowDown");
  await box.press("Enter");
  await expect(box).toHaveValue(`Hi Maria, Cleo from ${wa.name} here about {{order.id}}`);

  // The agent may use the shared reply but not change it.
  await agent.page.goto("/saved-replies");
  const row = agent.page.getByTestId("saved-reply").filter({ hasText: title });
  await expect(row).toBeVisible();
  await expect(row.getByRole("button", { name: `Edit ${title}` })).toHaveCount(0);
  await agent.context.close();
});

test.describe("on a phone in dark mode", () => {
  test.use({ viewport: { width: 375, height: 740 }, colorScheme: "dark" });

  test("n writes a note, the thread shows it, and the note, mentions and saved replies pass axe", async ({ page, request }) => {
    await openInbox(page);
    const chat = await newChat(page, request, { text: "Phone check", name: `Ines ${unique()}` });
    await openChat(page, chat.name);
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.getByTestId("thread-title").click(); // focus outside any text field
    await page.keyboard.press("n");
    const box = page.getByLabel("Internal note");
    await expect(box).toBeFocused();
    await box.pressSequentially("Checked on the phone");
    await box.press("Enter");
    await expect(page.getByTestId("note-text")).toHaveText("Checked on the phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page, "phone thread with a note, dark");

    await page.getByTestId("mentions-button").click();
    await expect(page.getByRole("heading", { name: "Mentions" })).toBeVisible();
    await expectAccessible(page, "mentions menu, dark");
    await page.keyboard.press("Escape");

    await page.goto("/saved-replies");
    await expect(page.getByRole("heading", { name: "Saved replies", level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page, "saved replies page, dark");
  });
});
