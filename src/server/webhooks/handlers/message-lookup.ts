// Finding the stored message a per-message event is about, and the payload-to-Message translation.
import { db } from "../../db.ts";
import { type Message as UnipileMessage, MessageSchema, type MessagingWebhook } from "../../unipile/schemas.ts";

export type StoredMessage = {
  id: string;
  chatId: string;
  accountId: string;
  text: string | null;
  originalText: string | null;
  editHistory: unknown;
  sentAt: Date;
  isSender: boolean;
  deleted: boolean;
  /** For optimistic updates: read with the rest, in the same statement. */
  updatedAt: Date;
};

export async function findMessage(unipileId: string): Promise<StoredMessage | null> {
  const m = await db.message.findUnique({
    where: { unipileId },
    select: {
      id: true,
      chatId: true,
      text: true,
      originalText: true,
      editHistory: true,
      sentAt: true,
      isSender: true,
      deleted: true,
      updatedAt: true,
      chat: { select: { accountId: true } },
    },
  });
  if (!m) return null;
  const { chat, ...rest } = m;
  return { ...rest, accountId: chat.accountId };
}

/** Provider id of an attendee object from a webhook (sender, reaction_sender, read_by entries). */
export function providerIdOf(a: { attendee_provider_id?: string | null; attendee_id?: string | null } | null | undefined) {
  return a?.attendee_provider_id || a?.attendee_id || null;
}

/**
 * The webhook's message in the REST Message shape the store (src/server/store) writes, so webhooks and sync share
 * one mapping. The payload carries no delivery/seen state or reactions: those start empty.
 */
export function messageFromWebhook(p: MessagingWebhook): UnipileMessage {
  const quoted = p.quoted as Record<string, unknown> | null | undefined;
  return MessageSchema.parse({
    object: "Message",
    id: p.message_id,
    provider_id: p.provider_message_id ?? undefined,
    chat_id: p.chat_id,
    chat_provider_id: p.provider_chat_id ?? undefined,
    account_id: p.account_id,
    sender_id: providerIdOf(p.sender) ?? "unknown",
    sender_attendee_id: p.sender?.attendee_id ?? undefined,
    text: p.message,
    timestamp: p.timestamp ?? new Date().toISOString(),
    is_sender: p.is_sender ?? false,
    attachments: p.attachments,
    reactions: [],
    quoted:
      quoted && (typeof quoted.id === "string" || typeof quoted.provider_id === "string")
        ? { ...quoted, attachments: quoted.attachments ?? [] }
        : null,
    seen: false,
    seen_by: {},
    delivered: false,
    hidden: false,
    deleted: false,
    edited: false,
    is_event: p.is_event ?? false,
    event_type: p.event_type ?? undefined,
    subject: p.subject ?? undefined,
  });
}
