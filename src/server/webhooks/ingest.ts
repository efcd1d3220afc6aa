// POST /api/webhooks/unipile, minus the framework: authenticate, read the raw body, append it to the
// WebhookEvent log in ONE insert (which also decides "duplicate" race-free), answer. Applying is apply.ts.
import { createHash } from "node:crypto";
import { ZodError } from "zod";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { AppError } from "../errors.ts";
import { decodeWebhookBody, type MessagingWebhook, parseWebhookPayload, type ParsedWebhook } from "../unipile/schemas.ts";
import { loggableHeaders, readRawBody, verifyWebhookSecret, WEBHOOK_SECRET_HEADER } from "./verify.ts";

/** How long the receiving process has to apply an event before the worker (any instance) takes over. */
export const APPLY_GRACE_MS = 5_000;

export type Receipt = {
  status: 200 | 400 | 401 | 413 | 500;
  body: { ok: true; id: string; duplicate: boolean } | { error: string; message: string };
  /** Set when the event was recorded as `received`: apply it now (after answering). */
  applyId?: bigint;
  /** Its Unipile chat id: one chat's events are applied in order of arrival. */
  chatKey?: string | null;
};

const hash = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 22);

/**
 * Content-derived identity of a delivery (Unipile has no event ids): a retry of the same event yields
 * the same key, a genuinely new event a new one. Null when the payload cannot tell a retry from a new
 * event (account status transitions): those are applied idempotently instead.
 */
export function dedupeKeyOf(p: ParsedWebhook, raw: string): string | null {
  if (p.kind === "account_status") return null;
  if (p.kind === "unknown_event") return `${p.event}:${hash(raw)}`;
  const base = `${p.account_id}:${p.event}:${p.message_id}`;
  switch (p.event) {
    case "message_reaction":
      // The timestamp separates "added again later" from a retry of the first add.
      return `${reactionKeyPrefix(p)}${p.reaction?.trim() ?? ""}:${p.timestamp ?? ""}`;
    case "message_read": {
      const readers = (p.read_by ?? []).map((r) => r.attendee_provider_id ?? r.attendee_id ?? "").sort();
      return `${base}:${readers.join(",")}:${p.timestamp ?? ""}`;
    }
    case "message_edited":
      return `${base}:${hash(p.message ?? "")}`;
    default:
      return base;
  }
}

/** What every reaction event of one person on one message has in its key: `<prefix><value>:<time>`. */
export function reactionKeyPrefix(p: MessagingWebhook): string {
  const who = p.reaction_sender?.attendee_provider_id ?? p.reaction_sender?.attendee_id ?? "";
  return `${p.account_id}:${p.event}:${p.message_id}:${who}:`;
}

function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

type Row = { id: bigint; status: string };

/** The one insert. With a key, ON CONFLICT on the unique dedupeClaim turns a repeat into a `duplicate` row. */
async function record(fields: {
  event: string | null;
  accountId: string | null;
  chatId: string | null;
  messageId: string | null;
  headers: Record<string, string>;
  body: string;
  dedupeKey: string | null;
  status: "received" | "rejected";
  error: string | null;
}): Promise<Row> {
  const { event, accountId, chatId, messageId, body, dedupeKey, status, error } = fields;
  const headers = JSON.stringify(fields.headers);
  const graceSeconds = APPLY_GRACE_MS / 1000;
  if (dedupeKey === null || status === "rejected") {
    const rows = await db.$queryRaw<Row[]>`
      INSERT INTO "WebhookEvent" ("event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", "status", "error", "notBefore")
      VALUES (${event}, ${accountId}, ${chatId}, ${messageId}, ${headers}::jsonb, ${body}, ${dedupeKey},
              ${status}::"WebhookEventStatus", ${error}, now() + make_interval(secs => ${graceSeconds}))
      RETURNING "id", "status"::text AS "status"`;
    return rows[0]!;
  }
  const rows = await db.$queryRaw<Row[]>`
    WITH first AS (
      INSERT INTO "WebhookEvent" ("event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", "dedupeClaim", "status", "notBefore")
      VALUES (${event}, ${accountId}, ${chatId}, ${messageId}, ${headers}::jsonb, ${body}, ${dedupeKey}, ${dedupeKey},
              'received', now() + make_interval(secs => ${graceSeconds}))
      ON CONFLICT ("dedupeClaim") DO NOTHING
      RETURNING "id", "status"::text AS "status"
    ), repeat AS (
      INSERT INTO "WebhookEvent" ("event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", "status", "appliedAt")
      SELECT ${event}, ${accountId}, ${chatId}, ${messageId}, ${headers}::jsonb, ${body}, ${dedupeKey}, 'duplicate', now()
      WHERE NOT EXISTS (SELECT 1 FROM first)
      RETURNING "id", "status"::text AS "status"
    )
    SELECT * FROM first UNION ALL SELECT * FROM repeat`;
  return rows[0]!;
}

