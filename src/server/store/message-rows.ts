// A Unipile message as the rows the store writes: the message, its attachments and its reactions.
import type { Message as UnipileMessage } from "../unipile/schemas.ts";
import { statusOf, type MessageStatus } from "./message-status.ts";
import { dedupeBy, iso, newId } from "./sql.ts";

export type MessageRow = {
  id: string;
  unipileId: string;
  providerId: string | null;
  senderProviderId: string;
  senderAttendeeId: string | null;
  text: string | null;
  sentAt: string;
  isSender: boolean;
  status: MessageStatus;
  edited: boolean;
  deleted: boolean;
  quotedUnipileId: string | null;
  quotedProviderId: string | null;
  quotedText: string | null;
  quotedSenderId: string | null;
  isEvent: boolean;
  eventType: number | null;
  seenBy: unknown;
  raw: unknown;
};

export function toRow(m: UnipileMessage): MessageRow {
  const quoted = m.quoted ?? null;
  return {
    id: newId(),
    unipileId: m.id,
    providerId: m.provider_id ?? null,
    senderProviderId: m.sender_id,
    senderAttendeeId: m.sender_attendee_id ?? null,
    text: m.text ?? null,
    sentAt: iso(m.timestamp) ?? new Date().toISOString(),
    isSender: m.is_sender,
    status: statusOf(m),
    edited: m.edited,
    deleted: m.deleted,
    quotedUnipileId: quoted?.id ?? m.reply_to?.id ?? null,
    quotedProviderId: quoted?.provider_id ?? m.reply_to?.provider_id ?? null,
    quotedText: quoted?.text ?? m.reply_to?.text ?? null,
    quotedSenderId: quoted?.sender_id ?? m.reply_to?.sender_id ?? null,
    isEvent: m.is_event,
    eventType: m.event_type ?? null,
    seenBy: m.seen_by ?? {},
    raw: m,
  };
}

export function attachmentRows(m: UnipileMessage) {
  return m.attachments.map((a) => {
    const x = a as Record<string, unknown>;
    const size = x.size as { width?: number; height?: number } | undefined;
    const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : null);
    return {
      messageUnipileId: m.id,
      id: newId(),
      unipileId: a.id,
      kind: a.type,
      mimeType: a.mimetype ?? null,
      size: num(a.file_size),
      name: typeof x.file_name === "string" ? x.file_name : null,
      width: num(size?.width),
      height: num(size?.height),
      duration: num(x.duration),
      unavailable: a.unavailable,
      url: a.url ?? null,
      urlExpiresAt: typeof a.url_expires_at === "number" ? new Date(a.url_expires_at).toISOString() : null,
    };
  });
}

/** A deleted message shows no reactions (what Unipile had on it goes with the message). */
export function reactionRows(m: UnipileMessage) {
  if (m.deleted) return [];
  return dedupeBy(m.reactions, (r) => `${r.sender_id}\u0000${r.value}`).map((r) => ({
    messageUnipileId: m.id,
    id: newId(),
    senderProviderId: r.sender_id,
    value: r.value,
    isSender: r.is_sender,
  }));
}
