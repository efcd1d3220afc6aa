// Webhooks as Unipile sends them, received by a real local HTTP endpoint and parsed with the app's
// own parser: custom headers, echo of own sends, every messaging event, account status, retries.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "../src/server/unipile/schemas.ts";
import { parseWebhookPayload } from "../src/server/unipile/webhook-schemas.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl, startWebhookReceiver, type WebhookReceiver } from "./testing.ts";
import { isSparse } from "./webhooks.ts";

const SECRET = "s3cret-value-0123456789";
let sim: Simulator;
let client: UnipileClient;
let rx: WebhookReceiver;
let status: (n: number) => number = () => 200;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, webhookRetryDelaysMs: [20, 40, 60] });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey });
  rx = await startWebhookReceiver((n) => status(n));
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});
beforeEach(() => {
  status = () => 200;
  rx.received.length = 0;
});
afterEach(() => sim.reset({ clearWebhooks: true }));

async function register(extra: Partial<Parameters<UnipileClient["createWebhook"]>[0]> = {}) {
  return client.createWebhook({
    request_url: rx.url,
    source: "messaging",
    name: "parley",
    format: "json",
    events: [...MESSAGING_EVENTS],
    headers: [
      { key: "Content-Type", value: "application/json" },
      { key: "X-Webhook-Secret", value: SECRET },
    ],
    ...extra,
  });
}
const parsed = (i: number) => parseWebhookPayload(rx.received[i]!.json);

