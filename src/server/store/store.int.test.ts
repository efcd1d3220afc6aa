import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { subscribe, type StoredEvent } from "@/server/realtime/bus.ts";
import { ChatSchema, MessageSchema, type Message } from "@/server/unipile/schemas.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { upsertAccounts } from "./accounts.ts";
import { upsertChat } from "./chats.ts";
import { upsertMessages } from "./messages.ts";

let testDb: TestDatabase;
let chatId: string;
const ACC = "acc_store";

function msg(id: string, over: Partial<Record<string, unknown>> = {}): Message {
  return MessageSchema.parse({
    object: "Message",
    id,
    provider_id: `p_${id}`,
    chat_id: "uc_1",
    account_id: ACC,
    sender_id: "them@s",
    sender_attendee_id: "att_them",
    text: `text of ${id}`,
    timestamp: "2025-03-01T10:00:00.000Z",
    is_sender: 0,
    attachments: [],
    reactions: [],
    seen: 0,
    seen_by: {},
    delivered: 0,
    hidden: 0,
    deleted: 0,
    edited: 0,
    is_event: 0,
    original: "{}",
    ...over,
  });
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await upsertAccounts([{ id: ACC, name: "Store WA", type: "WHATSAPP", sources: [{ id: "s", status: "OK" }] }]);
  const chat = await upsertChat(
    ChatSchema.parse({
      id: "uc_1",
      account_id: ACC,
      account_type: "WHATSAPP",
      provider_id: "them@s",
      attendee_provider_id: "them@s",
      name: null,
      type: 0,
      timestamp: "2025-03-01T10:05:00.000Z",
      unread_count: 2,
      archived: 0,
      read_only: 0,
    }),
    [
      { id: "att_them", account_id: ACC, provider_id: "them@s", name: "Dana Them", is_self: false },
      { id: "att_me", account_id: ACC, provider_id: "me@s", name: "Me", is_self: true },
    ],
  );
  chatId = chat.id;
});
afterAll(() => testDb?.close());

describe("upsertChat", () => {
  it("names a nameless 1:1 chat after its attendee, takes Unipile's unread count, lists members", async () => {
    const chat = await db.chat.findUniqueOrThrow({ where: { id: chatId }, include: { members: { include: { attendee: true } } } });
    expect(chat.name).toBe("Dana Them");
    expect(chat.unreadCount).toBe(2);
    expect(chat.unipileTimestamp).toBeNull();
    expect(chat.members.map((m) => m.attendee.name).sort()).toEqual(["Dana Them", "Me"]);
  });

  it("keeps the name current when the attendee is renamed, and drops members who left", async () => {
    const chat = ChatSchema.parse({
      id: "uc_1", account_id: ACC, account_type: "WHATSAPP", provider_id: "them@s", attendee_provider_id: "them@s",
      name: null, type: 0, timestamp: null, unread_count: 0,
    });
    const again = await upsertChat(chat, [{ id: "att_them", account_id: ACC, provider_id: "them@s", name: "Dana New", is_self: false }]);
    expect(again.id).toBe(chatId);
    expect(again.created).toBe(false);
    const row = await db.chat.findUniqueOrThrow({ where: { id: chatId }, include: { members: true } });
    expect(row.name).toBe("Dana New");
    expect(row.members).toHaveLength(1);
  });
});

