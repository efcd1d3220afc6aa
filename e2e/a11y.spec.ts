// Accessibility end to end: axe-core (WCAG 2.2 A and AA) on every page in both themes and on a
// phone, plus the keyboard paths axe cannot judge: the skip link, the composer shortcut and what a
// screen reader hears for a chat row.
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { openInbox, SIM_URL } from "./helpers";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Fails with one readable line per serious or critical violation (rule, help, first elements). */
async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s): ${v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")} ${n.any[0]?.message ?? ""}`).join(" | ")}`);
  expect.soft(serious, `${what}: serious or critical axe violations`).toEqual([]);
  // Not a WCAG rule in axe, but how screen-reader users find where a page starts.
  await expect.soft(page.getByRole("heading", { level: 1 }), `${what}: one h1`).toHaveCount(1);
}

/** The demo's richest chat: a picture, a file, a quote, reactions, an event, a deleted and an edited message. */
async function openRichChat(page: Page) {
  await page.getByTestId("chat-row").filter({ has: page.getByTestId("chat-name").getByText("Maya Lindqvist", { exact: true }) }).first().click();
  await expect(page.getByTestId("thread-title")).toHaveText("Maya Lindqvist");
  await expect(page.getByTestId("message-text").filter({ hasText: "10:30 works" })).toBeVisible();
}

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test(`login has no serious axe violations (${theme})`, async ({ page }) => {
      await page.goto("/login");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
      await expectAccessible(page, `login, ${theme}`);
    });

    test(`inbox, a thread and search results have no serious axe violations (${theme})`, async ({ page }) => {
      await openInbox(page);
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
      await expectAccessible(page, `inbox, ${theme}`);

      await openRichChat(page);
      await expectAccessible(page, `thread, ${theme}`);

      await page.getByLabel("Search messages").fill("10:30");
      await expect(page.getByTestId("search-hit").first()).toBeVisible();
      await expectAccessible(page, `search results, ${theme}`);
    });

    test(`admin pages have no serious axe violations (${theme})`, async ({ page }) => {
      await openInbox(page);
      await page.goto("/admin");
      await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
      await expect(page.getByRole("cell", { name: /admin@parley\.local/ })).toBeVisible();
      await expectAccessible(page, `/admin, ${theme}`);

      await page.goto("/admin/sync");
      await expect(page.getByRole("heading", { name: "Past runs" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
      await expectAccessible(page, `/admin/sync, ${theme}`);

      await page.goto("/admin/webhooks");
      await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
      await expectAccessible(page, `/admin/webhooks, ${theme}`);
    });

    test(`on a phone the inbox and a thread have no serious axe violations (${theme})`, async ({ page }) => {
      await page.setViewportSize({ width: 375, height: 812 });
      await openInbox(page);
      await expectAccessible(page, `phone inbox, ${theme}`);
      await openRichChat(page);
      await expectAccessible(page, `phone thread, ${theme}`);
    });
  });
}

test("the skip link and the c shortcut put focus in the composer; the shortcut is listed", async ({ page }) => {
  await openInbox(page);
  await openRichChat(page);
  const composer = page.locator("#composer");

  // A full load starts at the top of the page: the first Tab reaches the skip link.
  await page.reload();
  await expect(page.getByTestId("message-text").filter({ hasText: "10:30 works" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to conversation" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible(); // visible once focused, not only to screen readers
  await page.keyboard.press("Enter");
  await expect(composer).toBeFocused();
  await page.keyboard.type("typed after one Tab");
  await expect(composer).toHaveValue("typed after one Tab");
  await composer.fill("");

  // From anywhere outside a text field, "c" jumps to the composer.
  await page.keyboard.press("Escape");
  await expect(composer).not.toBeFocused();
  await page.getByTestId("thread-title").click();
  await page.keyboard.press("c");
  await expect(composer).toBeFocused();
  await expect(composer).toHaveValue(""); // the key itself is not typed

  await page.keyboard.press("Escape");
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog.getByText("Write a message (focus the composer)")).toBeVisible();
  await expect(dialog.locator("kbd", { hasText: /^c$/ })).toBeVisible();
});

test("on admin pages the skip link moves focus to the page's content", async ({ page }) => {
  await openInbox(page);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  // The next Tab lands inside the content, past the header and the admin menu.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
});

type SimState = { accounts: { id: string; type: string; status: string }[] };

async function sim<T>(request: APIRequestContext, path: string, body?: unknown): Promise<T> {
  const res = body === undefined ? await request.get(`${SIM_URL}${path}`) : await request.post(`${SIM_URL}${path}`, { data: body });
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

test("a chat row's accessible name carries its preview, time and account warning", async ({ page, request }) => {
  await openInbox(page);
  const state = await sim<SimState>(request, "/_sim/state");
  const account = state.accounts.find((a) => a.type === "INSTAGRAM" && a.status === "OK")!;
  const name = `A11y ${Math.random().toString(36).slice(2, 8)}`;
  await sim(request, "/_sim/inbound", { account_id: account.id, text: "Are the slides ready for Friday?", sender_name: name });
  const row = page.getByTestId("chat-row").filter({ hasText: name });
  await expect(row).toBeVisible({ timeout: 20_000 });
  const time = (await row.locator("time").textContent())!;
  await expect(row).toHaveAccessibleName(new RegExp(`^${name}, Instagram, .*Are the slides ready for Friday\\?.*${time}`));
  await expect(row).not.toHaveAccessibleName(/needs attention/);

  // The account loses its credentials: the warning is spoken too, not only drawn.
  await sim(request, "/_sim/account-status", { account_id: account.id, status: "CREDENTIALS" });
  try {
    await expect(row).toHaveAccessibleName(/needs attention/, { timeout: 20_000 });
  } finally {
    await sim(request, "/_sim/account-status", { account_id: account.id, status: "OK" });
  }
  await expect(row).not.toHaveAccessibleName(/needs attention/, { timeout: 20_000 });
});
