// Executes one sync run: accounts → chats (cursor pages) → messages per chat, resumable at every
// step from SyncRun.checkpoint and Chat.syncCheckpoint/syncCursor. Per-chat failures are recorded
// on the chat and the run goes on; an account that is not OK is skipped with its status shown.
// This file holds the run, its accounts and chat-list passes; one chat's messages: chat-messages.ts.
import pLimit from "p-limit";
import { db } from "../db.ts";
import { accountInScope, env } from "../env.ts";
import { publish } from "../realtime/bus.ts";
import { upsertAccounts } from "../store/accounts.ts";
import { upsertChats, type UpsertedChat } from "../store/chats.ts";
import type { UnipileClient } from "../unipile/client.ts";
import { UnipileError } from "../unipile/errors.ts";
import { isAccountHealthy, type Chat as UnipileChat } from "../unipile/schemas.ts";
import { AFTER_MARGIN_MS, type ChatCheckpoint, type ChatWalk, describe, type MarkedChat, PAGE, syncChatMessages } from "./chat-messages.ts";
import { finishRun, saveRun, type RunCounters, type RunRow } from "./runs.ts";

/** A sweep's page of most recently active chats per account (see sweep.ts). */
const SWEEP_PAGE = 50;
/** Well under the worker's default 30 s lease. */
const HEARTBEAT_MS = 10_000;

export type EngineOptions = {
  client: UnipileClient;
  owner: string;
  signal?: AbortSignal;
  /** Chats synced in parallel within the run (the client also caps calls per account). */
  concurrency?: number;
  /** Messages of history for a chat seen the first time (0 = all). Default env.SYNC_HISTORY_DEPTH. */
  historyDepth?: number;
};

class LeaseLost extends Error {
  constructor() {
    super("Another process took over this sync run");
  }
}

const sameTime = (a: string | Date | null | undefined, b: string | Date | null | undefined) =>
  (a ? new Date(a).getTime() : null) === (b ? new Date(b).getTime() : null);

/** Runs (or resumes) one claimed run to its end. Throws only when aborted or when the lease is lost. */
export async function executeRun(run: RunRow, opts: EngineOptions): Promise<void> {
  const exec = new RunExecution(run, opts);
  await exec.execute();
}

