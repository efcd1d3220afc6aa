// The inbox's read paths, search and optimistic send against a real (migrated) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { UnipileError } from "@/server/unipile/errors.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { setChatRead } from "./chat-service.ts";
import { openAttachment, openAvatar } from "./message-service.ts";
import { retryMessage, type SendRemote, sendMessage } from "./send-service.ts";
import { createUser } from "./user-service.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let agent: SessionUser;
const ids: Record<string, string> = {};

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.createMany({
    data: [
      { id: "acc_wa", provider: "WHATSAPP", name: "Sales WhatsApp" },
      { id: "acc_li", provider: "LINKEDIN", name: "CEO LinkedIn", status: "CREDENTIALS" },
    ],
  });
  const ana = await db.attendee.create({
    data: { accountId: "acc_wa", providerId: "p_ana", unipileId: "u_att_ana", name: "Ana Lima", pictureUrl: "https://cdn.example/ana.png?expires=1" },
  });
  const me = await db.attendee.create({ data: { accountId: "acc_wa", providerId: "p_me", name: "Me", isSelf: true } });
  const bo = await db.attendee.create({ data: { accountId: "acc_wa", providerId: "p_bo", name: "Bo" } });
  const unnamed = await db.chat.create({
    data: {
      unipileId: "u_chat_ana",
      accountId: "acc_wa",
      type: "single",
      name: null,
      attendeeProviderId: "p_ana",
      lastMessageAt: new Date("2025-03-01T10:00:00Z"),
      unreadCount: 2,
      members: { create: [{ attendeeId: me.id }, { attendeeId: ana.id }] },
    },
  });
  const group = await db.chat.create({
    data: {
      unipileId: "u_chat_group",
      accountId: "acc_wa",
      type: "group",
      name: "Launch crew",
      lastMessageAt: new Date("2025-03-02T10:00:00Z"),
      members: { create: [{ attendeeId: me.id }, { attendeeId: ana.id }, { attendeeId: bo.id }] },
    },
  });
  const secret = await db.chat.create({
    data: { unipileId: "u_chat_board", accountId: "acc_li", type: "single", name: "Board member", lastMessageAt: new Date("2025-03-03T10:00:00Z") },
  });
  ids.unnamed = unnamed.id;
  ids.group = group.id;
  ids.secret = secret.id;
  // 120 messages in the group, one a minute, alternating senders.
  const t0 = new Date("2025-03-01T00:00:00Z").getTime();
  await db.message.createMany({
    data: Array.from({ length: 120 }, (_, i) => ({
      unipileId: `u_m_${i}`,
      chatId: group.id,
      senderId: i % 2 ? ana.id : bo.id,
      senderProviderId: i % 2 ? "p_ana" : "p_bo",
      text: i === 7 ? "The quarterly budgetary review is on Friday" : `message number ${i}`,
      sentAt: new Date(t0 + i * 60_000),
    })),
  });
  await db.message.create({
    data: { unipileId: "u_secret_1", chatId: secret.id, text: "confidential budgetary numbers", sentAt: new Date("2025-03-03T10:00:00Z") },
  });
  await db.message.create({
    data: { unipileId: "u_deleted", chatId: group.id, text: "budgetary leak", deleted: true, sentAt: new Date(t0 + 30 * 60_000 + 30_000) },
  });
  const a = await createUser({ email: "admin@inbox.test", password: "password-1", role: "admin" });
  const g = await createUser({ email: "agent@inbox.test", password: "password-2", role: "agent", accountIds: ["acc_wa"] });
  admin = { id: a.id, email: a.email, name: null, role: "admin" };
  agent = { id: g.id, email: g.email, name: null, role: "agent" };
});
afterAll(() => testDb?.close());

const api = (u: SessionUser) => createCaller(createContext(u));


