// Finding the stored message a per-message event is about, and the payload-to-Message translation.
import { pgQuery } from "../../store/sql.ts";
import type { PersonInput } from "../../store/attendees.ts";
import type { ChatFallback } from "../../store/chats.ts";
import {
  AttendeeSchema,
  ChatSchema,
  type Message as UnipileMessage,
  MessageSchema,
} from "../../unipile/schemas.ts";
import type { MessagingWebhook } from "../../unipile/webhook-schemas.ts";

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
  const rows = await pgQuery<StoredMessage>(
    `SELECT m.id, m."chatId", c."accountId", m.text, m."originalText", m."editHistory", (m."sentAt" AT TIME ZONE 'UTC') AS "sentAt",
       m."isSender", m.deleted, (m."updatedAt" AT TIME ZONE 'UTC') AS "updatedAt"
     FROM "Message" m JOIN "Chat" c ON c.id = m."chatId" WHERE m."unipileId" = $1`,
    [unipileId],
  );
  return rows[0] ?? null;
}

/** Provider id of an attendee object from a webhook (sender, reaction_sender, read_by entries). */
export function providerIdOf(a: { attendee_provider_id?: string | null; attendee_id?: string | null } | null | undefined) {
  return a?.attendee_provider_id || a?.attendee_id || null;
}

type WebhookPerson = NonNullable<MessagingWebhook["sender"]>;

/** The people a webhook names, as the store remembers them (WhatsApp: both id forms when given). */
export function peopleOf(people: (WebhookPerson | null | undefined)[]): PersonInput[] {
  return people.flatMap((a) => {
    const providerId = providerIdOf(a);
    if (!a || !providerId) return [];
    return [
      {
        providerId,
        publicIdentifier: a.attendee_public_identifier,
        specifics: a.attendee_specifics,
        unipileId: a.attendee_id ?? null,
        name: a.attendee_name ?? null,
        profileUrl: a.attendee_profile_url ?? null,
      },
    ];
  });
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

/**
 * The chat as the webhook describes it (id, account, group or not, the other people, time), for when
 * Unipile cannot be asked: enough for the inbox to show it. Name, state and the rest follow on the next sync.
 */
export function chatFromWebhook(p: MessagingWebhook, provider: string): ChatFallback {
  const self = (p.account_info as { user_id?: unknown } | null | undefined)?.user_id;
  const people = [...p.attendees, ...(p.is_sender || !p.sender ? [] : [p.sender])];
  const seen = new Set<string>();
  const attendees = people.flatMap((a) => {
    const id = providerIdOf(a);
    if (!id || id === self || seen.has(id)) return [];
    seen.add(id);
    return [
      AttendeeSchema.parse({
        id: a.attendee_id || id,
        account_id: p.account_id,
        provider_id: id,
        name: a.attendee_name ?? null,
        is_self: false,
        profile_url: a.attendee_profile_url ?? null,
        public_identifier: a.attendee_public_identifier ?? null,
        specifics: a.attendee_specifics && typeof a.attendee_specifics === "object" ? a.attendee_specifics : null,
      }),
    ];
  });
  const group = p.is_group ?? attendees.length > 1;
  const chat = ChatSchema.parse({
    object: "Chat",
    id: p.chat_id,
    account_id: p.account_id,
    account_type: p.account_type ?? provider,
    provider_id: p.provider_chat_id || p.chat_id,
    attendee_provider_id: group ? null : (attendees[0]?.provider_id ?? null),
    name: null,
    type: group ? 1 : 0,
    timestamp: p.timestamp ?? null,
    unread_count: 0,
    archived: 0,
    read_only: 0,
    subject: p.subject ?? null,
  });
  return { chat, attendees };
}
