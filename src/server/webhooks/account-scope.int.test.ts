// UNIPILE_ACCOUNT_IDS on a Unipile workspace shared with other apps: sync, webhook registration and
// intake keep to the listed accounts; events of the others are logged as ignored and create nothing.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { enqueueSync, getRun } from "@/server/sync/runs.ts";
import { startSyncWorker } from "@/server/sync/worker.ts";
import { createUnipileClient, resetUnipileForTests } from "@/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "@/server/unipile/schemas.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { startWebhookBridge } from "@test/support/webhook-bridge.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";
import { drainApplyQueue } from "./apply.ts";
import { ensureWebhooksRegistered } from "./registration.ts";

const SECRET = "whsec-scope-0123456789abcdef";
let testDb: TestDatabase;
let sim: Simulator;
let bridge: Awaited<ReturnType<typeof startWebhookBridge>>;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 5, chats: 10, messages: 8 });
  bridge = await startWebhookBridge();
});
afterAll(async () => {
  delete process.env.UNIPILE_ACCOUNT_IDS;
  resetEnvForTests();
  await sim?.close();
  await bridge?.close();
  await testDb?.close();
});

it("syncs, registers and takes in only the accounts of UNIPILE_ACCOUNT_IDS", async () => {
  const byType = (t: string) => sim.store.accounts.find((a) => a.type === t)!;
  const ours = [byType("LINKEDIN").id, byType("WHATSAPP").id];
  const other = byType("TELEGRAM");
  Object.assign(process.env, {
    UNIPILE_DSN: sim.url,
    UNIPILE_API_KEY: sim.apiKey,
    UNIPILE_WEBHOOK_SECRET: SECRET,
    PUBLIC_URL: bridge.publicUrl,
    UNIPILE_ACCOUNT_IDS: ` ${ours[0]}, ${ours[1]} `,
  });
  resetEnvForTests();
  resetUnipileForTests();
  const client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey });

  // Registration: both hooks name exactly our accounts.
  await ensureWebhooksRegistered();
  const hooks = (await client.listWebhooks()).items;
  expect(hooks).toHaveLength(2);
  // Unipile lists them as {id, name, type}.
  for (const h of hooks)
    expect((h.account_ids ?? []).map((a) => (typeof a === "string" ? a : (a as { id: string }).id)).sort()).toEqual(
      [...ours].sort(),
    );

  // Sync: the other accounts and their chats are not stored.
  const { runId } = await enqueueSync({ scope: "all" });
  const worker = startSyncWorker({ client, pollMs: 20 });
  await worker.idle();
  await worker.stop();
  expect((await getRun(runId))?.status).toBe("succeeded");
  expect((await db.account.findMany({ select: { id: true } })).map((a) => a.id).sort()).toEqual([...ours].sort());
  const chatAccounts = await db.chat.groupBy({ by: ["accountId"] });
  expect(chatAccounts.map((c) => c.accountId).sort()).toEqual([...ours].sort());

  // Intake: a hook for every account (another app's, or one from before the setting) brings a
  // message and a status change of the other account. Both are logged as ignored, nothing is made.
  const secret = [{ key: "X-Webhook-Secret", value: SECRET }];
  await client.createWebhook({
    request_url: bridge.url,
    source: "messaging",
    format: "json",
    events: [...MESSAGING_EVENTS],
    headers: secret,
  });
  await client.createWebhook({
    request_url: bridge.url,
    source: "account_status",
    format: "json",
    events: ["error", "ok"],
    headers: secret,
  });
  const tgChat = [...sim.store.chats.values()].find((c) => c.account_id === other.id)!;
  const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", {
    chat_id: tgChat.id,
    text: "for another app",
  });
  await simControl(sim.url, "account-status", { account_id: other.id, status: "ERROR" });
  const liChat = [...sim.store.chats.values()].find((c) => c.account_id === ours[0])!;
  const mine = await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: liChat.id, text: "for us" });
  await sim.webhooks.idle();
  await drainApplyQueue();

  const logged = await db.webhookEvent.findMany({
    where: { accountId: other.id },
    select: { event: true, status: true, error: true },
  });
  expect(logged.map((e) => e.event).sort()).toEqual(["account_status", "message_received"]);
  for (const e of logged)
    expect(e).toMatchObject({ status: "applied", error: `Ignored: account ${other.id} is not in UNIPILE_ACCOUNT_IDS` });
  expect(await db.account.count({ where: { id: other.id } })).toBe(0);
  expect(await db.chat.count({ where: { unipileId: tgChat.id } })).toBe(0);
  expect(await db.message.count({ where: { unipileId: message_id } })).toBe(0);
  // Our own account's message arrives as always (once, through both hooks).
  expect(await db.message.count({ where: { unipileId: mine.message_id } })).toBe(1);
});

it("refuses a malformed UNIPILE_ACCOUNT_IDS with a clear message", async () => {
  const { checkEnv } = await import("@/server/env.ts");
  const result = checkEnv({
    DATABASE_URL: "postgresql://x@y/z",
    AUTH_SECRET: "0123456789abcdef0",
    UNIPILE_ACCOUNT_IDS: "acc_1,,acc 2",
  });
  expect(result).toEqual({
    ok: false,
    issues: [expect.stringMatching(/^UNIPILE_ACCOUNT_IDS is "acc_1,,acc 2": expected comma-separated Unipile account ids/)],
  });
});
