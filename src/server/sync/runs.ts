// Sync runs as rows in "SyncRun": the queue, the lease that keeps two instances from running the
// same run, progress and counters. Jobs live in PostgreSQL without pg-boss: see README in this folder.
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { db } from "../db.ts";
import { metrics } from "../metrics/registry.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import { IN_JSON } from "../store/sql.ts";

export type SyncScope = "all" | "account" | "chat";

export type RunCounters = {
  accounts: number;
  accountsSkipped: number;
  chatsNew: number;
  chatsUpdated: number;
  chatsSkipped: number;
  messagesNew: number;
  messagesUpdated: number;
  errors: number;
  durationMs: number;
  /** Chats whose Unipile row (state, name, unread count, activity) differed from ours and was taken. */
  chatsRefreshed?: number;
  /** The latest errors (at most 50), newest last; `skipped` marks an account left out because it is not OK (not an error of the run). */
  lastErrors: { at: string; message: string; chatId?: string; accountId?: string; skipped?: boolean }[];
};

export function emptyCounters(): RunCounters {
  return {
    accounts: 0,
    accountsSkipped: 0,
    chatsNew: 0,
    chatsUpdated: 0,
    chatsSkipped: 0,
    messagesNew: 0,
    messagesUpdated: 0,
    errors: 0,
    durationMs: 0,
    lastErrors: [],
  };
}

/** Where a run is, persisted after every step so another process can resume it. */
export type RunCheckpoint = {
  /** The process holding the lease. */
  owner?: string | null;
  /** Full resync: re-walk every chat's history (repairs); otherwise incremental. */
  full: boolean;
  reason?: string;
  /** A periodic sweep: only each account's most recently active chats, see sweep.ts. */
  sweep?: boolean;
  phase: "accounts" | "chats" | "messages";
  /** Healthy accounts whose chats this run walks, and how far the walk got. */
  accountIds?: string[];
  accountIndex?: number;
  chatCursor?: string | null;
  /** Milliseconds spent in earlier leases of this run (a resumed run keeps counting). */
  elapsedMs?: number;
};

export type RunRow = {
  id: string;
  scope: SyncScope;
  accountId: string | null;
  chatId: string | null;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  total: number;
  done: number;
  counters: RunCounters;
  checkpoint: RunCheckpoint;
  error: string | null;
  requestedBy: string | null;
};

const NOW = `(now() AT TIME ZONE 'UTC')`;

/** This process, as a lease owner. */
export const processOwner = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

// A kick tells this process's worker that a run was queued, so it starts at once instead of at the next poll.
// On globalThis: Next.js loads server actions and instrumentation as separate module instances.
const g = globalThis as { __parleySyncKick?: EventEmitter };
g.__parleySyncKick ??= new EventEmitter().setMaxListeners(0);
export const syncKick: EventEmitter = g.__parleySyncKick;

export type EnqueueInput = {
  scope: SyncScope;
  accountId?: string | null;
  chatId?: string | null;
  full?: boolean;
  /** A sweep (sweep.ts): absorbed by any active run of everything; absorbs only other sweeps. */
  sweep?: boolean;
  reason?: string;
  requestedBy?: string | null;
  /**
   * "active" (buttons, startup): a queued or running run of the same scope answers instead of a new
   * one, so pressing twice starts one run. "queued" (gap fills): only a queued one does, because a
   * running run may already be past the gap.
   */
  dedupe?: "active" | "queued";
};

/**
 * Queues a run unless an equivalent one is already there; returns the run and whether it is new.
 * Serialized by a transaction-scoped advisory lock, so two concurrent presses cannot both insert.
 */
export async function enqueueSync(input: EnqueueInput): Promise<{ runId: string; created: boolean }> {
  const scope = input.scope;
  const accountId = scope === "account" ? (input.accountId ?? null) : null;
  const chatId = scope === "chat" ? (input.chatId ?? null) : null;
  if (scope === "account" && !accountId) throw new AppError("BAD_REQUEST", "accountId is required for an account sync");
  if (scope === "chat" && !chatId) throw new AppError("BAD_REQUEST", "chatId is required for a chat sync");
  if (accountId && !(await db.account.findUnique({ where: { id: accountId }, select: { id: true } })))
    throw new AppError("NOT_FOUND", "Account not found");
  if (chatId && !(await db.chat.findUnique({ where: { id: chatId }, select: { id: true } })))
    throw new AppError("NOT_FOUND", "Chat not found");
  const full = input.full ?? false;
  const sweep = scope === "all" && !full && input.sweep === true;
  const statuses = (input.dedupe ?? "active") === "active" ? ["queued", "running"] : ["queued"];
  const result = await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('parley.sync.enqueue'))`);
      const existing = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id FROM "SyncRun"
         WHERE status::text = ${IN_JSON(1)} AND scope = $2
           AND "accountId" IS NOT DISTINCT FROM $3 AND "chatId" IS NOT DISTINCT FROM $4
           AND (COALESCE((checkpoint->>'full')::boolean, false) OR NOT $5::boolean)
           AND (NOT COALESCE((checkpoint->>'sweep')::boolean, false) OR $6::boolean)
         ORDER BY "startedAt" LIMIT 1`,
        JSON.stringify(statuses),
        scope,
        accountId,
        chatId,
        full,
        sweep,
      );
      if (existing[0]) return { runId: existing[0].id, created: false };
      const checkpoint: RunCheckpoint = { full, ...(sweep ? { sweep } : {}), reason: input.reason, phase: "accounts" };
      const run = await tx.syncRun.create({
        data: {
          scope,
          accountId,
          chatId,
          status: "queued",
          startedAt: new Date(),
          counters: emptyCounters(),
          checkpoint,
          requestedBy: input.requestedBy ?? null,
        },
        select: { id: true },
      });
      return { runId: run.id, created: true };
    },
    { maxWait: 60_000, timeout: 30_000 },
  );
  if (result.created) {
    await publish({ type: "sync.progress", runId: result.runId });
    syncKick.emit("kick");
  }
  return result;
}

