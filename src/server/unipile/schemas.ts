// zod schemas for Unipile's REST objects and answers (webhook payloads: webhook-schemas.ts).
// Tolerant by design (see Unipile's API reference): 0/1 or booleans or "true" strings, attachments
// as one object or an array, missing optional fields; unknown keys are kept (loose objects).
// Flags are normalised to real booleans in the parsed output, so app code never sees 0/1.
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Normalising helpers
// ---------------------------------------------------------------------------------------------

/** true/1/"1"/"true" → true, false/0/"0"/"false"/"" → false, null/undefined → undefined; anything else is left for zod to reject. */
export function toBool(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (v === true || v === 1 || v === "1" || v === "true") return true;
  if (v === false || v === 0 || v === "0" || v === "false" || v === "") return false;
  return v;
}

/**
 * PostgreSQL text and jsonb hold neither NUL nor lone UTF-16 surrogates (both legal in JSON escapes),
 * so such characters become U+FFFD on the way in instead of failing every later write.
 */
export function storableText(s: string): string {
  const t = s.includes("\0") ? s.replaceAll("\0", "\uFFFD") : s;
  return (t as unknown as { toWellFormed(): string }).toWellFormed();
}

// In valid JSON a NUL or a lone surrogate can only come from a \u escape (or a lone surrogate in the
// text itself): without either, every string is storable already and the reviver (a call per value) is skipped.
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** JSON.parse for everything Unipile sends (REST bodies and webhooks), with storable strings. */
export function parseUnipileJson(text: string): unknown {
  if (!UNSTORABLE_ESCAPE.test(text) && (text as unknown as { isWellFormed(): boolean }).isWellFormed()) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown) => (typeof value === "string" ? storableText(value) : value));
}

/** Numeric strings ("960") → numbers; null → undefined. */
export function toNum(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return v;
}

/** A required boolean written as true/1/"1"/"true" (or the false forms). */
export const bool = z.preprocess(toBool, z.boolean());
/** An optional boolean flag (null and absence both give undefined). */
export const optBool = z.preprocess(toBool, z.boolean().optional());
/** A boolean flag that is false when absent or null. */
export const flag = z.preprocess(toBool, z.boolean().default(false));
/** An optional number that may arrive as a numeric string. */
export const optNum = z.preprocess(toNum, z.number().optional());

