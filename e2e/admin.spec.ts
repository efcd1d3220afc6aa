// The admin pages as an admin meets them: accounts told apart, a password reset in a dialog, tables
// usable on a phone, and no keyboard-shortcut hint on a touch screen.
import { expect, type Page, test } from "@playwright/test";
import { asAdmin, login, SIM_URL } from "./helpers";

const unique = () => Math.random().toString(36).slice(2, 8);

async function addAgent(page: Page) {
  const email = `agent-${unique()}@example.com`;
  await page.goto("/admin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("first-password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();
  return email;
}

test("the add-user account list tells accounts of the same name apart by provider", async ({ page }) => {
  await asAdmin(page);
  await page.goto("/admin");
  const labels = await page
    .getByRole("group", { name: "Accounts" })
    .locator("label")
    .evaluateAll((els) => els.map((e) => e.textContent?.replace(/\s+/g, " ").trim() ?? ""));
  // The demo has Aiko Tanabe on LinkedIn, WhatsApp and Messenger.
  expect(labels).toContain("Aiko Tanabe (LinkedIn)");
  expect(labels).toContain("Aiko Tanabe (Messenger)");
  expect(new Set(labels).size).toBe(labels.length);
});

test("reset password: a dialog with add-user's validation, and the new password signs in", async ({ page, browser }) => {
  page.on("dialog", (d) => {
    throw new Error(`unexpected browser ${d.type()}: ${d.message()}`);
  });
  await asAdmin(page);
  const email = await addAgent(page);
  await page.getByTestId(`user-row-${email}`).getByRole("button", { name: "Reset password" }).click();
  const dialog = page.getByRole("dialog", { name: "Reset password" });
  await expect(dialog).toBeVisible();
  const field = dialog.getByLabel("Password");
  await expect(field).toBeFocused();

  // Too short: the browser refuses before anything is sent, and says why.
  await field.fill("short");
  await dialog.getByRole("button", { name: "Set password" }).click();
  await expect(dialog).toBeVisible();
  expect(await field.evaluate((el: HTMLInputElement) => el.validity.tooShort)).toBe(true);
  await expect(dialog.getByText("At least 8 characters.")).toBeVisible();

  await field.fill("second-password");
  await dialog.getByRole("button", { name: "Set password" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Password of ${email} reset`)).toBeVisible();

  const other = await browser.newContext();
  const agent = await other.newPage();
  await login(agent, { email, password: "second-password" });
  await other.close();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

  test("admin tables stay inside the screen, rows stacked, in both themes", async ({ page, request }) => {
    // A webhook delivery, so the log has a row.
    expect((await request.post(`${SIM_URL}/_sim/inbound`, { data: { text: "hello from a phone" } })).ok()).toBe(true);
    await asAdmin(page);
    for (const theme of ["light", "dark"] as const) {
      await page.evaluate((t) => localStorage.setItem("theme", t), theme);
      for (const [path, table] of [
        ["/admin", "Users"],
        ["/admin/sync", "Account sync health"],
        ["/admin/sync", "Past sync runs"],
        ["/admin/webhooks", "Webhook events"],
      ] as const) {
        await page.goto(path);
        const t = page.getByRole("table", { name: table });
        await expect(t).toBeVisible();
        expect(await page.locator("html").evaluate((el) => el.classList.contains("dark"))).toBe(theme === "dark");
        // The page itself never scrolls sideways: nothing is cut off at the right edge.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} width`).toBeLessThanOrEqual(375);
        // Every cell of a row is on screen: rows stack on a phone instead of running off the edge.
        const cells = t.locator("tbody tr").first().locator("td");
        for (const right of await cells.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().right))) {
          expect(right, `${table}: a cell runs off the screen`).toBeLessThanOrEqual(375);
        }
        await cells.last().scrollIntoViewIfNeeded();
        await expect(cells.last()).toBeInViewport();
      }
    }
  });

  test("the keyboard shortcuts hint is not shown on a touch screen", async ({ page }) => {
    await asAdmin(page);
    await expect(page.getByTestId("live-status")).toBeVisible();
    await expect(page.getByRole("button", { name: /Shortcuts/ })).toBeHidden();
  });
});

test("the keyboard shortcuts hint is shown with a mouse and opens the list", async ({ page }) => {
  await asAdmin(page);
  await page.getByRole("button", { name: /Shortcuts/ }).click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
});

test("the sync page shows its runs from the server's prefetch, without asking again", async ({ page }) => {
  await asAdmin(page);
  const asked: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/trpc/")) asked.push(new URL(r.url()).pathname);
  });
  await page.goto("/admin/sync");
  await expect(page.getByTestId("sync-current-run")).toBeVisible();
  await expect(page.getByRole("table", { name: "Account sync health" })).toBeVisible();
  // Had the page's query differed from the prefetch, the browser would have fetched the runs before showing them.
  expect(asked.filter((p) => p.includes("sync.runs") || p.includes("sync.accounts"))).toEqual([]);
});