/** Everything the route does before answering. Nothing is stored for a 401 or a 413. */
export async function receiveWebhook(req: Request): Promise<Receipt> {
  if (!verifyWebhookSecret(req.headers.get(WEBHOOK_SECRET_HEADER), env.UNIPILE_WEBHOOK_SECRET)) {
    return { status: 401, body: { error: "UNAUTHORIZED", message: "Missing or wrong X-Webhook-Secret" } };
  }
  let raw: string;
  try {
    raw = await readRawBody(req);
  } catch (err) {
    if (err instanceof AppError && err.code === "PAYLOAD_TOO_LARGE") {
      return { status: 413, body: { error: err.code, message: err.message } };
    }
    throw err;
  }
  const headers = loggableHeaders(req.headers);

  let parsed: ParsedWebhook;
  try {
    parsed = parseWebhookPayload(decodeWebhookBody(raw));
  } catch (err) {
    const reason =
      err instanceof ZodError
        ? `Unknown payload shape: ${describeZodError(err)}`
        : `Body is not JSON: ${err instanceof Error ? err.message : String(err)}`;
    await record({ ...looseFields(raw), headers, body: raw, dedupeKey: null, status: "rejected", error: reason });
    return { status: 400, body: { error: "BAD_REQUEST", message: reason } };
  }

  const fields =
    parsed.kind === "account_status"
      ? { event: "account_status", accountId: parsed.account_id, chatId: null, messageId: null }
      : parsed.kind === "unknown_event"
        ? { event: parsed.event, ...looseIds(parsed.raw) }
        : { event: parsed.event, accountId: parsed.account_id, chatId: parsed.chat_id, messageId: parsed.message_id };
  const row = await record({ ...fields, headers, body: raw, dedupeKey: dedupeKeyOf(parsed, raw), status: "received", error: null });
  const duplicate = row.status === "duplicate";
  return {
    status: 200,
    body: { ok: true, id: row.id.toString(), duplicate },
    applyId: duplicate ? undefined : row.id,
    chatKey: fields.chatId,
  };
}

function looseIds(o: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === "string" && v.length <= 200 ? v : null);
  return { accountId: str(o.account_id), chatId: str(o.chat_id), messageId: str(o.message_id) };
}

/** Best-effort ids from a rejected body, so the admin can filter rejected events too. */
function looseFields(raw: string): { event: string | null; accountId: string | null; chatId: string | null; messageId: string | null } {
  try {
    const o = JSON.parse(raw) as unknown;
    if (o && typeof o === "object" && !Array.isArray(o)) {
      const rec = o as Record<string, unknown>;
      const event = typeof rec.event === "string" && rec.event.length <= 100 ? rec.event : null;
      return { event, ...looseIds(rec) };
    }
  } catch {}
  return { event: null, accountId: null, chatId: null, messageId: null };
}