/** A lone object becomes a one-element array; null/absent becomes []. */
export function toArray(v: unknown): unknown {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export const nullableString = z.string().nullish().transform((v) => v ?? null);

// ---------------------------------------------------------------------------------------------
// Attachments (shared by REST messages and webhooks)
// ---------------------------------------------------------------------------------------------

const size = z.looseObject({ width: z.preprocess(toNum, z.number()), height: z.preprocess(toNum, z.number()) });

const attachmentBase = {
  id: z.string(),
  // Treated as available when absent: the docs' webhook example omits it on some variants.
  unavailable: flag,
  mimetype: z.string().nullish(),
  file_size: optNum,
  url: z.string().nullish(),
  url_expires_at: optNum,
};

export const ImageAttachmentSchema = z.looseObject({ ...attachmentBase, type: z.literal("img"), size: size.optional(), sticker: optBool });
export const VideoAttachmentSchema = z.looseObject({ ...attachmentBase, type: z.literal("video"), size: size.optional(), gif: optBool });
export const AudioAttachmentSchema = z.looseObject({ ...attachmentBase, type: z.literal("audio"), duration: optNum, voice_note: optBool });
export const FileAttachmentSchema = z.looseObject({ ...attachmentBase, type: z.literal("file"), file_name: z.string().nullish() });
export const LinkedinPostAttachmentSchema = z.looseObject({ ...attachmentBase, type: z.literal("linkedin_post") });
export const VideoMeetingAttachmentSchema = z.looseObject({
  ...attachmentBase,
  type: z.literal("video_meeting"),
  starts_at: optNum,
  expires_at: optNum,
  time_range: z.unknown().optional(),
});
/** Any other attachment type a provider may add later: keep it rather than fail the message. */
export const OtherAttachmentSchema = z.looseObject({ ...attachmentBase, type: z.string() });

export const AttachmentSchema = z.union([
  ImageAttachmentSchema,
  VideoAttachmentSchema,
  AudioAttachmentSchema,
  FileAttachmentSchema,
  LinkedinPostAttachmentSchema,
  VideoMeetingAttachmentSchema,
  OtherAttachmentSchema,
]);
export type Attachment = z.infer<typeof AttachmentSchema>;

/** Attachments as an array, a lone object (docs' webhook example) or absent. */
export const AttachmentsSchema = z.preprocess(toArray, z.array(AttachmentSchema));

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

export const AccountSourceSchema = z.looseObject({ id: z.string(), status: z.string() });

export const AccountSchema = z.looseObject({
  object: z.literal("Account").optional(),
  id: z.string(),
  name: z.string(),
  type: z.string(),
  created_at: z.string().optional(),
  connection_params: z.record(z.string(), z.unknown()).optional(),
  groups: z.array(z.string()).optional(),
  sources: z.array(AccountSourceSchema).default([]),
});
export type Account = z.infer<typeof AccountSchema>;

/** An account can sync and send only when every source is OK. */
export function isAccountHealthy(a: Pick<Account, "sources">): boolean {
  return a.sources.length === 0 || a.sources.every((s) => s.status === "OK");
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

export const ReactionSchema = z.looseObject({ value: z.string(), sender_id: z.string(), is_sender: flag });
export type Reaction = z.infer<typeof ReactionSchema>;

export const QuotedSchema = z.looseObject({
  id: z.string().optional(),
  provider_id: z.string().optional(),
  sender_id: z.string().optional(),
  text: nullableString,
  attachments: AttachmentsSchema,
});

export const ReplyToSchema = z.looseObject({
  id: z.string().optional(),
  provider_id: z.string().optional(),
  timestamp: z.string().optional(),
  sender_attendee_id: z.string().optional(),
  sender_id: z.string().optional(),
  text: nullableString,
});

export const MessageSchema = z.looseObject({
  object: z.literal("Message").optional(),
  id: z.string(),
  provider_id: z.string().optional(),
  chat_id: z.string(),
  chat_provider_id: z.string().optional(),
  account_id: z.string(),
  sender_id: z.string(),
  sender_attendee_id: z.string().optional(),
  text: nullableString,
  timestamp: z.string(),
  is_sender: flag,
  attachments: AttachmentsSchema,
  reactions: z.preprocess(toArray, z.array(ReactionSchema)),
  quoted: QuotedSchema.nullish(),
  reply_to: ReplyToSchema.nullish(),
  seen: flag,
  // Values are an ISO time or a boolean per reader.
  seen_by: z.preprocess((v) => v ?? {}, z.record(z.string(), z.union([z.string(), z.boolean(), z.number()]))),
  delivered: flag,
  hidden: flag,
  deleted: flag,
  edited: flag,
  is_event: flag,
  event_type: optNum,
  behavior: z.number().nullish(),
  original: z.string().nullish(),
  subject: z.string().nullish(),
  message_type: z.string().nullish(),
});
export type Message = z.infer<typeof MessageSchema>;

// ---------------------------------------------------------------------------------------------
// Chats
// ---------------------------------------------------------------------------------------------

export const ChatSchema = z.looseObject({
  object: z.literal("Chat").optional(),
  id: z.string(),
  account_id: z.string(),
  account_type: z.string(),
  provider_id: z.string(),
  attendee_provider_id: z.string().nullish(),
  name: nullableString,
  /** 0 one-to-one, 1 group, 2 channel */
  type: z.preprocess(toNum, z.number()),
  timestamp: nullableString,
  unread_count: z.preprocess(toNum, z.number().default(0)),
  archived: flag,
  /** Cannot reply when not 0. */
  read_only: z.preprocess(toNum, z.number().default(0)),
  muted_until: z.union([z.number(), z.string()]).nullish(),
  folder: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string()).optional()),
  disabledFeatures: z.array(z.string()).optional(),
  subject: z.string().nullish(),
  content_type: z.string().nullish(),
  pinned: optBool,
  unread: optBool,
  lastMessage: MessageSchema.nullish(),
});
export type Chat = z.infer<typeof ChatSchema>;

// ---------------------------------------------------------------------------------------------
// Attendees
// ---------------------------------------------------------------------------------------------

export const AttendeeSchema = z.looseObject({
  object: z.literal("ChatAttendee").optional(),
  id: z.string(),
  account_id: z.string(),
  provider_id: z.string(),
  name: nullableString,
  is_self: flag,
  hidden: optBool,
  picture_url: z.string().nullish(),
  profile_url: z.string().nullish(),
  /** WhatsApp LID-form attendees: the phone JID (assumed like the webhooks' attendee_public_identifier). */
  public_identifier: z.string().nullish(),
  specifics: z.looseObject({}).nullish(),
});
export type Attendee = z.infer<typeof AttendeeSchema>;

// ---------------------------------------------------------------------------------------------
// Lists and action results
// ---------------------------------------------------------------------------------------------

/** `{object, items, cursor}`; a missing cursor means the last page, like null. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    object: z.string(),
    items: z.array(item),
    cursor: z.string().nullish().transform((v) => v || null),
  });
}
export type Page<T> = { object: string; items: T[]; cursor: string | null };

export const AccountListSchema = listSchema(AccountSchema);
export const ChatListSchema = listSchema(ChatSchema);
export const MessageListSchema = listSchema(MessageSchema);
export const AttendeeListSchema = listSchema(AttendeeSchema);

/** message_id: a string, null (confirmed later by the echo), or a one-element array (seen in one integration). */
const maybeId = z
  .union([z.string(), z.array(z.string()), z.null()])
  .optional()
  .transform((v) => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null)));

