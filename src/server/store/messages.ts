// Storing Unipile messages of one chat (sync and webhooks): idempotent by Unipile id, in atomic
// batches, realtime events published after commit.
import { db } from "../db.ts";
import { publish, type RealtimeEvent } from "../realtime/bus.ts";
import type { Message as UnipileMessage } from "../unipile/schemas.ts";
import { type BatchResult, type SyncState, upsertBatch, writeSyncState } from "./message-batch.ts";
import { dedupeBy } from "./sql.ts";

type UpsertMessagesOptions = {
  /**
   * "each" (default): chat.updated + message.upserted per changed message (webhooks, small batches;
   * above 50 changed messages only chat.updated). "chat": one chat.updated when anything changed
   * (sync). "none": publish nothing; the caller does.
   */
  publish?: "each" | "chat" | "none";
  /** New inbound messages raise the chat's unread count (live events; default true). Sync passes false and takes Unipile's count. */
  countUnread?: boolean;
  /** Recompute the chat's preview and last activity with each batch (default true). Sync does it once per chat instead. */
  refreshSummary?: boolean;
  /** Webhooks: the messages arrive as they are sent, so a whole-second timestamp is placed after the chat's messages of that second. */
  live?: boolean;
  /** Sync's resume point for this chat, committed in the same transaction as the messages it follows. */
  syncState?: SyncState;
};


type UpsertMessagesResult = BatchResult;

const BATCH = 250;

/**
 * Stores Unipile messages of one chat (our Chat.id), in batches of 250, each batch atomic.
 * Inserts new ones, updates changed ones (text edits keep the original and a history, deletes
 * become tombstones that keep the text, status only moves forward, reactions and attachments become
 * exactly what Unipile says), leaves unchanged ones and local-only pending sends alone, and adopts
 * a local own send for the echo of it (same chat, same text, ±10 min) instead of duplicating it.
 */
export async function upsertMessages(
  chatRef: string | { id: string; accountId: string },
  messages: UnipileMessage[],
  opts: UpsertMessagesOptions = {},
): Promise<UpsertMessagesResult> {
  const total: UpsertMessagesResult = { inserted: 0, updated: 0, unchanged: 0, adopted: 0, newInbound: 0, changedIds: [] };
  const chatId = typeof chatRef === "string" ? chatRef : chatRef.id;
  if (!messages.length) {
    if (opts.syncState) await writeSyncState(db, chatId, opts.syncState);
    return total;
  }
  const chat =
    typeof chatRef === "string" ? await db.chat.findUnique({ where: { id: chatRef }, select: { id: true, accountId: true } }) : chatRef;
  if (!chat) throw new Error(`upsertMessages: unknown chat ${chatId}`);
  const unique = dedupeBy(messages, (m) => m.id);
  const events: RealtimeEvent[] = [];
  for (let i = 0; i < unique.length; i += BATCH) {
    const last = i + BATCH >= unique.length;
    const r = await upsertBatch(chat, unique.slice(i, i + BATCH), {
      countUnread: opts.countUnread !== false,
      refreshSummary: opts.refreshSummary !== false,
      live: opts.live === true,
      syncState: last ? opts.syncState : undefined,
    });
    total.inserted += r.inserted;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
    total.adopted += r.adopted;
    total.newInbound += r.newInbound;
    total.changedIds.push(...r.changedIds);
  }
  const mode = opts.publish ?? "each";
  if (mode !== "none" && total.changedIds.length) {
    events.push({ type: "chat.updated", accountId: chat.accountId, chatId });
    if (mode === "each" && total.changedIds.length <= 50) {
      for (const messageId of total.changedIds) events.push({ type: "message.upserted", accountId: chat.accountId, chatId, messageId });
    }
    await publish(...events);
  }
  return total;
}
