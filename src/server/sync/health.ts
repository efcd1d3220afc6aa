// What the admin sync page and the chat header show: runs with their counters, and per-account and
// per-chat sync health. Reads only (the Resync buttons write through runs.ts); the sync router wraps these.
import { db } from "../db.ts";
import { productLabel, productStatusesOf } from "../store/account-products.ts";
import { AppError } from "../errors.ts";
import { getRun, type RunCheckpoint, type RunCounters, emptyCounters } from "./runs.ts";

function runView(r: {
  id: string;
  scope: string;
  accountId: string | null;
  chatId: string | null;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  total: number;
  done: number;
  counters: unknown;
  checkpoint: unknown;
  error: string | null;
  requestedBy: string | null;
}) {
  const cp = (r.checkpoint ?? {}) as Partial<RunCheckpoint>;
  const counters = { ...emptyCounters(), ...((r.counters ?? {}) as Partial<RunCounters>) };
  const active = r.status === "queued" || r.status === "running";
  return {
    id: r.id,
    scope: r.scope as "all" | "account" | "chat",
    accountId: r.accountId,
    chatId: r.chatId,
    status: r.status as "queued" | "running" | "succeeded" | "failed" | "cancelled",
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    heartbeatAt: r.heartbeatAt,
    total: r.total,
    done: r.done,
    /** 0–100; a finished run is 100 even when it had nothing to do. */
    percent: r.status === "succeeded" ? 100 : r.total > 0 ? Math.min(100, Math.floor((r.done / r.total) * 100)) : 0,
    phase: active ? (cp.phase ?? "accounts") : null,
    full: cp.full ?? false,
    reason: cp.reason ?? null,
    counters,
    error: r.error,
    requestedBy: r.requestedBy,
    /** One chat synced because a webhook showed a gap or a new chat, or a periodic sweep: not asked for by anyone. */
    automatic: (r.scope === "chat" && !r.requestedBy) || cp.sweep === true,
  };
}
export type RunView = ReturnType<typeof runView>;

/**
 * Newest first, with the names of the account/chat a scoped run is about. Automatic runs (webhook
 * gap fills, sweeps) are many and small: left out unless asked for.
 */
export async function listRuns(limit = 20, opts: { automatic?: boolean } = {}) {
  // Raw for the filter: a JSON path that is absent compares as NULL, which NOT in Prisma would drop.
  const ids = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "SyncRun"
     WHERE $2::boolean OR (NOT (scope = 'chat' AND "requestedBy" IS NULL) AND NOT COALESCE((checkpoint->>'sweep')::boolean, false))
     ORDER BY "startedAt" DESC LIMIT $1`,
    limit,
    opts.automatic === true,
  );
  const rows = await db.syncRun.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { startedAt: "desc" } });
  const chatIds = rows.map((r) => r.chatId).filter((x): x is string => !!x);
  const accountIds = rows.map((r) => r.accountId).filter((x): x is string => !!x);
  const [chats, accounts] = await Promise.all([
    chatIds.length ? db.chat.findMany({ where: { id: { in: chatIds } }, select: { id: true, name: true } }) : [],
    accountIds.length ? db.account.findMany({ where: { id: { in: accountIds } }, select: { id: true, name: true } }) : [],
  ]);
  const chatName = new Map(chats.map((c) => [c.id, c.name]));
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  return rows.map((r) => ({
    ...runView(r),
    target:
      r.scope === "chat" ? (chatName.get(r.chatId!) ?? "a chat") : r.scope === "account" ? (accountName.get(r.accountId!) ?? r.accountId) : "everything",
  }));
}

export async function runDetail(id: string) {
  const r = await getRun(id);
  if (!r) throw new AppError("NOT_FOUND", "Sync run not found");
  return runView(r);
}

/** Per account: status, last sync, chat counts, chats whose last sync failed. */
export async function accountHealth() {
  const [accounts, stats] = await Promise.all([
    db.account.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, provider: true, status: true, statusMessage: true, statusAt: true, lastSyncedAt: true, productStatuses: true },
    }),
    db.$queryRawUnsafe<{ accountId: string; chats: number; failing: number; neverSynced: number }[]>(
      `SELECT "accountId", count(*)::int AS chats,
         count(*) FILTER (WHERE "syncErrorCount" > 0)::int AS failing,
         count(*) FILTER (WHERE "lastSyncedAt" IS NULL)::int AS "neverSynced"
       FROM "Chat" GROUP BY "accountId"`,
    ),
  ]);
  const by = new Map(stats.map((s) => [s.accountId, s]));
  return accounts.map(({ productStatuses, ...a }) => ({
    ...a,
    // LinkedIn products (Recruiter, Sales Navigator) with a status of their own, by name.
    products: Object.entries(productStatusesOf(productStatuses)).map(([key, p]) => ({ key, label: productLabel(key), ...p })),
    chats: by.get(a.id)?.chats ?? 0,
    failing: by.get(a.id)?.failing ?? 0,
    neverSynced: by.get(a.id)?.neverSynced ?? 0,
  }));
}

export type ChatHealthFilter = { accountId?: string; failingOnly?: boolean; query?: string; limit: number; offset: number };

/** Chats with their sync health: failing first, then most recent activity. */
export async function chatHealthList(f: ChatHealthFilter) {
  const where = {
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...(f.failingOnly ? { syncErrorCount: { gt: 0 } } : {}),
    ...(f.query ? { name: { contains: f.query, mode: "insensitive" as const } } : {}),
  };
  const [items, total] = await Promise.all([
    db.chat.findMany({
      where,
      orderBy: [{ syncErrorCount: "desc" }, { lastMessageAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
      skip: f.offset,
      take: f.limit,
      select: {
        id: true,
        name: true,
        accountId: true,
        lastMessageAt: true,
        lastSyncedAt: true,
        syncErrorCount: true,
        syncLastError: true,
        syncCheckpoint: true,
        account: { select: { name: true, provider: true } },
        _count: { select: { messages: true } },
      },
    }),
    db.chat.count({ where }),
  ]);
  return {
    total,
    items: items.map(({ syncCheckpoint, _count, ...c }) => ({
      ...c,
      messages: _count.messages,
      /** A walk is queued or half done (resumes on the next run). */
      pending: syncCheckpoint !== null,
    })),
  };
}

/** One chat's sync health for its header; `syncing` when a run for it is queued or running. */
export async function chatHealth(chatId: string) {
  const chat = await db.chat.findUnique({
    where: { id: chatId },
    select: { id: true, lastSyncedAt: true, syncErrorCount: true, syncLastError: true, syncCheckpoint: true, unipileTimestamp: true },
  });
  if (!chat) throw new AppError("NOT_FOUND", "Chat not found");
  const active = await db.syncRun.findFirst({
    where: { scope: "chat", chatId, status: { in: ["queued", "running"] } },
    orderBy: { startedAt: "desc" },
    select: { id: true, status: true },
  });
  const cp = chat.syncCheckpoint as { runId?: string | null } | null;
  return {
    lastSyncedAt: chat.lastSyncedAt,
    /** Every message up to Unipile's activity time is stored (history, sweeps and webhooks since); null: never synced. */
    completeThrough: chat.unipileTimestamp,
    syncErrorCount: chat.syncErrorCount,
    syncLastError: chat.syncLastError,
    syncing: !!active || !!cp?.runId,
    runId: active?.id ?? cp?.runId ?? null,
  };
}
