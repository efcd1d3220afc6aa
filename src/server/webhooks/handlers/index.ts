// One handler per event.
import type { MessagingEvent } from "../../unipile/schemas.ts";
import { messageDeleted } from "./message-deleted.ts";
import { messageDelivered } from "./message-delivered.ts";
import { messageEdited } from "./message-edited.ts";
import { messageReaction } from "./message-reaction.ts";
import { messageRead } from "./message-read.ts";
import { messageReceived } from "./message-received.ts";
import type { MessageHandler } from "./types.ts";

export { accountStatus } from "./account-status.ts";

export const messageHandlers: Record<MessagingEvent, MessageHandler> = {
  message_received: messageReceived,
  message_reaction: messageReaction,
  message_read: messageRead,
  message_delivered: messageDelivered,
  message_edited: messageEdited,
  message_deleted: messageDeleted,
};
