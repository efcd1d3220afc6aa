// Webhook-first: a message in a chat we do not know is shown at once even when Unipile cannot be
// asked about the chat (404, 5xx), made from the payload and filled in by the chat's sync later.
// On an account we do not know, the account is looked up first; unreachable, the event waits and retries.
import { expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { upsertAccounts } from "@/server/store/accounts.ts";
import { startSyncWorker } from "@/server/sync/worker.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";
import { simulatorBehindBridge } from "@test/support/webhook-bridge.ts";
import { simControl } from "../../../simulator/testing.ts";
import { drainApplyQueue } from "./apply.ts";
import { startWebhookWorker } from "./worker.ts";

const SECRET = "whsec-first-0123456789abcdef";
const h = simulatorBehindBridge({ secret: SECRET, seed: 6, chats: 6, messages: 5 });

/** A message from a new person, which Unipile delivers by webhook in a chat new to us. */
async function inboundInNewChat(accountId: string, sender: string, text: string) {
  const sent = await simControl<{ chat_id: string; message_id: string }>(h.sim.url, "inbound", {
    account_id: accountId,
    sender_name: sender,
    text,
  });
  await h.sim.webhooks.idle();
  await drainApplyQueue();
  return sent;
}

async function syncQueuedRuns() {
  const worker = startSyncWorker({ client: h.client, pollMs: 20 });
  await worker.idle();
  await worker.stop();
}

it("shows a message at once when its new chat cannot be looked up, and fills the chat in on its sync", async () => {
  await upsertAccounts((await h.client.listAccounts()).items);
  const { admin } = await seedAdminAndAgent({ agentAccounts: [] });
  const wa = h.sim.store.accounts.find((a) => a.type === "WHATSAPP")!;

  const cases = [
    { faults: { errorRate: 1, errorStatus: 404 }, sender: "Noor Haddad", text: "the chat lookup answers 404" },
    { faults: { errorRate: 1, errorStatus: 503 }, sender: "Emil Sørensen", text: "the chat lookup answers 503" },
  ];
  const made: { chat_id: string; message_id: string; sender: string; text: string }[] = [];
  for (const c of cases) {
    await simControl(h.sim.url, "faults", c.faults);
    made.push({ ...(await inboundInNewChat(wa.id, c.sender, c.text)), sender: c.sender, text: c.text });
  }
  await simControl(h.sim.url, "faults", {});

  // In the inbox at once, named after the person who wrote, with the message as its preview.
  const list = await apiAs(admin).chat.list({ limit: 50 });
  for (const m of made) {
    const event = await db.webhookEvent.findFirstOrThrow({ where: { messageId: m.message_id } });
    expect(event).toMatchObject({
      status: "applied",
      error: expect.stringMatching(/^new chat made from the webhook \(Unipile lookup failed: Unipile (404|503)/),
    });
    const stored = await db.message.findUniqueOrThrow({
      where: { unipileId: m.message_id },
      select: { text: true, chat: { select: { id: true, unipileId: true } } },
    });
    expect(stored).toEqual({ text: m.text, chat: { id: expect.any(String), unipileId: m.chat_id } });
    const item = list.items.find((i) => i.id === stored.chat.id);
    expect(item, m.text).toMatchObject({ displayName: m.sender, lastMessagePreview: m.text, unreadCount: 1, type: "single" });
  }

  // The chat's sync, queued when it was made, brings what only Unipile knows.
  await syncQueuedRuns();
  for (const m of made) {
    const upstream = h.sim.store.chats.get(m.chat_id)!;
    // Members as Unipile lists them (the account's own person, marked as self, besides).
    expect(await db.chatMember.count({ where: { chat: { unipileId: m.chat_id }, attendee: { isSelf: true } } })).toBe(1);
    const chat = await db.chat.findUniqueOrThrow({
      where: { unipileId: m.chat_id },
      select: {
        providerId: true,
        lastSyncedAt: true,
        name: true,
        members: { where: { attendee: { isSelf: false } }, select: { attendee: { select: { unipileId: true, name: true } } } },
      },
    });
    expect(chat.providerId).toBe(upstream.provider_id);
    expect(chat.lastSyncedAt).not.toBeNull();
    expect(chat.name).toBe(m.sender);
    const others = h.sim.store.others(upstream);
    expect(chat.members.map((x) => x.attendee).sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(
      others.map((o) => ({ unipileId: o.id, name: o.name })).sort((a, b) => a.name!.localeCompare(b.name!)),
    );
    expect(await db.message.count({ where: { chat: { unipileId: m.chat_id } } })).toBe(1);
  }
});

it("looks a new account up first; while Unipile cannot be asked the event waits in the log and is retried", async () => {
  const tg = h.sim.store.accounts.find((a) => a.type === "TELEGRAM")!;
  // An account connected after our last account sync.
  await db.account.delete({ where: { id: tg.id } });

  await simControl(h.sim.url, "faults", { errorRate: 1, errorStatus: 503 });
  const sent = await inboundInNewChat(tg.id, "Ilse Vermeer", "hello from a new account");
  const waiting = await db.webhookEvent.findFirstOrThrow({ where: { messageId: sent.message_id } });
  expect(waiting).toMatchObject({
    status: "deferred",
    error: expect.stringMatching(/^Account .* is new and Unipile cannot be asked about it/),
  });
  // Backed off, not retried at once.
  expect(waiting.notBefore.getTime()).toBeGreaterThan(Date.now() + 5_000);
  expect(await db.message.count({ where: { unipileId: sent.message_id } })).toBe(0);
  expect(await db.account.count({ where: { id: tg.id } })).toBe(0);

  // Unipile answers again and the wait is over (moved to now: the test does not sleep the backoff).
  await simControl(h.sim.url, "faults", {});
  await db.webhookEvent.update({ where: { id: waiting.id }, data: { notBefore: new Date() } });
  const worker = startWebhookWorker({ intervalMs: 60_000 });
  await worker.tick();
  await worker.stop();

  expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({
    status: "applied",
    error: "new chat fetched from Unipile",
  });
  expect(await db.account.findUniqueOrThrow({ where: { id: tg.id } })).toMatchObject({ name: tg.name, provider: "TELEGRAM" });
  const message = await db.message.findUniqueOrThrow({
    where: { unipileId: sent.message_id },
    select: { text: true, chat: { select: { unipileId: true, name: true } } },
  });
  expect(message).toEqual({ text: "hello from a new account", chat: { unipileId: sent.chat_id, name: "Ilse Vermeer" } });
});

it("ignores a message naming an account Unipile does not know, and makes nothing of it", async () => {
  const sample = await db.webhookEvent.findFirstOrThrow({ where: { event: "message_received", status: "applied" } });
  const forged = { ...JSON.parse(sample.body), account_id: "acc_forged", chat_id: "chat_forged", message_id: "msg_forged" };
  const res = await fetch(h.bridge.url, {
    method: "POST",
    headers: { "x-webhook-secret": SECRET, "content-type": "application/json" },
    body: JSON.stringify(forged),
  });
  expect(res.status).toBe(200);
  await drainApplyQueue();
  expect(await db.webhookEvent.findFirstOrThrow({ where: { messageId: "msg_forged" } })).toMatchObject({
    status: "applied",
    error: "Ignored: account acc_forged is unknown to Unipile",
  });
  expect(await db.account.count({ where: { id: "acc_forged" } })).toBe(0);
  expect(await db.chat.count({ where: { unipileId: "chat_forged" } })).toBe(0);
  expect(await db.message.count({ where: { unipileId: "msg_forged" } })).toBe(0);
});
