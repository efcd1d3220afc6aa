// The chat list says who wrote the newest message: "You" for our own, the sender in groups.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { listChats } from "./chat-service.ts";

let testDb: TestDatabase;
const admin = { id: "u_admin", email: "a@example.com", role: "admin" } as SessionUser;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.create({ data: { id: "acc", provider: "WHATSAPP", name: "Sales" } });
  const me = await db.attendee.create({ data: { accountId: "acc", providerId: "p_me", name: "Me", isSelf: true } });
  const lea = await db.attendee.create({ data: { accountId: "acc", providerId: "p_lea", name: "Léa Dubois" } });
  const t = (min: number) => new Date(Date.UTC(2025, 2, 4, 10, min));
  const chat = (unipileId: string, type: "single" | "group", at: number) =>
    db.chat.create({ data: { unipileId, accountId: "acc", type, name: unipileId, lastMessageAt: t(at), lastMessagePreview: "hi" } });
  const mine = await chat("mine", "single", 1);
  const group = await chat("group", "group", 2);
  const theirs = await chat("theirs", "single", 3);
  const deleted = await chat("deleted", "group", 4);
  await chat("empty", "single", 5);
  const msg = (chatId: string, at: number, from: { id: string; providerId: string }, extra = {}) =>
    db.message.create({ data: { chatId, senderId: from.id, senderProviderId: from.providerId, isSender: from === me, text: "hi", sentAt: t(at), ...extra } });
  // Older messages by someone else must not count: only the newest one names its author.
  await msg(mine.id, 0, lea);
  await msg(mine.id, 1, me);
  await msg(group.id, 1, me);
  await msg(group.id, 2, lea);
  await msg(theirs.id, 3, lea);
  await msg(deleted.id, 4, lea, { deleted: true });
});

afterAll(() => testDb.close());

it("names the author of each chat's newest message, and nobody for deleted messages or empty chats", async () => {
  const { items } = await listChats(admin, { limit: 10 });
  const by = Object.fromEntries(items.map((c) => [c.name, c.lastSender]));
  expect(by).toEqual({
    mine: { self: true, name: "Me" },
    group: { self: false, name: "Léa Dubois" },
    theirs: { self: false, name: "Léa Dubois" },
    deleted: null,
    empty: null,
  });
});
