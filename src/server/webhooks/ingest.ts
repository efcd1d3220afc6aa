// POST /api/webhooks/unipile, minus the framework: authenticate, read the raw body, append it to the
// WebhookEvent log in ONE insert (which also decides "duplicate" race-free), answer. Applying is apply.ts.
import { ZodError } from "zod";
import { dbPool } from "../db.ts";
import { env } from "../env.ts";
import { AppError, type ErrorBody, errorReply } from "../errors.ts";
import { storableText } from "../unipile/schemas.ts";
import { decodeWebhookBody, parseWebhookPayload, type ParsedWebhook } from "../unipile/webhook-schemas.ts";
import { dedupeKeyOf } from "./dedupe-key.ts";
import { loggableHeaders, readRawBody, verifyWebhookSecret, WEBHOOK_SECRET_HEADER } from "./verify.ts";

/** How long the receiving process has to apply an event before the worker (any instance) takes over. */
const APPLY_GRACE_MS = 5_000;

type Receipt = {
  status: number;
  body: { ok: true; id: string; duplicate: boolean } | ErrorBody;
  /** Set when the event was recorded as `received`: apply it now (after answering). */
  applyId?: bigint;
  /** Its Unipile chat id: one chat's events are applied in order of arrival. */
  chatKey?: string | null;
};

function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

type Row = { id: bigint; status: string };
type Fields = {
  event: string | null;
  accountId: string | null;
  chatId: string | null;
  messageId: string | null;
  headers: Record<string, string>;
  body: string;
  dedupeKey: string | null;
  status: "received" | "rejected";
  error: string | null;
};

/**
 * The one insert, for a batch of deliveries (group commit: requests that arrive while earlier ones are
 * being written go together in the next statement, one round trip and one commit for all). Ids come
 * from the sequence up front, so each delivery gets its own row back. With a key, ON CONFLICT on the
 * unique dedupeClaim decides race-free which delivery is the first (also within one batch); the
 * others are logged as `duplicate`. Rows without a key (account status) and rejected ones are logged
 * as they are.
 */
async function insertBatch(batch: Fields[]): Promise<Row[]> {
  // The parsed fields are storable already (parseUnipileJson) and header values cannot hold NUL or
  // surrogates (Headers refuses them); the raw body and the error (which may quote it) may.
  const input = JSON.stringify(batch.map((f, n) => ({ ...f, n, body: storableText(f.body), error: f.error && storableText(f.error) })));
  const { rows } = await dbPool().query<{ id: string; status: string }>({
    // Named: each connection parses and plans it once.
    name: "parley-webhook-insert",
    text: `WITH input AS MATERIALIZED (
       SELECT x.*, nextval(pg_get_serial_sequence('"WebhookEvent"', 'id')) AS "id"
       FROM jsonb_to_recordset($1::jsonb) AS x("n" int, "event" text, "accountId" text, "chatId" text, "messageId" text,
                                              "headers" jsonb, "body" text, "dedupeKey" text, "status" text, "error" text)
     ), first AS (
       INSERT INTO "WebhookEvent" ("id", "event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", "dedupeClaim", "status", "notBefore")
       SELECT "id", "event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", "dedupeKey", 'received',
              now() + make_interval(secs => $2)
       FROM input WHERE "status" = 'received' AND "dedupeKey" IS NOT NULL ORDER BY "n"
       ON CONFLICT ("dedupeClaim") DO NOTHING
       RETURNING "id"
     ), rest AS (
       INSERT INTO "WebhookEvent" ("id", "event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", "status", "error", "appliedAt", "notBefore")
       SELECT "id", "event", "accountId", "chatId", "messageId", "headers", "body", "dedupeKey", s."status"::"WebhookEventStatus", "error",
              CASE WHEN s."status" = 'duplicate' THEN now() END, now() + make_interval(secs => $2)
       FROM input, LATERAL (SELECT CASE WHEN input."status" = 'received' AND "dedupeKey" IS NOT NULL THEN 'duplicate' ELSE input."status" END AS "status") s
       WHERE "id" NOT IN (SELECT "id" FROM first)
       RETURNING "id", "status"::text AS "status"
     )
     SELECT input."id"::text AS "id", COALESCE(rest."status", 'received') AS "status"
     FROM input LEFT JOIN rest ON rest."id" = input."id" ORDER BY input."n"`,
    values: [input, APPLY_GRACE_MS / 1000],
  });
  return rows.map((r) => ({ id: BigInt(r.id), status: r.status }));
}

const MAX_BATCH = 200;
const MAX_BATCHES_IN_FLIGHT = 2;
let queue: { fields: Fields; resolve: (r: Row) => void; reject: (e: unknown) => void }[] = [];
let inFlight = 0;

function record(fields: Fields): Promise<Row> {
  return new Promise((resolve, reject) => {
    queue.push({ fields, resolve, reject });
    pump();
  });
}

function pump() {
  while (inFlight < MAX_BATCHES_IN_FLIGHT && queue.length > 0) {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    inFlight++;
    void insertBatch(batch.map((b) => b.fields))
      .then(
        (rows) => {
          for (const [i, b] of batch.entries()) b.resolve(rows[i]!);
        },
        // One bad row must not fail its neighbours: write them one by one to find it.
        (err) => {
          if (batch.length === 1) return batch[0]!.reject(err);
          for (const b of batch) insertBatch([b.fields]).then(([row]) => b.resolve(row!), b.reject);
        },
      )
      .finally(() => {
        inFlight--;
        pump();
      });
  }
}

/** Everything the route does before answering. Nothing is stored for a 401 or a 413. */
export async function receiveWebhook(req: Request): Promise<Receipt> {
  if (!verifyWebhookSecret(req.headers.get(WEBHOOK_SECRET_HEADER), env.UNIPILE_WEBHOOK_SECRET)) {
    return errorReply(new AppError("UNAUTHORIZED", "Missing or wrong X-Webhook-Secret"));
  }
  let raw: string;
  try {
    raw = await readRawBody(req);
  } catch (err) {
    if (err instanceof AppError && err.code === "PAYLOAD_TOO_LARGE") return errorReply(err);
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
    return errorReply(new AppError("BAD_REQUEST", reason));
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
  const str = (v: unknown) => (typeof v === "string" && v.length <= 200 ? storableText(v) : null);
  return { accountId: str(o.account_id), chatId: str(o.chat_id), messageId: str(o.message_id) };
}

/** Best-effort ids from a rejected body, so the admin can filter rejected events too. */
function looseFields(raw: string): { event: string | null; accountId: string | null; chatId: string | null; messageId: string | null } {
  try {
    const o = JSON.parse(raw) as unknown;
    if (o && typeof o === "object" && !Array.isArray(o)) {
      const rec = o as Record<string, unknown>;
      const event = typeof rec.event === "string" && rec.event.length <= 100 ? storableText(rec.event) : null;
      return { event, ...looseIds(rec) };
    }
  } catch {}
  return { event: null, accountId: null, chatId: null, messageId: null };
}
