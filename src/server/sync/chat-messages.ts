// The message-history pass of a sync run: one marked chat's attendees, then its messages page by
// page (newest back to the history depth, or only what came after our last synced point), with the
// cursor committed alongside each page so a killed run resumes exactly where it stopped.
import { Prisma } from "@/generated/prisma/client.ts";
import { db } from "../db.ts";
import { publish } from "../realtime/bus.ts";
import { upsertChatAttendees } from "../store/attendees.ts";
import { refreshChatSummary } from "../store/chats.ts";
import { upsertMessages } from "../store/messages.ts";
import type { UnipileClient } from "../unipile/client.ts";
import { UnipileError } from "../unipile/errors.ts";
import type { RunCounters } from "./runs.ts";

/** Per chat, in Chat.syncCheckpoint while its messages are being synced. */
export type ChatCheckpoint = {
  /** The run that will process it; null after a failure (the next run picks it up again). */
  runId: string | null;
  /** history: a chat never synced (newest back to the depth); after: only messages after `after`; full: the whole history again. */
  mode: "history" | "after" | "full";
  after?: string | null;
  /** Unipile's chat timestamp this walk syncs up to; becomes Chat.unipileTimestamp when done. */
  target: string | null;
  /** Unipile's newest timestamp seen for the chat (may move past target while a walk is resumed). */
  latest: string | null;
  fetched: number;
};

/** A chat marked for this run, as the message pass reads it. */
export type MarkedChat = {
  id: string;
  unipileId: string;
  accountId: string;
  provider: string;
  syncCheckpoint: ChatCheckpoint;
  syncCursor: string | null;
};

/** What the walk needs from its run: the client, the run's signal, the depth, and where to count and record errors. */
export type ChatWalk = {
  client: UnipileClient;
  signal: AbortSignal;
  /** Messages of history for a chat seen the first time (0 = all). */
  depth: number;
  counters: RunCounters;
  error: (message: string, where: { chatId?: string; accountId?: string }) => void;
};

/** Incremental walks start this much before the last synced point: a small overlap, deduped by id. */
export const AFTER_MARGIN_MS = 60_000;
export const PAGE = 250;

const ts = (v: string | null | undefined) => (v ? Date.parse(v) : null);

export function describe(err: unknown): string {
  if (err instanceof UnipileError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Syncs one chat's messages. A failure is recorded on the chat (and the run) and not thrown, unless the run was aborted. */
export async function syncChatMessages(c: MarkedChat, walk: ChatWalk): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await walkChat(c, walk);
    } catch (err) {
      if (walk.signal.aborted) throw err;
      // A deadlock or serialization failure means "try again": the walk is idempotent, so it starts over as it began.
      if (attempt < 3 && retryableDbError(err)) continue;
      const message = describe(err);
      walk.error(message, { chatId: c.id, accountId: c.accountId });
      // The committed cursor and checkpoint stay: the next run resumes this chat's walk where it stopped.
      await db.$executeRawUnsafe(
        `UPDATE "Chat" SET "syncErrorCount" = "syncErrorCount" + 1, "syncLastError" = $2,
           "syncCheckpoint" = jsonb_set(COALESCE("syncCheckpoint", $3::jsonb), '{runId}', 'null'::jsonb)
         WHERE id = $1`,
        c.id,
        message.slice(0, 1000),
        JSON.stringify(c.syncCheckpoint),
      );
      await publish({ type: "chat.updated", accountId: c.accountId, chatId: c.id });
      return;
    }
  }
}

/** PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001), through pg or Prisma. */
function retryableDbError(err: unknown): boolean {
  const e = err as { code?: unknown; meta?: { code?: unknown } } | null;
  const code = e?.code ?? e?.meta?.code;
  return code === "40P01" || code === "40001" || /deadlock detected|could not serialize access/.test(describe(err));
}

async function walkChat(c: MarkedChat, walk: ChatWalk): Promise<void> {
  let cp = { ...c.syncCheckpoint };
  let cursor = c.syncCursor;
  const call = { accountId: c.accountId, signal: walk.signal };
  // Members and names first: a 1:1 chat without a name is named after its attendee.
  if (cp.fetched === 0 && !cursor) {
    const attendees = await walk.client.listChatAttendees(c.unipileId, call);
    await upsertChatAttendees(c.id, c.accountId, attendees.items, c.provider);
  }
  let restartedStaleCursor = false;
  for (;;) {
    const depthReached = cp.mode !== "after" && walk.depth > 0 && cp.fetched >= walk.depth;
    if (!depthReached) {
      let page: Awaited<ReturnType<UnipileClient["listChatMessages"]>>;
      try {
        page = await walk.client.listChatMessages(
          c.unipileId,
          {
            limit: cp.mode !== "after" && walk.depth > 0 ? Math.min(PAGE, walk.depth - cp.fetched) : PAGE,
            cursor,
            after: cp.mode === "after" ? (cp.after ?? undefined) : undefined,
          },
          call,
        );
      } catch (e) {
        // A cursor saved before a restart may have expired upstream: walk again from the top once (idempotent).
        if (cursor && !restartedStaleCursor && e instanceof UnipileError && e.status === 400) {
          restartedStaleCursor = true;
          cursor = null;
          cp.fetched = 0;
          continue;
        }
        throw e;
      }
      cp.fetched += page.items.length;
      cursor = page.cursor;
      const more = !!cursor && !(cp.mode !== "after" && walk.depth > 0 && cp.fetched >= walk.depth);
      // The cursor commits with the page it follows: a kill between pages resumes exactly there.
      const r = await upsertMessages({ id: c.id, accountId: c.accountId }, page.items, {
        publish: "none",
        countUnread: false,
        refreshSummary: false,
        syncState: more ? { cursor, checkpoint: cp } : undefined,
      });
      walk.counters.messagesNew += r.inserted;
      walk.counters.messagesUpdated += r.updated;
      if (more) continue;
    }
    // The chat moved on while an interrupted walk waited: catch up on what came after it.
    if (cp.target && cp.latest && ts(cp.latest)! > ts(cp.target)!) {
      cp = {
        ...cp,
        mode: "after",
        after: new Date(ts(cp.target)! - AFTER_MARGIN_MS).toISOString(),
        target: cp.latest,
        fetched: 0,
      };
      cursor = null;
      await db.chat.update({ where: { id: c.id }, data: { syncCursor: null, syncCheckpoint: cp } });
      continue;
    }
    break;
  }
  await db.chat.update({
    where: { id: c.id },
    data: {
      unipileTimestamp: cp.target ? new Date(cp.target) : null,
      lastSyncedAt: new Date(),
      syncCheckpoint: Prisma.DbNull,
      syncCursor: null,
      syncErrorCount: 0,
      syncLastError: null,
    },
  });
  await refreshChatSummary(c.id);
  await publish({ type: "chat.updated", accountId: c.accountId, chatId: c.id });
}
