// One batch of one chat's messages in one short transaction: echoes adopted, senders kept, then a
// single statement for messages, attachments and reactions (see writeBatch).
import type { Message as UnipileMessage } from "../unipile/schemas.ts";
import { refreshChatSummary } from "./chats.ts";
import { attachmentRows, reactionRows, toRow } from "./message-rows.ts";
import { adoptEchoes, forwardSql } from "./message-status.ts";
import { canonicalizeBatch } from "./people.ts";
import { dedupeBy, NOW, newId, pgTransaction, type Sql } from "./sql.ts";

export type SyncState = { cursor: string | null; checkpoint: unknown };
type BatchOptions = { countUnread: boolean; refreshSummary: boolean; live?: boolean; syncState?: SyncState };

export type BatchResult = {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Own local sends matched to their Unipile echo instead of inserted again. */
  adopted: number;
  newInbound: number;
  /** Local ids of the messages inserted or changed. */
  changedIds: string[];
};

/** Text replaced by Unipile on a message we stored from Unipile before (an adopted local send has no raw yet). */
const EDITED = `(m.raw IS NOT NULL AND NOT (EXCLUDED.deleted OR m.deleted) AND m.text IS NOT NULL AND m.text IS DISTINCT FROM EXCLUDED.text)`;

/**
 * One short transaction per batch, on a pg client of Prisma's own pool (no extra connection; on the
 * embedded database the one connection is queued for). Prisma forwards a batch's ~0.5 MB of JSON
 * parameters several times slower than pg does, and sync writes hundreds of batches.
 */
export async function upsertBatch(
  chat: { id: string; accountId: string },
  messages: UnipileMessage[],
  opts: BatchOptions,
): Promise<BatchResult> {
  return pgTransaction(async (tx) => {
    const result = await writeBatch(tx, chat, messages, opts);
    if (opts.syncState) await writeSyncState(tx, chat.id, opts.syncState);
    return result;
  });
}

export async function writeSyncState(tx: Sql, chatId: string, state: SyncState) {
  await tx.$executeRawUnsafe(
    `UPDATE "Chat" SET "syncCursor" = $2, "syncCheckpoint" = $3::jsonb WHERE id = $1`,
    chatId,
    state.cursor,
    state.checkpoint === null || state.checkpoint === undefined ? null : JSON.stringify(state.checkpoint),
  );
}

