// One WhatsApp person is one attendee whether a list or an event names them by phone JID or by LID.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { AttendeeSchema, ChatSchema, MessageSchema } from "@/server/unipile/schemas.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { upsertAccounts } from "./accounts.ts";
import { upsertChatAttendees } from "./attendees.ts";
import { upsertChat } from "./chats.ts";
import { upsertMessages } from "./messages.ts";
import { samePerson } from "./people.ts";

const SECRET = "whsec-people-0123456789abcdef";
const ACC = "acc_wa_people";
const ACC2 = "acc_wa_people_2";
const SELF = "33698120455@s.whatsapp.net";
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  process.env.UNIPILE_WEBHOOK_SECRET = SECRET;
  resetEnvForTests();
  await upsertAccounts([
    { id: ACC, name: "WA", type: "WHATSAPP", sources: [{ id: "s", status: "OK" }] },
    { id: ACC2, name: "WA 2", type: "WHATSAPP", sources: [{ id: "s", status: "OK" }] },
  ]);
});
afterAll(() => testDb?.close());

async function deliver(body: object) {
  const res = await POST(
    new Request("http://localhost/api/webhooks/unipile", {
      method: "POST",
      headers: { "x-webhook-secret": SECRET, "content-type": "application/x-www-form-urlencoded" },
      body: JSON.stringify(body),
    }),
  );
  expect(res.status).toBe(200);
  await drainApplyQueue();
  const last = await db.webhookEvent.findFirstOrThrow({ orderBy: { id: "desc" }, select: { status: true, error: true } });
  expect(last, JSON.stringify(last)).toMatchObject({ status: expect.stringMatching(/applied|duplicate/) });
}

const person = (digits: string, lid: string) => ({ jid: `${digits}@s.whatsapp.net`, lid: `${lid}@lid`, phone: digits });

/** A chat as sync stores it, its attendees in JID or LID form (the LID form carries the JID). */
async function syncedChat(chatId: string, p: ReturnType<typeof person>, form: "jid" | "lid", account = ACC) {
  const id = form === "jid" ? p.jid : p.lid;
  const chat = await upsertChat(
    ChatSchema.parse({
      id: chatId,
      account_id: account,
      account_type: "WHATSAPP",
      provider_id: id,
      attendee_provider_id: id,
      name: "Ravi Iyer",
      type: 0,
      timestamp: "2026-11-30T10:00:00.000Z",
      unread_count: 0,
      archived: 0,
      read_only: 0,
    }),
    [
      AttendeeSchema.parse({ id: `att_${chatId}_self`, account_id: account, provider_id: SELF, name: "Me", is_self: 1 }),
      AttendeeSchema.parse({
        id: `att_${chatId}_them`,
        account_id: account,
        provider_id: id,
        name: "Ravi Iyer",
        is_self: 0,
        ...(form === "lid" ? { public_identifier: p.jid } : {}),
      }),
    ],
  );
  return chat;
}

function restMessage(chatId: string, id: string, sender: string, over: Record<string, unknown> = {}) {
  return MessageSchema.parse({
    object: "Message",
    id,
    chat_id: chatId,
    account_id: ACC,
    sender_id: sender,
    text: `text ${id}`,
    timestamp: "2026-11-30T09:00:00.000Z",
    is_sender: sender === SELF ? 1 : 0,
    attachments: [],
    reactions: [],
    seen: 0,
    seen_by: {},
    delivered: 1,
    hidden: 0,
    deleted: 0,
    edited: 0,
    is_event: 0,
    ...over,
  });
}

/** What a webhook says about the person: LID form with the JID beside it, or the bare JID. */
function ref(p: ReturnType<typeof person>, form: "jid" | "lid") {
  return form === "lid"
    ? {
        attendee_id: "att_x",
        attendee_name: "Ravi Iyer",
        attendee_provider_id: p.lid,
        attendee_public_identifier: p.jid,
        attendee_specifics: { provider: "WHATSAPP", phone_number: p.phone, lid: p.lid },
      }
    : { attendee_id: "att_x", attendee_name: "Ravi Iyer", attendee_provider_id: p.jid };
}

