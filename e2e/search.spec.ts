// Search in Chromium on the demo data: people, chat names, InMail subjects and file names from one box,
// every operator (with suggestions while typing), the keyboard path through the groups, an agent's
// grants, a phone and dark mode with axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { addAgent, login, openInbox, } from "./helpers";

const box = (page: Page) => page.getByRole("combobox", { name: /Search messages/ });
const group = (page: Page, name: "people" | "chats" | "messages" | "files") => page.getByTestId(`search-group-${name}`);
const hits = (page: Page) => page.getByTestId("search-hit");

/** Types a query and waits until the results are those of this query (not the previous one's, kept while loading). */
async function search(page: Page, query: string) {
  await box(page).fill(query);
  await expect(page.getByTestId("search-pane")).toHaveAttribute("data-query", query.trim());
}

test("one box finds a person, a chat by name, an InMail by subject and a file, each opening its place", async ({ page }) => {
  await openInbox(page);
  await search(page, "maya");
  const person = group(page, "people").getByTestId("search-person").filter({ hasText: "Maya Lindqvist" });
  await expect(person.locator("mark")).toHaveText("Maya");
  await person.click();
  await expect(page.getByTestId("thread-title")).toHaveText("Maya Lindqvist");

  await search(page, "climbing crew");
  await group(page, "chats").getByTestId("search-chat").filter({ hasText: "Saturday climbing crew" }).click();
  await expect(page.getByTestId("thread-title")).toHaveText("Saturday climbing crew");

  await search(page, "partnership idea");
  const inmail = group(page, "chats").getByTestId("search-chat").filter({ hasText: "Subject: Partnership idea" });
  await expect(inmail.locator("mark")).toHaveText(["Partnership idea"]);
  await inmail.click();
  await expect(page.getByTestId("thread-title")).toHaveText("Tomasz Wierzbicki");

  await search(page, "route-topo");
  const file = group(page, "files").getByTestId("search-file").filter({ hasText: "route-topo.pdf" });
  await expect(file).toContainText("Maya Lindqvist");
  await file.click();
  await expect(page).toHaveURL(/msg=/);
  await expect(page.getByTestId("thread-title")).toHaveText("Maya Lindqvist");
  await expect(page.getByTestId("message").filter({ hasText: "Here's the topo for Saturday" })).toBeInViewport();
});

test("from: suggests people as you type, and every operator narrows the messages", async ({ page }) => {
  await openInbox(page);
  await box(page).fill("from:m");
  const options = page.getByTestId("search-suggestion");
  await expect(options.first()).toHaveText(/^from:me/);
  await expect(page.getByRole("listbox", { name: "Values for from:" }).getByRole("option", { selected: true })).toHaveText(/^from:me/);
  await box(page).press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await box(page).press("ArrowUp");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await box(page).press("End");
  await box(page).pressSequentially("aya");
  await expect(options.filter({ hasText: "Maya Lindqvist" }).first()).toBeVisible();
  await options.filter({ hasText: "Maya Lindqvist" }).first().click();
  await expect(box(page)).toHaveValue('from:"Maya Lindqvist" ');
  await expect(box(page)).toBeFocused();
  await box(page).pressSequentially("topo");
  await expect(hits(page)).toHaveCount(1);
  await expect(hits(page)).toContainText("Here's the topo for Saturday");

  const only = async (query: string, text: string | RegExp) => {
    await search(page, query);
    await expect(hits(page).first()).toContainText(text);
    await expect(hits(page).filter({ hasNotText: text })).toHaveCount(0);
  };
  await only("from:me 10:30", "How about 10:30 at the north entrance?");
  await only('in:"Saturday climbing crew" rope', "I'll bring the rope");
  await only("app:telegram snacks", "I'm in, will bring snacks");
  await only("account:aiko.climbs schedule", /schedule/);
  await search(page, "account:aiko_t schedule");
  await expect(page.getByTestId("search-empty")).toBeVisible();
  await only("has:attachment topo", "Here's the topo for Saturday");
  await only("has:image top", "View from the top last time");
  await only('"bring the rope"', "I'll bring the rope");
  await only("after:2000-01-01 rope", "I'll bring the rope");
  await only("10:30 -works -north", "Could we meet a bit later, say 10:30?");

  // Yusuf's chat has no unread messages; Lena's (never opened by these tests) has one.
  await search(page, "5pm");
  await expect(hits(page)).toContainText(["Friday 5pm works"]);
  await search(page, "is:unread 5pm");
  await expect(page.getByTestId("search-empty")).toBeVisible();
  await only("is:unread weekend", "next weekend?");
  await search(page, "before:2000-01-01 rope");
  await expect(page.getByTestId("search-empty")).toBeVisible();

  await box(page).fill("after:yesterday");
  await expect(page.getByTestId("search-problem")).toHaveText("after: takes a date like 2025-03-01, not “yesterday”");
});

