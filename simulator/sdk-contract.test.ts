// Contract: the official SDK, with its strict response validation on, against the simulator.
// Every response of every route the SDK covers must pass the SDK's own TypeBox schemas.
import { InvalidResponseTypeError, UnipileClient, UnsuccessfulRequestError } from "unipile-node-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./server.ts";

let sim: Simulator;
let sdk: UnipileClient;

beforeAll(async () => {
  // Demo data plus generated chats, so both kinds of content are checked.
  sim = await startSimulator({ port: 0, seed: 7, chats: 12, messages: 30 });
  sdk = new UnipileClient(sim.url, sim.apiKey, { validateRequestPayload: true, validateRequestPayloadLevel: "error" });
});
afterAll(() => sim.close());

type Page<T> = { items: T[]; cursor: string | null };
async function all<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return out;
}

describe("SDK contract", () => {
  it("accounts: list (paged) and each one", async () => {
    const accounts = await all((cursor) => sdk.account.getAll({ limit: 2, cursor }));
    expect(accounts.map((a) => a.type)).toEqual(["LINKEDIN", "WHATSAPP", "INSTAGRAM", "TELEGRAM", "MESSENGER"]);
    for (const a of accounts) expect((await sdk.account.getOne(a.id)).id).toBe(a.id);
    expect(accounts.some((a) => a.sources.some((s) => s.status !== "OK"))).toBe(true);
  });

  it("chats, messages, attendees and attachments of every chat", async () => {
    const chats = await all((cursor) => sdk.messaging.getAllChats({ limit: 7, cursor }));
    expect(chats.length).toBe(sim.store.chats.size);
    let messages = 0;
    let attachments = 0;
    for (const c of chats) {
      const chat = await sdk.messaging.getChat(c.id);
      expect(chat.id).toBe(c.id);
      const msgs = await all((cursor) => sdk.messaging.getAllMessagesFromChat({ chat_id: c.id, limit: 250, cursor }));
      messages += msgs.length;
      const attendees = await sdk.messaging.getAllAttendeesFromChat(c.id);
      expect(attendees.items.some((a) => a.is_self === 1)).toBe(true);
      for (const m of msgs)
        for (const att of m.attachments) {
          const blob = (await sdk.messaging.getMessageAttachment({ message_id: m.id, attachment_id: att.id })) as Blob;
          expect(blob.size).toBe(att.file_size);
          expect(blob.type).toBe(att.mimetype);
          attachments++;
        }
    }
    expect(messages).toBe(sim.store.countMessages());
    expect(messages).toBeGreaterThan(300 + 12 * 30);
    expect(attachments).toBeGreaterThan(3);
  });

  it("messages by id and across chats", async () => {
    const acc = sim.store.accounts[1]!;
    const msgs = await all((cursor) => sdk.messaging.getAllMessages({ account_id: acc.id, limit: 100, cursor }));
    expect(msgs.length).toBeGreaterThan(300);
    for (const m of msgs.slice(0, 20)) expect((await sdk.messaging.getMessage(m.id)).id).toBe(m.id);
  });

  it("chat list filters", async () => {
    const acc = sim.store.accounts[0]!;
    const byAccount = await sdk.messaging.getAllChats({ account_id: acc.id, limit: 250 });
    expect(byAccount.items.length).toBeGreaterThan(0);
    expect(byAccount.items.every((c) => c.account_id === acc.id)).toBe(true);
    const unread = await sdk.messaging.getAllChats({ unread: true, limit: 250 });
    expect(unread.items.every((c) => c.unread_count > 0)).toBe(true);
    const ig = await sdk.messaging.getAllChats({ account_type: "INSTAGRAM", limit: 250 });
    expect(ig.items.every((c) => c.account_type === "INSTAGRAM")).toBe(true);
    const after = byAccount.items[1]!.timestamp!;
    const newer = await sdk.messaging.getAllChats({ account_id: acc.id, after, limit: 250 });
    expect(newer.items.map((c) => c.id)).toEqual([byAccount.items[0]!.id]);
  });

  it("attendees: all (paged) and one", async () => {
    const acc = sim.store.accounts[0]!;
    const list = await all((cursor) => sdk.messaging.getAllAttendees({ account_id: acc.id, limit: 3, cursor }));
    expect(list.length).toBeGreaterThan(3);
    expect(list.every((a) => a.account_id === acc.id)).toBe(true);
    expect((await sdk.messaging.getAttendee(list[0]!.id)).id).toBe(list[0]!.id);
  });

  it("send with attachment and quote, start chats, mark read", async () => {
    const chat = [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP" && c.type === 0)!;
    const quoted = sim.store.messagesOf(chat).at(-1)!;
    const sent = await sdk.messaging.sendMessage(
      { chat_id: chat.id, text: "With a file 📎", attachments: [["notes.txt", Buffer.from("hello")]] },
      { extra_params: { quote_id: quoted.id, account_id: chat.account_id } },
    );
    expect(sent.object).toBe("MessageSent");
    const m = await sdk.messaging.getMessage(sent.message_id!);
    expect(m).toMatchObject({ text: "With a file 📎", is_sender: 1, quoted: { provider_id: quoted.provider_id } });
    expect(m.attachments[0]).toMatchObject({ type: "file", file_name: "notes.txt", mimetype: "text/plain", file_size: 5 });

    const acc = sim.store.accounts.find((a) => a.type === "LINKEDIN")!;
    const started = await sdk.messaging.startNewChat({ account_id: acc.id, attendees_ids: ["ACoAAnewperson0001"], text: "Hello there" });
    expect(started.chat_id).toBeTruthy();
    expect((await sdk.messaging.getChat(started.chat_id!)).type).toBe(0);
    const group = await sdk.messaging.startNewChat({ account_id: acc.id, attendees_ids: ["ACoAAp1", "ACoAAp2"], text: "Hi both" });
    expect((await sdk.messaging.getChat(group.chat_id!)).type).toBe(1);

    expect(await sdk.messaging.setChatStatus({ chat_id: chat.id, action: "setReadStatus", value: true })).toEqual({ object: "ChatPatched" });
    expect((await sdk.messaging.getChat(chat.id)).unread_count).toBe(0);
  });

  it("webhooks: create, list, delete (with the events the SDK knows)", async () => {
    const created = await sdk.webhook.create({
      request_url: "http://127.0.0.1:9/hook",
      source: "messaging",
      name: "contract",
      format: "json",
      events: ["message_received", "message_read", "message_reaction"],
      headers: [{ key: "X-Webhook-Secret", value: "s3cret-s3cret-s3cret" }],
    });
    const list = await sdk.webhook.getAll();
    expect(list.items.map((h) => h.id)).toContain(created.webhook_id);
    await sdk.webhook.delete(created.webhook_id);
    expect((await sdk.webhook.getAll()).items).toHaveLength(0);
  });

  it("validation is really on: a response off the SDK's schema throws", async () => {
    const chat = [...sim.store.chats.values()].at(-1)!;
    const saved = chat.read_only;
    (chat as { read_only: number }).read_only = 7;
    try {
      await expect(sdk.messaging.getChat(chat.id)).rejects.toBeInstanceOf(InvalidResponseTypeError);
    } finally {
      chat.read_only = saved;
    }
  });

  it("errors come back as Unipile error bodies", async () => {
    const bad = new UnipileClient(sim.url, "wrong", { validateRequestPayload: true, validateRequestPayloadLevel: "error" });
    const e401 = await bad.account.getAll().catch((e) => e);
    expect(e401).toBeInstanceOf(UnsuccessfulRequestError);
    expect(e401.body).toEqual({ status: 401, type: "errors/missing_credentials", title: "Missing credentials" });
    const e404 = await sdk.messaging.getChat("nope").catch((e) => e);
    expect(e404.body).toMatchObject({ status: 404, type: "errors/resource_not_found" });
  });
});
