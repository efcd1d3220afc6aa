// A recorded-style stream of mixed Unipile webhook events (the payload shapes of the recorded
// payloads in test/fixtures/unipile) over chats seeded locally, plus a normalized dump of what they leave
// in the database. Shared by the webhook integration tests and bench/webhooks.bench.ts.
import { db } from "@/server/db.ts";

const ACCOUNT = "acc_stream_wa";
const SELF = { attendee_id: "att_self", attendee_name: "Aiko Tanabe", attendee_provider_id: "33698120455@s.whatsapp.net", attendee_profile_url: null };
const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    attendee_id: `att_p${i}`,
    attendee_name: `Person ${i}`,
    attendee_provider_id: `336000000${String(i).padStart(2, "0")}@s.whatsapp.net`,
    attendee_profile_url: null,
  }));

type StreamChat = { unipileId: string; group: boolean; members: ReturnType<typeof people> };

/** Chats known before the stream starts (the sync put them there), with their attendees. */
export async function seedStreamChats(chatCount: number): Promise<StreamChat[]> {
  await db.account.upsert({ where: { id: ACCOUNT }, create: { id: ACCOUNT, provider: "WHATSAPP", name: "Stream WhatsApp" }, update: {} });
  const everyone = people(6);
  await db.attendee.createMany({
    data: [SELF, ...everyone].map((p) => ({
      accountId: ACCOUNT,
      providerId: p.attendee_provider_id,
      unipileId: p.attendee_id,
      name: p.attendee_name,
      isSelf: p === SELF,
    })),
    skipDuplicates: true,
  });
  const chats: StreamChat[] = [];
  for (let i = 0; i < chatCount; i++) {
    const group = i % 3 === 2;
    const members = group ? everyone.slice(0, 3) : [everyone[i % everyone.length]!];
    const unipileId = `chat_stream_${i}`;
    await db.chat.upsert({
      where: { unipileId },
      create: { unipileId, accountId: ACCOUNT, name: group ? `Group ${i}` : members[0]!.attendee_name, type: group ? "group" : "single" },
      update: {},
    });
    chats.push({ unipileId, group, members });
  }
  return chats;
}

const base = (chat: StreamChat, messageId: string, at: Date) => ({
  account_id: ACCOUNT,
  account_type: "WHATSAPP",
  account_info: { type: "WHATSAPP", feature: "whatsapp", user_id: SELF.attendee_provider_id },
  webhook_name: "parley",
  chat_id: chat.unipileId,
  provider_chat_id: `${chat.unipileId}@s.whatsapp.net`,
  is_group: chat.group,
  message_id: messageId,
  provider_message_id: `P-${messageId}`,
  timestamp: at.toISOString(),
  attendees: chat.members,
  is_event: 0,
  quoted: null,
  subject: null,
});

/**
 * Per chat: inbound and own messages (one with a lone string-typed attachment object, as in the
 * docs' example), a delivery and a read of an own message, reactions (changed, removed, added again),
 * two edits, a delete and a read
 * by us; then an account status event and an event type Parley does not handle.
 */
