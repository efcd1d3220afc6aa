import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { db } from "@/server/db.ts";
import { postWebhook, webhookTestDatabase, WEBHOOK_TEST_SECRET } from "@test/support/webhook-post.ts";
import { applyWebhookEvent, drainApplyQueue, replayWebhookEvent, withChatLock } from "./apply.ts";
import { createChatLocks } from "./chat-locks.ts";
import { buildStream, dumpState, resetStreamTables, seedStreamChats, shuffled } from "@test/support/webhook-stream.ts";
import { pruneWebhookLog, WEBHOOK_LOG_RETENTION_MS } from "./worker.ts";
import { WEBHOOK_MAX_BYTES } from "./verify.ts";

const testDb = webhookTestDatabase();

async function deliverAll(events: object[]) {
  for (const e of events) {
    const res = await postWebhook(e);
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
  }
  await drainApplyQueue();
}

/** The database refuses to store this message (a trigger standing in for a full disk) until the returned function is called. */
async function refuseMessage(unipileId: string): Promise<() => Promise<void>> {
  const name = `refuse_${unipileId.replace(/\W/g, "_")}`;
  await db.$executeRawUnsafe(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN IF NEW."unipileId" = '${unipileId}' THEN RAISE EXCEPTION 'no room for ${unipileId}'; END IF; RETURN NEW; END $$`,
  );
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "Message"`);
    await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  };
}

const counts = async () => ({
  events: await db.webhookEvent.count(),
  messages: await db.message.count(),
  reactions: await db.reaction.count(),
});

describe("the same stream, once in order and 3× duplicated and shuffled", () => {
  it("leaves identical chats, messages, reactions and attachments", async () => {
    const chats = await seedStreamChats(4);
    const stream = buildStream(chats, 6);
    await deliverAll(stream);
    const inOrder = await dumpState();
    // Applied, or found to change nothing (a delivery overtaken by a read, an emoji by its removal…).
    const statuses = await db.webhookEvent.findMany({ select: { status: true, error: true } });
    expect(statuses.filter((s) => !["applied", "duplicate"].includes(s.status))).toEqual([]);

    // What a user sees after the in-order run, so the comparison below is about something real.
    const chat0 = inOrder.chats.find((c) => c.unipileId === "chat_stream_0")!;
    expect(chat0.unreadCount).toBe(1); // read on the phone up to the last-but-one inbound message
    const m00 = inOrder.messages.find((m) => m.unipileId === "msg_0_0")!;
    expect(m00).toMatchObject({ text: "Message 0 in chat 0 (edited twice)", originalText: "Message 0 in chat 0", edited: true });
    expect(m00.reactions).toEqual([{ senderProviderId: "33698120455@s.whatsapp.net", value: "🙏", isSender: true }]);
    const m01 = inOrder.messages.find((m) => m.unipileId === "msg_0_1")!;
    expect(m01).toMatchObject({ status: "seen", isSender: true, seenBy: { "33600000000@s.whatsapp.net": expect.any(String) } });
    expect(m01.reactions).toEqual([]);
    expect(inOrder.messages.find((m) => m.unipileId === "msg_0_3")).toMatchObject({ deleted: true, text: "Message 3 in chat 0" });
    expect(inOrder.messages.find((m) => m.unipileId === "msg_0_2")!.attachments).toEqual([
      { unipileId: "att_0_2", kind: "img", mimeType: "image/jpeg", size: 20311, name: null, width: 640, height: 480, unavailable: false },
    ]);
    expect(inOrder.accounts.find((a) => a.id === "acc_stream_wa")).toMatchObject({ status: "CREDENTIALS" });

    for (const seed of [1, 2]) {
      await resetStreamTables();
      await seedStreamChats(4);
      const noisy = shuffled([...stream, ...stream, ...stream], seed);
      await deliverAll(noisy);
      expect(await dumpState(), `shuffle seed ${seed}`).toEqual(inOrder);
      const rows = await db.webhookEvent.findMany({ select: { status: true, attempts: true, dedupeClaim: true } });
      expect(rows).toHaveLength(3 * stream.length);
      // Every repeat is recognised by the insert itself (no apply attempt), except the account
      // status, which has no dedupe key: its repeats are found to change nothing when applied.
      const repeatsAtInsert = rows.filter((r) => r.status === "duplicate" && r.attempts === 0);
      expect(repeatsAtInsert).toHaveLength(2 * (stream.length - 1));
      expect(rows.filter((r) => r.dedupeClaim !== null)).toHaveLength(stream.length - 1);
      expect(rows.filter((r) => !["applied", "duplicate"].includes(r.status))).toEqual([]);
    }
  }, 180_000); // three full deliveries of the stream (in order, then twice 3× shuffled): slow on a busy 2-core machine
});

