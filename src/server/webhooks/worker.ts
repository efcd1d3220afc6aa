// The webhook worker: applies what the receiving request did not (crash, failure, deferred), and
// prunes realtime rows and the webhook log. Started once per server process with webhook registration (jobs/start.ts).
import { db } from "../db.ts";
import { env } from "../env.ts";
import { pruneRealtimeEvents } from "../realtime/bus.ts";
import { claimDue, run, withChatLock } from "./apply.ts";
import { ensureWebhooksRegistered } from "./registration.ts";
import { log } from "../log.ts";

const BATCH = 25;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export type Worker = { stop(): Promise<void>; /** Runs one pass now; resolves with how many events it applied. */ tick(): Promise<number> };

export function startWebhookWorker(opts: { intervalMs?: number } = {}): Worker {
  const intervalMs = opts.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let lastPrune = 0;

  const pass = async (): Promise<number> => {
    let done = 0;
    for (;;) {
      const due = await claimDue(BATCH);
      for (const row of due) {
        await withChatLock(row.chatId, () => run(row));
        done++;
      }
      if (due.length < BATCH || stopped) break;
    }
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneRealtimeEvents();
      await pruneWebhookLog();
    }
    return done;
  };
  const tick = () => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };
  const loop = async () => {
    if (stopped) return;
    await tick().catch((err) => log.error("webhook worker:", err));
    if (!stopped) timer = setTimeout(() => void loop(), intervalMs);
  };
  timer = setTimeout(() => void loop(), 0);

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}

/** Registers our webhooks with Unipile (retrying while Unipile is unreachable) and starts the worker. */
export async function startWebhooks(): Promise<void> {
  const g = globalThis as { __parleyWebhookWorker?: Worker };
  g.__parleyWebhookWorker ??= startWebhookWorker();
  if (!env.UNIPILE_DSN || !env.UNIPILE_API_KEY || !env.PUBLIC_URL || !env.UNIPILE_WEBHOOK_SECRET) {
    log.warn("Webhooks not registered: set UNIPILE_DSN, UNIPILE_API_KEY, PUBLIC_URL and UNIPILE_WEBHOOK_SECRET");
    return;
  }
  const register = async (delay: number): Promise<void> => {
    try {
      const r = await ensureWebhooksRegistered();
      if (r.created.length || r.removed.length) {
        log.info(`Webhooks at ${r.url}: ${r.created.length} created, ${r.removed.length} replaced, ${r.kept.length} kept`);
      }
    } catch (err) {
      log.error(`Webhook registration failed (${(err as Error).message}); retrying in ${delay / 1000} s`);
      setTimeout(() => void register(Math.min(delay * 2, 300_000)), delay).unref();
    }
  };
  void register(5_000);
}

/** How long finished events stay in the log (Unipile's retries of an event come within hours). */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 24 * 3600_000;

/**
 * Deletes finished events (applied, duplicate, rejected) older than the retention, a slice at a time
 * so no statement holds locks for long. Failed and waiting events stay until they are applied.
 */
export async function pruneWebhookLog(olderThanMs = WEBHOOK_LOG_RETENTION_MS): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "WebhookEvent" WHERE "id" IN (
        SELECT "id" FROM "WebhookEvent"
        WHERE "receivedAt" < ${cutoff} AND "status" IN ('applied', 'duplicate', 'rejected')
        LIMIT 5000
      )`;
    total += deleted;
    if (deleted < 5000) return total;
  }
}