describe("upsertMessages", () => {
  it("inserts once, with attachments, reactions, quote and sender; a second identical call changes nothing", async () => {
    const m = msg("m1", {
      attachments: [{ id: "a1", type: "img", mimetype: "image/png", file_size: 10, unavailable: false, size: { width: 3, height: 4 } }],
      reactions: [{ value: "👍", sender_id: "me@s", is_sender: true }],
      quoted: { id: "m0", provider_id: "p_m0", sender_id: "me@s", text: "earlier", attachments: [] },
    });
    const first = await upsertMessages(chatId, [m, m], { countUnread: false });
    expect(first).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
    const second = await upsertMessages(chatId, [m]);
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const row = await db.message.findUniqueOrThrow({ where: { unipileId: "m1" }, include: { attachments: true, reactions: true, sender: true } });
    expect(row.sender?.name).toBe("Dana New");
    expect(row.attachments).toMatchObject([{ unipileId: "a1", kind: "img", width: 3, height: 4, size: 10 }]);
    expect(row.reactions).toMatchObject([{ value: "👍", senderProviderId: "me@s", isSender: true }]);
    expect(row.quotedText).toBe("earlier");
    expect(await db.message.count({ where: { chatId } })).toBe(1);
  });

  it("makes reactions and attachments exactly what Unipile says", async () => {
    await upsertMessages(chatId, [
      msg("m1", {
        attachments: [{ id: "a2", type: "file", file_name: "x.pdf", unavailable: false }],
        reactions: [{ value: "❤️", sender_id: "them@s", is_sender: false }],
        quoted: { id: "m0", provider_id: "p_m0", sender_id: "me@s", text: "earlier", attachments: [] },
      }),
    ]);
    const row = await db.message.findUniqueOrThrow({ where: { unipileId: "m1" }, include: { attachments: true, reactions: true } });
    expect(row.attachments.map((a) => [a.unipileId, a.name])).toEqual([["a2", "x.pdf"]]);
    expect(row.reactions.map((r) => r.value)).toEqual(["❤️"]);
  });

  it("an edit keeps the original text and a history; a delete keeps the text as a tombstone", async () => {
    await upsertMessages(chatId, [msg("m2", { text: "first" })]);
    await upsertMessages(chatId, [msg("m2", { text: "second", edited: 1 })]);
    await upsertMessages(chatId, [msg("m2", { text: "third", edited: 1 })]);
    let row = await db.message.findUniqueOrThrow({ where: { unipileId: "m2" } });
    expect(row).toMatchObject({ text: "third", edited: true, originalText: "first" });
    expect((row.editHistory as { text: string }[]).map((e) => e.text)).toEqual(["first", "second"]);
    await upsertMessages(chatId, [msg("m2", { text: null, deleted: 1 })]);
    row = await db.message.findUniqueOrThrow({ where: { unipileId: "m2" } });
    expect(row).toMatchObject({ text: "third", deleted: true });
    expect(row.deletedAt).toBeInstanceOf(Date);
  });

  it("moves own message status forward only", async () => {
    await upsertMessages(chatId, [msg("m3", { is_sender: 1, sender_id: "me@s", seen: 1, delivered: 1 })]);
    await upsertMessages(chatId, [msg("m3", { is_sender: 1, sender_id: "me@s", seen: 0, delivered: 1, original: "changed" })]);
    expect((await db.message.findUniqueOrThrow({ where: { unipileId: "m3" } })).status).toBe("seen");
  });

  it("adopts a local send for its echo instead of inserting a second message; leaves other pending sends alone", async () => {
    const local = await db.message.create({
      data: { chatId, text: "on my way", sentAt: new Date("2025-03-01T11:00:00.000Z"), isSender: true, status: "pending", clientTxnId: "tx1" },
    });
    const other = await db.message.create({
      data: { chatId, text: "unrelated", sentAt: new Date("2025-03-01T11:00:00.000Z"), isSender: true, status: "pending", clientTxnId: "tx2" },
    });
    const far = await db.message.create({
      data: { chatId, text: "on my way", sentAt: new Date("2025-03-01T08:00:00.000Z"), isSender: true, status: "failed", clientTxnId: "tx3" },
    });
    const r = await upsertMessages(chatId, [
      msg("echo1", { is_sender: 1, sender_id: "me@s", text: "on my way", timestamp: "2025-03-01T11:00:03.000Z", delivered: 1 }),
    ]);
    expect(r.adopted).toBe(1);
    const adopted = await db.message.findUniqueOrThrow({ where: { id: local.id } });
    expect(adopted).toMatchObject({ unipileId: "echo1", status: "delivered", clientTxnId: "tx1" });
    expect(await db.message.count({ where: { chatId, text: "on my way" } })).toBe(2);
    expect((await db.message.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("pending");
    expect((await db.message.findUniqueOrThrow({ where: { id: far.id } })).unipileId).toBeNull();
  });

  it("an echo of a send that failed makes it sent (Unipile did send it); a later report only moves it forward", async () => {
    const failed = await db.message.create({
      data: {
        chatId, text: "did it go?", sentAt: new Date("2025-03-01T12:00:00.000Z"), isSender: true, status: "failed",
        statusError: "Unipile answered 500", clientTxnId: "tx-failed-echo",
      },
    });
    const echo = msg("echo-failed", { is_sender: 1, sender_id: "me@s", text: "did it go?", timestamp: "2025-03-01T12:00:02.000Z" });
    expect((await upsertMessages(chatId, [echo])).adopted).toBe(1);
    expect(await db.message.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      unipileId: "echo-failed", status: "sent", statusError: null,
    });
    await upsertMessages(chatId, [{ ...echo, delivered: true }]);
    expect((await db.message.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("delivered");
    await upsertMessages(chatId, [{ ...echo, delivered: false, original: "older copy" }]);
    expect((await db.message.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("delivered");
  });

  it("a message Unipile reports deleted keeps no reactions", async () => {
    const liked = msg("m-del-rx", { reactions: [{ value: "👍", sender_id: "me@s", is_sender: true }] });
    await upsertMessages(chatId, [liked]);
    expect(await db.reaction.count({ where: { message: { unipileId: "m-del-rx" } } })).toBe(1);
    // Unipile may still list the reaction on the tombstone: it goes with the message all the same.
    await upsertMessages(chatId, [{ ...liked, deleted: true, text: null }]);
    const row = await db.message.findUniqueOrThrow({ where: { unipileId: "m-del-rx" }, include: { reactions: true } });
    expect(row).toMatchObject({ deleted: true, text: "text of m-del-rx", reactions: [] });
  });

  it("a new inbound message makes the chat unread and becomes its preview; events follow the commit", async () => {
    await db.chat.update({ where: { id: chatId }, data: { unreadCount: 0 } });
    const ac = new AbortController();
    const got: StoredEvent[] = [];
    const it = await subscribe(() => true, { signal: ac.signal });
    const reading = (async () => {
      for await (const e of it) {
        got.push(e);
        if (got.length >= 2) break;
      }
    })();
    await upsertMessages(chatId, [msg("m9", { text: "hello there", timestamp: "2025-03-02T09:00:00.000Z" })]);
    await reading;
    ac.abort();
    const chat = await db.chat.findUniqueOrThrow({ where: { id: chatId } });
    expect(chat.unreadCount).toBe(1);
    expect(chat.lastMessagePreview).toBe("hello there");
    expect(chat.lastMessageAt?.toISOString()).toBe("2025-03-02T09:00:00.000Z");
    expect(got.map((e) => e.event.type).sort()).toEqual(["chat.updated", "message.upserted"]);
  });

  it("writes thousands of messages in batches without duplicates", async () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      msg(`bulk${i}`, { timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), reactions: i % 7 ? [] : [{ value: "😀", sender_id: "them@s", is_sender: false }] }),
    );
    const r = await upsertMessages(chatId, many, { publish: "chat", countUnread: false });
    expect(r.inserted).toBe(1200);
    const again = await upsertMessages(chatId, many, { publish: "chat", countUnread: false });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1200 });
    expect(await db.message.count({ where: { unipileId: { startsWith: "bulk" } } })).toBe(1200);
  });
});

