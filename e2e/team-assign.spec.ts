// Team work with two people signed in at once (two browser contexts): the admin assigns a chat to an
// agent, who sees it in Mine without reloading; Done takes it out of Open and the person's next
// message (from the simulator) brings it back; a 3-second snooze hides it and it wakes by itself.
// Then bulk actions (done, assign, mark read, label, snooze), the keyboard, a phone in dark mode, and axe
// on the new controls.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { addAgent, login, newChat, openInbox, sim, simApi, unique } from "./helpers";

async function signedIn(browser: Browser, user: { email: string; password: string }, path: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, user);
  await page.goto(path);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  return { context, page };
}

// Two signed-in browsers, several new chats and a snooze that must pass: more than the default minute
// on a loaded machine.
test.describe.configure({ timeout: 240_000 });

const rowOf = (page: Page, name: string) => page.getByTestId("chat-row").filter({ hasText: name });

/** "YYYY-MM-DDTHH:MM:SS" in the browser's own time zone, `ms` from now. */
const localInput = (page: Page, ms: number) =>
  page.evaluate((ms) => {
    const d = new Date(Date.now() + ms);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, ms);

test("assigned, done, reopened by the person, snoozed for seconds: live for the teammate", async ({ page, browser, request }) => {
  await openInbox(page);
  const agent = await addAgent(page, request, { firstName: "Ben" });
  const ben = await signedIn(browser, agent, "/?assignee=me");
  await expect(ben.page.getByText("No chats in this view")).toBeVisible();

  // The admin assigns a new chat to Ben from the thread's work bar.
  const chat = await newChat(page, request, { text: "Can someone help me with my order?" });
  await chat.row.click();
  await page.getByTestId("assignee-select").selectOption({ label: agent.name });
  await expect(page.getByTestId("assignee-select")).toHaveValue(/.+/);

  // Ben sees it in Mine without reloading, with the admin's row showing his initials.
  const benRow = rowOf(ben.page, chat.name);
  await expect(benRow).toBeVisible();
  await expect(rowOf(page, chat.name).getByTestId("row-assignee")).toHaveText(/^B/);

  // Done removes it from Open; the person writing again reopens it.
  await benRow.click();
  await ben.page.getByTestId("work-bar").getByRole("button", { name: "Done" }).click();
  await expect(benRow).toBeHidden();
  await sim(request, "/_sim/inbound", { chat_id: chat.chat_id, text: "Hello? Still there?" });
  await expect(benRow).toBeVisible();
  await expect(ben.page.getByTestId("work-bar").getByRole("button", { name: "Done" })).toBeVisible();

  // A short snooze (a date and time, to the second) hides it, and it comes back by itself, woken. Five
  // seconds rather than three: the time is picked in the browser and must still be ahead when the
  // server gets it on a loaded machine (the 1.5 s wake is covered by jobs/wakeups.int.test.ts).
  await ben.page.getByTestId("work-bar").getByRole("button", { name: "Snooze" }).click();
  await ben.page.getByLabel("A date and time").fill(await localInput(ben.page, 5_000));
  const snoozedAt = Date.now();
  await ben.page.getByRole("button", { name: "Snooze until then" }).click();
  await expect(benRow).toBeHidden();
  await expect(benRow).toBeVisible({ timeout: 20_000 });
  expect(Date.now() - snoozedAt).toBeGreaterThan(3_000);
  await expect(benRow.getByTestId("woken-badge")).toBeVisible();
  await expect(ben.page.getByTestId("work-state")).toHaveText("Woken from snooze");
  await ben.context.close();
});

test("bulk: select with clicks and shift-click, then Done; select with the keyboard, assign to me, e and s", async ({
  page,
  request,
}) => {
  await openInbox(page);
  const a = await newChat(page, request, { text: "first of three" });
  const b = await newChat(page, request, { text: "second of three" });
  const c = await newChat(page, request, { text: "third of three" });
  // Newest first, but Unipile's times are whole seconds: two chats of the same second may come either
  // way. So in the order the list shows them: a click on the topmost, a shift-click on the bottommost
  // selects the three.
  const shown = await Promise.all([a, b, c].map(async (x) => ({ x, top: (await rowOf(page, x.name).boundingBox())!.y })));
  const [top, , bottom] = shown.sort((p, q) => p.top - q.top).map((s) => s.x);
  await rowOf(page, top!.name).locator("..").getByTestId("chat-select").click();
  await rowOf(page, bottom!.name)
    .locator("..")
    .getByTestId("chat-select")
    .click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("bulk-count")).toHaveText("3 selected");
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Done" }).click();
  for (const x of [a, b, c]) await expect(rowOf(page, x.name)).toBeHidden();
  await page.getByTestId("team-views").getByRole("button", { name: "Done" }).click();
  await expect(page).toHaveURL(/state=done/);
  for (const x of [a, b, c]) await expect(rowOf(page, x.name)).toBeVisible();
  await page.getByTestId("team-views").getByRole("button", { name: "Open" }).click();

  // Two new chats, taken with the keyboard: j to the newest (pinned chats come first), x, shift+↓,
  // then a (assign to me).
  const d = await newChat(page, request, { text: "fourth" });
  const e = await newChat(page, request, { text: "fifth" });
  const focused = () => rowOf(page, e.name).evaluate((el) => el === document.activeElement);
  for (let i = 0; i < 10 && !(await focused()); i++) await page.keyboard.press("j");
  expect(await focused()).toBe(true);
  await page.keyboard.press("x");
  await page.keyboard.press("Shift+ArrowDown");
  await expect(page.getByTestId("bulk-count")).toHaveText("2 selected");
  await page.keyboard.press("a");
  await expect(page.getByTestId("bulk-bar")).toBeHidden();
  for (const x of [d, e]) await expect(rowOf(page, x.name).getByTestId("row-assignee")).toBeVisible();
  await page.getByTestId("team-views").getByRole("button", { name: "Mine" }).click();
  for (const x of [d, e]) await expect(rowOf(page, x.name)).toBeVisible();

  // On the open chat: s opens the snooze menu, e marks it done.
  await rowOf(page, e.name).click();
  await expect(page.getByTestId("thread-title")).toHaveText(e.name);
  await expect(page.getByTestId("assignee-select")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("s");
  await expect(page.getByRole("dialog", { name: "Snooze until" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("e");
  await expect(rowOf(page, e.name)).toBeHidden();
  await expect(page.getByTestId("work-state")).toHaveText("Done");

  // The shortcuts dialog lists them.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  for (const [k, what] of [
    ["e", "Mark done"],
    ["a", "Assign to me"],
    ["s", "Snooze"],
    ["x", "Select the chat"],
    ["l", "Label the open chat"],
    ["n", "Write an internal note"],
  ] as const)
    await expect(help.getByText(k, { exact: true }).locator("xpath=ancestor::*[2]")).toContainText(what);
});

test("bulk: mark read reaches Unipile, a label lands on each, snooze until they reply wakes only the one who answers", async ({
  page,
  request,
}) => {
  await openInbox(page);
  const a = await newChat(page, request, { text: "bulk one, unread" });
  const b = await newChat(page, request, { text: "bulk two, unread" });
  const bar = page.getByTestId("bulk-bar");
  const selectBoth = async () => {
    for (const x of [a, b]) await x.row.locator("..").getByTestId("chat-select").click();
    await expect(page.getByTestId("bulk-count")).toHaveText("2 selected");
  };

  // Mark read: the badges go, Unipile has both chats read, and a reload shows them read.
  for (const x of [a, b]) await expect(x.row.getByTestId("unread-badge")).toBeVisible();
  await selectBoth();
  await bar.getByRole("button", { name: "Mark read" }).click();
  await expect(bar).toBeHidden();
  for (const x of [a, b]) {
    await expect(x.row.getByTestId("unread-badge")).toBeHidden();
    await expect.poll(async () => (await simApi<{ unread_count: number }>(request, `/chats/${x.chat_id}`)).unread_count).toBe(0);
  }
  await page.reload();
  for (const x of [a, b]) {
    await expect(x.row).toBeVisible();
    await expect(x.row.getByTestId("unread-badge")).toBeHidden();
  }

  // A label on both at once, kept after a reload.
  const label = `Bulk ${unique()}`;
  const made = await page.request.post("/api/trpc/label.create", { data: { json: { name: label, color: "teal" } } });
  expect(made.ok(), await made.text()).toBe(true);
  await selectBoth();
  await bar.getByRole("button", { name: "Label" }).click();
  const picker = page.getByRole("dialog", { name: "Label 2 chats" });
  await picker.getByLabel(label).check();
  for (const x of [a, b]) await expect(x.row.getByTestId("label-chip")).toHaveText(label);
  await page.keyboard.press("Escape");
  await expect(picker).toBeHidden();
  await page.reload();
  for (const x of [a, b]) await expect(x.row.getByTestId("label-chip")).toHaveText(label);

  // Snoozed until they reply: both leave Open for Snoozed (also after a reload); b's answer wakes b only.
  await selectBoth();
  await bar.getByRole("button", { name: "Snooze" }).click();
  await page.getByRole("dialog", { name: "Snooze until" }).getByRole("button", { name: "Until they reply" }).click();
  for (const x of [a, b]) await expect(x.row).toBeHidden();
  await page.getByTestId("team-views").getByRole("button", { name: "Snoozed" }).click();
  await expect(page).toHaveURL(/state=snoozed/);
  await page.reload();
  for (const x of [a, b]) await expect(x.row).toBeVisible();
  await sim(request, "/_sim/inbound", { chat_id: b.chat_id, text: "answering now" });
  await expect(b.row).toBeHidden();
  await expect(a.row).toBeVisible();
  await page.getByTestId("team-views").getByRole("button", { name: "Open" }).click();
  await expect(b.row).toBeVisible();
  await expect(b.row.getByTestId("woken-badge")).toBeVisible();
  await expect(a.row).toBeHidden();
});

test.describe("on a phone in dark mode", () => {
  test.use({ viewport: { width: 375, height: 740 }, colorScheme: "dark" });

  test("views, work bar, bulk bar and snooze menu fit the screen and pass axe", async ({ page, request }) => {
    await openInbox(page);
    await page.evaluate(() => localStorage.setItem("theme", "dark"));
    await page.reload();
    await expect(page.getByTestId("live-status")).toHaveText("Live");
    const chat = await newChat(page, request, { text: "from a phone" });
    await expect(page.getByTestId("team-views")).toBeVisible();
    await chat.row.locator("..").getByTestId("chat-select").click();
    await expect(page.getByTestId("bulk-bar")).toBeVisible();
    const wide = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await wide()).toBeLessThanOrEqual(375);
    await expectAccessible(page, "list with the bulk bar");
    await page.getByTestId("bulk-bar").getByRole("button", { name: "Clear selection" }).click();

    await chat.row.click();
    await expect(page.getByTestId("work-bar")).toBeVisible();
    expect(await wide()).toBeLessThanOrEqual(375);
    await page.getByTestId("work-bar").getByRole("button", { name: "Snooze" }).click();
    await expect(page.getByRole("dialog", { name: "Snooze until" })).toBeVisible();
    expect(await wide()).toBeLessThanOrEqual(375);
    await expectAccessible(page, "thread with the snooze menu");
  });
});

async function expectAccessible(page: Page, what: string) {
  expect(await page.locator("html").evaluate((el) => el.classList.contains("dark"))).toBe(true);
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
  expect(serious, `${what}: serious or critical axe violations`).toEqual([]);
}