test("accents, Arabic and Hebrew are found as typed or without accents", async ({ page }) => {
  await openInbox(page);
  await search(page, "hate de grimper");
  await expect(hits(page).first().locator("mark")).toHaveText(["Hâte de grimper"]);
  await search(page, "الجمعة");
  await expect(hits(page).first()).toContainText("الجمعة");
  await search(page, "ההודעה");
  await expect(hits(page).first()).toContainText("ההודעה");
});

test("the keyboard walks from the box through every group and back; Enter opens", async ({ page }) => {
  await openInbox(page);
  await page.keyboard.press("/");
  await expect(box(page)).toBeFocused();
  await search(page, "tomasz");
  const people = group(page, "people").getByTestId("search-person");
  await expect(people.filter({ hasText: "Tomasz Wierzbicki" }).first()).toBeVisible();
  await expect(hits(page).filter({ hasText: "Thanks Tomasz!" })).toBeVisible();
  await box(page).focus();
  await page.keyboard.press("ArrowDown");
  await expect(people.first()).toBeFocused();
  const n = await people.count();
  for (let i = 0; i < n; i++) await page.keyboard.press("ArrowDown");
  await expect(hits(page).first()).toBeFocused();
  for (let i = 0; i < n; i++) await page.keyboard.press("ArrowUp");
  await expect(people.first()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(box(page)).toBeFocused();
  await page.keyboard.press("ArrowDown");
  const name = (await people.first().locator("span.font-medium").textContent())!;
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/chat=/);
  await expect(page.getByTestId("thread-title")).toBeVisible();
  if ((await page.getByTestId("thread-title").textContent()) !== name) await expect(page).toHaveURL(/panel=contact/);
});

test("an agent finds only what its grants show: people, chats, messages, files and suggestions", async ({
  page,
  browser,
  request,
}) => {
  await openInbox(page);
  const user = await addAgent(page, request);

  const ctx = await browser.newContext();
  const agent = await ctx.newPage();
  await login(agent, user);
  await expect(agent.getByTestId("chat-row").first()).toBeVisible({ timeout: 30_000 });
  await search(agent, "maya");
  await expect(group(agent, "people")).toContainText("Maya Lindqvist");
  await search(agent, "route-topo");
  await expect(group(agent, "files")).toContainText("route-topo.pdf");
  // LinkedIn (an InMail subject, a person) and Telegram are not granted.
  for (const q of ["partnership idea", "robotics meetup", "snacks", "app:linkedin"]) {
    await search(agent, q);
    await expect(agent.getByTestId("search-empty")).toBeVisible();
  }
  await agent.getByRole("combobox", { name: /Search messages/ }).fill("app:");
  await expect(agent.getByTestId("search-suggestion")).toHaveText(["app:whatsapp"]);
  await ctx.close();
});

for (const theme of ["light", "dark"] as const) {
  test(`on a phone in ${theme} mode, results fit the screen and have no serious axe violations`, async ({ browser }) => {
    const ctx = await browser.newContext({
      viewport: { width: 375, height: 740 },
      colorScheme: theme,
      hasTouch: true,
      isMobile: true,
    });
    const page = await ctx.newPage();
    await openInbox(page);
    await search(page, "tomasz");
    await expect(group(page, "people")).toBeVisible();
    await expect(group(page, "messages")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/search-phone-${theme}.png` });
    await box(page).fill("from:");
    await expect(page.getByTestId("search-suggestion").first()).toBeVisible();
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    const serious = violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious).toEqual([]);
    await search(page, "tomasz");
    await group(page, "people").getByTestId("search-person").first().click();
    await expect(page.getByTestId("thread-title")).toBeVisible();
    await ctx.close();
  });
}
