// message_read: the reader has seen up to this message; the reader goes into its seenBy. On our own
// messages: seen (forward only) for it and every earlier own message of the chat. On an inbound
// message (read by us on another device): only inbound messages after it stay unread.
import { db } from "../../db.ts";
import type { RealtimeEvent } from "../../realtime/bus.ts";
import { movableTo } from "../../store/message-status.ts";
import { rememberPeople } from "../../store/attendees.ts";
import { findMessage, peopleOf, providerIdOf } from "./message-lookup.ts";
import { deferred, eventTime, type MessageHandler } from "./types.ts";

export const messageRead: MessageHandler = async (p, ctx) => {
  const message = await findMessage(p.message_id);
  if (!message) return deferred(p.message_id);
  const at = eventTime(p, ctx).toISOString();
  // Readers in either WhatsApp form are keyed by the one stored person.
  const stored = await rememberPeople(message.accountId, peopleOf(p.read_by ?? []));
  const readers = (p.read_by ?? [])
    .map(providerIdOf)
    .filter((r): r is string => !!r)
    .map(stored);
  const events: RealtimeEvent[] = [];

  const seenBy = Object.fromEntries((readers.length ? readers : ["unknown"]).map((r) => [r, at]));
  // The reader's latest time wins whatever order the reads arrive in.
  const merged = await db.$executeRaw`
    UPDATE "Message" m SET "seenBy" = COALESCE(m."seenBy", '{}'::jsonb) || COALESCE((
        SELECT jsonb_object_agg(n.key, n.value) FROM jsonb_each(${JSON.stringify(seenBy)}::jsonb) n
        WHERE NOT (COALESCE(m."seenBy", '{}'::jsonb) ? n.key)
           OR (n.value #>> '{}') > (COALESCE(m."seenBy", '{}'::jsonb) -> n.key #>> '{}')), '{}'::jsonb),
      "updatedAt" = now()
    WHERE m.id = ${message.id} AND EXISTS (
      SELECT 1 FROM jsonb_each(${JSON.stringify(seenBy)}::jsonb) n
      WHERE NOT (COALESCE(m."seenBy", '{}'::jsonb) ? n.key) OR (n.value #>> '{}') > (COALESCE(m."seenBy", '{}'::jsonb) -> n.key #>> '{}'))`;
  const changed = new Set<string>(merged > 0 ? [message.id] : []);

  if (message.isSender) {
    // Forward only; a send still on its way to Unipile (pending, no id yet) is not seen yet.
    const movable = { isSender: true, status: { in: movableTo("seen") }, NOT: { status: "pending" as const, unipileId: null } };
    const seen = await db.message.findMany({
      where: { chatId: message.chatId, ...movable, sentAt: { lte: message.sentAt } },
      select: { id: true },
    });
    if (seen.length) {
      await db.message.updateMany({ where: { id: { in: seen.map((s) => s.id) }, ...movable }, data: { status: "seen" } });
    }
    for (const s of seen) changed.add(s.id);
  } else {
    // Read up to here: only inbound messages after it can still be unread. min() keeps the rule
    // order-independent (message-received skips counting a message a later read already covers).
    const newer = await db.message.count({ where: { chatId: message.chatId, isSender: false, sentAt: { gt: message.sentAt } } });
    const { count } = await db.chat.updateMany({ where: { id: message.chatId, unreadCount: { gt: newer } }, data: { unreadCount: newer } });
    if (count) events.push({ type: "chat.updated", accountId: message.accountId, chatId: message.chatId });
  }
  for (const id of changed) events.push({ type: "message.upserted", accountId: message.accountId, chatId: message.chatId, messageId: id });
  if (events.length === 0) return { status: "duplicate", note: "Already seen" };
  return { status: "applied", publish: events };
};