describe("a burst of concurrent deliveries", () => {
  it("writes them together, yet each gets its own row, and one copy of an event applies", async () => {
    await resetStreamTables();
    const [chat] = await seedStreamChats(1);
    const [first, second] = buildStream([chat!], 3);
    const burst = [...Array.from({ length: 12 }, () => first!), ...Array.from({ length: 12 }, () => second!)];
    const answers = await Promise.all(shuffled(burst, 7).map(async (e) => (await postWebhook(e)).json() as Promise<{ id: string; duplicate: boolean }>));
    await drainApplyQueue();
    expect(new Set(answers.map((a) => a.id)).size).toBe(24);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(2);
    const rows = await db.webhookEvent.groupBy({ by: ["messageId", "status"], _count: true, orderBy: [{ messageId: "asc" }, { status: "asc" }] });
    expect(rows.map((r) => [r.messageId, r.status, r._count])).toEqual([
      ["msg_0_0", "applied", 1],
      ["msg_0_0", "duplicate", 11],
      ["msg_0_1", "applied", 1],
      ["msg_0_1", "duplicate", 11],
    ]);
    expect(await db.message.count()).toBe(2);
  });

  it("stores NUL and lone surrogates as U+FFFD; a body PostgreSQL cannot hold fails none of its neighbours", async () => {
    await resetStreamTables();
    const [chat] = await seedStreamChats(1);
    const [received, other] = buildStream([chat!], 3) as Record<string, unknown>[];
    const hostile = JSON.stringify({ ...received, message: "a\u0000b\ud800c" });
    const rawNul = `{"event":"message_received","message":"x\0y"}`;
    const [h, n, o] = await Promise.all([postWebhook(hostile), postWebhook(rawNul), postWebhook(other!)]);
    expect([h.status, n.status, o.status]).toEqual([200, 400, 200]);
    await drainApplyQueue();
    expect(await db.message.findUnique({ where: { unipileId: "msg_0_0" }, select: { text: true } })).toEqual({ text: "a\uFFFDb\uFFFDc" });
    expect(await db.message.count({ where: { unipileId: other!.message_id as string } })).toBe(1);
    const rejected = await db.webhookEvent.findFirstOrThrow({ where: { status: "rejected" } });
    expect(rejected.body).toBe(`{"event":"message_received","message":"x\uFFFDy"}`);
  });
});