function received(chatId: string, messageId: string, sender: object, attendees: object[], isSender = false) {
  return {
    event: "message_received",
    account_id: ACC,
    account_type: "WHATSAPP",
    chat_id: chatId,
    message_id: messageId,
    timestamp: "2026-11-30T11:00:00.000Z",
    message: `hello ${messageId}`,
    sender,
    attendees,
    attachments: [],
    is_sender: isSender,
    is_group: false,
  };
}

const attendeesOf = (providerIds: string[]) =>
  db.attendee.findMany({
    where: { accountId: ACC, OR: [{ providerId: { in: providerIds } }, { altProviderId: { in: providerIds } }] },
  });

describe("WhatsApp ids in two forms", () => {
  it("a webhook in LID form after a sync in JID form lands on the synced person, with its reaction and receipt", async () => {
    const p = person("33611112222", "140874994434143");
    const chat = await syncedChat("wa_chat_jid", p, "jid");
    await upsertMessages(chat.id, [
      restMessage("wa_chat_jid", "m_jid_1", p.jid),
      restMessage("wa_chat_jid", "m_jid_own", SELF, { timestamp: "2026-11-30T09:30:00.000Z" }),
    ]);

    await deliver(received("wa_chat_jid", "m_lid_2", ref(p, "lid"), [ref(p, "lid")]));
    await deliver({
      ...received("wa_chat_jid", "m_jid_1", ref(p, "lid"), []),
      event: "message_reaction",
      reaction: "👍",
      reaction_sender: ref(p, "lid"),
    });
    await deliver({
      ...received("wa_chat_jid", "m_jid_own", ref(p, "lid"), [], true),
      event: "message_read",
      read_by: { attendee_provider_id: p.lid },
    });

    const people = await attendeesOf([p.jid, p.lid]);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ providerId: p.jid, altProviderId: p.lid, phoneNumber: p.phone, name: "Ravi Iyer" });
    const messages = await db.message.findMany({
      where: { chatId: chat.id, isSender: false },
      select: { unipileId: true, senderId: true, senderProviderId: true },
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        { unipileId: "m_jid_1", senderId: people[0]!.id, senderProviderId: p.jid },
        { unipileId: "m_lid_2", senderId: people[0]!.id, senderProviderId: p.jid },
      ]),
    );
    expect(await db.reaction.findMany({ select: { senderId: true, senderProviderId: true, value: true } })).toEqual([
      { senderId: people[0]!.id, senderProviderId: p.jid, value: "👍" },
    ]);
    const own = await db.message.findUniqueOrThrow({ where: { unipileId: "m_jid_own" }, select: { seenBy: true, status: true } });
    expect(Object.keys(own.seenBy as object)).toEqual([p.jid]);
    expect(own.status).toBe("seen");
  });

  it("a webhook in JID form after a sync in LID form lands on the synced person", async () => {
    const p = person("33633334444", "150000000000001");
    const chat = await syncedChat("wa_chat_lid", p, "lid");
    await upsertMessages(chat.id, [restMessage("wa_chat_lid", "m_lid_rest", p.lid)]);
    await deliver(received("wa_chat_lid", "m_jid_hook", ref(p, "jid"), [ref(p, "jid")]));

    const people = await attendeesOf([p.jid, p.lid]);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ providerId: p.lid, altProviderId: p.jid, phoneNumber: p.phone });
    const senders = await db.message.findMany({ where: { chatId: chat.id }, select: { senderId: true, senderProviderId: true } });
    expect(senders).toEqual([
      { senderId: people[0]!.id, senderProviderId: p.lid },
      { senderId: people[0]!.id, senderProviderId: p.lid },
    ]);
    // The chat's other person is shown: one member besides us, the same row.
    const members = await db.chatMember.findMany({
      where: { chatId: chat.id, attendee: { isSelf: false } },
      select: { attendeeId: true },
    });
    expect(members).toEqual([{ attendeeId: people[0]!.id }]);
  });

  it("merges a person already stored twice: messages, membership, reactions and receipts follow the older row, once", async () => {
    const p = person("33655556666", "160000000000002");
    // Stored before Parley knew the forms were one person: a JID chat and a LID chat, each with its own row.
    const jidChat = await syncedChat("wa_split_jid", p, "jid");
    const lidChat = await upsertChat(
      ChatSchema.parse({
        id: "wa_split_lid",
        account_id: ACC,
        account_type: "WHATSAPP",
        provider_id: p.lid,
        attendee_provider_id: p.lid,
        name: "Ravi Iyer",
        type: 0,
        timestamp: "2026-11-30T10:00:00.000Z",
        unread_count: 0,
        archived: 0,
        read_only: 0,
      }),
      [
        AttendeeSchema.parse({
          id: "att_split_lid",
          account_id: ACC,
          provider_id: p.lid,
          name: "Ravi I.",
          picture_url: "https://example.test/p.png",
          is_self: 0,
        }),
      ],
    );
    await upsertMessages(jidChat.id, [
      restMessage("wa_split_jid", "s_jid_in", p.jid, { reactions: [{ value: "❤️", sender_id: p.jid, is_sender: false }] }),
      restMessage("wa_split_jid", "s_jid_own", SELF, { seen_by: { [p.jid]: "2026-11-30T09:05:00.000Z" } }),
    ]);
    await upsertMessages(lidChat.id, [
      restMessage("wa_split_lid", "s_lid_in", p.lid),
      restMessage("wa_split_lid", "s_lid_own", SELF, {
        reactions: [{ value: "😂", sender_id: p.lid, is_sender: false }],
        seen_by: { [p.lid]: "2026-11-30T09:07:00.000Z" },
      }),
    ]);
    const before = await attendeesOf([p.jid, p.lid]);
    expect(before).toHaveLength(2);
    const older = before.find((a) => a.providerId === p.jid)!;

    // A later list shows the LID with its JID: the two rows are one person.
    const lidAttendees = [
      AttendeeSchema.parse({
        id: "att_split_lid",
        account_id: ACC,
        provider_id: p.lid,
        name: "Ravi I.",
        picture_url: "https://example.test/p.png",
        public_identifier: p.jid,
        is_self: 0,
      }),
    ];
    await upsertChatAttendees(lidChat.id, ACC, lidAttendees, "WHATSAPP");
    const state = async () => ({
      people: await attendeesOf([p.jid, p.lid]),
      messages: await db.message.findMany({
        where: { chatId: { in: [jidChat.id, lidChat.id] } },
        orderBy: { unipileId: "asc" },
        select: { unipileId: true, senderId: true, senderProviderId: true, seenBy: true },
      }),
      reactions: await db.reaction.findMany({
        orderBy: { value: "asc" },
        where: { message: { chatId: { in: [jidChat.id, lidChat.id] } } },
        select: { senderId: true, senderProviderId: true, value: true },
      }),
      members: await db.chatMember.findMany({
        where: { chatId: { in: [jidChat.id, lidChat.id] }, attendee: { isSelf: false } },
        orderBy: { chatId: "asc" },
        select: { chatId: true, attendeeId: true },
      }),
    });
    const after = await state();
    expect(after.people).toHaveLength(1);
    expect(after.people[0]).toMatchObject({
      id: older.id,
      providerId: p.jid,
      altProviderId: p.lid,
      pictureUrl: "https://example.test/p.png",
    });
    const theirs = after.messages.filter((m) => m.unipileId?.endsWith("_in"));
    expect(theirs.map((m) => [m.senderId, m.senderProviderId])).toEqual([
      [older.id, p.jid],
      [older.id, p.jid],
    ]);
    expect(after.messages.find((m) => m.unipileId === "s_lid_own")!.seenBy).toEqual({ [p.jid]: "2026-11-30T09:07:00.000Z" });
    expect(after.reactions).toEqual([
      { senderId: older.id, senderProviderId: p.jid, value: "❤️" },
      { senderId: older.id, senderProviderId: p.jid, value: "😂" },
    ]);
    expect(after.members).toEqual([jidChat.id, lidChat.id].sort().map((chatId) => ({ chatId, attendeeId: older.id })));

    // Idempotent: the same list again changes nothing.
    await upsertChatAttendees(lidChat.id, ACC, lidAttendees, "WHATSAPP");
    expect(await state()).toEqual(after);
  });

  it("samePerson lists the person on every account of the provider, in both forms", async () => {
    const p = person("33677778888", "170000000000003");
    await syncedChat("wa_same_1", p, "lid");
    await syncedChat("wa_same_2", p, "jid", ACC2);
    const mine = await db.attendee.findFirstOrThrow({ where: { accountId: ACC, providerId: p.lid } });
    const other = await db.attendee.findFirstOrThrow({ where: { accountId: ACC2, providerId: p.jid } });
    const same = await samePerson(mine.id);
    expect(same).toEqual({
      provider: "WHATSAPP",
      attendeeIds: expect.arrayContaining([mine.id, other.id]),
      providerIds: expect.arrayContaining([p.lid, p.jid]),
    });
    expect(same!.attendeeIds).toHaveLength(2);
    expect(same!.providerIds).toHaveLength(2);
    expect(await samePerson("no-such-attendee")).toBeNull();
  });

  it("a hidden phone number stays unknown and links nothing", async () => {
    const lid = "180000000000004@lid";
    await deliver(
      received(
        "wa_chat_jid",
        "m_hidden",
        {
          attendee_id: "att_h",
          attendee_name: "Someone",
          attendee_provider_id: lid,
          attendee_specifics: { provider: "WHATSAPP", phone_number: "hidden", lid },
        },
        [],
      ),
    );
    const row = await db.attendee.findFirstOrThrow({ where: { accountId: ACC, providerId: lid } });
    expect(row).toMatchObject({ altProviderId: null, phoneNumber: null, name: "Someone" });
  });
});

