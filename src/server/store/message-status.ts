// Message status, and the echo of our own sends: the order of statuses, the one rule for changing
// them, and matching Unipile's copy of a message we sent to the row we stored before sending it.
// The rule: a matched echo (or Unipile accepting our send) moves our row from pending or failed to
// sent; every other change only moves forward (pending → sent → delivered → seen), and failed stays
// failed until a retry or a matched echo.
import { type MessageStatus, Prisma } from "@/generated/prisma/client.ts";
import { db } from "../db.ts";
import type { Message as UnipileMessage } from "../unipile/schemas.ts";
import { attachmentRows, type MessageRow } from "./message-rows.ts";
import { IN_JSON, NOW, type Sql } from "./sql.ts";

export type { MessageStatus };

/** Forward order; failed is outside it (terminal until a retry or a matched echo). */
export const STATUS_ORDER = ["pending", "sent", "delivered", "seen"] as const satisfies readonly MessageStatus[];

const rank = (s: MessageStatus) => (STATUS_ORDER as readonly MessageStatus[]).indexOf(s);

/** Our status for a message Unipile reports: only own messages carry delivery/read progress. */
export function statusOf(m: Pick<UnipileMessage, "is_sender" | "seen" | "delivered">): MessageStatus {
  if (!m.is_sender) return "sent";
  if (m.seen) return "seen";
  if (m.delivered) return "delivered";
  return "sent";
}

/** The status after Unipile reports `next` for a row at `current`: forward only, failed stays failed. */
export function forward(current: MessageStatus, next: MessageStatus): MessageStatus {
  if (current === "failed" || next === "failed") return current;
  return rank(next) > rank(current) ? next : current;
}

/** The statuses a row may be in for a report of `next` to move it (for `where status in …`). */
export function movableTo(next: MessageStatus): MessageStatus[] {
  return STATUS_ORDER.filter((s) => rank(s) < rank(next));
}

/** Statuses a matched echo (or Unipile accepting our send) turns into sent. */
const SENT_ON_ECHO = ["pending", "failed"] as const satisfies readonly MessageStatus[];

/** The status of our row once its echo is matched. */
export function onEcho(current: MessageStatus): MessageStatus {
  return (SENT_ON_ECHO as readonly MessageStatus[]).includes(current) ? "sent" : current;
}

const RANK_SQL = (col: string) =>
  `(CASE ${col}::text ${STATUS_ORDER.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE -1 END)`;

/** `forward` in SQL, for the store's upsert: `current`/`next` are column expressions. */
export function forwardSql(current: string, next: string): string {
  return `CASE WHEN ${current} = 'failed' OR ${next} = 'failed' OR ${RANK_SQL(current)} >= ${RANK_SQL(next)} THEN ${current} ELSE ${next} END`;
}

/** `onEcho` in SQL. */
const ON_ECHO_SQL = (col: string) =>
  `CASE WHEN ${col} IN (${SENT_ON_ECHO.map((s) => `'${s}'`).join(", ")}) THEN 'sent'::"MessageStatus" ELSE ${col} END`;

/** Own-echo window: an is_sender message from Unipile adopts a local send of the same text this close in time. */
const ECHO_WINDOW_MS = 10 * 60 * 1000;

/**
 * Local own sends not yet tied to a Unipile id that an echo in this batch may adopt (the echo came
 * before Unipile's answer to our send). The store's upsert then fills in the rest of the echo.
 */
export async function adoptEchoes(tx: Sql, chatId: string, rows: MessageRow[]): Promise<number> {
  const own = rows.filter((r) => r.isSender);
  if (!own.length) return 0;
  const candidates = await tx.$queryRawUnsafe<{ id: string; text: string | null; sentAtMs: number }[]>(
    `SELECT id, text, (extract(epoch FROM "sentAt") * 1000)::float8 AS "sentAtMs" FROM "Message"
     WHERE "chatId" = $1 AND "isSender" AND "unipileId" IS NULL AND status IN ('pending', 'sent', 'failed')
     ORDER BY "sentAt"`,
    chatId,
  );
  if (!candidates.length) return 0;
  const known = new Set(
    (
      await tx.$queryRawUnsafe<{ unipileId: string }[]>(
        `SELECT "unipileId" FROM "Message" WHERE "unipileId" = ${IN_JSON(1)}`,
        JSON.stringify(own.map((r) => r.unipileId)),
      )
    ).map((r) => r.unipileId),
  );
  const free = new Set(candidates.map((c) => c.id));
  let adopted = 0;
  // Oldest echo first takes the closest unclaimed local send: two identical "ok"s pair up in order.
  for (const echo of own.filter((r) => !known.has(r.unipileId)).sort((a, b) => a.sentAt.localeCompare(b.sentAt))) {
    const at = Date.parse(echo.sentAt);
    const norm = (echo.text ?? "").trim();
    let best: { id: string; d: number } | null = null;
    for (const c of candidates) {
      if (!free.has(c.id) || (c.text ?? "").trim() !== norm) continue;
      const d = Math.abs(Number(c.sentAtMs) - at);
      if (d <= ECHO_WINDOW_MS && (!best || d < best.d)) best = { id: c.id, d };
    }
    if (!best) continue;
    // "unipileId IS NULL" again: a concurrent send confirmation may have tied it meanwhile. The
    // upsert that follows replaces the files we showed with the echo's attachments.
    const n = await tx.$executeRawUnsafe(
      `UPDATE "Message" SET "unipileId" = $2, status = ${ON_ECHO_SQL("status")}, "statusError" = NULL, "updatedAt" = ${NOW}
       WHERE id = $1 AND "unipileId" IS NULL`,
      best.id,
      echo.unipileId,
    );
    free.delete(best.id);
    if (n > 0) adopted++;
  }
  return adopted;
}

