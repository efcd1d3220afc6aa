// message_deleted: a tombstone. The text stays for admins; the preview says "Message deleted"; its
// reactions go with the message (message-reaction refuses new ones on a tombstone).
import { db } from "../../db.ts";
import { refreshChatSummary } from "../../store/chats.ts";
import { findMessage } from "./message-lookup.ts";
import { deferred, eventTime, type MessageHandler } from "./types.ts";

export const messageDeleted: MessageHandler = async (p, ctx) => {
  const message = await findMessage(p.message_id);
  if (!message) return deferred(p.message_id);
  const at = eventTime(p, ctx);
  const [{ count }] = await db.$transaction([
    db.message.updateMany({ where: { id: message.id, deleted: false }, data: { deleted: true, deletedAt: at } }),
    db.reaction.deleteMany({ where: { messageId: message.id } }),
  ]);
  if (count === 0) return { status: "duplicate", note: "Already deleted" };
  await refreshChatSummary(message.chatId);
  return {
    status: "applied",
    publish: [
      { type: "message.upserted", accountId: message.accountId, chatId: message.chatId, messageId: message.id },
      { type: "chat.updated", accountId: message.accountId, chatId: message.chatId },
    ],
  };
};