class RunExecution {
  private readonly client: UnipileClient;
  private readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly startedAt = Date.now();
  private readonly walk: ChatWalk;
  private lastSave = 0;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: RunRow,
    private readonly opts: EngineOptions,
  ) {
    this.client = opts.client;
    this.signal = opts.signal ? AbortSignal.any([opts.signal, this.controller.signal]) : this.controller.signal;
    this.walk = {
      client: this.client,
      signal: this.signal,
      depth: opts.historyDepth ?? env.SYNC_HISTORY_DEPTH,
      counters: this.run.counters,
      error: (message, where) => this.error(message, where),
    };
  }

  private get counters(): RunCounters {
    return this.run.counters;
  }
  private get cp() {
    return this.run.checkpoint;
  }

  async execute() {
    // A long walk of one big chat saves no progress for a while: keep the lease alive meanwhile.
    const heartbeat = setInterval(() => void this.save(true).catch(() => {}), HEARTBEAT_MS);
    heartbeat.unref?.();
    try {
      await this.steps();
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async steps() {
    try {
      if (this.cp.phase === "accounts") await this.accountsPhase();
      if (this.cp.phase === "chats") await this.chatsPhase();
      if (this.cp.phase === "messages") await this.messagesPhase();
      await this.markAccountsSynced();
      this.stamp();
      await this.saving;
      await finishRun(this.run, this.opts.owner, "succeeded");
    } catch (err) {
      await this.saving.catch(() => {});
      if (this.signal.aborted || err instanceof LeaseLost) throw err;
      // A failure of the run itself (Unipile unreachable while listing accounts, bad key…): recorded, not retried here.
      this.error(describe(err));
      this.stamp();
      await finishRun(this.run, this.opts.owner, "failed", describe(err));
    }
  }

  private stamp() {
    this.counters.durationMs = (this.cp.elapsedMs ?? 0) + (Date.now() - this.startedAt);
  }

  private error(message: string, where: { chatId?: string; accountId?: string; skipped?: boolean } = {}) {
    if (!where.skipped) this.counters.errors++;
    this.counters.lastErrors.push({ at: new Date().toISOString(), message: message.slice(0, 500), ...where });
    if (this.counters.lastErrors.length > 50) this.counters.lastErrors.splice(0, this.counters.lastErrors.length - 50);
  }

  /** Persists progress (throttled unless forced) and tells the admin page. Loses the lease → stops the run. */
  private async save(force = false) {
    this.signal.throwIfAborted();
    const now = Date.now();
    if (!force && now - this.lastSave < 400) return;
    this.lastSave = now;
    const snapshot = {
      id: this.run.id,
      total: this.run.total,
      done: this.run.done,
      counters: { ...this.counters, durationMs: (this.cp.elapsedMs ?? 0) + (now - this.startedAt) },
      checkpoint: { ...this.cp, elapsedMs: this.cp.elapsedMs },
    };
    this.saving = this.saving.then(async () => {
      const ours = await saveRun(snapshot, this.opts.owner);
      if (!ours) {
        this.controller.abort(new LeaseLost());
        return;
      }
      await publish({ type: "sync.progress", runId: this.run.id });
    });
    await this.saving;
    if (this.controller.signal.aborted) throw new LeaseLost();
  }

  // -------------------------------------------------------------------------------------------
  // Phase 1: accounts
  // -------------------------------------------------------------------------------------------

  private async accountsPhase() {
    const call = { signal: this.signal };
    if (this.run.scope === "chat") {
      const chat = await db.chat.findUnique({
        where: { id: this.run.chatId! },
        select: { id: true, unipileId: true, accountId: true, account: { select: { status: true } } },
      });
      if (!chat) throw new Error("The chat of this sync run no longer exists");
      const account = await this.client.getAccount(chat.accountId, call).catch((e) => {
        if (e instanceof UnipileError && e.isNotFound) return null;
        throw e;
      });
      if (account) await upsertAccounts([account]);
      if (!account || !isAccountHealthy(account)) {
        this.counters.accountsSkipped++;
        this.error(`Account ${chat.accountId} is ${account ? (account.sources.find((s) => s.status !== "OK")?.status ?? "not OK") : "gone"}: chat not synced`, {
          accountId: chat.accountId,
          skipped: true,
        });
        this.cp.accountIds = [];
        this.cp.phase = "messages";
        await this.save(true);
        return;
      }
      this.counters.accounts = 1;
      const unipileChat = await this.client.getChat(chat.unipileId, {}, { ...call, accountId: chat.accountId });
      const [row] = await upsertChats([unipileChat], { publish: false });
      await this.markChats([{ row: row!, chat: unipileChat }], { forceAfter: true });
      this.cp.accountIds = [chat.accountId];
      this.run.total = 1;
      this.cp.phase = "messages";
      await this.save(true);
      return;
    }

    if (this.cp.sweep) {
      // A sweep asks Unipile nothing about accounts (status changes come by webhook, every sync lists
      // them): it walks the accounts we hold as OK, so an unchanged account costs one chats page.
      const ours = await db.account.findMany({ where: { status: "OK" }, select: { id: true }, orderBy: { id: "asc" } });
      const ids = ours.map((a) => a.id).filter(accountInScope);
      this.counters.accounts = ids.length;
      this.cp.accountIds = ids;
      this.cp.accountIndex = 0;
      this.cp.chatCursor = null;
      this.cp.phase = "chats";
      await this.save(true);
      return;
    }
    // On a shared workspace only the accounts of UNIPILE_ACCOUNT_IDS are ours: others are not even stored.
    const accounts = (
      this.run.scope === "account"
        ? [await this.client.getAccount(this.run.accountId!, call)]
        : await this.collect(this.pagesOfAccounts())
    ).filter((a) => accountInScope(a.id));
    const stored = await upsertAccounts(accounts);
    const healthy: string[] = [];
    for (const a of accounts) {
      if (isAccountHealthy(a)) healthy.push(a.id);
      else {
        this.counters.accountsSkipped++;
        const status = stored.find((s) => s.id === a.id)?.status ?? "not OK";
        this.error(`Account ${a.name} (${a.type}) is ${status}: skipped`, { accountId: a.id, skipped: true });
      }
    }
    this.counters.accounts = healthy.length;
    this.cp.accountIds = healthy;
    this.cp.accountIndex = 0;
    this.cp.chatCursor = null;
    this.cp.phase = "chats";
    await this.save(true);
  }

  private async *pagesOfAccounts() {
    let cursor: string | null = null;
    for (;;) {
      const page = await this.client.listAccounts({ limit: 250, cursor }, { signal: this.signal });
      yield page;
      if (!page.cursor) return;
      cursor = page.cursor;
    }
  }

  private async collect<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[]> {
    const all: T[] = [];
    for await (const p of pages) all.push(...p.items);
    return all;
  }

  // -------------------------------------------------------------------------------------------
  // Phase 2: chats, page by page per account; marks the chats whose messages need a walk
  // -------------------------------------------------------------------------------------------

  private async chatsPhase() {
    const ids = this.cp.accountIds ?? [];
    for (let i = this.cp.accountIndex ?? 0; i < ids.length; i++) {
      const accountId = ids[i]!;
      let cursor = this.cp.chatCursor ?? null;
      for (;;) {
        const page = await this.client
          .listChats({ account_id: accountId, limit: this.cp.sweep ? SWEEP_PAGE : PAGE, cursor }, { accountId, signal: this.signal })
          .catch((err: unknown) => {
            // A sweep goes on with the other accounts; the next sweep tries this one again.
            if (!this.cp.sweep || this.signal.aborted) throw err;
            this.error(describe(err), { accountId });
            return null;
          });
        if (!page) break;
        const rows = await upsertChats(page.items, { publish: false });
        const byUnipile = new Map(rows.map((r) => [r.unipileId, r]));
        const marked = await this.markChats(page.items.map((chat) => ({ chat, row: byUnipile.get(chat.id)! })));
        const changed = rows.filter((r) => r.changed);
        this.counters.chatsRefreshed = (this.counters.chatsRefreshed ?? 0) + changed.length;
        if (changed.length) await publish(...changed.map((r) => ({ type: "chat.updated", accountId: r.accountId, chatId: r.id }) as const));
        cursor = page.cursor;
        // Chats come most recently active first: below a chat with nothing new, nothing moved, so a
        // sweep reads the next page only when every chat of this one had news.
        if (this.cp.sweep && marked < page.items.length) cursor = null;
        this.cp.chatCursor = cursor;
        await this.save(!cursor);
        if (!cursor) break;
      }
      this.cp.accountIndex = i + 1;
      this.cp.chatCursor = null;
      await this.save(true);
    }
    this.run.total = await this.countMarked();
    this.cp.phase = "messages";
    await this.save(true);
  }

  /**
   * Decides per chat: never synced → history; Unipile's timestamp moved → only what is after our
   * last synced point; unchanged → skipped (no message call at all). Full runs re-walk everything.
   * A walk interrupted earlier keeps its mode and cursor, so it resumes instead of starting over.
   */
  private async markChats(items: { chat: UnipileChat; row: UpsertedChat }[], opts: { forceAfter?: boolean } = {}): Promise<number> {
    const marks: { id: string; cp: ChatCheckpoint; cursor: string | null }[] = [];
    for (const { chat, row } of items) {
      const latest = chat.timestamp ? new Date(chat.timestamp).toISOString() : null;
      const prev = row.syncCheckpoint as ChatCheckpoint | null;
      const neverSynced = row.lastSyncedAt === null;
      if (prev && (!this.cp.full || prev.mode === "full")) {
        marks.push({ id: row.id, cp: { ...prev, runId: this.run.id, latest }, cursor: row.syncCursor });
      } else if (this.cp.full) {
        marks.push({ id: row.id, cp: { runId: this.run.id, mode: "full", target: latest, latest, fetched: 0 }, cursor: null });
      } else if (neverSynced || !row.unipileTimestamp) {
        if (neverSynced || latest) {
          marks.push({ id: row.id, cp: { runId: this.run.id, mode: "history", target: latest, latest, fetched: 0 }, cursor: null });
        }
      } else if (!sameTime(row.unipileTimestamp, latest) || opts.forceAfter) {
        const after = new Date(row.unipileTimestamp.getTime() - AFTER_MARGIN_MS).toISOString();
        marks.push({ id: row.id, cp: { runId: this.run.id, mode: "after", after, target: latest, latest, fetched: 0 }, cursor: null });
      }
      const marked = marks.at(-1)?.id === row.id;
      if (!marked) this.counters.chatsSkipped++;
      else if (row.created || neverSynced) this.counters.chatsNew++;
      else this.counters.chatsUpdated++;
    }
    if (!marks.length) return 0;
    await db.$executeRawUnsafe(
      `UPDATE "Chat" c SET "syncCheckpoint" = x.cp, "syncCursor" = x.cursor
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, cp jsonb, cursor text) WHERE c.id = x.id`,
      JSON.stringify(marks),
    );
    return marks.length;
  }

  private async countMarked(): Promise<number> {
    const [r] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "Chat" WHERE "syncCheckpoint"->>'runId' = $1`,
      this.run.id,
    );
    return r?.n ?? 0;
  }

  // -------------------------------------------------------------------------------------------
  // Phase 3: messages of every marked chat, a few chats at a time
  // -------------------------------------------------------------------------------------------

  private async messagesPhase() {
    const chats = await db.$queryRawUnsafe<MarkedChat[]>(
      `SELECT c.id, c."unipileId", c."accountId", a.provider, c."syncCheckpoint", c."syncCursor"
       FROM "Chat" c JOIN "Account" a ON a.id = c."accountId"
       WHERE c."syncCheckpoint"->>'runId' = $1
       ORDER BY c."lastMessageAt" DESC NULLS LAST, c.id DESC`,
      this.run.id,
    );
    // Resumed: what is left is what is not done yet.
    this.run.total = Math.max(this.run.total, chats.length);
    this.run.done = this.run.total - chats.length;
    await this.save(true);
    const limit = pLimit(this.opts.concurrency ?? 4);
    await Promise.all(
      chats.map((c) =>
        limit(async () => {
          if (this.signal.aborted) return;
          await syncChatMessages(c, this.walk);
          this.run.done++;
          await this.save(this.run.done === this.run.total);
        }),
      ),
    );
    this.signal.throwIfAborted();
  }

  private async markAccountsSynced() {
    const ids = this.cp.accountIds ?? [];
    // A sweep read only the most recent chats: it does not count as the account's sync.
    if (!ids.length || this.run.scope === "chat" || this.cp.sweep) return;
    await db.account.updateMany({ where: { id: { in: ids } }, data: { lastSyncedAt: new Date() } });
    await publish(...ids.map((accountId) => ({ type: "account.updated", accountId }) as const));
  }
}