/** Unipile accepted our send without telling its id: sent now; the echo brings the id later. */
export async function markAccepted(messageId: string) {
  await db.message.updateMany({ where: { id: messageId, status: { in: [...SENT_ON_ECHO] } }, data: { status: "sent", statusError: null } });
}

/**
 * Gives our row Unipile's id and moves it to sent (the send answered with an id). If the echo was
 * stored first as a row of its own (the store did not match it yet), that row is folded into ours —
 * one message, our id. The files we sent show as the message's attachments until the echo's own.
 */
export async function confirmSent(messageId: string, unipileId: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.$transaction(async (tx) => {
        const other = await tx.message.findUnique({
          where: { unipileId },
          select: { id: true, providerId: true, sentAt: true, status: true, seenBy: true, senderId: true, senderProviderId: true, raw: true },
        });
        const mine = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: { status: true } });
        let status = onEcho(mine.status);
        const extra: Prisma.MessageUpdateInput = {};
        if (other && other.id !== messageId) {
          await tx.attachment.deleteMany({ where: { messageId, unipileId: { startsWith: OUTBOX_PREFIX } } });
          await tx.attachment.updateMany({ where: { messageId: other.id }, data: { messageId } });
          await tx.reaction.updateMany({ where: { messageId: other.id }, data: { messageId } });
          await tx.message.delete({ where: { id: other.id } });
          status = forward(status, other.status);
          Object.assign(extra, {
            providerId: other.providerId,
            sentAt: other.sentAt,
            seenBy: other.seenBy ?? undefined,
            senderProviderId: other.senderProviderId,
            raw: other.raw ?? undefined,
            ...(other.senderId ? { sender: { connect: { id: other.senderId } } } : {}),
          });
        }
        await tx.message.update({
          where: { id: messageId },
          data: { ...extra, unipileId, status, statusError: null },
        });
      });
      return;
    } catch (err) {
      // The echo row appeared between our read and our write: run again, it will be folded in.
      if (attempt < 2 && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") continue;
      throw err;
    }
  }
}

/** Attachment ids of the files we sent, shown until Unipile's echo names them (never Unipile's own ids). */
const OUTBOX_PREFIX = "outbox-";

const KIND_OF = (type: string) => (type.startsWith("image/") ? "img" : type.startsWith("video/") ? "video" : type.startsWith("audio/") ? "audio" : "file");

/**
 * Unipile accepted our send: its files become the message's attachments (what the bubble showed
 * while pending), unless the echo already brought Unipile's own. The stored bytes are dropped.
 */
export async function keepSentFiles(messageId: string) {
  await db.$transaction(async (tx) => {
    // Locks our row: the echo's attachments (takeEchoAttachments) and ours never both land.
    await tx.$executeRaw`SELECT 1 FROM "Message" WHERE id = ${messageId} FOR UPDATE`;
    const files = await tx.outboxFile.findMany({ where: { messageId }, orderBy: { position: "asc" }, select: { position: true, name: true, type: true, data: true } });
    if (files.length && (await tx.attachment.count({ where: { messageId } })) === 0) {
      await tx.attachment.createMany({
        data: files.map((f) => ({
          messageId,
          unipileId: `${OUTBOX_PREFIX}${f.position}`,
          kind: KIND_OF(f.type),
          mimeType: f.type || null,
          size: f.data.byteLength,
          name: f.name,
        })),
        skipDuplicates: true,
      });
    }
    await tx.outboxFile.deleteMany({ where: { messageId } });
  });
}

/**
 * The echo of a send we already confirmed (our row has Unipile's id but was never stored from
 * Unipile): the echo's attachments replace the files we showed. Nothing else of the thinner webhook
 * copy is taken. Returns whether anything changed.
 */
export async function takeEchoAttachments(echo: UnipileMessage): Promise<boolean> {
  if (!echo.is_sender || echo.attachments.length === 0) return false;
  return db.$transaction(async (tx) => {
    const mine = await tx.message.findFirst({ where: { unipileId: echo.id, isSender: true, raw: { equals: Prisma.DbNull } }, select: { id: true } });
    if (!mine) return false;
    await tx.$executeRaw`SELECT 1 FROM "Message" WHERE id = ${mine.id} FOR UPDATE`;
    await tx.attachment.deleteMany({ where: { messageId: mine.id, unipileId: { startsWith: OUTBOX_PREFIX } } });
    const { count } = await tx.attachment.createMany({
      data: attachmentRows(echo).map(({ messageUnipileId: _m, id: _id, urlExpiresAt, ...a }) => ({
        ...a,
        messageId: mine.id,
        urlExpiresAt: urlExpiresAt ? new Date(urlExpiresAt) : null,
      })),
      skipDuplicates: true,
    });
    return count > 0;
  });
}
