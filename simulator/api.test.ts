// The app's own client against the simulator: cursors, before/after, limits, errors, downloads,
// and the routes the SDK contract does not cover.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import type { UnipileError } from "../src/server/unipile/errors.ts";
import { ASSETS } from "./data.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl } from "./testing.ts";

let sim: Simulator;
let client: UnipileClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3 });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const longChat = () => [...sim.store.chats.values()].find((c) => sim.store.messagesOf(c).length >= 300)!;
const unipileError = (p: Promise<unknown>) => p.then(() => expect.fail("should have failed"), (e) => e as UnipileError);

describe("lists", () => {
  it("walks a 320-message thread newest first with opaque cursors, no gaps or repeats", async () => {
    const chat = longChat();
    const ids: string[] = [];
    const times: string[] = [];
    let pages = 0;
    for await (const page of client.iterateChatMessages(chat.id, { limit: 50 })) {
      pages++;
      ids.push(...page.items.map((m) => m.id));
      times.push(...page.items.map((m) => m.timestamp));
      if (page.cursor) expect(Buffer.from(page.cursor, "base64").toString("base64")).toBe(page.cursor);
    }
    expect(pages).toBe(7);
    expect(ids).toHaveLength(320);
    expect(new Set(ids).size).toBe(320);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("a walk is not shifted by messages arriving meanwhile", async () => {
    const chat = longChat();
    const ids: string[] = [];
    for await (const page of client.iterateChatMessages(chat.id, { limit: 100 })) {
      ids.push(...page.items.map((m) => m.id));
      await simControl(sim.url, "inbound", { chat_id: chat.id, text: "meanwhile" });
    }
    expect(ids).toHaveLength(320);
    expect(new Set(ids).size).toBe(320);
  });

  it("before and after are exclusive", async () => {
    const chat = longChat();
    const all = (await client.listChatMessages(chat.id, { limit: 250 })).items;
    const pivot = all[10]!;
    const newer = await client.listChatMessages(chat.id, { after: pivot.timestamp, limit: 250 });
    expect(newer.items.map((m) => m.id)).toEqual(all.slice(0, 10).map((m) => m.id));
    const older = await client.listChatMessages(chat.id, { before: pivot.timestamp, limit: 5 });
    expect(older.items.map((m) => m.id)).toEqual(all.slice(11, 16).map((m) => m.id));
    const between = await client.listChatMessages(chat.id, { after: all[20]!.timestamp, before: pivot.timestamp });
    expect(between.items).toHaveLength(9);
  });

  it("chats: newest first, after= finds only chats with newer activity", async () => {
    const chats = (await client.listChats({ limit: 250 })).items;
    expect(chats.length).toBe(sim.store.chats.size);
    const ts = chats.map((c) => c.timestamp ?? "");
    expect([...ts].sort().reverse()).toEqual(ts);
    const third = chats[2]!;
    const { chat_id } = await simControl<{ chat_id: string }>(sim.url, "inbound", { chat_id: chats[5]!.id, text: "new!" });
    const newer = await client.listChats({ after: third.timestamp! });
    expect(newer.items.map((c) => c.id)).toEqual([chat_id, chats[0]!.id, chats[1]!.id]);
    let n = 0;
    for await (const page of client.iterateChats({ limit: 4 })) n += page.items.length;
    expect(n).toBe(chats.length);
  });

  it("rejects limits outside 1–250 and malformed times with 400 invalid_parameters", async () => {
    const chat = longChat();
    for (const limit of [0, 251, 1.5]) {
      const e = await unipileError(client.listChatMessages(chat.id, { limit }));
      expect(e).toMatchObject({ status: 400, slug: "errors/invalid_parameters" });
    }
    expect((await client.listChatMessages(chat.id, { limit: 250 })).items).toHaveLength(250);
    const e = await unipileError(client.listChats({ after: "2025-01-01T00:00:00Z" }));
    expect(e).toMatchObject({ status: 400, slug: "errors/invalid_parameters" });
    expect(e.detail).toMatch(/milliseconds/);
    expect(await unipileError(client.listChats({ cursor: "not-a-cursor" }))).toMatchObject({ status: 400 });
  });

  it("sender_id filter, attendees without a cursor, attendee lists paged", async () => {
    const chat = longChat();
    const self = sim.store.selfOf(sim.store.account(chat.account_id)!);
    const mine = await client.listChatMessages(chat.id, { sender_id: self.provider_id, limit: 250 });
    expect(mine.items.length).toBeGreaterThan(50);
    expect(mine.items.every((m) => m.is_sender)).toBe(true);
    const attendees = await client.listChatAttendees(chat.id);
    expect(attendees.cursor).toBeNull();
    expect(attendees.items.map((a) => a.is_self).sort()).toEqual([false, true]);
    let n = 0;
    for await (const page of client.iterateAttendees({ account_id: chat.account_id, limit: 2 })) n += page.items.length;
    expect(n).toBe([...sim.store.attendees.values()].filter((a) => a.account_id === chat.account_id).length);
  });
});

describe("resources and errors", () => {
  it("401 with Unipile's body on a wrong key", async () => {
    const bad = createUnipileClient({ dsn: sim.url, apiKey: "nope", maxRetries: 0 });
    const e = await unipileError(bad.listAccounts());
    expect(e).toMatchObject({ status: 401, slug: "errors/missing_credentials", title: "Missing credentials", isAuthError: true });
  });

  it("404 resource_not_found for unknown ids", async () => {
    for (const p of [client.getChat("nope"), client.getMessage("nope"), client.getAttendee("nope"), client.getAccount("nope"), client.downloadAttachment("nope", "x")])
      expect(await unipileError(p)).toMatchObject({ status: 404, slug: "errors/resource_not_found" });
  });

  it("accounts: five providers, one needing reconnection", async () => {
    const accounts = (await client.listAccounts()).items;
    expect(accounts.map((a) => a.type).sort()).toEqual(["INSTAGRAM", "LINKEDIN", "MESSENGER", "TELEGRAM", "WHATSAPP"]);
    expect(accounts.filter((a) => a.sources[0]!.status !== "OK").map((a) => a.type)).toEqual(["MESSENGER"]);
  });

  it("a chat by provider id needs account_id; lastMessage is the newest", async () => {
    const chat = longChat();
    const got = await client.getChat(chat.provider_id, { account_id: chat.account_id });
    expect(got.id).toBe(chat.id);
    expect(got.lastMessage?.id).toBe(sim.store.messagesOf(chat).at(-1)!.id);
  });

  it("mark read / unread", async () => {
    const unread = (await client.listChats({ unread: true })).items[0]!;
    await client.setChatReadStatus(unread.id, true);
    expect((await client.getChat(unread.id)).unread_count).toBe(0);
    await client.setChatReadStatus(unread.id, false);
    expect((await client.getChat(unread.id)).unread_count).toBeGreaterThan(0);
  });

  it("serves real attachment bytes: a PNG and a PDF", async () => {
    const msgs = [...sim.store.chats.values()].flatMap((c) => sim.store.messagesOf(c));
    const png = msgs.find((m) => m.attachments[0]?.mimetype === "image/png")!;
    const pdf = msgs.find((m) => m.attachments[0]?.mimetype === "application/pdf")!;
    const img = await client.downloadAttachment(png.id, png.attachments[0]!.id);
    const bytes = new Uint8Array(await new Response(img.body).arrayBuffer());
    expect(img.contentType).toBe("image/png");
    expect(bytes.length).toBe(png.attachments[0]!.file_size);
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const doc = await client.downloadAttachment(pdf.id, pdf.attachments[0]!.id);
    const text = await new Response(doc.body).text();
    expect(text.startsWith("%PDF-1.4")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  });

  it("sends with a PNG and a quote; start chat reuses an existing 1:1", async () => {
    const chat = longChat();
    const quoted = sim.store.messagesOf(chat).at(-3)!;
    const sent = await client.sendMessage(chat.id, { text: "look", quote_id: quoted.id, account_id: chat.account_id, attachments: [{ name: "x.png", data: ASSETS.photo.bytes }] });
    const m = await client.getMessage(sent.message_id!);
    expect(m).toMatchObject({ is_sender: true, text: "look", reply_to: { id: quoted.id } });
    expect(m.attachments[0]).toMatchObject({ type: "img", mimetype: "image/png", size: { width: 64, height: 48 } });
    const again = await client.startChat({ account_id: chat.account_id, attendees_ids: [chat.attendee_provider_id!], text: "hi again" });
    expect(again.chat_id).toBe(chat.id);
  });

  it("refuses sends on a disconnected account and on a mismatched account", async () => {
    const ms = sim.store.accounts.find((a) => a.status !== "OK")!;
    const chat = [...sim.store.chats.values()].find((c) => c.account_id === ms.id)!;
    expect(await unipileError(client.sendMessage(chat.id, { text: "x" }))).toMatchObject({ status: 401, slug: "errors/disconnected_account" });
    const other = longChat();
    expect(await unipileError(client.sendMessage(other.id, { text: "x", account_id: ms.id }))).toMatchObject({ status: 403 });
    expect(await unipileError(client.sendMessage(other.id, { text: "" }))).toMatchObject({ status: 400, slug: "errors/missing_parameters" });
  });

  it("webhooks through the client: create with all six events, list, delete", async () => {
    const created = await client.createWebhook({
      request_url: "http://127.0.0.1:9/x",
      source: "messaging",
      name: "parley",
      format: "json",
      events: ["message_received", "message_read", "message_reaction", "message_edited", "message_deleted", "message_delivered"],
      headers: [{ key: "Content-Type", value: "application/json" }],
    });
    const list = await client.listWebhooks();
    expect(list.items).toEqual([expect.objectContaining({ id: created.webhook_id, source: "messaging", name: "parley", request_url: "http://127.0.0.1:9/x" })]);
    await client.deleteWebhook(created.webhook_id);
    expect((await client.listWebhooks()).items).toEqual([]);
    expect(await unipileError(client.deleteWebhook(created.webhook_id))).toMatchObject({ status: 404 });
    await sim.reset({ clearWebhooks: true });
  });
});

describe("data", () => {
  it("is deterministic for a seed and differs across seeds", async () => {
    const opts = { port: 0, baseTime: Date.parse("2025-11-18T10:00:00.000Z") };
    const [a, b, c] = await Promise.all([startSimulator({ ...opts, seed: 5 }), startSimulator({ ...opts, seed: 5 }), startSimulator({ ...opts, seed: 6 })]);
    try {
      const dump = async (s: Simulator) => {
        const cl = createUnipileClient({ dsn: s.url, apiKey: s.apiKey });
        const chats = (await cl.listChats({ limit: 250 })).items;
        const first = (await cl.listChatMessages(chats[0]!.id)).items;
        return JSON.stringify([chats, first]);
      };
      expect(await dump(a)).toBe(await dump(b));
      expect(await dump(a)).not.toBe(await dump(c));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it("demo content covers the cases an inbox must render", () => {
    const msgs = [...sim.store.chats.values()].flatMap((c) => sim.store.messagesOf(c));
    const chats = [...sim.store.chats.values()];
    expect(chats.some((c) => c.type === 1)).toBe(true);
    expect(msgs.some((m) => m.is_event && m.event_type === 8)).toBe(true);
    expect(msgs.some((m) => m.deleted)).toBe(true);
    expect(msgs.some((m) => m.edited)).toBe(true);
    expect(msgs.some((m) => m.quoted)).toBe(true);
    expect(msgs.some((m) => m.reactions.length > 1)).toBe(true);
    expect(msgs.some((m) => m.is_sender && m.seen && Object.keys(m.seen_by).length)).toBe(true);
    expect(msgs.some((m) => /[\u0600-\u06FF]/.test(m.text ?? ""))).toBe(true); // Arabic
    expect(msgs.some((m) => /[\u0590-\u05FF]/.test(m.text ?? ""))).toBe(true); // Hebrew
    expect(msgs.some((m) => (m.text ?? "").length > 1500)).toBe(true);
    expect(msgs.some((m) => /\p{Extended_Pictographic}/u.test(m.text ?? ""))).toBe(true);
    expect(chats.some((c) => c.name === null && c.subject)).toBe(true);
  });

  it("scale: 100k messages, built lazily, readable by id before their chat is listed", async () => {
    const big = await startSimulator({ port: 0, demo: false, chats: 2000, messages: 50, seed: 9 });
    try {
      expect(big.store.countMessages()).toBe(100_000);
      const cl = createUnipileClient({ dsn: big.url, apiKey: big.apiKey });
      const chats = (await cl.listChats({ limit: 250 })).items;
      expect(chats).toHaveLength(250);
      const last = [...big.store.chats.values()].at(-1)!;
      const id = last.id.slice(0, 14) + (7).toString(36).padStart(8, "0");
      expect((await cl.getMessage(id)).chat_id).toBe(last.id);
      const page = await cl.listChatMessages(last.id, { limit: 250 });
      expect(page.items).toHaveLength(50);
      expect(page.items[0]!.timestamp).toBe(last.timestamp);
    } finally {
      await big.close();
    }
  });
});
