// message_reaction: a reaction added (value) or removed (empty value: that person's reactions go).
import { db } from "../../db.ts";
import { findMessage, providerIdOf } from "./message-lookup.ts";
import { deferred, type MessageHandler } from "./types.ts";

export const messageReaction: MessageHandler = async (p) => {
  const message = await findMessage(p.message_id);
  if (!message) return deferred(p.message_id);
  const sender = providerIdOf(p.reaction_sender);
  if (!sender) return { status: "applied", note: "Reaction without a sender: nothing to record" };
  const value = p.reaction?.trim() ?? "";
  const attendee = await db.attendee.findUnique({
    where: { accountId_providerId: { accountId: message.accountId, providerId: sender } },
    select: { id: true, isSelf: true },
  });
  let changed: number;
  if (value) {
    const r = await db.reaction.createMany({
      data: [{ messageId: message.id, senderProviderId: sender, senderId: attendee?.id ?? null, value, isSender: attendee?.isSelf ?? false }],
      skipDuplicates: true,
    });
    changed = r.count;
  } else {
    const r = await db.reaction.deleteMany({ where: { messageId: message.id, senderProviderId: sender } });
    changed = r.count;
  }
  if (changed === 0) return { status: "duplicate", note: value ? "Reaction already recorded" : "No reaction to remove" };
  return {
    status: "applied",
    publish: [{ type: "message.upserted", accountId: message.accountId, chatId: message.chatId, messageId: message.id }],
  };
};
