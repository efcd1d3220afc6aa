// The inbox most read-path tests look at: two accounts (WhatsApp, granted to the agent; LinkedIn,
// not granted and disconnected), a 1:1 chat without a name, a group of 120 messages plus a deleted
// one, and a hidden chat; an admin and an agent. Returns ids that never change after seeding.
import { afterAll, beforeAll } from "vitest";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "./db.ts";
import { seedAdminAndAgent } from "./users.ts";

async function seedInbox() {
  await db.account.createMany({
    data: [
      { id: "acc_wa", provider: "WHATSAPP", name: "Sales WhatsApp" },
      { id: "acc_li", provider: "LINKEDIN", name: "CEO LinkedIn", status: "CREDENTIALS" },
    ],
  });
  const ana = await db.attendee.create({
    data: { accountId: "acc_wa", providerId: "p_ana", unipileId: "u_att_ana", name: "Ana Lima", pictureUrl: "https://cdn.example/ana.png?expires=1" },
  });
  const me = await db.attendee.create({ data: { accountId: "acc_wa", providerId: "p_me", name: "Me", isSelf: true } });
  const bo = await db.attendee.create({ data: { accountId: "acc_wa", providerId: "p_bo", name: "Bo" } });
  const unnamed = await db.chat.create({
    data: {
      unipileId: "u_chat_ana",
      accountId: "acc_wa",
      type: "single",
      name: null,
      attendeeProviderId: "p_ana",
      lastMessageAt: new Date("2025-03-01T10:00:00Z"),
      unreadCount: 2,
      members: { create: [{ attendeeId: me.id }, { attendeeId: ana.id }] },
    },
  });
  const group = await db.chat.create({
    data: {
      unipileId: "u_chat_group",
      accountId: "acc_wa",
      type: "group",
      name: "Launch crew",
      lastMessageAt: new Date("2025-03-02T10:00:00Z"),
      members: { create: [{ attendeeId: me.id }, { attendeeId: ana.id }, { attendeeId: bo.id }] },
    },
  });
  const secret = await db.chat.create({
    data: { unipileId: "u_chat_board", accountId: "acc_li", type: "single", name: "Board member", lastMessageAt: new Date("2025-03-03T10:00:00Z") },
  });
  // 120 messages in the group, one a minute, alternating senders.
  const t0 = new Date("2025-03-01T00:00:00Z").getTime();
  await db.message.createMany({
    data: Array.from({ length: 120 }, (_, i) => ({
      unipileId: `u_m_${i}`,
      chatId: group.id,
      senderId: i % 2 ? ana.id : bo.id,
      senderProviderId: i % 2 ? "p_ana" : "p_bo",
      text: i === 7 ? "The quarterly budgetary review is on Friday" : `message number ${i}`,
      sentAt: new Date(t0 + i * 60_000),
    })),
  });
  await db.message.create({
    data: { unipileId: "u_secret_1", chatId: secret.id, text: "confidential budgetary numbers", sentAt: new Date("2025-03-03T10:00:00Z") },
  });
  await db.message.create({
    data: { unipileId: "u_deleted", chatId: group.id, text: "budgetary leak", deleted: true, sentAt: new Date(t0 + 30 * 60_000 + 30_000) },
  });
  const users = await seedAdminAndAgent({ agentAccounts: ["acc_wa"], adminEmail: "admin@inbox.test", agentEmail: "agent@inbox.test" });
  return Object.freeze({ ...users, chats: Object.freeze({ unnamed: unnamed.id, group: group.id, secret: secret.id }) });
}

type Inbox = Awaited<ReturnType<typeof seedInbox>>;

/**
 * For a whole test file: a private database with the inbox seeded before its tests, dropped after.
 * The returned object is filled in once beforeAll ran (read its fields inside tests).
 */
export function seededInbox(): Inbox {
  const inbox = {} as { -readonly [K in keyof Inbox]: Inbox[K] };
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await setupTestDatabase();
    Object.assign(inbox, await seedInbox());
  });
  afterAll(() => testDb?.close());
  return inbox;
}
