// message_received: store the message through the store (idempotent by Unipile id; adopts the
// pending local send our own echo belongs to). An unknown chat is fetched with its attendees first.
import { Prisma } from "@/generated/prisma/client.ts";
import { db } from "../../db.ts";
import type { RealtimeEvent } from "../../realtime/bus.ts";
import { ensureChat } from "../../store/chats.ts";
import { movableTo, takeEchoAttachments } from "../../store/message-status.ts";
import { upsertMessages } from "../../store/messages.ts";
import { onChatDiscovered, onChatGap } from "../sync-hooks.ts";
import { findMessage, messageFromWebhook } from "./message-lookup.ts";
import type { MessageHandler } from "./types.ts";

export const messageReceived: MessageHandler = async (p) => {
  // Already stored (by sync, or by an earlier delivery the dedupe key could not recognise): the
  // webhook's copy is thinner than what we hold (no reactions, no read state), so it must not replace it.
  // One exception: the echo of a send Unipile confirmed with its id brings the attachments we sent.
  const stored = await findMessage(p.message_id);
  if (stored) {
    if (await takeEchoAttachments(messageFromWebhook(p))) {
      return {
        status: "applied",
        note: "echo of our send: attachments taken from it",
        publish: [{ type: "message.upserted", accountId: stored.accountId, chatId: stored.chatId, messageId: stored.id }],
      };
    }
    return { status: "duplicate", note: "Message already stored" };
  }
  const { chat, created } = await ensureChat(p.chat_id, p.account_id);
  // Unipile saw activity in this chat later than the newest message we hold: messages are missing.
  const gap = !created && chat.unipileTimestamp !== null && (chat.lastMessageAt === null || chat.lastMessageAt < chat.unipileTimestamp);

  const message = messageFromWebhook(p);
  // A read of a later message (applied before this one arrived, deliveries are unordered) covers it:
  // an inbound message is then not unread, an own one already seen.
  const readLater = await db.message.findFirst({
    where: {
      chatId: chat.id,
      isSender: message.is_sender,
      sentAt: { gte: new Date(message.timestamp) },
      ...(message.is_sender ? { status: "seen" as const } : { NOT: [{ seenBy: { equals: Prisma.DbNull } }, { seenBy: { equals: {} } }] }),
    },
    select: { id: true },
  });
  const result = await upsertMessages(chat.id, [message], { publish: "none", countUnread: !readLater });
  if (readLater && message.is_sender) {
    await db.message.updateMany({ where: { unipileId: message.id, status: { in: movableTo("seen") } }, data: { status: "seen" } });
  }
  const events: RealtimeEvent[] = [{ type: "chat.updated", accountId: chat.accountId, chatId: chat.id }];
  for (const messageId of result.changedIds) events.push({ type: "message.upserted", accountId: chat.accountId, chatId: chat.id, messageId });

  if (created) await onChatDiscovered(chat.id, chat.accountId);
  else if (gap) await onChatGap(chat.id);

  const notes = [created && "new chat fetched from Unipile", result.adopted > 0 && "matched our pending send", gap && "gap: chat resync queued"];
  return {
    status: "applied",
    note: notes.filter(Boolean).join("; ") || undefined,
    publish: events,
    storedMessages: [p.message_id],
  };
};
