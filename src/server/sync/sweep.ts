// The periodic sweep: recovers what webhooks did not bring while running (Unipile drops a delivery
// after five failed tries; v1 sends nothing for archive, mute, pin or unread changes). Each account's
// most recently active chats are listed, their state taken, and the chats whose activity moved past
// what we synced get their newer messages: nothing changed costs one request per account.
// Dropped edits, deletes, reactions and receipts do not move a chat's activity: they wait for a resync.
import { db } from "../db.ts";
import { env } from "../env.ts";
import { enqueueSync, type RunCounters } from "./runs.ts";
import { log } from "../log.ts";

export const SWEEP_REASON = "sweep";

/** Queues a sweep (absorbed by a queued or running sync of everything, which covers it). */
export function queueSweep() {
  return enqueueSync({ scope: "all", sweep: true, reason: SWEEP_REASON, dedupe: "active" });
}

export type LastSweep = {
  finishedAt: Date | null;
  status: string;
  /** Messages we lacked and stored, chats newly found, chats whose state or activity was refreshed. */
  repaired: { messages: number; chats: number; refreshed: number };
} | null;

/** The latest finished sweep, for the admin sync page. */
export async function lastSweep(): Promise<LastSweep> {
  const run = await db.syncRun.findFirst({
    where: { status: { in: ["succeeded", "failed"] }, checkpoint: { path: ["sweep"], equals: true } },
    orderBy: { startedAt: "desc" },
    select: { finishedAt: true, status: true, counters: true },
  });
  if (!run) return null;
  const c = run.counters as Partial<RunCounters>;
  return {
    finishedAt: run.finishedAt,
    status: run.status,
    repaired: { messages: c.messagesNew ?? 0, chats: c.chatsNew ?? 0, refreshed: c.chatsRefreshed ?? 0 },
  };
}

const g = globalThis as { __parleySweep?: NodeJS.Timeout };

/** Every SYNC_SWEEP_INTERVAL_S seconds (0: never), a sweep is queued for the sync worker. */
export function startSweeps(intervalS = env.SYNC_SWEEP_INTERVAL_S): void {
  if (g.__parleySweep || intervalS <= 0) return;
  g.__parleySweep = setInterval(() => {
    queueSweep().catch((err) => log.error("sync: could not queue a sweep:", (err as Error).message));
  }, intervalS * 1000);
  g.__parleySweep.unref?.();
}
