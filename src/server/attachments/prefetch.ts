// Attachments of newly arrived recent messages are fetched before anyone opens them, so a file that
// came in just before Unipile went down still opens. In the background, after the webhook was
// acknowledged and applied: one fetch at a time, a bounded queue (a burst drops the overflow; a first
// view still fills those), and nothing above the per-file limit.
import { db } from "../db.ts";
import { env } from "../env.ts";
import { IN_JSON, pgQuery } from "../store/sql.ts";
import { getUnipile } from "../unipile/client.ts";
import { attachmentKey, cacheLimits, isCached, keepCopy } from "./cache.ts";
import type { AttachmentRemote } from "./serve.ts";
import { log } from "../log.ts";

/** Attachments waiting to be fetched in this process; more are dropped. */
const MAX_QUEUED = 200;

const queue: string[] = [];
const queued = new Set<string>();
let running: Promise<void> | null = null;

/** Reads a file to the end, or null (and stops reading) once it passes `limit` bytes. */
async function readUpTo(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer | null> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(r.value);
  }
  return Buffer.concat(parts);
}

/** Fetches one attachment (our id) into the cache unless it is there already. True when a copy was made. */
export async function prefetchAttachment(attachmentId: string, download: AttachmentRemote): Promise<boolean> {
  const key = attachmentKey(attachmentId);
  if (await isCached(key)) return false;
  const att = await db.attachment.findUnique({
    where: { id: attachmentId },
    select: {
      unipileId: true,
      unavailable: true,
      message: { select: { unipileId: true, chat: { select: { accountId: true } } } },
    },
  });
  if (!att || att.unavailable || !att.message.unipileId) return false;
  const file = await download(att.message.unipileId, att.unipileId, { accountId: att.message.chat.accountId });
  const bytes = await readUpTo(file.body, cacheLimits().perFile);
  return bytes ? keepCopy(key, bytes, file.contentType) : false;
}

/** The attachments of these messages (Unipile ids) worth fetching now: recent, available, small enough. */
async function candidates(messageUnipileIds: string[]): Promise<string[]> {
  const since = new Date(Date.now() - env.ATTACHMENT_PREFETCH_HOURS * 3_600_000);
  // Straight through pg: it runs for every ingested message, where a Prisma call costs the event loop
  // a few tenths of a millisecond (store/sql.ts pgQuery).
  const rows = await pgQuery<{ id: string }>(
    `SELECT a.id FROM "Attachment" a JOIN "Message" m ON m.id = a."messageId"
     WHERE m."unipileId" = ${IN_JSON(1)} AND m."sentAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND NOT m.deleted
       AND NOT a.unavailable AND (a.size IS NULL OR a.size <= $3)`,
    [JSON.stringify(messageUnipileIds), since.toISOString(), cacheLimits().perFile],
  );
  return rows.map((r) => r.id);
}

async function drain(download: AttachmentRemote) {
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    try {
      await prefetchAttachment(id, download);
    } catch (err) {
      // Unipile down or the file gone: the first view tries again.
      log.warn(`attachment prefetch ${id}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      queued.delete(id);
    }
  }
}

/** Starts the one drain of this process unless it runs; a drain that ends with work left restarts. */
function kick(download: AttachmentRemote) {
  running ??= drain(download).finally(() => {
    running = null;
    if (queue.length) kick(download);
  });
}

// Lookups of candidates still running (tests wait for them with prefetchIdle).
const lookups = new Set<Promise<void>>();

/**
 * Queues the attachments of just-stored messages (Unipile ids) and returns at once; never throws.
 * `download` defaults to the real Unipile client.
 */
export function prefetchAttachmentsOf(messageUnipileIds: string[], download?: AttachmentRemote): void {
  if (messageUnipileIds.length === 0 || env.ATTACHMENT_PREFETCH_HOURS === 0 || cacheLimits().total === 0) return;
  const fetchFile = download ?? ((m, a, o) => getUnipile().downloadAttachment(m, a, o));
  const lookup = candidates(messageUnipileIds)
    .then((ids) => {
      for (const id of ids) {
        if (queued.has(id) || queue.length >= MAX_QUEUED) continue;
        queued.add(id);
        queue.push(id);
      }
      if (queue.length) kick(fetchFile);
    })
    .catch((err) => log.warn("attachment prefetch:", err instanceof Error ? err.message : String(err)))
    .finally(() => lookups.delete(lookup));
  lookups.add(lookup);
}

/** Tests: resolves once every queued prefetch has run. */
export async function prefetchIdle(): Promise<void> {
  while (lookups.size || running) await Promise.all([...lookups, running]);
}
