// The sync worker of one process: claims queued (or abandoned) runs from "SyncRun" and executes
// them, at most `maxRuns` at a time; polls every few seconds and starts at once when kicked.
import { db } from "../db.ts";
import { env, unipileConfig } from "../env.ts";
import { getUnipile, type UnipileClient } from "../unipile/client.ts";
import { executeRun } from "./engine.ts";
import { claimRun, enqueueSync, processOwner, syncKick } from "./runs.ts";
import { startSweeps } from "./sweep.ts";
import { log } from "../log.ts";

export type SyncWorkerOptions = {
  client?: UnipileClient;
  owner?: string;
  pollMs?: number;
  /**
   * Another owner's running run that has not saved progress for this long is taken over. Default
   * 30 s (three missed heartbeats); 0 on the embedded PGlite, where only this process can use the
   * database, so a run still marked running from before a restart is resumed at once.
   */
  leaseMs?: number;
  maxRuns?: number;
  concurrency?: number;
  historyDepth?: number;
};

export type SyncWorker = {
  /** Stops claiming, aborts the runs in progress (they stay resumable) and waits for them to stop. */
  stop(): Promise<void>;
  /** Resolves when no run is in progress and none is claimable right now. */
  idle(): Promise<void>;
};

export function startSyncWorker(opts: SyncWorkerOptions = {}): SyncWorker {
  const owner = opts.owner ?? processOwner;
  const pollMs = opts.pollMs ?? 5_000;
  const leaseMs = opts.leaseMs ?? (env.PARLEY_EMBEDDED_DB ? 0 : 30_000);
  const maxRuns = opts.maxRuns ?? 2;
  const controller = new AbortController();
  const active = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];
  let lastClaimEmpty = false;
  let client = opts.client;

  const kick = () => wake?.();
  syncKick.on("kick", kick);

  function notifyIdle() {
    if (active.size === 0 && lastClaimEmpty) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = false;
      if (active.size < maxRuns) {
        try {
          const run = await claimRun(owner, leaseMs);
          if (run) {
            claimed = true;
            lastClaimEmpty = false;
            client ??= getUnipile();
            const p = executeRun(run, {
              client,
              owner,
              signal: controller.signal,
              concurrency: opts.concurrency,
              historyDepth: opts.historyDepth,
            })
              .catch((err) => {
                if (!controller.signal.aborted) log.error(`sync run ${run.id} stopped:`, (err as Error).message);
              })
              .finally(() => {
                active.delete(p);
                kick();
              });
            active.add(p);
          } else lastClaimEmpty = true;
        } catch (err) {
          if (!stopped) log.error("sync worker: claim failed:", (err as Error).message);
        }
      }
      notifyIdle();
      if (claimed) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    async stop() {
      stopped = true;
      syncKick.off("kick", kick);
      controller.abort(new Error("sync worker stopped"));
      wake?.();
      await loop;
      await Promise.all([...active]);
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        lastClaimEmpty = false;
        kick();
      });
    },
  };
}

/** Finished runs are kept this long for the admin page, then deleted. */
const KEEP_RUNS_DAYS = 30;

export async function pruneSyncRuns(days = KEEP_RUNS_DAYS): Promise<number> {
  // Sweeps come every few minutes: a day of them is plenty (the admin page shows the last one).
  return db.$executeRawUnsafe(
    `DELETE FROM "SyncRun" WHERE status IN ('succeeded', 'failed', 'cancelled')
       AND "finishedAt" < (now() AT TIME ZONE 'UTC') - (CASE WHEN (checkpoint->>'sweep')::boolean THEN 1 ELSE $1::int END * interval '1 day')`,
    days,
  );
}

const g = globalThis as { __parleySyncWorker?: SyncWorker; __parleySyncPrune?: NodeJS.Timeout };

/** Background starter (jobs/start.ts): the worker, an incremental sync of everything on start, the periodic sweeps. */
export async function startSync(): Promise<void> {
  const unipile = unipileConfig();
  if (!unipile.dsn || !unipile.apiKey) {
    log.warn("sync: Unipile is not configured (UNIPILE_DSN, UNIPILE_API_KEY): not syncing");
    return;
  }
  g.__parleySyncWorker ??= startSyncWorker();
  const prune = () => pruneSyncRuns().catch((err) => log.error("sync: pruning old runs failed:", (err as Error).message));
  if (!g.__parleySyncPrune) {
    void prune();
    g.__parleySyncPrune = setInterval(prune, 6 * 3600_000);
    g.__parleySyncPrune.unref?.();
  }
  startSweeps();
  if (env.PARLEY_SYNC_ON_START) {
    const { runId, created } = await enqueueSync({ scope: "all", reason: "startup" });
    log.info(`Sync: ${created ? "startup sync queued" : "a sync is already queued or running"} (run ${runId})`);
  }
}