/** Lock attempts of other connections whose latest query began after `since` (pg_stat_activity). */
async function lockTriesSince(since: Date): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND query LIKE 'SELECT pg_try_advisory_lock%' AND query_start > ${since}`;
  return rows[0]!.n;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("one chat at a time across instances (a real server)", () => {
  it("waits while another instance applies an event of the same chat, not for other chats", async () => {
    const otherInstance = createChatLocks(testDb().url);
    let held!: () => void;
    let release!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const gate = new Promise<void>((r) => (release = r));
    const busy = otherInstance.run("chat_busy", async () => {
      held();
      await gate;
    });
    await holding;
    const order: string[] = [];
    const mine = withChatLock("chat_busy", async () => void order.push("same chat"));
    await withChatLock("chat_free", async () => void order.push("other chat"));
    // The event that shows it waits: this process asks for the busy chat's lock again after the other
    // chat is done, and is refused (the other instance holds it), instead of running.
    const since = new Date();
    await expect.poll(() => lockTriesSince(since), { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    expect(order).toEqual(["other chat"]);
    release();
    await busy;
    await mine;
    expect(order).toEqual(["other chat", "same chat"]);
    await otherInstance.close();
  });
});

describe("bad requests", () => {
  const good = { event: "message_received", account_id: "a", chat_id: "c", message_id: "m", message: "hi" };

  it("refuses a missing or wrong secret with 401 and stores nothing", async () => {
    const before = await counts();
    const missing = await POST(new Request("http://localhost/x", { method: "POST", body: JSON.stringify(good) }));
    expect(missing.status).toBe(401);
    expect((await postWebhook(good, { "x-webhook-secret": `${WEBHOOK_TEST_SECRET}x` })).status).toBe(401);
    expect((await postWebhook(good, { "x-webhook-secret": "" })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("refuses a body over 1 MB with 413 and stores nothing, declared or not", async () => {
    const before = await counts();
    const big = JSON.stringify({ ...good, message: "x".repeat(WEBHOOK_MAX_BYTES) });
    expect((await postWebhook(big)).status).toBe(413);
    // Streamed without a Content-Length: the reader stops at the limit.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("y".repeat(64 * 1024)));
        c.close();
      },
    });
    const streamed = await POST(
      new Request("http://localhost/x", { method: "POST", headers: { "x-webhook-secret": WEBHOOK_TEST_SECRET }, body: chunks, duplex: "half" } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it("answers 400 with a reason to malformed JSON and to wrong types, logs them as rejected, applies nothing", async () => {
    const before = await counts();
    const lastBefore = (await db.webhookEvent.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0n;
    const notJson = await postWebhook("{ this is not json");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).message).toMatch(/not JSON/);
    const wrongType = await postWebhook({ ...good, message_id: 12345 });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).message).toMatch(/message_id/);
    const noChat = await postWebhook({ event: "message_received", account_id: "a", message_id: "m" });
    expect(noChat.status).toBe(400);
    const notAnObject = await postWebhook("[1,2,3]");
    expect(notAnObject.status).toBe(400);
    await drainApplyQueue();
    const rejected = await db.webhookEvent.findMany({ where: { status: "rejected", id: { gt: lastBefore } }, orderBy: { id: "asc" } });
    expect(rejected.map((r) => r.body)).toEqual(["{ this is not json", JSON.stringify({ ...good, message_id: 12345 }), expect.any(String), "[1,2,3]"]);
    expect(rejected.every((r) => r.error && r.dedupeClaim === null)).toBe(true);
    const after = await counts();
    expect(after.messages).toBe(before.messages);
    expect(after.events).toBe(before.events + 4);
    // The secret never lands in the log.
    expect(JSON.stringify(rejected.map((r) => r.headers))).not.toContain(WEBHOOK_TEST_SECRET);
  });

  it("reads JSON labelled as form data", async () => {
    await resetStreamTables();
    const [chat] = await seedStreamChats(1);
    const event = buildStream([chat!], 3)[0]!;
    const res = await postWebhook(JSON.stringify(event), { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(200);
    await drainApplyQueue();
    expect(await db.message.findUnique({ where: { unipileId: "msg_0_0" }, select: { text: true } })).toEqual({ text: "Message 0 in chat 0" });
  });
});

describe("deferred and failed events", () => {
  it("keeps an edit that arrives before its message and applies it when the message comes", async () => {
    await resetStreamTables();
    const [chat] = await seedStreamChats(1);
    const [received] = buildStream([chat!], 3);
    const edit = { ...(received as Record<string, unknown>), event: "message_edited", message: "edited first" };
    await deliverAll([edit]);
    const waiting = await db.webhookEvent.findFirstOrThrow({ where: { event: "message_edited" } });
    expect(waiting.status).toBe("deferred");
    await deliverAll([received!]);
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("applied");
    expect(await db.message.findUnique({ where: { unipileId: "msg_0_0" }, select: { text: true, originalText: true } })).toEqual({
      text: "edited first",
      originalText: "Message 0 in chat 0",
    });
  });

  it("records a failing event with its error, and Replay applies it once the cause is fixed", async () => {
    await resetStreamTables();
    const [chat] = await seedStreamChats(1);
    const [received] = buildStream([chat!], 3);
    // The database refuses the message. (An unknown chat no longer fails: it is made from the payload.)
    const orphan = { ...(received as Record<string, unknown>), chat_id: "chat_nobody_knows", message_id: "msg_orphan" };
    const allow = await refuseMessage("msg_orphan");
    await deliverAll([orphan]);
    const failed = await db.webhookEvent.findFirstOrThrow({ where: { messageId: "msg_orphan" } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/no room for msg_orphan/);
    expect(failed.attempts).toBe(1);

    // The cause goes away, Replay applies it.
    await allow();
    const result = await replayWebhookEvent(failed.id);
    expect(result?.status).toBe("applied");
    expect(await db.message.count({ where: { unipileId: "msg_orphan" } })).toBe(1);
    // Applying an applied event again does nothing.
    expect(await applyWebhookEvent(failed.id)).toBeNull();
  });
});

describe("the admin webhook log", () => {
  it("lists events newest first with filters, shows one, replays failed ones, and is for admins only", async () => {
    const { createCaller } = await import("@/server/api/root.ts");
    const { createContext } = await import("@/server/api/trpc.ts");
    const admin = createCaller(createContext({ id: "u1", email: "a@x", name: null, role: "admin" }));
    const agent = createCaller(createContext({ id: "u2", email: "b@x", name: null, role: "agent" }));
    await expect(agent.webhook.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(agent.webhook.replay({ id: "1" })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await resetStreamTables();
    const [chat] = await seedStreamChats(1);
    const [received] = buildStream([chat!], 3);
    const allow = await refuseMessage("msg_x");
    await deliverAll([received!, { ...(received as Record<string, unknown>), chat_id: "chat_unknown", message_id: "msg_x" }]);
    await postWebhook("not json");

    const all = await admin.webhook.list({});
    expect(all.items.map((i) => i.status)).toEqual(["rejected", "failed", "applied"]);
    const failed = await admin.webhook.list({ status: "failed" });
    expect(failed.items).toHaveLength(1);
    const ourChatId = (await db.chat.findUniqueOrThrow({ where: { unipileId: chat!.unipileId } })).id;
    expect((await admin.webhook.list({ chatId: ourChatId })).items.map((i) => i.messageId)).toEqual(["msg_0_0"]);
    expect((await admin.webhook.list({ event: "message_received", accountId: "acc_stream_wa" })).items).toHaveLength(2);
    const page = await admin.webhook.list({ limit: 2 });
    expect((await admin.webhook.list({ limit: 2, cursor: page.nextCursor })).items).toHaveLength(1);

    const detail = await admin.webhook.get({ id: failed.items[0]!.id });
    expect(JSON.parse(detail.body)).toMatchObject({ message_id: "msg_x" });
    expect(detail.error).toMatch(/no room for msg_x/);
    await expect(admin.webhook.replay({ id: all.items[2]!.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await admin.webhook.replay({ id: failed.items[0]!.id })).toMatchObject({ status: "failed" });
    await allow();
    expect((await admin.webhook.counts()).rejected).toBeGreaterThanOrEqual(1);
  });

  it("forgets finished events after the retention, keeps failed and waiting ones", async () => {
    await resetStreamTables();
    const old = new Date(Date.now() - WEBHOOK_LOG_RETENTION_MS - 3600_000);
    const row = (status: "applied" | "duplicate" | "rejected" | "failed" | "deferred", receivedAt: Date) => ({
      event: "message_received",
      headers: {},
      body: "{}",
      status,
      receivedAt,
    });
    await db.webhookEvent.createMany({
      data: [
        ...(["applied", "duplicate", "rejected", "failed", "deferred"] as const).map((s) => row(s, old)),
        row("applied", new Date()),
      ],
    });
    expect(await pruneWebhookLog()).toBe(3);
    const left = await db.webhookEvent.findMany({ select: { status: true, receivedAt: true }, orderBy: { id: "asc" } });
    expect(left.map((r) => [r.status, r.receivedAt > old])).toEqual([
      ["failed", false],
      ["deferred", false],
      ["applied", true],
    ]);
  });
});
