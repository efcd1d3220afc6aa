import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { trpcHttp } from "@test/support/trpc.ts";
import { seedGrantedAndHidden } from "@test/support/users.ts";
import { publish, pruneRealtimeEvents, type RealtimeEvent, subscribe } from "./bus.ts";
import { NOTIFY_CHANNEL } from "./fanout.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let agent: SessionUser;
let chatA: string;
let chatB: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ({ admin, agent, chatA, chatB } = await seedGrantedAndHidden());
});
afterAll(() => testDb?.close());

type Envelope = [string, RealtimeEvent];

/** Collects `n` items of a subscription, then stops it. */
async function take(iterable: AsyncIterable<unknown>, n: number, ac: AbortController, timeoutMs = 5_000): Promise<Envelope[]> {
  const out: Envelope[] = [];
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    for await (const item of iterable) {
      out.push(item as Envelope);
      if (out.length >= n) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

const msg = (accountId: string, chatId: string, messageId: string): RealtimeEvent => ({ type: "message.upserted", accountId, chatId, messageId });
/** The newest stored event id: a stream opened with it misses nothing published afterwards. */
const lastId = async () => ((await db.realtimeEvent.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0n).toString();

describe("realtime subscriptions", () => {
  it("sends an agent only the events of accounts it is granted, in order, with ids", async () => {
    const ac = new AbortController();
    const stream = await createCaller(createContext(agent), { signal: ac.signal }).realtime.chatList({ lastEventId: await lastId() });
    const got = take(stream, 2, ac);
    await publish(msg("acc_b", chatB, "m0"), msg("acc_a", chatA, "m1"));
    await publish({ type: "account.updated", accountId: "acc_b" }, { type: "chat.updated", accountId: "acc_a", chatId: chatA });
    const items = await got;
    expect(items.map(([, e]) => e.type)).toEqual(["message.upserted", "chat.updated"]);
    expect(items.map(([, e]) => ("accountId" in e ? e.accountId : null))).toEqual(["acc_a", "acc_a"]);
    expect(BigInt(items[1]![0])).toBeGreaterThan(BigInt(items[0]![0]));
  });

  it("replays what a reconnecting client missed after its lastEventId, then streams live", async () => {
    await publish(msg("acc_a", chatA, "before"));
    const seenUpTo = await lastId();
    await publish(msg("acc_a", chatA, "missed-1"), msg("acc_b", chatB, "not-yours"), msg("acc_a", chatA, "missed-2"));
    const ac = new AbortController();
    const stream = await createCaller(createContext(agent), { signal: ac.signal }).realtime.chatList({ lastEventId: seenUpTo });
    const got = take(stream, 3, ac);
    await publish(msg("acc_a", chatA, "live"));
    const ids = (await got).map(([, e]) => (e.type === "message.upserted" ? e.messageId : e.type));
    expect(ids).toEqual(["missed-1", "missed-2", "live"]);
  });

  it("streams one chat's events to a user holding the grant and refuses the others", async () => {
    await expect(createCaller(createContext(agent)).realtime.chat({ chatId: chatB })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const ac = new AbortController();
    const stream = await createCaller(createContext(admin), { signal: ac.signal }).realtime.chat({ chatId: chatB, lastEventId: await lastId() });
    const got = take(stream, 1, ac);
    await publish(msg("acc_a", chatA, "elsewhere"), msg("acc_b", chatB, "here"));
    expect((await got).map(([, e]) => e)).toEqual([msg("acc_b", chatB, "here")]);
  });

  it("keeps sync progress for admins", async () => {
    await expect(createCaller(createContext(agent)).realtime.sync({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    const ac = new AbortController();
    const stream = await createCaller(createContext(admin), { signal: ac.signal }).realtime.sync({ lastEventId: await lastId() });
    const got = take(stream, 1, ac);
    await publish(msg("acc_a", chatA, "x"), { type: "sync.progress", runId: "run1" });
    expect((await got)[0]![1]).toMatchObject({ type: "sync.progress", runId: "run1" });
  });

  it("over HTTP: an SSE stream that tells the browser when to reconnect, then events with their ids", async () => {
    const res = await trpcHttp("realtime.sync", admin, { lastEventId: await lastId() });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const read = async (until: (t: string) => boolean) => {
      while (!until(text)) {
        const r = await reader.read();
        if (r.done) break;
        text += r.value;
      }
    };
    await read((t) => /event: connected\ndata: [^\n]*\n\n/.test(t));
    expect(text).toContain('"reconnectAfterInactivityMs":40000');
    await publish({ type: "sync.progress", runId: "over-http" });
    const frame = /data: \{"json":\{"type":"sync.progress","runId":"over-http"\}\}\nid: (\d+)\n/;
    await read((t) => frame.test(t));
    expect(text.match(frame)?.[1]).toBe(await lastId());
    await reader.cancel();
  });

  it("prunes events older than the retention", async () => {
    await db.realtimeEvent.updateMany({ where: {}, data: { createdAt: new Date(Date.now() - 2 * 24 * 3600_000) } });
    await publish(msg("acc_a", chatA, "fresh"));
    expect(await pruneRealtimeEvents()).toBeGreaterThan(0);
    expect(await db.realtimeEvent.count()).toBe(1);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("fan-out across instances (LISTEN/NOTIFY on a real server)", () => {
  it("delivers an event that another instance stored and NOTIFYed on its own connection", async () => {
    const ac = new AbortController();
    // No lastEventId: only the live LISTEN path can deliver it. subscribe() resolves once listening.
    // Earlier tests' notifications may still be in flight: watch for this one event only.
    const stream = await subscribe((e) => e.type === "message.upserted" && e.messageId === "from-instance-2", { signal: ac.signal });
    const got = take((async function* () {
      for await (const { id, event } of stream) yield [id, event];
    })(), 1, ac);
    // "Another instance": a separate connection doing exactly what publish() does there.
    const other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
    const payload = { type: "message.upserted", accountId: "acc_b", chatId: chatB, messageId: "from-instance-2" } as const;
    await other.query(
      `WITH r AS (INSERT INTO "RealtimeEvent" ("topic","accountId","chatId","payload") VALUES ($1,$2,$3,$4) RETURNING id)
       SELECT pg_notify($5, id::text) FROM r`,
      [payload.type, payload.accountId, payload.chatId, JSON.stringify(payload), NOTIFY_CHANNEL],
    );
    await other.end();
    expect((await got).map(([, e]) => e)).toEqual([payload]);
  });
});
