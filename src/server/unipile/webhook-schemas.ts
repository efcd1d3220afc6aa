// zod schemas for the webhook payloads Unipile posts to us (messaging events and account status),
// and the decoding of a raw body. Tolerant in the same ways as the REST schemas in schemas.ts.
import { z } from "zod";
import { AttachmentsSchema, MESSAGING_EVENTS, nullableString, optBool, optNum, parseUnipileJson, storableText, toArray } from "./schemas.ts";

// Ids in a webhook end up in unique indexes (and PostgreSQL refuses an index entry over ~2.7 kB): real
// Unipile and provider ids are far shorter, so anything longer is a bad payload, rejected with a reason.
const WEBHOOK_ID_MAX = 255;
const webhookId = z.string().max(WEBHOOK_ID_MAX);
const optWebhookId = z.string().max(WEBHOOK_ID_MAX).nullish();

/** `sender`, `attendees[]`, `reaction_sender`, `read_by` entries. */
const WebhookAttendeeSchema = z.looseObject({
  attendee_id: optWebhookId,
  attendee_name: z.string().nullish(),
  attendee_provider_id: optWebhookId,
  attendee_profile_url: z.string().nullish(),
  /** WhatsApp, LID form: the phone JID (REFERENCE.md §8). */
  attendee_public_identifier: z.string().max(WEBHOOK_ID_MAX).nullish(),
  attendee_specifics: z.unknown().optional(),
});
type WebhookAttendee = z.infer<typeof WebhookAttendeeSchema>;

/** read_by's shape was never captured: accept a provider id string, an attendee object, or a list of either. */
const ReadBySchema = z.preprocess(
  (v) => (v == null ? undefined : toArray(v)),
  z
    .array(z.union([z.string().transform((s) => ({ attendee_provider_id: s }) as WebhookAttendee), WebhookAttendeeSchema]))
    .optional(),
);

export const MessagingWebhookSchema = z.looseObject({
  event: z.enum(MESSAGING_EVENTS),
  // Only these four can be counted on (Unipile's API reference).
  account_id: webhookId,
  chat_id: webhookId,
  message_id: webhookId,
  account_type: z.string().max(64).optional(),
  account_info: z.looseObject({}).nullish(),
  webhook_name: z.string().nullish(),
  provider_chat_id: optWebhookId,
  provider_message_id: optWebhookId,
  timestamp: z.string().max(64).nullish(),
  /** The text; "" or null for media-only and deleted messages. For message_edited, the new text. */
  message: nullableString,
  sender: WebhookAttendeeSchema.nullish(),
  attendees: z.preprocess(toArray, z.array(WebhookAttendeeSchema)),
  attachments: AttachmentsSchema,
  is_sender: optBool,
  is_group: optBool,
  is_event: optBool,
  event_type: optNum,
  quoted: z.looseObject({}).nullish(),
  reply_to: z.looseObject({}).nullish(),
  subject: z.string().nullish(),
  folder: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string()).nullish()),
  reaction: z.string().max(64).nullish(),
  reaction_sender: WebhookAttendeeSchema.nullish(),
  read_by: ReadBySchema,
});
export type MessagingWebhook = z.infer<typeof MessagingWebhookSchema>;

export const ACCOUNT_STATUS_MESSAGES = [
  "OK",
  "ERROR",
  "STOPPED",
  "CREDENTIALS",
  "CONNECTING",
  "DELETED",
  "CREATION_SUCCESS",
  "RECONNECTED",
  "SYNC_SUCCESS",
  "CREATION_FAIL",
  "PERMISSIONS",
] as const;

export const AccountStatusWebhookSchema = z.looseObject({
  AccountStatus: z.looseObject({
    account_id: webhookId,
    account_type: z.string().max(64).optional(),
    // Kept as a string: new statuses must not turn into a rejected webhook.
    message: z.string(),
  }),
});
export type AccountStatusWebhook = z.infer<typeof AccountStatusWebhookSchema>;

/** Only its name is kept (in the log and its dedupe key). */
const UnknownEventSchema = z.looseObject({ event: z.string().max(100) });

export type ParsedWebhook =
  | ({ kind: "message" } & MessagingWebhook)
  | { kind: "account_status"; account_id: string; account_type: string | undefined; message: string; raw: AccountStatusWebhook }
  /** A messaging-shaped payload with an event we do not handle (e.g. message_failed): acknowledge and ignore. */
  | { kind: "unknown_event"; event: string; raw: Record<string, unknown> };

/**
 * Routes a webhook body (already JSON-parsed) by shape. Throws a ZodError whose issue paths name
 * the bad field when the shape is wrong.
 */
export function parseWebhookPayload(json: unknown): ParsedWebhook {
  if (json && typeof json === "object" && "AccountStatus" in json) {
    const p = AccountStatusWebhookSchema.parse(json);
    const s = p.AccountStatus;
    return { kind: "account_status", account_id: s.account_id, account_type: s.account_type, message: s.message, raw: p };
  }
  const ev = json && typeof json === "object" ? (json as { event?: unknown }).event : undefined;
  if (typeof ev === "string" && !(MESSAGING_EVENTS as readonly string[]).includes(ev)) {
    return { kind: "unknown_event", event: UnknownEventSchema.parse(json).event, raw: json as Record<string, unknown> };
  }
  return { kind: "message", ...MessagingWebhookSchema.parse(json) };
}

/**
 * Turns a raw webhook body into JSON. Unipile may label JSON as form-urlencoded, or really send a
 * form (`format: "form"`), so JSON is tried first whatever the content type says.
 */
export function decodeWebhookBody(raw: string): unknown {
  try {
    return parseUnipileJson(raw);
  } catch {
    if (!raw.includes("=")) throw new SyntaxError("Webhook body is neither JSON nor a form");
    // No prototype: a key such as `__proto__` stays a plain field instead of becoming the object's prototype.
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of new URLSearchParams(raw)) {
      // Nested fields in form bodies are probably JSON-encoded strings; keep the string otherwise.
      let val: unknown = v;
      if (/^[[{]/.test(v)) {
        try {
          val = parseUnipileJson(v);
        } catch {}
      }
      out[k] = typeof val === "string" ? storableText(val) : val;
    }
    return out;
  }
}
