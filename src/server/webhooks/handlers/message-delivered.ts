// message_delivered: our message reached the other side. Status only moves forward (message-status).
import { db } from "../../db.ts";
import { movableTo } from "../../store/message-status.ts";
import { findMessage } from "./message-lookup.ts";
import { deferred, type MessageHandler } from "./types.ts";

export const messageDelivered: MessageHandler = async (p) => {
  const message = await findMessage(p.message_id);
  if (!message) return deferred(p.message_id);
  const { count } = await db.message.updateMany({
    where: { id: message.id, status: { in: movableTo("delivered") } },
    data: { status: "delivered", statusError: null },
  });
  if (count === 0) return { status: "duplicate", note: "Already delivered or further" };
  return {
    status: "applied",
    publish: [{ type: "message.upserted", accountId: message.accountId, chatId: message.chatId, messageId: message.id }],
  };
};
