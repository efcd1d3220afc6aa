// The sync engine against the real simulator over HTTP and a real database: exact equality after a
// first sync, no message calls when nothing changed, resume after a kill, faults, repairs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../../simulator/server.ts";
import type { SimChat } from "../../../simulator/data.ts";
import { db } from "@/server/db.ts";
import { createUnipileClient, type UnipileClient } from "@/server/unipile/client.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { executeRun } from "./engine.ts";
import { claimRun, enqueueSync, getRun, queueChatSync } from "./runs.ts";
import { startSyncWorker } from "./worker.ts";

let testDb: TestDatabase;
let sim: Simulator;
let client: UnipileClient;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 11, demo: true, chats: 24, messages: 60 });
  client = createUnipileClient({
    dsn: sim.url,
    apiKey: sim.apiKey,
    retryBaseMs: 5,
    retryMaxMs: 50,
    timeoutMs: 1_000,
    maxRetries: 3,
  });
});
afterAll(async () => {
  await sim?.close();
  await testDb?.close();
});

async function simCall(path: string, body?: unknown) {
  const res = await fetch(
    sim.url + path,
    body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  return res.json();
}
async function messageListCalls(): Promise<number> {
  const stats = (await simCall("/_sim/stats")) as { requests: Record<string, number> };
  return stats.requests["GET /api/v1/chats/:id/messages"] ?? 0;
}

/** Queues a run and lets a worker take it to the end. */
async function syncOnce(input: Parameters<typeof enqueueSync>[0], historyDepth?: number) {
  const { runId } = await enqueueSync(input);
  const worker = startSyncWorker({ client, pollMs: 20, concurrency: 4, historyDepth });
  await worker.idle();
  await worker.stop();
  const run = await getRun(runId);
  expect(run?.status).toBe("succeeded");
  return run!;
}

function okChats(): SimChat[] {
  return [...sim.store.chats.values()].filter((c) => sim.store.account(c.account_id)!.status === "OK");
}

/** Every chat of every OK account and every message in it, equal to the simulator's, no duplicates. */
async function expectEqualToSimulator() {
  const chats = okChats();
  const local = await db.chat.findMany({ select: { id: true, unipileId: true, name: true, unreadCount: true, accountId: true } });
  const byUnipile = new Map(local.map((c) => [c.unipileId, c]));
  for (const chat of chats) {
    const mine = byUnipile.get(chat.id);
    expect(mine, `chat ${chat.id}`).toBeDefined();
    expect(mine!.unreadCount).toBe(chat.unread_count);
    if (chat.name) expect(mine!.name).toBe(chat.name);
    const upstream = sim.store.messagesOf(chat);
    const rows = await db.message.findMany({
      where: { chatId: mine!.id, unipileId: { not: null } },
      include: { attachments: true, reactions: true },
    });
    expect(rows.length, `messages of ${chat.id}`).toBe(upstream.length);
    const rowBy = new Map(rows.map((r) => [r.unipileId!, r]));
    for (const m of upstream) {
      const r = rowBy.get(m.id);
      expect(r, `message ${m.id}`).toBeDefined();
      expect(r!.sentAt.toISOString()).toBe(m.timestamp);
      expect(r!.isSender).toBe(m.is_sender === 1);
      expect(r!.deleted).toBe(m.deleted === 1);
      expect(r!.edited).toBe(m.edited === 1);
      expect(r!.isEvent).toBe(m.is_event === 1);
      // A tombstone keeps the text we had; Unipile shows none.
      if (!m.deleted) {
        expect(r!.text).toBe(m.text);
        expect(r!.attachments.map((a) => `${a.unipileId}:${a.kind}`).sort()).toEqual(
          m.attachments.map((a) => `${a.id}:${a.type}`).sort(),
        );
      }
      expect(r!.reactions.map((x) => `${x.senderProviderId}:${x.value}`).sort()).toEqual(
        m.reactions.map((x) => `${x.sender_id}:${x.value}`).sort(),
      );
      expect(r!.quotedProviderId).toBe(m.quoted?.provider_id ?? m.reply_to?.provider_id ?? null);
    }
  }
  const dupes = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM (SELECT "unipileId" FROM "Message" WHERE "unipileId" IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d`,
  );
  expect(dupes[0]!.n).toBe(0);
}

describe("sync against the simulator", () => {
  it("on an empty database brings every chat and message of every OK account, exactly", async () => {
    const run = await syncOnce({ scope: "all", reason: "startup" });
    await expectEqualToSimulator();
    const chats = okChats();
    expect(run.counters.chatsNew).toBe(chats.length);
    expect(run.counters.messagesNew).toBe(chats.reduce((n, c) => n + sim.store.messagesOf(c).length, 0));
    expect(run.counters.accountsSkipped).toBe(1);
    expect(run.total).toBe(chats.length);
    expect(run.done).toBe(run.total);
    // The account in CREDENTIALS state is shown, and none of its chats were fetched.
    const ms = sim.store.accounts.find((a) => a.status === "CREDENTIALS")!;
    expect((await db.account.findUniqueOrThrow({ where: { id: ms.id } })).status).toBe("CREDENTIALS");
    expect(await db.chat.count({ where: { accountId: ms.id } })).toBe(0);
    expect(run.counters.lastErrors.filter((e) => e.skipped).map((e) => e.accountId)).toEqual([ms.id]);
    expect(run.counters.errors).toBe(0);
    // Edits, deletes and attachments are in the demo data: the comparison above covered them.
    expect(await db.message.count({ where: { deleted: true } })).toBeGreaterThan(0);
    expect(await db.message.count({ where: { edited: true } })).toBeGreaterThan(0);
    expect(await db.attachment.count()).toBeGreaterThan(0);
    expect(await db.reaction.count()).toBeGreaterThan(0);
  });

  it("a second run with no changes skips every chat and lists no messages", async () => {
    await simCall("/_sim/stats/reset", {});
    const events = () => db.realtimeEvent.count({ where: { topic: "chat.updated" } });
    const before = await events();
    const run = await syncOnce({ scope: "all", reason: "startup" });
    expect(await messageListCalls()).toBe(0);
    // Nothing changed, so no chat list refresh is pushed to browsers either.
    expect(await events()).toBe(before);
    expect(run.counters.chatsSkipped).toBe(okChats().length);
    expect(run.counters).toMatchObject({ chatsNew: 0, chatsUpdated: 0, messagesNew: 0, messagesUpdated: 0, errors: 0 });
  });

  it("a chat that moved is fetched with `after` only; older edits, reactions and deletes come with a resync of the chat", async () => {
    const chat = okChats().find((c) => sim.store.messagesOf(c).length > 5 && !c.name)!;
    const msgs = sim.store.messagesOf(chat);
    const target = msgs.at(-2)!;
    const gone = msgs.at(-4)!;
    const liked = msgs.at(-5)!;
    await simCall("/_sim/edit", { message_id: target.id, text: "edited upstream" });
    await simCall("/_sim/delete", { message_id: gone.id });
    await simCall("/_sim/reaction", { message_id: liked.id, from: "me", value: "🎉" });
    await simCall("/_sim/inbound", { chat_id: chat.id, text: "brand new message" });
    await simCall("/_sim/stats/reset", {});
    const run = await syncOnce({ scope: "all" });
    expect(run.counters.chatsUpdated).toBe(1);
    expect(await messageListCalls()).toBe(1);
    const local = await db.message.findUniqueOrThrow({ where: { unipileId: target.id } });
    // Older than the last synced point: an incremental sync does not see it; a resync of the chat does.
    expect(local.text).not.toBe("edited upstream");
    expect(await db.message.count({ where: { text: "brand new message" } })).toBe(1);

    const localChat = await db.chat.findUniqueOrThrow({ where: { unipileId: chat.id } });
    await syncOnce({ scope: "chat", chatId: localChat.id, full: true });
    const repaired = await db.message.findUniqueOrThrow({ where: { unipileId: target.id } });
    expect(repaired).toMatchObject({ text: "edited upstream", edited: true });
    expect(repaired.originalText).toBe(local.text);
    const tomb = await db.message.findUniqueOrThrow({ where: { unipileId: gone.id } });
    expect(tomb.deleted).toBe(true);
    expect(tomb.text).not.toBeNull(); // the tombstone keeps what it said
    const reactions = await db.reaction.findMany({ where: { message: { unipileId: liked.id } } });
    expect(reactions.map((r) => r.value)).toContain("🎉");
    await expectEqualToSimulator();
  });

  it("a full resync repairs messages deleted or damaged locally and leaves local pending sends alone", async () => {
    const chat = okChats().find((c) => sim.store.messagesOf(c).length >= 20)!;
    const localChat = await db.chat.findUniqueOrThrow({ where: { unipileId: chat.id } });
    const victims = sim.store
      .messagesOf(chat)
      .slice(3, 13)
      .map((m) => m.id);
    await db.message.deleteMany({ where: { unipileId: { in: victims } } });
    await db.message.update({ where: { unipileId: sim.store.messagesOf(chat)[1]!.id }, data: { raw: { damaged: true } } });
    const pending = await db.message.create({
      data: {
        chatId: localChat.id,
        text: "still sending",
        sentAt: new Date(),
        isSender: true,
        status: "pending",
        clientTxnId: "txn-keep",
      },
    });
    const run = await syncOnce({ scope: "chat", chatId: localChat.id, full: true });
    expect(run.counters.messagesNew).toBe(10);
    expect(run.counters.messagesUpdated).toBe(1);
    await expectEqualToSimulator();
    expect(await db.message.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "pending",
      unipileId: null,
    });
  });

  it("pressing resync twice queues one run; a gap-fill request while one is queued joins it", async () => {
    const a = await enqueueSync({ scope: "all", full: true, requestedBy: "x", dedupe: "active" });
    const [b, c] = await Promise.all([
      enqueueSync({ scope: "all", full: true, requestedBy: "x", dedupe: "active" }),
      enqueueSync({ scope: "all", full: true, requestedBy: "y", dedupe: "active" }),
    ]);
    expect(a.created).toBe(true);
    expect([b, c]).toEqual([
      { runId: a.runId, created: false },
      { runId: a.runId, created: false },
    ]);
    const chat = await db.chat.findFirstOrThrow();
    const g1 = await queueChatSync(chat.id, "gap");
    const g2 = await queueChatSync(chat.id, "gap");
    expect(g2).toEqual({ runId: g1.runId, created: false });
    const worker = startSyncWorker({ client, pollMs: 20 });
    await worker.idle();
    await worker.stop();
    expect((await getRun(a.runId))?.status).toBe("succeeded");
    expect((await getRun(g1.runId))?.status).toBe("succeeded");
    await expectEqualToSimulator();
  });
});

describe("resuming and faults", () => {
  it("two instances claiming at once: exactly one gets the run", async () => {
    const { runId } = await enqueueSync({ scope: "all", reason: "race" });
    const claims = await Promise.all([claimRun("inst-1", 60_000), claimRun("inst-2", 60_000), claimRun("inst-3", 60_000)]);
    const winners = claims.filter((c) => c !== null);
    expect(winners.map((c) => c!.id)).toEqual([runId]);
    // A live lease is not taken over.
    expect(await claimRun("inst-4", 60_000)).toBeNull();
    await executeRun(winners[0]!, { client, owner: winners[0]!.checkpoint.owner! });
    expect((await getRun(runId))?.status).toBe("succeeded");
  });

  it("a run killed half-way resumes from its checkpoint and ends exactly equal, without duplicates", async () => {
    // A fresh database for this case: the kill must land in the middle of history walks.
    await db.$executeRawUnsafe(`TRUNCATE "Chat", "Message", "SyncRun", "Attendee" CASCADE`);
    const { runId } = await enqueueSync({ scope: "all" });
    const run = (await claimRun("proc-A", 60_000))!;
    expect(run.id).toBe(runId);
    const kill = new AbortController();
    let pages = 0;
    const counting = createUnipileClient({
      dsn: sim.url,
      apiKey: sim.apiKey,
      fetch: async (url, init) => {
        if (String(url).includes("/messages") && ++pages === 12) kill.abort(new Error("killed"));
        return fetch(url, init);
      },
    });
    await expect(
      executeRun(run, { client: counting, owner: "proc-A", signal: kill.signal, concurrency: 2, historyDepth: 0 }),
    ).rejects.toThrow();
    const half = await getRun(runId);
    expect(half?.status).toBe("running");
    const partial = await db.message.count();
    expect(partial).toBeGreaterThan(0);

    // Another process claims it once proc-A's lease looks dead (lease 0 here) and resumes.
    await simCall("/_sim/stats/reset", {});
    const resumed = (await claimRun("proc-B", 0))!;
    expect(resumed.id).toBe(runId);
    expect(resumed.checkpoint.phase).toBe("messages");
    await executeRun(resumed, { client, owner: "proc-B", concurrency: 4 });
    const done = (await getRun(runId))!;
    expect(done.status).toBe("succeeded");
    expect(done.done).toBe(done.total);
    await expectEqualToSimulator();
    // It did not start over: fewer message pages than a walk of everything.
    const totalPages = okChats().reduce((n, c) => n + Math.max(1, Math.ceil(sim.store.messagesOf(c).length / 250)), 0);
    expect(await messageListCalls()).toBeLessThan(totalPages);
    // proc-A cannot write to the run any more.
    const { saveRun } = await import("./runs.ts");
    expect(await saveRun(done, "proc-A")).toBe(false);
  });

  it("after a restart: embedded, the interrupted run resumes at once; on a shared server, a live lease is respected", async () => {
    const { runId } = await enqueueSync({ scope: "account", accountId: okChats()[0]!.account_id, reason: "restart" });
    // The previous process claimed it and heartbeated just now, then went away.
    expect((await claimRun("previous-process", 30_000))?.id).toBe(runId);
    const worker = startSyncWorker({ client, pollMs: 20 });
    await worker.idle();
    await worker.stop();
    const run = await getRun(runId);
    if (testDb.embedded) {
      expect(run?.status).toBe("succeeded");
      expect(run?.checkpoint.owner).not.toBe("previous-process");
    } else {
      // Another instance may still be running it: left alone until its lease runs out.
      expect(run?.status).toBe("running");
      expect(run?.checkpoint.owner).toBe("previous-process");
      await db.syncRun.update({ where: { id: runId }, data: { status: "cancelled" } });
    }
  });

  it("history depth: a new chat gets only its newest messages; later ones still arrive incrementally", async () => {
    await db.$executeRawUnsafe(`TRUNCATE "Chat", "Message", "SyncRun", "Attendee" CASCADE`);
    await syncOnce({ scope: "all" }, 25);
    for (const c of okChats()) {
      const upstream = sim.store.messagesOf(c);
      const local = await db.chat.findUniqueOrThrow({ where: { unipileId: c.id } });
      const rows = await db.message.findMany({ where: { chatId: local.id }, select: { unipileId: true } });
      const newest = upstream
        .slice(-25)
        .map((m) => m.id)
        .sort();
      expect(rows.map((r) => r.unipileId).sort()).toEqual(newest);
    }
    const chat = okChats().find((c) => sim.store.messagesOf(c).length > 25)!;
    await simCall("/_sim/inbound", { chat_id: chat.id, text: "after the depth-limited sync" });
    await syncOnce({ scope: "all" }, 25);
    const local = await db.chat.findUniqueOrThrow({ where: { unipileId: chat.id } });
    expect(await db.message.count({ where: { chatId: local.id } })).toBe(26);
  });

  it("a deadlock the database reports in a chat's walk is tried again: the chat is synced, the run has no error", async () => {
    await db.$executeRawUnsafe(`TRUNCATE "Chat", "Message", "SyncRun", "Attendee" CASCADE`);
    // A real error from PostgreSQL, once (a sequence is not rolled back with the failed transaction): the
    // first insert into Message fails as a deadlock's victim does.
    await db.$executeRawUnsafe(`CREATE SEQUENCE deadlock_once`);
    await db.$executeRawUnsafe(`CREATE FUNCTION deadlock_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('deadlock_once') = 1 THEN
          RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01';
        END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(
      `CREATE TRIGGER deadlock_once BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION deadlock_once()`,
    );
    try {
      const run = await syncOnce({ scope: "all" });
      // It fired: one insert failed, every later one went through.
      const [fired] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT last_value::int AS n FROM deadlock_once`);
      expect(fired!.n).toBeGreaterThan(1);
      expect(run.counters.errors, run.counters.lastErrors.map((e) => e.message).join("; ")).toBe(0);
      const unsynced = await db.chat.count({ where: { unipileId: { in: okChats().map((c) => c.id) }, lastSyncedAt: null } });
      expect(unsynced).toBe(0);
      await expectEqualToSimulator();
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER deadlock_once ON "Message"`);
      await db.$executeRawUnsafe(`DROP FUNCTION deadlock_once()`);
      await db.$executeRawUnsafe(`DROP SEQUENCE deadlock_once`);
    }
  });

  it("429 bursts, 500s, timeouts and one chat that always fails: the run completes, the failing chat is flagged", async () => {
    await db.$executeRawUnsafe(`TRUNCATE "Chat", "Message", "SyncRun", "Attendee" CASCADE`);
    const failing = okChats().find((c) => sim.store.messagesOf(c).length > 0)!;
    await simCall("/_sim/faults", { errorRate: 0.12, errorStatus: 429, hangRate: 0.03, failingChatIds: [failing.id] });
    try {
      const { runId } = await enqueueSync({ scope: "all" });
      const worker = startSyncWorker({ client, pollMs: 20, concurrency: 4 });
      await worker.idle();
      await worker.stop();
      const run = (await getRun(runId))!;
      expect(run.status).toBe("succeeded");
      expect(run.counters.errors).toBeGreaterThanOrEqual(1);
      const flagged = await db.chat.findUniqueOrThrow({ where: { unipileId: failing.id } });
      expect(run.counters.lastErrors.some((e) => e.chatId === flagged.id)).toBe(true);
      expect(flagged.syncErrorCount).toBe(1);
      // Its last attempt ended in the injected 500, or in a 429/timeout drawn on that same attempt.
      expect(flagged.syncLastError).toMatch(/Unipile (500|429|request)/);
      expect(flagged.lastSyncedAt).toBeNull();
      // Everything else is there.
      for (const c of okChats().filter((x) => x.id !== failing.id)) {
        const local = await db.chat.findUniqueOrThrow({ where: { unipileId: c.id } });
        if (local.syncErrorCount > 0) continue; // a chat may exhaust its retries on random faults
        expect(await db.message.count({ where: { chatId: local.id } })).toBe(sim.store.messagesOf(c).length);
      }
      // Faults gone: the next run retries the flagged chat and clears its error.
      await simCall("/_sim/faults", {});
      await syncOnce({ scope: "all" });
      const healed = await db.chat.findUniqueOrThrow({ where: { unipileId: failing.id } });
      expect(healed).toMatchObject({ syncErrorCount: 0, syncLastError: null });
      await expectEqualToSimulator();
    } finally {
      await simCall("/_sim/faults", {});
    }
  });
});
