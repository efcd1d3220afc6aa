// React, remove, edit, delete and forward through the tRPC API, against the simulator over HTTP, with
// its webhooks delivered to our real webhook route: each action and its echo end in one state (never
// doubled, never flipped back), a refused or failed action changes nothing and says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { sendMessage } from "@/server/services/send-service.ts";
import { ensureChat } from "@/server/store/chats.ts";
import { upsertMessages } from "@/server/store/messages.ts";
import { getUnipile, resetUnipileForTests } from "@/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "@/server/unipile/schemas.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";
import { startWebhookBridge } from "@test/support/webhook-bridge.ts";
import type { Provider } from "../../../simulator/data.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";

const SECRET = "whsec-message-actions-0123456789";
let testDb: TestDatabase;
let sim: Simulator;
let bridge: Awaited<ReturnType<typeof startWebhookBridge>>;
let admin: SessionUser;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  // Seeded messages end three hours ago, so every seeded own LinkedIn message is past its 60 minutes.
  sim = await startSimulator({ port: 0, seed: 33, baseTime: Date.now() - 3 * 3600_000 });
  bridge = await startWebhookBridge();
  Object.assign(process.env, { UNIPILE_DSN: sim.url, UNIPILE_API_KEY: sim.apiKey, UNIPILE_WEBHOOK_SECRET: SECRET });
  resetEnvForTests();
  resetUnipileForTests();
  await getUnipile().createWebhook({
    request_url: bridge.url,
    source: "messaging",
    format: "json",
    events: [...MESSAGING_EVENTS],
    headers: [{ key: "X-Webhook-Secret", value: SECRET }],
  });
  ({ admin } = await seedAdminAndAgent({ agentAccounts: [] }));
});
afterAll(async () => {
  await sim?.close();
  await bridge?.close();
  await testDb?.close();
});

const api = () => apiAs(admin);
const simChats = (type: Provider) =>
  [...sim.store.chats.values()].filter((c) => c.account_type === type && c.type === 0 && !c.read_only);

/** A simulator chat stored here with its messages, as a sync would leave it. */
async function stored(simChatId: string) {
  const c = sim.store.chats.get(simChatId)!;
  const { chat } = await ensureChat(c.id, c.account_id);
  await upsertMessages(chat, (await getUnipile().listChatMessages(c.id, { limit: 50 })).items, { countUnread: false });
  return chat.id;
}
async function shown(chatId: string, messageId: string) {
  const { items } = await api().message.list({ chatId, limit: 100 });
  return items.find((m) => m.id === messageId)!;
}
const unipileIdOf = async (id: string) =>
  (await db.message.findUniqueOrThrow({ where: { id }, select: { unipileId: true } })).unipileId!;

