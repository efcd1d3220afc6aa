// Reads on a real streaming replica: a PostgreSQL 15 primary and a pg_basebackup -R replica started
// here. The list, threads and search read from the replica; whoever wrote, or was told of a write by a
// realtime event, reads it at once from the primary; a replica too far behind or down is left out and
// nothing fails; back, it is used again. Replay is paused (pg_wal_replay_pause) to make lag certain.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db, disconnectDb } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { configureReadRoutingForTests, replicaStatus } from "@/server/db-read.ts";
import { publish } from "@/server/realtime/bus.ts";
import { stopListening } from "@/server/realtime/fanout.ts";
import { createUser } from "@/server/services/user-service.ts";
import { closeChatLocks } from "@/server/webhooks/chat-locks.ts";
import { createDatabaseOn, openMigratedDatabase } from "@test/support/db.ts";
import { clusterUnavailable, type PgCluster, startCluster, urlOf } from "@test/support/pg-cluster.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";

const unavailable = clusterUnavailable();
if (unavailable) console.warn(`Replica tests NOT RUN: ${unavailable}`);

/** Polls until `check` passes (the event we wait for), failing with its last error after `ms`. */
async function eventually<T>(check: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe.skipIf(unavailable !== null)("reads on a streaming replica (PostgreSQL 15 primary + pg_basebackup replica)", () => {
  let cluster: PgCluster;
  let alice: SessionUser; // admin who writes
  let bob: SessionUser; // agent who only reads
  let carol: SessionUser; // admin with a live stream open
  let chatId: string;
  let dbName: string;

  const listName = async (user: SessionUser) => (await apiAs(user).chat.list({ limit: 10 })).items.find((c) => c.id === chatId);
  const threadTexts = async (user: SessionUser) => (await apiAs(user).message.list({ chatId, limit: 50 })).items.map((m) => m.text);
  const searchCount = async (user: SessionUser, q: string) => (await apiAs(user).search.messages({ query: q })).hits.length;
  /** Where one call's reads went, from the routing counters (tests call one at a time). */
  async function servedBy<T>(call: () => Promise<T>): Promise<{ value: T; by: "replica" | "primary" }> {
    const before = replicaStatus().reads;
    const value = await call();
    const after = replicaStatus().reads;
    expect(after.replica + after.primary - before.replica - before.primary).toBe(1);
    return { value, by: after.replica > before.replica ? "replica" : "primary" };
  }
  /** Warm up: reads until a probe found the replica up and one read went to it. */
  const replicaInUse = () => eventually(async () => expect((await servedBy(() => listName(bob))).by).toBe("replica"));

  beforeAll(async () => {
    cluster = await startCluster();
    const { url } = await createDatabaseOn(cluster.primaryUrl, "parley_replica");
    dbName = new URL(url).pathname.slice(1);
    process.env.DATABASE_REPLICA_URL = urlOf(cluster.replicaUrl, dbName);
    await openMigratedDatabase(url, false);
    configureReadRoutingForTests({ probeMs: 50, waitingProbeMs: 20, retryMs: 300, maxRetryMs: 1_000, maxLagMs: 60_000 });

    await db.account.create({ data: { id: "acc_wa", provider: "WHATSAPP", name: "Sales WhatsApp" } });
    const chat = await db.chat.create({
      data: { unipileId: "u_chat", accountId: "acc_wa", type: "group", name: "Launch crew", lastMessageAt: new Date("2025-03-02T10:00:00Z") },
    });
    chatId = chat.id;
    await db.message.createMany({
      data: ["first plan", "second plan", "third plan"].map((text, i) => ({
        unipileId: `u_m_${i}`,
        chatId,
        text,
        sentAt: new Date(Date.parse("2025-03-02T09:00:00Z") + i * 60_000),
      })),
    });
    ({ admin: alice, agent: bob } = await seedAdminAndAgent({ agentAccounts: ["acc_wa"] }));
    const c = await createUser({ email: "carol@example.com", password: "password-3", role: "admin" });
    carol = { id: c.id, email: c.email, name: null, role: "admin" };
    await cluster.caughtUp();
  }, 120_000);

  // A failed test must not leave replay paused for the next one.
  afterEach(() => cluster.onReplica("SELECT pg_wal_replay_resume()").catch(() => {}));

  afterAll(async () => {
    await stopListening();
    await closeChatLocks();
    await disconnectDb();
    delete process.env.DATABASE_REPLICA_URL;
    await cluster?.stop();
  });

  it("serves the list, the thread and search from the replica", async () => {
    await replicaInUse();
    await cluster.onReplica("SELECT pg_wal_replay_pause()");
    // A write nobody made through the app (like a webhook's): only the primary has it.
    await db.chat.update({ where: { id: chatId }, data: { name: "Launch crew (renamed)" } });
    await db.message.create({ data: { unipileId: "u_m_new", chatId, text: "fourth plan", sentAt: new Date("2025-03-02T09:30:00Z") } });

    expect((await servedBy(() => listName(bob))).value?.displayName).toBe("Launch crew");
    expect((await servedBy(() => threadTexts(bob))).value).toEqual(["first plan", "second plan", "third plan"]);
    const search = await servedBy(() => searchCount(bob, "fourth"));
    expect(search).toEqual({ value: 0, by: "replica" });

    await cluster.onReplica("SELECT pg_wal_replay_resume()");
    await eventually(async () => expect((await listName(bob))?.displayName).toBe("Launch crew (renamed)"));
    expect(await searchCount(bob, "fourth")).toBe(1);
  });

  it("shows a writer their own write at once, from the primary, while the replica lags", async () => {
    await cluster.caughtUp();
    await replicaInUse();
    await cluster.onReplica("SELECT pg_wal_replay_pause()");
    await apiAs(alice).team.done({ chatIds: [chatId] });

    const mine = await servedBy(() => listName(alice));
    expect(mine.by).toBe("primary");
    expect(mine.value?.workState).toBe("done");
    // Someone who did not write reads the replica, which has not replayed it yet.
    const theirs = await servedBy(() => listName(bob));
    expect(theirs.by).toBe("replica");
    expect(theirs.value?.workState).toBe("open");

    await cluster.onReplica("SELECT pg_wal_replay_resume()");
    // Once the replica has replayed the write, the writer reads from it again, and sees the write there.
    const again = await eventually(async () => {
      const r = await servedBy(() => listName(alice));
      expect(r.by).toBe("replica");
      return r;
    });
    expect(again.value?.workState).toBe("done");
  });

  it("refetches after a realtime event from the primary while the replica lags", async () => {
    await cluster.caughtUp();
    await replicaInUse();
    const last = await db.realtimeEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    const ac = new AbortController();
    const stream = await createCaller(createContext(carol), { signal: ac.signal }).realtime.chatList({ lastEventId: (last?.id ?? 0n).toString() });
    const iterator = stream[Symbol.asyncIterator]();
    await cluster.onReplica("SELECT pg_wal_replay_pause()");

    // What the webhook path does: commit the message, then publish.
    const m = await db.message.create({ data: { unipileId: "u_m_live", chatId, text: "live plan", sentAt: new Date("2025-03-02T09:40:00Z") } });
    await publish({ type: "message.upserted", accountId: "acc_wa", chatId, messageId: m.id });
    const next = await iterator.next();
    ac.abort();
    expect((next.value as unknown as [string, unknown])[1]).toEqual({ type: "message.upserted", accountId: "acc_wa", chatId, messageId: m.id });
    // The WAL stamp is for the server's routing, never sent to the browser.
    expect(JSON.stringify(next.value)).not.toContain("lsn");

    const refetch = await servedBy(() => threadTexts(carol));
    expect(refetch.by).toBe("primary");
    expect(refetch.value).toContain("live plan");
    // Without the event, the replica's (older) view.
    expect((await servedBy(() => threadTexts(bob))).value).not.toContain("live plan");
    await cluster.onReplica("SELECT pg_wal_replay_resume()");
  });

  it("leaves out a replica that lags beyond the bound, for everyone, and uses it again once caught up", async () => {
    await cluster.caughtUp();
    configureReadRoutingForTests({ maxLagMs: 400 });
    await replicaInUse();
    await cluster.onReplica("SELECT pg_wal_replay_pause()");
    await db.chat.update({ where: { id: chatId }, data: { name: "Launch crew (lagging)" } });

    // Bob wrote nothing, yet once the replica is 400 ms behind his reads see the primary.
    await eventually(async () => expect((await listName(bob))?.displayName).toBe("Launch crew (lagging)"));
    expect(replicaStatus().lagMs).toBeGreaterThan(400);
    expect((await servedBy(() => listName(bob))).by).toBe("primary");

    await cluster.onReplica("SELECT pg_wal_replay_resume()");
    await replicaInUse();
    configureReadRoutingForTests({ maxLagMs: 60_000 });
  });

  it("falls back to the primary when the replica goes down, with no failed read, and uses it again when it is back", async () => {
    await cluster.caughtUp();
    await replicaInUse();
    await cluster.stopReplica();
    await db.chat.update({ where: { id: chatId }, data: { name: "Launch crew (replica down)" } });

    // Every read answers, from the primary, right after the replica went away.
    for (let i = 0; i < 5; i++) {
      expect((await listName(bob))?.displayName).toBe("Launch crew (replica down)");
      expect(await threadTexts(bob)).toContain("live plan");
      expect(await searchCount(bob, "plan")).toBeGreaterThan(0);
    }
    expect(replicaStatus().state).toBe("down");
    expect(replicaStatus().reason).toMatch(/does not answer/);

    await cluster.startReplica();
    await cluster.caughtUp();
    await replicaInUse();
    expect((await listName(bob))?.displayName).toBe("Launch crew (replica down)");
  });

  it("never uses a DATABASE_REPLICA_URL that is not a standby (here: the primary itself)", async () => {
    process.env.DATABASE_REPLICA_URL = process.env.DATABASE_URL;
    resetEnvForTests();
    await disconnectDb();
    configureReadRoutingForTests();
    await eventually(async () => {
      await listName(bob);
      expect(replicaStatus()).toMatchObject({ state: "down", reason: expect.stringMatching(/not a standby/) });
    });
    expect((await servedBy(() => listName(bob))).by).toBe("primary");
  });
});
