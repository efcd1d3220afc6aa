import { readFileSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, type BrowserContext, expect, type Page } from "@playwright/test";

export const DEMO_ADMIN = { email: "admin@parley.local", password: "parley-demo" };
export const SIM_URL = `http://127.0.0.1:${process.env.E2E_SIM_PORT ?? 3201}`;
/** The demo admin's session, signed in once per run by e2e/admin.setup.ts. */
export const ADMIN_STATE = path.resolve(import.meta.dirname, "../test-results/.auth/admin.json");

/** Signs in through the login form, as a person does. */
export async function login(page: Page, user: { email: string; password: string } = DEMO_ADMIN) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(user.email);
}

/**
 * Opens the inbox as the demo admin with the session saved by e2e/admin.setup.ts: for tests that only
 * need to be signed in (the form and its bcrypt check cost seconds a test). Tests of signing in, and
 * tests that sign out (which would end the shared session), use `login`.
 */
export async function asAdmin(page: Page) {
  const { cookies } = JSON.parse(readFileSync(ADMIN_STATE, "utf8")) as { cookies: Parameters<BrowserContext["addCookies"]>[0] };
  await page.context().addCookies(cookies);
  await page.goto("/");
  await expect(page.getByTestId("current-user")).toHaveText(DEMO_ADMIN.email);
}

export type SimState = { apiKey: string; accounts: { id: string; type: string; name: string; status: string }[] };

/** The simulator's control API (/_sim/…): GET without a body, POST with one. */
export async function sim<T = Record<string, unknown>>(request: APIRequestContext, path: string, body?: unknown): Promise<T> {
  const res = body === undefined ? await request.get(`${SIM_URL}${path}`) : await request.post(`${SIM_URL}${path}`, { data: body });
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** The simulator's Unipile API, as Parley sees it. */
export async function simApi<T>(request: APIRequestContext, path: string): Promise<T> {
  const { apiKey } = await sim<SimState>(request, "/_sim/state");
  const res = await request.get(`${SIM_URL}/api/v1${path}`, { headers: { "X-API-KEY": apiKey } });
  expect(res.ok()).toBe(true);
  return (await res.json()) as T;
}

export async function account(request: APIRequestContext, type: string) {
  const state = await sim<SimState>(request, "/_sim/state");
  return state.accounts.find((a) => a.type === type && a.status === "OK")!;
}

export const unique = () => Math.random().toString(36).slice(2, 8);

/**
 * A new agent granted the simulator's account of `type` (WhatsApp unless said), added through the
 * user.add API of the signed-in admin `page`. A last name of its own keeps the people an @ offers
 * unambiguous however often the suite runs.
 */
export async function addAgent(page: Page, request: APIRequestContext, opts: { firstName?: string; type?: string } = {}) {
  const acc = await account(request, opts.type ?? "WHATSAPP");
  const first = opts.firstName ?? "Agent";
  const tag = unique();
  const user = { email: `${first.toLowerCase()}-${tag}@team.test`, name: `${first} Ortiz${tag}`, password: "agent-password-1" };
  const res = await page.request.post("/api/trpc/user.add", { data: { json: { ...user, role: "agent", accountIds: [acc.id] } } });
  expect(res.ok(), await res.text()).toBe(true);
  return user;
}

/** A fresh 1:1 chat with one inbound message; waits until the inbox lists it. */
export async function newChat(
  page: Page,
  request: APIRequestContext,
  opts: { text: string; type?: string; name?: string; attachments?: { asset: string }[] },
) {
  const acc = await account(request, opts.type ?? "WHATSAPP");
  const name = opts.name ?? `E2E ${unique()}`;
  const res = await sim<{ chat_id: string; message_id: string }>(request, "/_sim/inbound", {
    account_id: acc.id,
    text: opts.text,
    sender_name: name,
    ...(opts.attachments ? { attachments: opts.attachments } : {}),
  });
  const row = page.getByTestId("chat-row").filter({ hasText: name });
  await expect(row).toBeVisible({ timeout: 20_000 });
  return { ...res, name, row, accountId: acc.id };
}

/** Waits until no sync run is queued or running (the startup sync fills the demo chats' older history). */
export async function syncSettled(page: Page) {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 20 } }));
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get(`/api/trpc/sync.runs?input=${input}`)).json()) as {
          result?: { data: { json: { status: string }[] } };
        };
        const runs = body.result?.data.json ?? [];
        return runs.length > 0 && runs.every((r) => r.status !== "queued" && r.status !== "running");
      },
      { timeout: 120_000 },
    )
    .toBe(true);
}

export async function openInbox(page: Page) {
  await asAdmin(page);
  await expect(page.getByTestId("chat-row").first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("live-status")).toHaveText("Live");
}

/**
 * Waits until Parley's webhook log has decided the message_received event of Unipile message
 * `messageId` (applied, or recognised as a duplicate): the moment a second bubble would appear.
 */
export async function webhookDecided(page: Page, chatId: string, messageId: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { chatId, event: "message_received", limit: 200 } }));
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/api/trpc/webhook.list?input=${input}`);
        const body = (await res.json()) as { result?: { data: { json: { items: { messageId: string | null; status: string }[] } } } };
        return body.result?.data.json.items.find((e) => e.messageId === messageId)?.status ?? "not received";
      },
      { timeout: 20_000 },
    )
    .toMatch(/^(applied|duplicate)$/);
}

/** Opens a demo chat, scrolling the (virtualised) chat list down until its row is rendered. */
export async function openSeeded(page: Page, name: string) {
  const row = page.getByTestId("chat-row").filter({ hasText: name }).first();
  await expect(async () => {
    if (await row.isVisible()) return;
    await page.getByTestId("chat-row").last().scrollIntoViewIfNeeded({ timeout: 2000 });
    throw new Error(`${name} is not in the rendered part of the list yet`);
  }).toPass({ timeout: 30_000, intervals: [100] }); // a step per render, not toPass's growing pauses
  await row.click();
  await expect(page.getByTestId("thread-title")).toHaveText(name);
}
