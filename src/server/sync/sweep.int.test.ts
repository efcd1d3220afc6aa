// The periodic sweep against the real simulator over HTTP: messages whose webhooks Unipile dropped
// appear after one sweep, chat state changed elsewhere is taken, and a sweep with nothing new
// costs one request per account.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { createUnipileClient, resetUnipileForTests, type UnipileClient } from "@/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "@/server/unipile/schemas.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { startWebhookBridge } from "@test/support/webhook-bridge.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";
import { enqueueSync, getRun } from "./runs.ts";
import { lastSweep, queueSweep } from "./sweep.ts";
import { startSyncWorker } from "./worker.ts";

const SECRET = "whsec-sweep-0123456789abcdef";
let testDb: TestDatabase;
let sim: Simulator;
let bridge: Awaited<ReturnType<typeof startWebhookBridge>>;
let client: UnipileClient;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 7, chats: 8, messages: 5 });
  bridge = await startWebhookBridge();
  Object.assign(process.env, { UNIPILE_DSN: sim.url, UNIPILE_API_KEY: sim.apiKey, UNIPILE_WEBHOOK_SECRET: SECRET });
  resetEnvForTests();
  resetUnipileForTests();
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, retryBaseMs: 5, retryMaxMs: 20 });
  await client.createWebhook({
    request_url: bridge.url,
    source: "messaging",
    format: "json",
    events: [...MESSAGING_EVENTS],
    headers: [{ key: "X-Webhook-Secret", value: SECRET }],
  });
});
afterAll(async () => {
  await sim?.close();
  await bridge?.close();
  await testDb?.close();
});

async function runToEnd(queued: Promise<{ runId: string }>) {
  const { runId } = await queued;
  const worker = startSyncWorker({ client, pollMs: 20 });
  await worker.idle();
  await worker.stop();
  const run = await getRun(runId);
  expect(run?.status).toBe("succeeded");
  return run!;
}

async function requestCounts(): Promise<Record<string, number>> {
  return (await simControl<{ requests: Record<string, number> }>(sim.url, "stats")).requests;
}
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

it("brings the messages of dropped webhooks and chat state within one sweep; an idle sweep costs a request per account", async () => {
  await runToEnd(enqueueSync({ scope: "all", reason: "startup" }));
  const wa = sim.store.accounts.find((a) => a.type === "WHATSAPP")!;
  const [chat, other] = [...sim.store.chats.values()].filter((c) => c.account_id === wa.id);

  // Unipile gives up on three deliveries of one chat, then delivers a fourth.
  await simControl(sim.url, "faults", { webhookDropChatIds: [chat!.id] });
  const dropped: string[] = [];
  for (const text of ["first, dropped", "second, dropped", "third, dropped"]) {
    dropped.push((await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: chat!.id, text })).message_id);
  }
  await simControl(sim.url, "faults", {});
  const { message_id: delivered } = await simControl<{ message_id: string }>(sim.url, "inbound", {
    chat_id: chat!.id,
    text: "fourth, delivered",
  });
  // Archived and muted on the phone: v1 sends no webhook for either.
  Object.assign(other!, { archived: 1, muted_until: -1 });
  await sim.webhooks.idle();
  await drainApplyQueue();
  expect((await simControl<{ webhooks: { dropped: number } }>(sim.url, "stats")).webhooks.dropped).toBe(3);
  expect(await db.message.count({ where: { unipileId: { in: dropped } } })).toBe(0);
  expect(await db.message.count({ where: { unipileId: delivered } })).toBe(1);

  await runToEnd(queueSweep());
  const stored = await db.message.findMany({
    where: { unipileId: { in: dropped } },
    select: { text: true },
    orderBy: { sentAt: "asc" },
  });
  expect(stored.map((m) => m.text)).toEqual(["first, dropped", "second, dropped", "third, dropped"]);
  expect(
    await db.chat.findUniqueOrThrow({ where: { unipileId: chat!.id }, select: { unreadCount: true, lastMessagePreview: true } }),
  ).toEqual({
    unreadCount: chat!.unread_count,
    lastMessagePreview: "fourth, delivered",
  });
  expect(await db.chat.findUniqueOrThrow({ where: { unipileId: other!.id }, select: { archived: true, muted: true } })).toEqual({
    archived: true,
    muted: true,
  });
  // The admin sync page's line.
  const shown = await lastSweep();
  expect(shown).toMatchObject({ status: "succeeded", finishedAt: expect.any(Date), repaired: { messages: 3, chats: 0 } });
  expect(shown!.repaired.refreshed).toBeGreaterThanOrEqual(2);

  // Nothing changed since: one chats page per OK account, no message calls, nothing repaired.
  const before = await requestCounts();
  await runToEnd(queueSweep());
  const after = await requestCounts();
  const okAccounts = await db.account.count({ where: { status: "OK" } });
  expect((after["GET /api/v1/chats"] ?? 0) - (before["GET /api/v1/chats"] ?? 0)).toBe(okAccounts);
  expect(total(after) - total(before)).toBe(okAccounts);
  expect(await lastSweep()).toMatchObject({ repaired: { messages: 0, chats: 0, refreshed: 0 } });
});

it("is absorbed by a sync of everything that is already queued, and never absorbs one", async () => {
  const full = await enqueueSync({ scope: "all", reason: "startup" });
  expect(await queueSweep()).toEqual({ runId: full.runId, created: false });
  await runToEnd(Promise.resolve(full));
  const sweep = await queueSweep();
  expect(sweep.created).toBe(true);
  const startup = await enqueueSync({ scope: "all", reason: "startup" });
  expect(startup.created).toBe(true);
  await runToEnd(Promise.resolve(startup));
});
