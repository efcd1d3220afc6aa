// Every page loads cleanly on a full load: no console error (React's hydration error #418 came from
// times formatted in the server's zone and locale), in both themes, with the browser in a zone and a
// locale other than the server's. The theme chosen survives a full load of every page.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { asAdmin, SIM_URL } from "./helpers";

// The server runs in UTC with an English default; the browser is 14 hours ahead and British.
test.use({ timezoneId: "Pacific/Kiritimati", locale: "en-GB" });

/** Console errors and uncaught exceptions of a page, from its first load on. */
function collectErrors(page: Page) {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/**
 * Waits for hydration by using the page: the theme toggle flips the theme only once React runs it.
 * Flips it twice, so the theme ends where it started, and checks it was still the chosen one.
 */
async function toggleThemeTwice(page: Page, theme: "light" | "dark") {
  const html = page.locator("html");
  const toggle = page.getByRole("button", { name: "Toggle dark mode" });
  const other = theme === "dark" ? "light" : "dark";
  await toggle.click();
  await expect.poll(() => html.evaluate((el) => (el.classList.contains("dark") ? "dark" : "light"))).toBe(other);
  await toggle.click();
  await expect.poll(() => html.evaluate((el) => (el.classList.contains("dark") ? "dark" : "light"))).toBe(theme);
}

/** A time the browser rendered, in the browser's own zone and locale (the server cannot know them). */
async function expectLocalTime(time: Locator, options: Intl.DateTimeFormatOptions) {
  await expect(time).toHaveText(/\d/);
  const [text, expected] = await time.evaluate(
    (el, o) => [el.textContent, new Intl.DateTimeFormat(undefined, o).format(new Date(el.getAttribute("datetime")!))],
    options,
  );
  expect(text).toBe(expected);
}

for (const theme of ["light", "dark"] as const) {
  test(`every page loads without a console error in the ${theme} theme, in the browser's zone`, async ({ page, request }) => {
    // One fresh webhook, so the log has a row to show.
    const state = (await (await request.get(`${SIM_URL}/_sim/state`)).json()) as { accounts: { id: string; status: string }[] };
    const account = state.accounts.find((a) => a.status === "OK")!;
    expect((await request.post(`${SIM_URL}/_sim/inbound`, { data: { account_id: account.id, text: "hello", sender_name: `Pages ${theme}` } })).ok()).toBe(true);
    await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
    const errors = collectErrors(page);
    const isDark = () => page.locator("html").evaluate((el) => el.classList.contains("dark"));

    await asAdmin(page);
    await expect(page.getByTestId("chat-row").first()).toBeVisible({ timeout: 60_000 });

    // Full loads from here on.
    await page.goto("/");
    await toggleThemeTwice(page, theme);
    const row = page.getByTestId("chat-row").first();
    await expect(row).toBeVisible();
    // The list's times are the browser's: a chat of today shows its clock time ("07:08" in en-GB).
    const timeOfDay = { hour: "numeric", minute: "2-digit" } as const;
    await expect(row.locator("time")).toHaveText(/\S/);
    if (/^\d{1,2}:\d{2}/.test((await row.locator("time").textContent()) ?? "")) await expectLocalTime(row.locator("time"), timeOfDay);
    const chatId = await row.getAttribute("data-chat-id");

    await page.goto(`/?chat=${chatId}`);
    await toggleThemeTwice(page, theme);
    await expect(page.getByTestId("chat-row").first()).toBeVisible();

    for (const path of ["/admin", "/admin/sync", "/admin/webhooks"]) {
      await page.goto(path);
      await toggleThemeTwice(page, theme);
      expect(await isDark(), `${path} keeps the ${theme} theme`).toBe(theme === "dark");
    }
    await expect(page.getByRole("table", { name: "Webhook events" })).toBeVisible();
    // The log's times read like the list's, in the same zone: "7:08:25 am" beside "7:08 am".
    await expectLocalTime(page.locator("table[aria-label='Webhook events'] time").first(), { ...timeOfDay, second: "2-digit" });

    await page.goto("/admin/sync");
    await expect(page.getByTestId("sync-current-run")).toBeVisible();
    expect(await isDark()).toBe(theme === "dark");

    // Signed out: the login page.
    await page.context().clearCookies();
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    await page.getByLabel("Email").fill("x");
    expect(await isDark()).toBe(theme === "dark");

    expect(errors).toEqual([]);
  });
}

test("chat list previews say who wrote the last message: You, or the sender's first name in a group", async ({ page, request }) => {
  type State = { apiKey: string; accounts: { id: string; type: string; status: string }[] };
  const state = (await (await request.get(`${SIM_URL}/_sim/state`)).json()) as State;
  const api = async <T,>(path: string) =>
    (await (await request.get(`${SIM_URL}/api/v1${path}`, { headers: { "X-API-KEY": state.apiKey } })).json()) as T;
  const account = state.accounts.find((a) => a.type === "WHATSAPP" && a.status === "OK")!;
  const chats = await api<{ items: { id: string; type: number; name: string | null }[] }>(`/chats?account_id=${account.id}&limit=100`);
  const group = chats.items.find((c) => c.type === 1 && c.name)!;
  const people = await api<{ items: { name: string; is_self: number }[] }>(`/chats/${group.id}/attendees`);
  const sender = people.items.find((p) => !p.is_self && /\s/.test(p.name)) ?? people.items.find((p) => !p.is_self)!;
  const text = `group news ${Math.random().toString(36).slice(2, 8)}`;
  expect((await request.post(`${SIM_URL}/_sim/inbound`, { data: { chat_id: group.id, sender_name: sender.name, text } })).ok()).toBe(true);

  await asAdmin(page);
  const groupRow = page.getByTestId("chat-row").filter({ hasText: text });
  await expect(groupRow.getByTestId("preview-author")).toHaveText(`${sender.name.split(" ")[0]}: `);

  // Our own message, sent from the inbox, in a 1:1 chat.
  const name = `Preview ${Math.random().toString(36).slice(2, 8)}`;
  expect((await request.post(`${SIM_URL}/_sim/inbound`, { data: { account_id: account.id, text: "hello there", sender_name: name } })).ok()).toBe(true);
  const row = page.getByTestId("chat-row").filter({ hasText: name });
  await expect(row).toContainText("hello there");
  await expect(row.getByTestId("preview-author")).toHaveCount(0);
  await row.click();
  const reply = `my answer ${Math.random().toString(36).slice(2, 8)}`;
  await page.getByLabel("Message", { exact: true }).fill(reply);
  await page.keyboard.press("Enter");
  await expect(row).toContainText(`You: ${reply}`);
});