describe("whole-second timestamps (WhatsApp's are often truncated)", () => {
  const at = async (id: string) => (await db.message.findUniqueOrThrow({ where: { unipileId: id }, select: { sentAt: true } })).sentAt.toISOString();

  it("a live message goes after the chat's messages of its second, in the order they arrived; sync and copies keep the times", async () => {
    await upsertMessages(chatId, [msg("ws_a", { timestamp: "2025-04-01T09:00:00.054Z" }), msg("ws_b", { timestamp: "2025-04-01T09:00:00.074Z" })]);
    // Sent after both, but its webhook says 09:00:00.000.
    await upsertMessages(chatId, [msg("ws_c", { timestamp: "2025-04-01T09:00:00.000Z" })], { live: true });
    await upsertMessages(chatId, [msg("ws_d", { timestamp: "2025-04-01T09:00:00.000Z" })], { live: true });
    expect([await at("ws_c"), await at("ws_d")]).toEqual(["2025-04-01T09:00:00.075Z", "2025-04-01T09:00:00.076Z"]);
    const chat = await db.chat.findUniqueOrThrow({ where: { id: chatId }, select: { lastMessagePreview: true } });
    expect(chat.lastMessagePreview).toBe("text of ws_d");
    // A copy of it (a duplicate webhook, a resync) with the whole second keeps where it was placed; an
    // earlier-second message from sync is stored as Unipile says.
    await upsertMessages(chatId, [msg("ws_c", { timestamp: "2025-04-01T09:00:00.000Z", text: "edited c" })], { live: true });
    await upsertMessages(chatId, [msg("ws_e", { timestamp: "2025-04-01T09:00:00.000Z" })]);
    expect([await at("ws_c"), await at("ws_e")]).toEqual(["2025-04-01T09:00:00.075Z", "2025-04-01T09:00:00.000Z"]);
    // A precise time from Unipile still wins over a placed one.
    await upsertMessages(chatId, [msg("ws_d", { timestamp: "2025-04-01T09:00:00.500Z", text: "edited d" })]);
    expect(await at("ws_d")).toBe("2025-04-01T09:00:00.500Z");
  });
});