describe("chat list", () => {
  it("is unified across accounts, newest first, with a 1:1 chat named after the other person", async () => {
    const page = await api(admin).chat.list({});
    expect(page.items.map((c) => c.displayName)).toEqual(["Board member", "Launch crew", "Ana Lima"]);
    const board = page.items[0]!;
    expect(board.account.provider).toBe("LINKEDIN");
    expect(board.accountHealthy).toBe(false);
  });

  it("combines filters: unread, provider, 1:1 vs group, account", async () => {
    const a = api(admin);
    expect((await a.chat.list({ unreadOnly: true })).items.map((c) => c.displayName)).toEqual(["Ana Lima"]);
    expect((await a.chat.list({ provider: "LINKEDIN" })).items.map((c) => c.displayName)).toEqual(["Board member"]);
    expect((await a.chat.list({ kind: "group" })).items.map((c) => c.displayName)).toEqual(["Launch crew"]);
    expect((await a.chat.list({ kind: "single", accountId: "acc_wa" })).items.map((c) => c.displayName)).toEqual(["Ana Lima"]);
    expect((await a.chat.list({ kind: "group", unreadOnly: true })).items).toEqual([]);
  });

  it("pages with a cursor without gaps or repeats", async () => {
    const a = api(admin);
    const first = await a.chat.list({ limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await a.chat.list({ limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((c) => c.displayName)).toEqual(["Board member", "Launch crew", "Ana Lima"]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("an agent without a grant", () => {
  it("never sees the account's chats in the list, even filtering by provider", async () => {
    expect((await api(agent).chat.list({})).items.map((c) => c.displayName)).toEqual(["Launch crew", "Ana Lima"]);
    expect((await api(agent).chat.list({ provider: "LINKEDIN" })).items).toEqual([]);
  });

  it("gets 403 opening the chat or its messages directly", async () => {
    expect((await http("chat.get", agent, { chatId: ids.secret })).status).toBe(403);
    expect((await http("message.list", agent, { chatId: ids.secret })).status).toBe(403);
    await expect(api(agent).message.list({ chatId: ids.secret! })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("finds nothing of it in search, while the admin does", async () => {
    const hidden = await api(agent).search.messages({ query: "confidential" });
    expect(hidden.hits).toEqual([]);
    const seen = await api(admin).search.messages({ query: "confidential" });
    expect(seen.hits.map((h) => h.chatName)).toEqual(["Board member"]);
    await expect(api(agent).search.messages({ query: "budget", chatId: ids.secret! })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("cannot mark it read or send to it", async () => {
    const remote: SendRemote = { sendMessage: async () => ({ message_id: "never" }) };
    await expect(setChatRead(agent, ids.secret!, true, async () => {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(sendMessage(agent, { chatId: ids.secret!, clientTxnId: "txn-forbidden-1", text: "hi" }, remote)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.message.count({ where: { clientTxnId: "txn-forbidden-1" } })).toBe(0);
  });
});

describe("thread", () => {
  it("pages older messages without gaps and ends at the first message", async () => {
    const a = api(admin);
    const latest = await a.message.list({ chatId: ids.group!, limit: 50 });
    expect(latest.items).toHaveLength(50);
    expect(latest.items.at(-1)!.text).toBe("message number 119");
    expect(latest.newer).toBeNull();
    const seen = [...latest.items];
    let cursor = latest.older;
    while (cursor) {
      const page = await a.message.list({ chatId: ids.group!, limit: 50, cursor: { dir: "older", at: cursor } });
      seen.unshift(...page.items);
      cursor = page.older;
    }
    // 120 messages + the deleted one (a tombstone without its text).
    expect(seen).toHaveLength(121);
    expect(new Set(seen.map((m) => m.id)).size).toBe(121);
    expect(seen[0]!.text).toBe("message number 0");
    const tomb = seen.find((m) => m.deleted)!;
    expect(tomb.text).toBeNull();
    expect(seen[1]!.senderName).toBe("Ana Lima");
  });

  it("opens a window around a message (a search hit) with cursors both ways", async () => {
    const hit = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_60" } });
    const page = await api(admin).message.list({ chatId: ids.group!, limit: 20, anchorId: hit.id });
    expect(page.items.map((m) => m.text)).toContain("message number 60");
    expect(page.items[0]!.text).toBe("message number 50");
    expect(page.older).not.toBeNull();
    const newer = await api(admin).message.list({ chatId: ids.group!, limit: 20, cursor: { dir: "newer", at: page.newer! } });
    expect(newer.items[0]!.text).toBe("message number 71");
  });
});

describe("search", () => {
  it("finds a whole word and a fragment inside a word, with highlighted text-only snippets", async () => {
    const word = await api(admin).search.messages({ query: "quarterly" });
    expect(word.hits).toHaveLength(1);
    expect(word.hits[0]!.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(["quarterly"]);
    const fragment = await api(admin).search.messages({ query: "dgeta" });
    expect(fragment.hits.map((h) => h.chatName).sort()).toEqual(["Board member", "Launch crew"]);
    expect(fragment.hits.every((h) => h.snippet.some((s) => s.hit && s.text.toLowerCase() === "dgeta"))).toBe(true);
  });

  it("ranks a whole-word match above a fragment and never returns deleted messages", async () => {
    await db.message.create({ data: { chatId: ids.group!, unipileId: "u_budget", text: "budget", sentAt: new Date("2024-01-01") } });
    const res = await api(admin).search.messages({ query: "budget" });
    expect(res.hits[0]!.snippet.map((s) => s.text).join("")).toBe("budget");
    expect(res.hits.some((h) => h.snippet.some((s) => s.text.includes("leak")))).toBe(false);
  });

  it("filters by account, chat and date", async () => {
    const a = api(admin);
    expect((await a.search.messages({ query: "budgetary", accountId: "acc_li" })).hits.map((h) => h.chatName)).toEqual(["Board member"]);
    expect((await a.search.messages({ query: "budgetary", chatId: ids.group! })).hits.map((h) => h.chatName)).toEqual(["Launch crew"]);
    expect((await a.search.messages({ query: "budgetary", from: new Date("2025-03-02") })).hits.map((h) => h.chatName)).toEqual([
      "Board member",
    ]);
  });

  it("treats LIKE wildcards literally and rejects an empty query with 400", async () => {
    expect((await api(admin).search.messages({ query: "%%%" })).hits).toEqual([]);
    expect((await http("search.messages", admin, { query: "   " })).status).toBe(400);
  });
});

describe("read state", () => {
  it("marks read locally and in Unipile, and unread again", async () => {
    const calls: [string, boolean][] = [];
    const remote = async (id: string, read: boolean) => {
      calls.push([id, read]);
    };
    await setChatRead(admin, ids.unnamed!, true, remote);
    expect((await db.chat.findUniqueOrThrow({ where: { id: ids.unnamed } })).unreadCount).toBe(0);
    await setChatRead(admin, ids.unnamed!, false, remote);
    expect((await db.chat.findUniqueOrThrow({ where: { id: ids.unnamed } })).unreadCount).toBe(1);
    expect(calls).toEqual([
      ["u_chat_ana", true],
      ["u_chat_ana", false],
    ]);
  });

  it("keeps the local state and reports UPSTREAM when Unipile refuses", async () => {
    const down = async () => {
      throw new UnipileError({ status: 503, slug: "errors/service_unavailable", title: "Service unavailable" });
    };
    await expect(setChatRead(admin, ids.unnamed!, true, down)).rejects.toMatchObject({ code: "UPSTREAM" });
    expect((await db.chat.findUniqueOrThrow({ where: { id: ids.unnamed } })).unreadCount).toBe(0);
  });
});

describe("optimistic send", () => {
  it("stores the pending row before Unipile is called, then marks it sent with Unipile's id", async () => {
    let seenPending = false;
    const remote: SendRemote = {
      async sendMessage(chatUnipileId, input) {
        const row = await db.message.findUniqueOrThrow({ where: { clientTxnId: "txn-send-0001" } });
        seenPending = row.status === "pending" && row.text === "Hello there";
        expect(chatUnipileId).toBe("u_chat_group");
        expect(input.text).toBe("Hello there");
        return { message_id: "u_sent_1" };
      },
    };
    const res = await sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0001", text: "  Hello there \n" }, remote);
    expect(seenPending).toBe(true);
    expect(res).toMatchObject({ status: "sent", unipileId: "u_sent_1" });
    const chat = await db.chat.findUniqueOrThrow({ where: { id: ids.group } });
    expect(chat.lastMessagePreview).toBe("Hello there");
  });

  it("folds an echo that was stored first as its own row into the pending row: one message", async () => {
    const remote: SendRemote = {
      async sendMessage() {
        // The simulator's echo webhook beat the HTTP answer and the store did not match it.
        await db.message.create({
          data: { chatId: ids.group!, unipileId: "u_echo_2", text: "Echo first", isSender: true, status: "delivered", sentAt: new Date() },
        });
        return { message_id: "u_echo_2" };
      },
    };
    const res = await sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0002", text: "Echo first" }, remote);
    expect(res).toMatchObject({ status: "delivered", unipileId: "u_echo_2", clientTxnId: "txn-send-0002" });
    expect(await db.message.count({ where: { text: "Echo first" } })).toBe(1);
  });

  it("accepts an echo that already matched our row (same id, no conflict)", async () => {
    const remote: SendRemote = {
      async sendMessage() {
        await db.message.update({ where: { clientTxnId: "txn-send-0003" }, data: { unipileId: "u_echo_3", status: "sent" } });
        return { message_id: "u_echo_3" };
      },
    };
    const res = await sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0003", text: "Matched" }, remote);
    expect(res).toMatchObject({ status: "sent", unipileId: "u_echo_3" });
    expect(await db.message.count({ where: { text: "Matched" } })).toBe(1);
  });

  it("fails with a reason when Unipile is down, then a retry sends the same row exactly once", async () => {
    let calls = 0;
    let up = false;
    const remote: SendRemote = {
      async sendMessage() {
        calls++;
        if (!up) throw new UnipileError({ status: 503, slug: "errors/service_unavailable", title: "Service unavailable" });
        return { message_id: "u_retry_4" };
      },
    };
    const failed = await sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0004", text: "Down" }, remote);
    expect(failed.status).toBe("failed");
    expect(failed.statusError).toContain("503");
    up = true;
    const [a, b] = await Promise.allSettled([retryMessage(admin, failed.id, remote), retryMessage(admin, failed.id, remote)]);
    expect([a.status, b.status].sort()).toEqual(["fulfilled", "rejected"]);
    expect(calls).toBe(2);
    const rows = await db.message.findMany({ where: { text: "Down" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: failed.id, status: "sent", unipileId: "u_retry_4", statusError: null });
    // Retrying a sent message does nothing.
    await retryMessage(admin, failed.id, remote);
    expect(calls).toBe(2);
  });

  it("answers a repeated clientTxnId with the first row and sends once", async () => {
    let calls = 0;
    const remote: SendRemote = {
      async sendMessage() {
        calls++;
        return { message_id: "u_dup_5" };
      },
    };
    const one = await sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0005", text: "Twice" }, remote);
    const two = await sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0005", text: "Twice" }, remote);
    expect(two.id).toBe(one.id);
    expect(calls).toBe(1);
  });

  it("refuses empty messages, oversized files and bad transaction ids with 4xx, storing nothing", async () => {
    const remote: SendRemote = { sendMessage: async () => ({ message_id: null }) };
    await expect(sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0006", text: "  " }, remote)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const big = { name: "huge.bin", type: "application/octet-stream", data: new Uint8Array(16 * 1024 * 1024) };
    await expect(
      sendMessage(admin, { chatId: ids.group!, clientTxnId: "txn-send-0007", text: "x", files: [big] }, remote),
    ).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("huge.bin") });
    await expect(sendMessage(admin, { chatId: ids.group!, clientTxnId: "bad id!", text: "x" }, remote)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await db.message.count({ where: { clientTxnId: { in: ["txn-send-0006", "txn-send-0007"] } } })).toBe(0);
  });

  it("replies with Unipile's id of the quoted message and keeps attachments for a retry", async () => {
    const inputs: unknown[] = [];
    let up = false;
    const remote: SendRemote = {
      async sendMessage(_c, input) {
        inputs.push(input);
        if (!up) throw new UnipileError({ status: 0, slug: "client/network_error", title: "fetch failed" });
        return { message_id: "u_reply_8" };
      },
    };
    const quoted = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_7" } });
    const file = { name: "notes.txt", type: "text/plain", data: new TextEncoder().encode("hello file") };
    const failed = await sendMessage(
      admin,
      { chatId: ids.group!, clientTxnId: "txn-send-0008", text: "See above", quoteMessageId: quoted.id, files: [file] },
      remote,
    );
    expect(failed).toMatchObject({ status: "failed", statusError: expect.stringContaining("could not be reached") });
    // The file waits in the database (any instance can retry, after any restart)…
    expect(await db.outboxFile.findMany({ where: { messageId: failed.id }, select: { name: true, position: true } })).toEqual([
      { name: "notes.txt", position: 0 },
    ]);
    up = true;
    await retryMessage(admin, failed.id, remote);
    // …until Unipile accepted it.
    expect(await db.outboxFile.count({ where: { messageId: failed.id } })).toBe(0);
    const second = inputs[1] as { quote_id: string; attachments: { name: string; data: Uint8Array }[] };
    expect(second.quote_id).toBe("u_m_7");
    expect(second.attachments.map((a) => [a.name, new TextDecoder().decode(a.data)])).toEqual([["notes.txt", "hello file"]]);
    const view = await api(admin).message.list({ chatId: ids.group!, limit: 5 });
    const mine = view.items.find((m) => m.id === failed.id)!;
    expect(mine.quoted?.text).toBe("The quarterly budgetary review is on Friday");
    expect(mine.quoted?.senderName).toBe("Ana Lima");
  });
});

describe("attachments", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  let calls: string[] = [];
  const download = async (m: string, a: string) => {
    calls.push(`${m}/${a}`);
    return {
      body: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(png);
          c.close();
        },
      }),
      contentType: "image/png",
      contentLength: png.byteLength,
    };
  };

  it("streams a granted attachment from Unipile with safe headers", async () => {
    const m = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_3" } });
    const att = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_1", kind: "img", mimeType: "image/png", name: "pic.png" } });
    calls = [];
    const res = await openAttachment(agent, m.id, att.id, download);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
    expect(calls).toEqual(["u_m_3/att_1"]);
  });

  it("refuses an agent without the grant before asking Unipile", async () => {
    const m = await db.message.findUniqueOrThrow({ where: { unipileId: "u_secret_1" } });
    const att = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_2", kind: "file", name: "board.pdf" } });
    calls = [];
    await expect(openAttachment(agent, m.id, att.id, download)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(calls).toEqual([]);
    // An attachment id from another message is not found, even for the admin.
    const other = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_3" } });
    await expect(openAttachment(admin, other.id, att.id, download)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers 404 for an unavailable file and downloads (not renders) risky types", async () => {
    const m = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_4" } });
    const gone = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_3", kind: "img", unavailable: true } });
    await expect(openAttachment(admin, m.id, gone.id, download)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const html = await db.attachment.create({ data: { messageId: m.id, unipileId: "att_4", kind: "file", mimeType: "text/html", name: "x.html" } });
    const res = await openAttachment(admin, m.id, html.id, download);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
  });
});

describe("profile pictures", () => {
  let calls: string[] = [];
  const picture = (type: string) => async (id: string) => {
    calls.push(id);
    return { body: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])]).stream(), contentType: type, contentLength: 4 };
  };

  it("the list points a 1:1 chat at its person's picture through our route, never at Unipile's URL", async () => {
    const page = await api(agent).chat.list({ limit: 10 });
    const byId = new Map(page.items.map((c) => [c.id, c]));
    const ana = await db.attendee.findFirstOrThrow({ where: { providerId: "p_ana" } });
    expect(byId.get(ids.unnamed!)?.avatarUrl).toBe(`/api/avatars/${ana.id}`);
    expect(byId.get(ids.group!)?.avatarUrl).toBeNull();
    expect(JSON.stringify(page)).not.toContain("cdn.example");
  });

  it("a group thread gives each message of others its sender's picture when they have one", async () => {
    const ana = await db.attendee.findFirstOrThrow({ where: { providerId: "p_ana" } });
    const view = await api(agent).message.list({ chatId: ids.group!, limit: 50 });
    const bySender = new Map(view.items.map((m) => [m.senderName, m.senderAvatarUrl]));
    expect(bySender.get("Ana Lima")).toBe(`/api/avatars/${ana.id}`);
    expect(bySender.get("Bo")).toBeNull();
    expect(JSON.stringify(view)).not.toContain("cdn.example");
  });

  it("streams a granted picture from Unipile, 404 for people without one, 403 without the grant", async () => {
    const ana = await db.attendee.findFirstOrThrow({ where: { providerId: "p_ana" } });
    calls = [];
    const res = await openAvatar(agent, ana.id, picture("image/png"));
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("private, max-age=86400");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(calls).toEqual(["u_att_ana"]);

    const bo = await db.attendee.findFirstOrThrow({ where: { providerId: "p_bo" } });
    await expect(openAvatar(agent, bo.id, picture("image/png"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    const boss = await db.attendee.create({ data: { accountId: "acc_li", providerId: "p_boss", unipileId: "u_att_boss", pictureUrl: "https://cdn.example/b.png" } });
    await expect(openAvatar(agent, boss.id, picture("image/png"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(calls).toEqual(["u_att_ana"]);
    // Whatever Unipile answers, only a raster image is served.
    await expect(openAvatar(admin, boss.id, picture("text/html"))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("chats without messages", () => {
  it("come after every active chat, and cursor pages walk across the boundary without gaps", async () => {
    await db.chat.createMany({
      data: [
        { unipileId: "u_empty_1", accountId: "acc_wa", name: "Empty one" },
        { unipileId: "u_empty_2", accountId: "acc_wa", name: "Empty two" },
      ],
    });
    const names: string[] = [];
    let cursor: Awaited<ReturnType<ReturnType<typeof api>["chat"]["list"]>>["nextCursor"] = null;
    do {
      const page = await api(admin).chat.list({ limit: 2, cursor });
      names.push(...page.items.map((c) => c.displayName));
      cursor = page.nextCursor;
    } while (cursor);
    // (The sends above made "Launch crew" the newest.)
    expect(names.slice(0, 3)).toEqual(["Launch crew", "Board member", "Ana Lima"]);
    expect(names.slice(3).sort()).toEqual(["Empty one", "Empty two"]);
    expect(names).toHaveLength(5);
  });
});