export type ResyncTarget = { scope: "all" } | { scope: "account"; accountId: string } | { scope: "chat"; chatId: string };

/** What the Resync buttons do: queue a full resync (one per target while one is queued or running). */
export async function requestResync(target: ResyncTarget, requestedBy: string) {
  return enqueueSync({
    scope: target.scope,
    accountId: target.scope === "account" ? target.accountId : null,
    chatId: target.scope === "chat" ? target.chatId : null,
    full: true,
    reason: "resync",
    requestedBy,
    dedupe: "active",
  });
}

/**
 * Gap filling for the webhook handlers: queue an incremental sync of one chat (our Chat.id), e.g.
 * when a webhook shows that messages are missing or after downtime. Cheap to call repeatedly: a
 * queued sync of the same chat absorbs the next calls.
 */
export async function queueChatSync(chatId: string, reason: string) {
  return enqueueSync({ scope: "chat", chatId, reason, dedupe: "queued" });
}

/**
 * Claims the oldest queued run, or another owner's running one whose holder stopped heartbeating for
 * `leaseMs` (a killed process: the run resumes from its checkpoint). SKIP LOCKED: instances never
 * claim the same row.
 */
export async function claimRun(owner: string, leaseMs: number): Promise<RunRow | null> {
  const rows = await db.$queryRawUnsafe<RunRow[]>(
    `UPDATE "SyncRun" r SET
       status = 'running',
       "startedAt" = CASE WHEN r.status = 'queued' THEN ${NOW} ELSE r."startedAt" END,
       "heartbeatAt" = ${NOW},
       checkpoint = jsonb_set(COALESCE(r.checkpoint, '{}'::jsonb), '{owner}', to_jsonb($1::text))
     WHERE r.id = (
       SELECT id FROM "SyncRun"
       WHERE status = 'queued'
          OR (status = 'running' AND COALESCE(checkpoint->>'owner', '') <> $1
              AND ("heartbeatAt" IS NULL OR "heartbeatAt" < ${NOW} - ($2::int * interval '1 millisecond')))
       ORDER BY "startedAt" LIMIT 1
       FOR UPDATE SKIP LOCKED)
     RETURNING r.id, r.scope, r."accountId", r."chatId", r.status::text AS status, r."startedAt", r."finishedAt",
       r."heartbeatAt", r.total, r.done, r.counters, r.checkpoint, r.error, r."requestedBy"`,
    owner,
    Math.max(0, Math.trunc(leaseMs)),
  );
  const run = rows[0];
  if (!run) return null;
  run.counters = { ...emptyCounters(), ...(run.counters ?? {}) };
  return run;
}

/** Saves progress while the lease is ours. False when it is not (another process took the run over, or it was cancelled). */
export async function saveRun(
  run: Pick<RunRow, "id" | "total" | "done" | "counters" | "checkpoint">,
  owner: string,
): Promise<boolean> {
  const n = await db.$executeRawUnsafe(
    `UPDATE "SyncRun" SET "heartbeatAt" = ${NOW}, total = $3, done = $4, counters = $5::jsonb, checkpoint = $6::jsonb
     WHERE id = $1 AND status = 'running' AND checkpoint->>'owner' = $2`,
    run.id,
    owner,
    run.total,
    run.done,
    JSON.stringify(run.counters),
    JSON.stringify({ ...run.checkpoint, owner }),
  );
  return n > 0;
}

export async function finishRun(
  run: Pick<RunRow, "id" | "total" | "done" | "counters" | "checkpoint">,
  owner: string,
  status: "succeeded" | "failed",
  error?: string,
): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "SyncRun" SET status = $3::"SyncStatus", "finishedAt" = ${NOW}, "heartbeatAt" = ${NOW}, total = $4, done = $5,
       counters = $6::jsonb, checkpoint = $7::jsonb, error = $8
     WHERE id = $1 AND checkpoint->>'owner' = $2`,
    run.id,
    owner,
    status,
    run.total,
    run.done,
    JSON.stringify(run.counters),
    JSON.stringify({ ...run.checkpoint, owner: null }),
    error ?? null,
  );
  const m = metrics();
  m.syncRuns.inc({ status });
  m.syncMessages.inc({ kind: "new" }, run.counters.messagesNew);
  m.syncMessages.inc({ kind: "updated" }, run.counters.messagesUpdated);
  m.syncErrors.inc(run.counters.errors);
  await publish({ type: "sync.progress", runId: run.id });
}

export async function getRun(id: string): Promise<RunRow | null> {
  const row = await db.syncRun.findUnique({ where: { id } });
  if (!row) return null;
  return {
    ...row,
    scope: row.scope as SyncScope,
    counters: { ...emptyCounters(), ...(row.counters as Partial<RunCounters>) },
    checkpoint: (row.checkpoint ?? { full: false, phase: "accounts" }) as RunCheckpoint,
  };
}