export function buildStream(chats: StreamChat[], messagesPerChat = 6, start = new Date("2025-11-18T09:00:00.000Z")): object[] {
  const events: object[] = [];
  let clock = start.getTime();
  const tick = () => {
    clock += 1000;
    return new Date(clock);
  };
  chats.forEach((chat, c) => {
    const ids: { id: string; own: boolean; text: string }[] = [];
    for (let m = 0; m < messagesPerChat; m++) {
      const own = m % 3 === 1;
      const id = `msg_${c}_${m}`;
      const sender = own ? SELF : chat.members[m % chat.members.length]!;
      const text = own ? `Reply ${m} in chat ${c}` : `Message ${m} in chat ${c}`;
      ids.push({ id, own, text });
      events.push({
        event: "message_received",
        ...base(chat, id, tick()),
        message: text,
        sender,
        is_sender: own,
        attachments:
          m === 2
            ? { id: `att_${c}_${m}`, type: "img", mimetype: "image/jpeg", file_size: "20311", unavailable: "false", size: { width: "640", height: "480" } }
            : [],
      });
    }
    const firstOwn = ids.find((x) => x.own)!;
    const firstIn = ids.find((x) => !x.own)!;
    const lastIn = ids.filter((x) => !x.own).at(-1)!;
    const reader = chat.members[0]!;
    type Sent = { id: string; text: string };
    // An event about one of our messages, or about one from the chat's first member.
    const aboutOwn = (event: string, m: Sent, more: object = {}) =>
      events.push({ event, ...base(chat, m.id, tick()), message: m.text, sender: SELF, is_sender: true, attachments: [], ...more });
    const aboutInbound = (event: string, m: Sent, more: object = {}) =>
      events.push({ event, ...base(chat, m.id, tick()), message: m.text, sender: chat.members[0], is_sender: false, attachments: [], ...more });
    aboutOwn("message_delivered", firstOwn);
    aboutOwn("message_read", firstOwn, { read_by: reader });
    aboutInbound("message_reaction", firstIn, { reaction: "🔥", reaction_sender: SELF });
    aboutOwn("message_reaction", firstOwn, { reaction: "👍", reaction_sender: reader });
    // People change their minds: another emoji (it replaces the first on WhatsApp), then none; we
    // remove ours and react again.
    for (const reaction of ["❤️", ""]) aboutOwn("message_reaction", firstOwn, { reaction, reaction_sender: reader });
    for (const reaction of ["", "🙏"]) aboutInbound("message_reaction", firstIn, { reaction, reaction_sender: SELF });
    aboutInbound("message_edited", firstIn, { message: `${firstIn.text} (edited)` });
    aboutInbound("message_edited", firstIn, { message: `${firstIn.text} (edited twice)` });
    if (messagesPerChat > 3) {
      const victim = ids[3]!;
      aboutInbound("message_deleted", victim, { message: null, is_sender: victim.own });
    }
    // Read by us on the phone up to the last-but-one inbound message.
    const readUpTo = ids.filter((x) => !x.own).at(-2) ?? lastIn;
    aboutInbound("message_read", readUpTo, { read_by: SELF });
  });
  events.push({ AccountStatus: { account_id: ACCOUNT, account_type: "WHATSAPP", message: "CREDENTIALS" } });
  events.push({ event: "message_failed", account_id: ACCOUNT, chat_id: chats[0]!.unipileId, message_id: "msg_0_0", timestamp: tick().toISOString() });
  return events;
}

/** A seeded shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Everything a user could notice, without our own ids and clocks. */
export async function dumpState() {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const chats = await db.chat.findMany({
    orderBy: { unipileId: "asc" },
    select: { unipileId: true, name: true, type: true, unreadCount: true, lastMessageAt: true, lastMessagePreview: true, accountId: true },
  });
  const messages = await db.message.findMany({
    orderBy: { unipileId: "asc" },
    select: {
      unipileId: true,
      chat: { select: { unipileId: true } },
      senderProviderId: true,
      text: true,
      originalText: true,
      editHistory: true,
      edited: true,
      deleted: true,
      deletedAt: true,
      status: true,
      seenBy: true,
      isSender: true,
      sentAt: true,
      reactions: { orderBy: [{ senderProviderId: "asc" }, { value: "asc" }], select: { senderProviderId: true, value: true, isSender: true } },
      attachments: {
        orderBy: { unipileId: "asc" },
        select: { unipileId: true, kind: true, mimeType: true, size: true, name: true, width: true, height: true, unavailable: true },
      },
    },
  });
  const accounts = await db.account.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, statusMessage: true } });
  return {
    accounts,
    chats: chats.map((c) => ({ ...c, lastMessageAt: iso(c.lastMessageAt) })),
    messages: messages.map(({ chat, sentAt, deletedAt, ...m }) => ({ ...m, chat: chat.unipileId, sentAt: iso(sentAt), deletedAt: iso(deletedAt) })),
  };
}

/** Empties what the stream writes, between two deliveries of it in one test file. */
export async function resetStreamTables() {
  await db.$executeRawUnsafe(
    `TRUNCATE "Reaction", "Attachment", "Message", "ChatMember", "Chat", "Attendee", "WebhookEvent", "RealtimeEvent" CASCADE`,
  );
  await db.account.deleteMany({ where: { id: ACCOUNT } });
}
