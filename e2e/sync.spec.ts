// The admin sync page end to end: a change made in the simulator while its webhooks are lost only
// reaches Parley through a resync. Press "Resync everything", watch the run reach 100%, see the data.
import { expect, type APIRequestContext, test } from "@playwright/test";
import { asAdmin, SIM_URL } from "./helpers";

type SimState = { apiKey: string; accounts: { id: string; type: string; status: string }[] };

async function sim<T = Record<string, unknown>>(request: APIRequestContext, path: string, body?: unknown): Promise<T> {
  const res = body === undefined ? await request.get(`${SIM_URL}${path}`) : await request.post(`${SIM_URL}${path}`, { data: body });
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

const unique = () => Math.random().toString(36).slice(2, 8);

test("resync everything: progress reaches 100% and repairs what webhooks missed", async ({ page, request }) => {
  const state = await sim<SimState>(request, "/_sim/state");
  const account = state.accounts.find((a) => a.type === "TELEGRAM" && a.status === "OK") ?? state.accounts.find((a) => a.status === "OK")!;
  const name = `Sync E2E ${unique()}`;
  const first = await sim<{ chat_id: string; message_id: string }>(request, "/_sim/inbound", {
    account_id: account.id,
    text: "before the outage",
    sender_name: name,
  });

  await asAdmin(page);
  await page.goto("/admin/sync");
  await expect(page.getByRole("heading", { name: "Sync" })).toBeVisible();
  // The chat arrived by webhook; wait until Parley has it.
  await page.getByLabel("Find a chat by name").fill(name);
  await expect(page.getByTestId("sync-chat-row").filter({ hasText: name })).toBeVisible({ timeout: 30_000 });

  const edited = `edited while webhooks were lost ${unique()}`;
  const missed = `sent while webhooks were lost ${unique()}`;
  try {
    await sim(request, "/_sim/faults", { webhookDropRate: 1 });
    await sim(request, "/_sim/edit", { message_id: first.message_id, text: edited });
    await sim(request, "/_sim/inbound", { chat_id: first.chat_id, text: missed });
  } finally {
    await sim(request, "/_sim/faults", {});
  }

  // Before the resync Parley does not know either change.
  await page.goto("/");
  const row = page.getByTestId("chat-row").filter({ hasText: name });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  const thread = page.getByTestId("thread-scroll");
  await expect(thread.getByText("before the outage")).toBeVisible();
  await expect(thread.getByText(missed)).toHaveCount(0);

  await page.goto("/admin/sync");
  const previous = await page.getByTestId("sync-current-run").getAttribute("data-run-id").catch(() => null);
  await page.getByRole("button", { name: "Resync everything" }).click();
  await expect(page.getByText(/Resync started|already under way/)).toBeVisible();
  const current = page.getByTestId("sync-current-run");
  await expect(current).not.toHaveAttribute("data-run-id", previous ?? "none", { timeout: 10_000 });
  await expect(current).toContainText("Full resync of everything");
  await page.screenshot({ path: "test-results/screenshots/sync-running.png" });
  await expect(current.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(current).toHaveAttribute("data-status", "succeeded");
  // The counters say what was repaired: the edited message was updated, the missed one is new.
  await expect(current.locator('[data-counter="updated messages"]')).not.toHaveText("0");
  await expect(current.locator('[data-counter="new messages"]')).not.toHaveText("0");
  await expect(page.getByTestId("sync-run-row").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/sync-done.png", fullPage: true });

  // The chat now shows the edit and the message the webhooks never brought.
  await page.goto("/");
  await page.getByTestId("chat-row").filter({ hasText: name }).click();
  await expect(thread.getByText(missed)).toBeVisible();
  await expect(thread.getByText(edited)).toBeVisible();
});

test("an admin resyncs one chat from the chat table", async ({ page, request }) => {
  const state = await sim<SimState>(request, "/_sim/state");
  const account = state.accounts.find((a) => a.type === "WHATSAPP" && a.status === "OK")!;
  const name = `Sync Chat ${unique()}`;
  const first = await sim<{ chat_id: string }>(request, "/_sim/inbound", { account_id: account.id, text: "hello", sender_name: name });
  await asAdmin(page);
  await page.goto("/admin/sync");
  await page.getByLabel("Find a chat by name").fill(name);
  const chatRow = page.getByTestId("sync-chat-row").filter({ hasText: name });
  await expect(chatRow).toBeVisible({ timeout: 30_000 });

  const missed = `only a resync brings this ${unique()}`;
  try {
    await sim(request, "/_sim/faults", { webhookDropRate: 1 });
    await sim(request, "/_sim/inbound", { chat_id: first.chat_id, text: missed });
  } finally {
    await sim(request, "/_sim/faults", {});
  }
  await chatRow.getByRole("button", { name: `Resync ${name}` }).click();
  const current = page.getByTestId("sync-current-run");
  await expect(current).toContainText(`Full resync of ${name}`, { timeout: 15_000 });
  await expect(current.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(chatRow).toContainText("just now");
  await expect(chatRow.getByText("2", { exact: true })).toBeVisible();

  await page.goto("/");
  await page.getByTestId("chat-row").filter({ hasText: name }).click();
  await expect(page.getByTestId("thread-scroll").getByText(missed)).toBeVisible();
});

test("an admin resyncs the open chat from the inbox header", async ({ page, request }) => {
  const state = await sim<SimState>(request, "/_sim/state");
  const account = state.accounts.find((a) => a.type === "LINKEDIN" && a.status === "OK")!;
  const name = `Header Resync ${unique()}`;
  const first = await sim<{ chat_id: string }>(request, "/_sim/inbound", { account_id: account.id, text: "hi there", sender_name: name });
  await asAdmin(page);
  const row = page.getByTestId("chat-row").filter({ hasText: name });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.click();
  const health = page.getByTestId("chat-sync-health");
  await expect(health).toBeVisible();

  const missed = `the header resync brings this ${unique()}`;
  try {
    await sim(request, "/_sim/faults", { webhookDropRate: 1 });
    await sim(request, "/_sim/inbound", { chat_id: first.chat_id, text: missed });
  } finally {
    await sim(request, "/_sim/faults", {});
  }
  await expect(page.getByTestId("thread-scroll").getByText(missed)).toHaveCount(0);
  await health.getByRole("button", { name: "Resync this chat" }).click();
  await expect(page.getByTestId("thread-scroll").getByText(missed)).toBeVisible({ timeout: 30_000 });
  await expect(health).toContainText("synced just now");
});