describe("writers naming the same people in other orders", () => {
  // Each sync walk writes its chat's attendees (and its members) in one transaction; four walk side by
  // side, and webhooks write people too. Rows taken in each writer's own order wait on each other in a
  // cycle, which PostgreSQL ends by failing one of them ("deadlock detected"): that chat is left unsynced.
  it.each(["LINKEDIN", "WHATSAPP"])("on %s, many chats at once all get their members, none fails", async (type) => {
    const account = `acc_order_${type.toLowerCase()}`;
    await upsertAccounts([{ id: account, name: type, type, sources: [{ id: "s", status: "OK" }] }]);
    const pid = (i: number) => (type === "WHATSAPP" ? `3361000${String(i).padStart(4, "0")}@s.whatsapp.net` : `ACoAAorder${i}`);
    const people = Array.from({ length: 16 }, (_, i) => i);
    const chats = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        upsertChat(
          ChatSchema.parse({
            id: `order_${type}_${n}`,
            account_id: account,
            account_type: type,
            provider_id: `g${n}`,
            name: `G${n}`,
            type: 1,
            timestamp: null,
          }),
        ),
      ),
    );
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        chats.map((chat, n) => {
          // Every chat names all sixteen, each in another order (rotated, every other one reversed).
          const order = people.map((i) => (i + n * 5 + round) % people.length);
          if (n % 2) order.reverse();
          return upsertChatAttendees(
            chat.id,
            account,
            order.map((i) =>
              AttendeeSchema.parse({
                id: `att_${type}_${i}`,
                account_id: account,
                provider_id: pid(i),
                name: `P${i} r${round}`,
                is_self: 0,
              }),
            ),
            type,
          );
        }),
      );
      expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    }
    expect(await db.attendee.count({ where: { accountId: account } })).toBe(16);
    expect(await db.chatMember.count({ where: { chatId: { in: chats.map((c) => c.id) } } })).toBe(12 * 16);
  });
});