async function writeBatch(
  tx: Sql,
  chat: { id: string; accountId: string },
  messages: UnipileMessage[],
  { countUnread, refreshSummary, live = false }: BatchOptions,
): Promise<BatchResult> {
  // Sorted so that concurrent writers (sync and webhooks) take row locks in the same order.
  const rows = messages.map(toRow).sort((a, b) => (a.unipileId < b.unipileId ? -1 : 1));
  const attachments = messages.flatMap(attachmentRows);
  // WhatsApp ids in either form name the stored person (people.ts): senders, reactors, readers.
  const reactions = await canonicalizeBatch(tx, chat.accountId, rows, messages.flatMap(reactionRows));
  const senders = dedupeBy(rows, (r) => r.senderProviderId)
    .sort((a, b) => (a.senderProviderId < b.senderProviderId ? -1 : 1))
    .map((r) => ({
    id: newId(),
    providerId: r.senderProviderId,
    unipileId: r.senderAttendeeId,
  }));
  const reactors = dedupeBy(reactions, (r) => r.senderProviderId)
    .filter((r) => !senders.some((s) => s.providerId === r.senderProviderId))
    .map((r) => ({ id: newId(), providerId: r.senderProviderId, unipileId: null }));

  const adopted = await adoptEchoes(tx, chat.id, rows);

  // Senders (and reactors) may be people we never saw in an attendee list: keep a row for each.
  await tx.$executeRawUnsafe(
    `INSERT INTO "Attendee" (id, "unipileId", "accountId", "providerId", "updatedAt")
     SELECT x.id, x."unipileId", $2, x."providerId", ${NOW}
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, "unipileId" text, "providerId" text)
     ON CONFLICT ("accountId", "providerId") DO NOTHING`,
    JSON.stringify([...senders, ...reactors]),
    chat.accountId,
  );

  // One statement: messages, then (for the rows that were inserted or really changed) their
  // attachments and reactions made equal to Unipile's. Unchanged rows (same raw) are not touched.
  const result = await tx.$queryRawUnsafe<{ id: string; inserted: boolean; isSender: boolean; deleted: boolean; isEvent: boolean }[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, "unipileId" text, "providerId" text, "senderProviderId" text, text text, "sentAt" text,
         "isSender" boolean, status text, edited boolean, deleted boolean, "quotedUnipileId" text,
         "quotedProviderId" text, "quotedText" text, "quotedSenderId" text, "isEvent" boolean, "eventType" int,
         "seenBy" jsonb, raw jsonb)
     ),
     up AS (
       INSERT INTO "Message" AS m (id, "unipileId", "providerId", "chatId", "senderId", "senderProviderId", text,
         "sentAt", "isSender", status, edited, deleted, "deletedAt", "quotedUnipileId", "quotedProviderId",
         "quotedText", "quotedSenderId", "isEvent", "eventType", "seenBy", raw, "updatedAt")
       SELECT i.id, i."unipileId", i."providerId", $2, s.id, i."senderProviderId", i.text,
         LEAST(GREATEST(t.ts, w.after), t.ts + interval '999 milliseconds'), i."isSender", i.status::"MessageStatus", i.edited, i.deleted,
         CASE WHEN i.deleted THEN ${NOW} END, i."quotedUnipileId", i."quotedProviderId", i."quotedText",
         i."quotedSenderId", i."isEvent", i."eventType", i."seenBy", i.raw, ${NOW}
       FROM input i LEFT JOIN "Attendee" s ON s."accountId" = $3 AND s."providerId" = i."senderProviderId"
       CROSS JOIN LATERAL (SELECT (i."sentAt"::timestamptz AT TIME ZONE 'UTC') AS ts) t
       -- A live message new to us with a whole-second timestamp (WhatsApp's are often truncated) arrived
       -- after the chat's messages of that second: it goes after them, still within its second.
       LEFT JOIN LATERAL (
         SELECT max(o."sentAt") + interval '1 millisecond' AS after FROM "Message" o
         WHERE $6 AND t.ts = date_trunc('second', t.ts) AND o."chatId" = $2 AND o."sentAt" >= t.ts AND o."sentAt" < t.ts + interval '1 second'
           AND NOT EXISTS (SELECT 1 FROM "Message" e WHERE e."unipileId" = i."unipileId")
       ) w ON true
       ON CONFLICT ("unipileId") DO UPDATE SET
         "providerId" = COALESCE(EXCLUDED."providerId", m."providerId"),
         "senderId" = COALESCE(EXCLUDED."senderId", m."senderId"),
         "senderProviderId" = EXCLUDED."senderProviderId",
         -- a tombstone keeps the text it had; an edit keeps the original and the replaced text
         text = CASE WHEN (EXCLUDED.deleted OR m.deleted) AND m.text IS NOT NULL THEN m.text ELSE EXCLUDED.text END,
         "originalText" = CASE WHEN ${EDITED}
           THEN COALESCE(m."originalText", m.text) ELSE m."originalText" END,
         "editHistory" = CASE WHEN ${EDITED}
           THEN COALESCE(m."editHistory", '[]'::jsonb) || jsonb_build_array(jsonb_build_object('text', m.text, 'replacedAt', to_jsonb(now())))
           ELSE m."editHistory" END,
         edited = m.edited OR EXCLUDED.edited OR (${EDITED}),
         deleted = m.deleted OR EXCLUDED.deleted,
         "deletedAt" = COALESCE(m."deletedAt", EXCLUDED."deletedAt"),
         -- a whole-second copy of the time we hold more precisely (or placed in arrival order) keeps ours
         "sentAt" = CASE WHEN EXCLUDED."sentAt" = date_trunc('second', EXCLUDED."sentAt") AND date_trunc('second', m."sentAt") = EXCLUDED."sentAt"
           THEN m."sentAt" ELSE EXCLUDED."sentAt" END,
         "isSender" = EXCLUDED."isSender",
         -- forward only; failed stays failed until a retry
         status = ${forwardSql("m.status", "EXCLUDED.status")},
         "quotedUnipileId" = EXCLUDED."quotedUnipileId",
         "quotedProviderId" = EXCLUDED."quotedProviderId",
         "quotedText" = EXCLUDED."quotedText",
         "quotedSenderId" = EXCLUDED."quotedSenderId",
         "isEvent" = EXCLUDED."isEvent",
         "eventType" = EXCLUDED."eventType",
         "seenBy" = EXCLUDED."seenBy",
         raw = EXCLUDED.raw,
         "updatedAt" = ${NOW}
       WHERE m.raw IS DISTINCT FROM EXCLUDED.raw AND m."chatId" = EXCLUDED."chatId"
       RETURNING m.id, m."unipileId", (xmax = 0) AS inserted, m."isSender", m.deleted, m."isEvent"
     ),
     att AS (
       SELECT x.*, up.id AS "messageId" FROM jsonb_to_recordset($4::jsonb) AS x(
         "messageUnipileId" text, id text, "unipileId" text, kind text, "mimeType" text, size int, name text,
         width int, height int, duration int, unavailable boolean, url text, "urlExpiresAt" text)
       JOIN up ON up."unipileId" = x."messageUnipileId"
     ),
     att_del AS (
       DELETE FROM "Attachment" t USING up
       -- a tombstone keeps the attachments it had (Unipile empties them on delete)
       WHERE t."messageId" = up.id AND NOT up.deleted
         AND NOT EXISTS (SELECT 1 FROM att WHERE att."messageId" = t."messageId" AND att."unipileId" = t."unipileId")
     ),
     att_up AS (
       INSERT INTO "Attachment" AS t (id, "messageId", "unipileId", kind, "mimeType", size, name, width, height, duration,
         unavailable, url, "urlExpiresAt")
       SELECT id, "messageId", "unipileId", kind, "mimeType", size, name, width, height, duration, unavailable, url,
         ("urlExpiresAt"::timestamptz AT TIME ZONE 'UTC') FROM att
       ON CONFLICT ("messageId", "unipileId") DO UPDATE SET kind = EXCLUDED.kind, "mimeType" = EXCLUDED."mimeType",
         size = EXCLUDED.size, name = EXCLUDED.name, width = EXCLUDED.width, height = EXCLUDED.height,
         duration = EXCLUDED.duration, unavailable = EXCLUDED.unavailable, url = EXCLUDED.url,
         "urlExpiresAt" = EXCLUDED."urlExpiresAt"
     ),
     rx AS (
       SELECT x.*, up.id AS "messageId" FROM jsonb_to_recordset($5::jsonb) AS x(
         "messageUnipileId" text, id text, "senderProviderId" text, value text, "isSender" boolean)
       JOIN up ON up."unipileId" = x."messageUnipileId"
     ),
     rx_del AS (
       DELETE FROM "Reaction" r USING up
       WHERE r."messageId" = up.id AND NOT EXISTS (SELECT 1 FROM rx WHERE rx."messageId" = r."messageId"
         AND rx."senderProviderId" = r."senderProviderId" AND rx.value = r.value)
     ),
     rx_up AS (
       INSERT INTO "Reaction" AS r (id, "messageId", "senderId", "senderProviderId", value, "isSender")
       SELECT rx.id, rx."messageId", a.id, rx."senderProviderId", rx.value, rx."isSender"
       FROM rx LEFT JOIN "Attendee" a ON a."accountId" = $3 AND a."providerId" = rx."senderProviderId"
       ON CONFLICT ("messageId", "senderProviderId", value) DO UPDATE SET "isSender" = EXCLUDED."isSender", "senderId" = EXCLUDED."senderId"
     )
     SELECT id, inserted, "isSender", deleted, "isEvent" FROM up`,
    JSON.stringify(rows),
    chat.id,
    chat.accountId,
    JSON.stringify(attachments),
    JSON.stringify(reactions),
    live,
  );

  const newInbound = result.filter((r) => r.inserted && !r.isSender && !r.deleted && !r.isEvent).length;
  if (result.length && (refreshSummary || (countUnread && newInbound > 0))) {
    await refreshChatSummary(chat.id, countUnread ? newInbound : 0, tx);
  }
  const inserted = result.filter((r) => r.inserted).length;
  return {
    inserted,
    updated: result.length - inserted,
    unchanged: rows.length - result.length,
    adopted,
    newInbound,
    changedIds: result.map((r) => r.id),
  };
}
