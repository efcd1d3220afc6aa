// The local copies of attachments and pictures, in PostgreSQL (CachedBlob/CachedFile): shared by every
// app instance, so a file any instance fetched opens on all of them while Unipile is down. Bytes are
// content-addressed (sha256) and evicted least recently used once the total passes the limit.
import { createHash } from "node:crypto";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";

export type CachedCopy = { bytes: Uint8Array<ArrayBuffer>; contentType: string; source: string | null };

/** What this process may keep: no file above the total, nothing when the cache is off. */
export function cacheLimits() {
  const total = env.ATTACHMENT_CACHE_MAX_BYTES;
  return { total, perFile: Math.min(env.ATTACHMENT_CACHE_MAX_FILE_BYTES, total) };
}

export const attachmentKey = (attachmentId: string) => `att:${attachmentId}`;
export const pictureKey = (accountId: string, attendeeUnipileId: string) => `pic:${accountId}:${attendeeUnipileId}`;

/** The copy under `key`, marked as used now (the eviction order), or null. */
export async function readCached(key: string): Promise<CachedCopy | null> {
  if (cacheLimits().total === 0) return null;
  // One statement reads and touches. The bytes are TOASTed, so the update does not copy them.
  const rows = await db.$queryRaw<{ bytes: Uint8Array; contentType: string; source: string | null }[]>`
    UPDATE "CachedBlob" b SET "lastUsedAt" = now()
    FROM "CachedFile" f
    WHERE f."key" = ${key} AND b."sha256" = f."sha256"
    RETURNING b."bytes", f."contentType", f."source"`;
  const row = rows[0];
  return row ? { bytes: new Uint8Array(row.bytes), contentType: row.contentType, source: row.source } : null;
}

/** Whether `key` has a copy (for `source`, when given), without touching it. */
export async function isCached(key: string, source?: string | null): Promise<boolean> {
  const row = await db.cachedFile.findUnique({ where: { key }, select: { source: true } });
  return !!row && (source === undefined || row.source === source);
}

/**
 * Keeps `bytes` under `key`, then evicts down to the total. Files above the per-file limit are refused
 * (false). Idempotent: the same bytes are stored once, whichever key or instance brings them.
 */
export async function keepCopy(
  key: string,
  bytes: Uint8Array,
  contentType: string,
  source: string | null = null,
): Promise<boolean> {
  const { perFile } = cacheLimits();
  if (bytes.byteLength === 0 || bytes.byteLength > perFile) return false;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const present = await db.cachedBlob.count({ where: { sha256 } });
  await db.$transaction([
    present
      ? db.cachedBlob.updateMany({ where: { sha256 }, data: { lastUsedAt: new Date() } })
      : db.$executeRaw`INSERT INTO "CachedBlob" ("sha256", "size", "bytes") VALUES (${sha256}, ${bytes.byteLength}, ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)})
          ON CONFLICT ("sha256") DO UPDATE SET "lastUsedAt" = now()`,
    db.cachedFile.upsert({
      where: { key },
      create: { key, sha256, contentType, source },
      update: { sha256, contentType, source },
    }),
  ]);
  await evict();
  return true;
}

/**
 * Least recently used first: keeps the newest blobs whose sizes add up to at most the total and deletes
 * the rest (their CachedFile rows go with them). One statement, so concurrent instances agree.
 */
export async function evict(): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "CachedBlob" b USING (
      SELECT "sha256", SUM("size") OVER (ORDER BY "lastUsedAt" DESC, "sha256" DESC) AS upto FROM "CachedBlob"
    ) r
    WHERE b."sha256" = r."sha256" AND r.upto > ${cacheLimits().total}`;
}

// Bytes held by fills in progress in this process: views of many large files at once stream without
// being kept rather than holding unbounded memory.
let held = 0;
const heldBudget = () => 4 * cacheLimits().perFile;

/**
 * `body` passed through unchanged; when it ends within the per-file limit its bytes are kept under
 * `key` before the stream closes. Past the limit (or the process's budget for fills in progress) the
 * collected part is dropped and the rest only streams.
 */
export function keepWhileStreaming(
  body: ReadableStream<Uint8Array>,
  key: string,
  contentType: string,
  source: string | null = null,
) {
  const { perFile } = cacheLimits();
  const parts: Uint8Array[] = [];
  let size = 0;
  let keeping = perFile > 0;
  const stop = () => {
    keeping = false;
    held -= size;
    parts.length = 0;
  };
  // `cancel` is in the Streams standard and Node 20, not yet in TypeScript's Transformer type.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel(): void } = {
    transform(chunk, out) {
      out.enqueue(chunk);
      if (!keeping) return;
      if (size + chunk.byteLength > perFile || held + chunk.byteLength > heldBudget()) return stop();
      size += chunk.byteLength;
      held += chunk.byteLength;
      parts.push(chunk);
    },
    async flush() {
      if (!keeping) return;
      const bytes = Buffer.concat(parts);
      parts.length = 0;
      // A failed write costs the next view a fetch, never this one its file.
      await keepCopy(key, bytes, contentType, source).catch((err) =>
        log.error(`attachment cache: keeping ${key} failed:`, err),
      );
      stop();
    },
    // The browser went away: nothing complete to keep.
    cancel() {
      if (keeping) stop();
    },
  };
  return body.pipeThrough(new TransformStream(transformer));
}

/** Tests: bytes held by fills in progress (0 once every fill ended, kept or not). */
export const heldForTests = () => held;