describe("delivery", () => {
  it("an inbound message in a new chat arrives with the custom headers and a fetchable chat", async () => {
    await register();
    const { chat_id, message_id } = await simControl<{ chat_id: string; message_id: string }>(sim.url, "inbound", { text: "Hello from a stranger 👋", sender_name: "Rita Ora" });
    await rx.waitFor(1);
    const hit = rx.received[0]!;
    expect(hit.headers["x-webhook-secret"]).toBe(SECRET);
    expect(hit.headers["content-type"]).toBe("application/json");
    const p = parsed(0);
    expect(p).toMatchObject({ kind: "message", event: "message_received", chat_id, message_id, message: "Hello from a stranger 👋", is_sender: false, webhook_name: "parley" });
    if (p.kind !== "message") return;
    expect(p.sender?.attendee_name).toBe("Rita Ora");
    const chat = await client.getChat(chat_id);
    expect(chat.lastMessage?.id).toBe(message_id);
    expect((await client.listChatAttendees(chat_id)).items.map((a) => a.name)).toContain("Rita Ora");
  });

  it("without a registered Content-Type, JSON arrives labelled as form data, from axios (API-created hooks)", async () => {
    await register({ headers: [{ key: "X-Webhook-Secret", value: SECRET }] });
    await simControl(sim.url, "inbound", { text: "x" });
    await rx.waitFor(1);
    expect(rx.received[0]!.headers).toMatchObject({ "content-type": "application/x-www-form-urlencoded", "user-agent": "axios/1.7.7" });
    expect(JSON.parse(rx.received[0]!.raw)).toMatchObject({ event: "message_received" });
  });

  it("the webhookMislabel fault labels JSON as form data even when a Content-Type was registered", async () => {
    await register();
    await simControl(sim.url, "faults", { webhookMislabel: true });
    await simControl(sim.url, "inbound", { text: "mislabelled" });
    await simControl(sim.url, "faults", {});
    await simControl(sim.url, "inbound", { text: "labelled" });
    await rx.waitFor(2);
    const byText = Object.fromEntries(rx.received.map((r) => [(JSON.parse(r.raw) as { message: string }).message, r.headers["content-type"]]));
    expect(byText).toEqual({ mislabelled: "application/x-www-form-urlencoded", labelled: "application/json" });
  });

  it("own sends echo back as message_received with is_sender true and the same id", async () => {
    await register();
    const chat = [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP")!;
    const sent = await client.sendMessage(chat.id, { text: "echo me", attachments: [{ name: "a.txt", data: Buffer.from("abc") }] });
    await rx.waitFor(1);
    expect(parsed(0)).toMatchObject({ event: "message_received", is_sender: true, message_id: sent.message_id, chat_id: chat.id, message: "echo me" });
    expect(parsed(0)).toMatchObject({ attachments: [{ type: "file", file_name: "a.txt", file_size: 3 }] });
    const started = await client.startChat({ account_id: chat.account_id, attendees_ids: ["4915112345678@s.whatsapp.net"], text: "new chat" });
    await rx.waitFor(2);
    expect(parsed(1)).toMatchObject({ event: "message_received", is_sender: true, chat_id: started.chat_id, message_id: started.message_id });
  });

  it("reaction, edit, delete, delivery and read receipts: events and REST agree", async () => {
    await register();
    const chat = [...sim.store.chats.values()].find((c) => c.account_type === "TELEGRAM" && c.type === 0)!;
    const sent = await client.sendMessage(chat.id, { text: "first version" });
    const id = sent.message_id!;
    await rx.waitFor(1);
    // One at a time: Unipile promises no ordering, and neither does the simulator.
    const steps: [string, object][] = [
      ["reaction", { message_id: id, value: "🎉" }],
      ["edit", { message_id: id, text: "second version" }],
      ["delivered", { message_id: id }],
      ["read", { chat_id: chat.id }],
    ];
    for (const [i, [path, body]] of steps.entries()) {
      await simControl(sim.url, path, body);
      await rx.waitFor(i + 2);
    }
    const events = rx.received.map((_, i) => parsed(i));
    expect(events.map((e) => (e.kind === "message" ? e.event : e.kind))).toEqual(["message_received", "message_reaction", "message_edited", "message_delivered", "message_read"]);
    const other = sim.store.others(chat)[0]!;
    expect(events[1]).toMatchObject({ reaction: "🎉", reaction_sender: { attendee_provider_id: other.provider_id } });
    expect(events[2]).toMatchObject({ message: "second version" });
    expect(events[4]).toMatchObject({ message_id: id, read_by: [{ attendee_id: other.id }] });
    const m = await client.getMessage(id);
    expect(m).toMatchObject({ text: "second version", edited: true, delivered: true, seen: true });
    expect(m.reactions).toEqual([{ value: "🎉", sender_id: other.provider_id, is_sender: false }]);
    expect(m.seen_by[other.provider_id]).toMatch(/^\d{4}-/);

    await simControl(sim.url, "delete", { message_id: id });
    await rx.waitFor(6);
    expect(parsed(5)).toMatchObject({ event: "message_deleted", message_id: id, message: null });
    expect(await client.getMessage(id)).toMatchObject({ deleted: true, text: null });
  });

  it("only the registered events are sent; without events only message_received", async () => {
    await register({ events: undefined });
    const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", { text: "a" });
    await simControl(sim.url, "reaction", { message_id, value: "👍", from: "me" });
    await simControl(sim.url, "inbound", { text: "b" });
    await rx.waitFor(2);
    await sim.webhooks.idle();
    expect(rx.received.map((_, i) => (parsed(i) as { event: string }).event)).toEqual(["message_received", "message_received"]);
  });

  it("account status hooks get {AccountStatus}; messages are held while disconnected and delivered on reconnect", async () => {
    await register();
    await register({ source: "account_status", events: undefined });
    const acc = sim.store.accounts.find((a) => a.type === "INSTAGRAM")!;
    await simControl(sim.url, "account-status", { account_id: acc.id, status: "CREDENTIALS" });
    await rx.waitFor(1);
    expect(rx.received[0]!.json).toEqual({ AccountStatus: { account_id: acc.id, account_type: "INSTAGRAM", message: "CREDENTIALS" } });
    expect(rx.received[0]!.headers["x-webhook-secret"]).toBe(SECRET);
    // Same status again: no transition, no webhook.
    await simControl(sim.url, "account-status", { account_id: acc.id, status: "CREDENTIALS" });
    const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", { account_id: acc.id, text: "while you were away" });
    await sim.webhooks.idle();
    expect(rx.received).toHaveLength(1);
    expect((await client.getAccount(acc.id)).sources[0]!.status).toBe("CREDENTIALS");

    await simControl(sim.url, "account-status", { account_id: acc.id, status: "OK", message: "RECONNECTED" });
    await rx.waitFor(3);
    expect(parseWebhookPayload(rx.received[1]!.json)).toMatchObject({ kind: "account_status", message: "RECONNECTED" });
    expect(parsed(2)).toMatchObject({ event: "message_received", message_id });
  });

  it("an account-status hook without events gets Unipile's default: no ok, connecting or stopped", async () => {
    const acc = sim.store.accounts.find((a) => a.type === "TELEGRAM")!;
    const transitions = ["STOPPED", "OK", "CONNECTING", "OK", "CREDENTIALS"];
    const heard = async (events: string[] | undefined) => {
      rx.received.length = 0;
      const hook = await register({ source: "account_status", events });
      for (const status of transitions) await simControl(sim.url, "account-status", { account_id: acc.id, status });
      // CREDENTIALS is in every list: once it is in, everything before it has been decided.
      await rx.waitFor(events ? transitions.length : 1);
      await sim.webhooks.idle();
      await client.deleteWebhook(hook.webhook_id);
      await simControl(sim.url, "account-status", { account_id: acc.id, status: "OK" });
      return rx.received.map((r) => (r.json as { AccountStatus: { message: string } }).AccountStatus.message);
    };
    expect(await heard(undefined)).toEqual(["CREDENTIALS"]);
    const all = ["creation_success", "creation_fail", "deleted", "reconnected", "sync_success", "stopped", "ok", "connecting", "error", "credentials", "permissions"];
    expect(await heard(all)).toEqual(transitions);
  });

  it("a deterministic share of payloads leaves optional keys out as live captures do, and the app's parser takes them all", async () => {
    await register();
    const chat = [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP" && c.type === 0)!;
    for (let i = 0; i < 24; i++) await simControl(sim.url, "inbound", { chat_id: chat.id, text: `m${i}` });
    await rx.waitFor(24);
    const bodies = rx.received.map((r) => r.json as Record<string, unknown>);
    const sparse = bodies.filter((b) => b.message_type === null);
    expect(sparse.length).toBeGreaterThanOrEqual(4);
    expect(sparse.length).toBeLessThanOrEqual(16);
    for (const b of sparse) {
      expect(b.account_info).toEqual({ type: "WHATSAPP", phone_number: "33698120455" });
      expect(b).not.toHaveProperty("event_type");
      expect(b).not.toHaveProperty("reply_to");
      expect(b.timestamp).toMatch(/:\d{2}\.000Z$/);
    }
    for (const b of bodies.filter((x) => x.message_type !== null)) expect(b).toMatchObject({ message_type: "MESSAGE", event_type: null, reply_to: null });
    // The same messages always come in the same form.
    expect(sparse.map((b) => b.message_id).every((id) => isSparse("message_received", String(id)))).toBe(true);
    for (const b of bodies) expect(parseWebhookPayload(b)).toMatchObject({ kind: "message", message_id: b.message_id });
  });

  it("account_ids limits a hook to those accounts", async () => {
    const li = sim.store.accounts.find((a) => a.type === "LINKEDIN")!;
    const wa = sim.store.accounts.find((a) => a.type === "WHATSAPP")!;
    await register({ account_ids: [li.id] });
    await simControl(sim.url, "inbound", { account_id: wa.id, text: "not for you" });
    await simControl(sim.url, "inbound", { account_id: li.id, text: "for you" });
    await rx.waitFor(1);
    await sim.webhooks.idle();
    expect(rx.received).toHaveLength(1);
    expect(parsed(0)).toMatchObject({ account_id: li.id, account_info: { type: "LINKEDIN" } });
  });

  it("form format sends url-encoded fields with nested values as JSON", async () => {
    await register({ format: "form", headers: [] });
    await simControl(sim.url, "inbound", { text: "form body" });
    await rx.waitFor(1);
    expect(rx.received[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const fields = Object.fromEntries(new URLSearchParams(rx.received[0]!.raw));
    expect(fields.message).toBe("form body");
    expect(JSON.parse(fields.sender!)).toHaveProperty("attendee_id");
  });
});

describe("retries", () => {
  it("anything but 200 is retried until a 200", async () => {
    status = (n) => [500, 202, 204][n] ?? 200;
    await register();
    await simControl(sim.url, "inbound", { text: "retry me" });
    await rx.waitFor(4);
    await sim.webhooks.idle();
    expect(rx.received.map((r) => r.status)).toEqual([500, 202, 204, 200]);
    expect(new Set(rx.received.map((r) => r.raw)).size).toBe(1);
    expect(rx.received.every((r) => r.headers["x-webhook-secret"] === SECRET)).toBe(true);
    expect(sim.webhooks.stats).toMatchObject({ delivered: 1, failedAttempts: 3, gaveUp: 0 });
  });

  it("gives up after the configured retries", async () => {
    status = () => 503;
    await register();
    await simControl(sim.url, "inbound", { text: "never lands" });
    await rx.waitFor(4);
    await sim.webhooks.idle();
    expect(rx.received).toHaveLength(4);
    const stats = await simControl<{ webhooks: Record<string, number> }>(sim.url, "stats");
    expect(stats.webhooks).toMatchObject({ attempts: 4, delivered: 0, gaveUp: 1, pending: 0 });
  });
});