/** Waits until `n` webhook events of this kind about this Unipile message were decided, and returns them. */
async function decided(event: string, unipileId: string, n = 1) {
  for (let i = 0; i < 400; i++) {
    await drainApplyQueue();
    const rows = await db.webhookEvent.findMany({ where: { event, messageId: unipileId }, orderBy: { id: "asc" } });
    if (rows.length >= n && rows.every((r) => r.status === "applied" || r.status === "duplicate")) return rows;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${event} for ${unipileId} was not decided`);
}

async function inbound(simChatId: string, text: string) {
  const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: simChatId, text });
  await decided("message_received", message_id);
  return (await db.message.findUniqueOrThrow({ where: { unipileId: message_id }, select: { id: true } })).id;
}
async function ownSend(chatId: string, text: string) {
  const sent = await sendMessage(
    admin,
    { chatId, clientTxnId: `txn-${Math.random().toString(36).slice(2, 12)}`, text },
    getUnipile(),
  );
  await decided("message_received", sent.unipileId!);
  return sent.id;
}

describe("react", () => {
  it("shows our reaction at once; its echo, a replacement and a removal each end in one state", async () => {
    const sc = simChats("WHATSAPP")[0]!;
    const chatId = await stored(sc.id);
    const id = await inbound(sc.id, "Lunch on Friday?");
    const uid = await unipileIdOf(id);

    // The echo may come before Unipile's answer (then it is applied, and ours finds it recorded) or
    // after (then it is the duplicate): either way one reaction.
    await api().message.react({ chatId, messageId: id, value: "👍" });
    expect((await shown(chatId, id)).reactions).toMatchObject([{ value: "👍", count: 1, mine: true }]);
    await decided("message_reaction", uid);
    expect((await shown(chatId, id)).reactions).toMatchObject([{ value: "👍", count: 1, mine: true }]);
    expect(await db.reaction.count({ where: { messageId: id } })).toBe(1);

    await api().message.react({ chatId, messageId: id, value: "❤️" });
    await decided("message_reaction", uid, 2);
    expect((await shown(chatId, id)).reactions).toMatchObject([{ value: "❤️", count: 1, mine: true }]);

    await api().message.react({ chatId, messageId: id, value: null });
    expect((await shown(chatId, id)).reactions).toEqual([]);
    await decided("message_reaction", uid, 3);
    expect((await shown(chatId, id)).reactions).toEqual([]);
    expect(sim.store.getMessage(uid)!.reactions).toEqual([]);
  });

  it("LinkedIn: no removal, no text for an emoji, and a new reaction of ours replaces the old", async () => {
    const sc = simChats("LINKEDIN")[0]!;
    const chatId = await stored(sc.id);
    const id = await inbound(sc.id, "Hello there");
    await expect(api().message.react({ chatId, messageId: id, value: null })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Remove reaction is not possible in this LinkedIn chat",
    });
    await expect(api().message.react({ chatId, messageId: id, value: "hello" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A reaction is one emoji",
    });
    expect((await shown(chatId, id)).reactions).toEqual([]);

    // Ours stays one reaction there too: a new one replaces it, here and in Unipile, even when the first
    // one's echo arrives only after the second was recorded.
    const release = bridge.hold();
    await api().message.react({ chatId, messageId: id, value: "👍" });
    await api().message.react({ chatId, messageId: id, value: "❤️" });
    expect((await shown(chatId, id)).reactions).toMatchObject([{ value: "❤️", count: 1, mine: true }]);
    release();
    await decided("message_reaction", await unipileIdOf(id), 2);
    expect((await shown(chatId, id)).reactions).toMatchObject([{ value: "❤️", count: 1, mine: true }]);
    expect(sim.store.getMessage(await unipileIdOf(id))!.reactions.map((r) => r.value)).toEqual(["❤️"]);
  });
});

describe("edit and delete", () => {
  it("an edit shows the new text with the original kept; its echo adds no second version", async () => {
    const sc = simChats("WHATSAPP")[1]!;
    const chatId = await stored(sc.id);
    const id = await ownSend(chatId, "See you at 9");
    await api().message.edit({ chatId, messageId: id, text: "See you at 10" });
    expect(await shown(chatId, id)).toMatchObject({ text: "See you at 10", edited: true, originalText: "See you at 9" });
    await decided("message_edited", await unipileIdOf(id));
    const row = await db.message.findUniqueOrThrow({ where: { id }, select: { text: true, editHistory: true } });
    expect(row.text).toBe("See you at 10");
    expect(row.editHistory).toHaveLength(1);
  });

  it("a delete leaves a tombstone; its echo changes nothing; others' messages cannot be edited or deleted", async () => {
    const sc = simChats("WHATSAPP")[1]!;
    const chatId = await stored(sc.id);
    const id = await ownSend(chatId, "Oops, wrong chat");
    await api().message.delete({ chatId, messageId: id });
    expect(await shown(chatId, id)).toMatchObject({ deleted: true, text: null });
    await decided("message_deleted", await unipileIdOf(id));
    expect(await shown(chatId, id)).toMatchObject({ deleted: true, text: null });

    const theirs = await inbound(sc.id, "Not yours to change");
    await expect(api().message.edit({ chatId, messageId: theirs, text: "x" })).rejects.toMatchObject({
      message: "Only your own messages can be edited",
    });
    await expect(api().message.delete({ chatId, messageId: theirs })).rejects.toMatchObject({
      message: "Only your own messages can be deleted",
    });
    expect(await shown(chatId, theirs)).toMatchObject({ text: "Not yours to change", deleted: false });
  });

  it("LinkedIn: a new own message can be deleted, one older than 60 minutes cannot", async () => {
    const sc = simChats("LINKEDIN").find((c) => sim.store.messagesOf(c).some((m) => m.is_sender && !m.deleted && !m.is_event))!;
    const chatId = await stored(sc.id);
    const old = sim.store.messagesOf(sc).find((m) => m.is_sender && !m.deleted && !m.is_event)!;
    const oldId = (await db.message.findUniqueOrThrow({ where: { unipileId: old.id } })).id;
    await expect(api().message.delete({ chatId, messageId: oldId })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "LinkedIn messages can be deleted only within 60 minutes of sending",
    });
    expect(sim.store.getMessage(old.id)!.deleted).toBe(0);
    const fresh = await ownSend(chatId, "Sent by mistake");
    await api().message.delete({ chatId, messageId: fresh });
    expect(await shown(chatId, fresh)).toMatchObject({ deleted: true });
  });
});

describe("forward", () => {
  it("puts one copy into the other chat by its echo, as our own message", async () => {
    const [a, b] = simChats("WHATSAPP");
    const fromId = await stored(a!.id);
    const toId = await stored(b!.id);
    const id = await inbound(a!.id, "The address is 12 Harbour Road");
    const res = await api().message.forward({ chatId: fromId, messageId: id, toChatId: toId });
    expect(res).toMatchObject({ toChatId: toId, unipileId: expect.any(String) });
    await decided("message_received", res.unipileId!);
    const copies = await db.message.findMany({ where: { chatId: toId, text: "The address is 12 Harbour Road" } });
    expect(copies).toMatchObject([{ isSender: true, unipileId: res.unipileId }]);
  });

  it("refuses a chat of another account, and providers without forwarding", async () => {
    const wa = simChats("WHATSAPP")[0]!;
    const [li, li2] = simChats("LINKEDIN");
    const waId = await stored(wa.id);
    const liId = await stored(li!.id);
    const li2Id = await stored(li2!.id);
    const waMsg = await inbound(wa.id, "forward me");
    await expect(api().message.forward({ chatId: waId, messageId: waMsg, toChatId: liId })).rejects.toMatchObject({
      message: "Messages can be forwarded only to chats of the same account",
    });
    const liMsg = await inbound(li!.id, "and me");
    await expect(api().message.forward({ chatId: liId, messageId: liMsg, toChatId: li2Id })).rejects.toMatchObject({
      message: "Forward is not possible in this LinkedIn chat",
    });
  });
});

describe("a Unipile fault", () => {
  it("fails each action with a sentence and leaves the message exactly as it was", async () => {
    const [a, b] = simChats("WHATSAPP");
    const chatId = await stored(a!.id);
    const toId = await stored(b!.id);
    const id = await ownSend(chatId, "Stays as it is");
    const before = await shown(chatId, id);
    const toBefore = await db.message.count({ where: { chatId: toId } });
    await simControl(sim.url, "faults", { actionFailStatus: 422 });
    try {
      for (const [call, what] of [
        [() => api().message.react({ chatId, messageId: id, value: "😂" }), "The reaction"],
        [() => api().message.edit({ chatId, messageId: id, text: "changed" }), "The edit"],
        [() => api().message.delete({ chatId, messageId: id }), "Deleting"],
        [() => api().message.forward({ chatId, messageId: id, toChatId: toId }), "Forwarding"],
      ] as const)
        await expect(call()).rejects.toMatchObject({
          code: "BAD_GATEWAY",
          message: `${what} did not work. Unipile refused it: Injected failure of a message action.`,
        });
    } finally {
      await simControl(sim.url, "faults", {});
    }
    expect(await shown(chatId, id)).toEqual(before);
    expect(await db.message.count({ where: { chatId: toId } })).toBe(toBefore);
  });
});