export const MessageSentSchema = z.looseObject({ object: z.literal("MessageSent"), message_id: maybeId });
export type MessageSent = z.infer<typeof MessageSentSchema>;

export const ChatStartedSchema = z.looseObject({ object: z.literal("ChatStarted"), chat_id: maybeId, message_id: maybeId });
export type ChatStarted = z.infer<typeof ChatStartedSchema>;

/**
 * GET /users/{identifier}: a person as the provider knows them. LinkedIn gives names, headline and
 * member id (SDK 1.9.3's shape); WhatsApp only `id` (the JID). `provider_id` is filled from `id`.
 */
export const UserProfileSchema = z
  .looseObject({
    object: z.literal("UserProfile"),
    provider: z.string(),
    provider_id: z.string().min(1).optional(),
    id: z.string().min(1).optional(),
    public_identifier: nullableString,
    first_name: nullableString,
    last_name: nullableString,
    headline: nullableString,
    profile_picture_url: nullableString,
    network_distance: nullableString,
  })
  .refine((p) => p.provider_id ?? p.id, "provider_id or id is required")
  .transform((p) => ({ ...p, provider_id: (p.provider_id ?? p.id)! }));
export type UserProfile = z.infer<typeof UserProfileSchema>;

export const ChatPatchedSchema = z.looseObject({ object: z.literal("ChatPatched") });
export type ChatPatched = z.infer<typeof ChatPatchedSchema>;

/** Archive, pin, mute (REFERENCE.md §8, likely): mute's value is true (no end), false or an ISO time. */
export type ChatStatusChange =
  | { action: "setArchiveStatus" | "setPinnedStatus"; value: boolean }
  | { action: "setMuteStatus"; value: boolean | string };
/** Their answer is undocumented: ChatPatched is expected; any JSON object, or an empty body, is taken. */
export const ChatActionAnswerSchema = z.preprocess((v) => v ?? {}, z.looseObject({ object: z.string().optional() }));
export type ChatActionAnswer = z.infer<typeof ChatActionAnswerSchema>;

/**
 * The answer to a message action (react, edit, delete). Only `MessageReactionAdded` is named by a
 * summary of the reference (REFERENCE.md §8); the others are guesses, and an empty 2xx body counts
 * as done too, so any object (or none) is accepted.
 */
export const MessageActionSchema = z.looseObject({ object: z.string().optional() }).optional();
export type MessageAction = z.infer<typeof MessageActionSchema>;

/** `POST /messages/{id}/forward`: the new message's id may be missing, null or a one-element array (a guess). */
export const MessageForwardedSchema = z.looseObject({ object: z.string().optional(), message_id: maybeId }).optional();
export type MessageForwarded = z.infer<typeof MessageForwardedSchema>;

// ---------------------------------------------------------------------------------------------
// Webhook management
// ---------------------------------------------------------------------------------------------

export const WebhookHeaderSchema = z.object({ key: z.string(), value: z.string() });

export const WebhookSchema = z.looseObject({
  object: z.literal("Webhook").optional(),
  id: z.string(),
  request_url: z.string(),
  name: z.string().nullish(),
  source: z.string().optional(),
  format: z.string().optional(),
  enabled: optBool,
  events: z.array(z.string()).optional(),
  headers: z.array(WebhookHeaderSchema).optional(),
  account_ids: z.array(z.unknown()).optional(),
});
export type Webhook = z.infer<typeof WebhookSchema>;
export const WebhookListSchema = listSchema(WebhookSchema);

export const WebhookCreatedSchema = z.looseObject({ object: z.literal("WebhookCreated"), webhook_id: z.string() });
export type WebhookCreated = z.infer<typeof WebhookCreatedSchema>;
export const WebhookDeletedSchema = z.looseObject({ object: z.literal("WebhookDeleted") });

export const MESSAGING_EVENTS = [
  "message_received",
  "message_read",
  "message_reaction",
  "message_edited",
  "message_deleted",
  "message_delivered",
] as const;
export type MessagingEvent = (typeof MESSAGING_EVENTS)[number];

export type CreateWebhookInput = {
  request_url: string;
  source: "messaging" | "account_status" | (string & {});
  name?: string;
  format?: "json" | "form";
  events?: string[];
  headers?: { key: string; value: string }[];
  account_ids?: string[];
  enabled?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const ErrorBodySchema = z.looseObject({
  status: z.preprocess(toNum, z.number()),
  type: z.string(),
  title: z.string().optional(),
  detail: z.string().nullish(),
  instance: z.string().nullish(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
