// Each fault mode of POST /_sim/faults does what it says; stats, reset and live mode too.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import type { UnipileError } from "../src/server/unipile/errors.ts";
import { MESSAGING_EVENTS } from "../src/server/unipile/schemas.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl, startWebhookReceiver, type WebhookReceiver } from "./testing.ts";

let sim: Simulator;
let client: UnipileClient;
let rx: WebhookReceiver;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 21, webhookRetryDelaysMs: [20] });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0, timeoutMs: 2000 });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});
beforeEach(() => {
  rx.received.length = 0;
});
afterEach(() => sim.reset({ clearWebhooks: true }));

const faults = (f: object) => simControl(sim.url, "faults", f);
const fail = (p: Promise<unknown>) => p.then(() => expect.fail("should have failed"), (e) => e as UnipileError);
const registerHook = () =>
  client.createWebhook({ request_url: rx.url, source: "messaging", name: "t", events: [...MESSAGING_EVENTS], headers: [{ key: "X-Webhook-Secret", value: "0123456789abcdef" }] });
const aChat = () => [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP" && c.type === 0)!;

describe("API faults", () => {
  it("latencyMs holds every answer: a client that waits less gives up, one that waits longer gets it", async () => {
    const impatient = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0, timeoutMs: 1000 });
    expect((await impatient.listAccounts()).items).toHaveLength(5);
    await faults({ latencyMs: 10_000 });
    expect(await fail(impatient.listAccounts())).toMatchObject({ status: 0, slug: "client/timeout" });
    await faults({ latencyMs: 50 });
    expect((await client.listAccounts()).items).toHaveLength(5);
  });

  it("errorRate 1 answers every request with errorStatus and a Unipile body", async () => {
    for (const [status, slug] of [[429, "errors/too_many_requests"], [500, "errors/unexpected_error"], [503, "errors/service_unavailable"]] as const) {
      await faults({ errorRate: 1, errorStatus: status });
      expect(await fail(client.listChats())).toMatchObject({ status, slug, retryable: true });
    }
  });

  it("failNext fails exactly N requests, then a retrying client gets through", async () => {
    await faults({ failNext: 2, errorStatus: 429, retryAfterSec: 0 });
    await simControl(sim.url, "stats/reset", {});
    const retrying = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 3, retryBaseMs: 1 });
    expect((await retrying.listAccounts()).items).toHaveLength(5);
    const stats = await simControl<{ requests: Record<string, number> }>(sim.url, "stats");
    expect(stats.requests["GET /api/v1/accounts"]).toBe(3);
    await faults({ failNext: 1, errorStatus: 429, retryAfterSec: 7 });
    expect(await fail(client.listAccounts())).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect((await client.listAccounts()).items).toHaveLength(5);
  });

  it("hangRate 1 never answers, so the client's timeout fires", async () => {
    await faults({ hangRate: 1 });
    const impatient = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0, timeoutMs: 200 });
    expect(await fail(impatient.listChats())).toMatchObject({ status: 0, slug: "client/timeout" });
  });

  it("sendFailStatus fails sends (and only sends) without an echo", async () => {
    await registerHook();
    await faults({ sendFailStatus: 422 });
    const chat = aChat();
    expect(await fail(client.sendMessage(chat.id, { text: "x" }))).toMatchObject({ status: 422, slug: "errors/cannot_send_message" });
    expect(await fail(client.startChat({ account_id: chat.account_id, attendees_ids: ["1@s.whatsapp.net"], text: "x" }))).toMatchObject({ status: 422 });
    expect((await client.listChatMessages(chat.id)).items.length).toBeGreaterThan(0);
    // The next send that works echoes; had the failed ones echoed, theirs would have come first.
    await faults({});
    const ok = await client.sendMessage(chat.id, { text: "this one goes" });
    await rx.waitFor(1);
    await sim.webhooks.idle();
    expect(rx.received.map((r) => (r.json as { message_id: string }).message_id)).toEqual([ok.message_id]);
  });

  it("nullMessageIds answers message_id null; the echo still carries the id", async () => {
    await registerHook();
    await faults({ nullMessageIds: true });
    const sent = await client.sendMessage(aChat().id, { text: "who am I" });
    expect(sent.message_id).toBeNull();
    await rx.waitFor(1);
    const echo = rx.received[0]!.json as { message_id: string; is_sender: boolean };
    expect(echo.is_sender).toBe(true);
    expect((await client.getMessage(echo.message_id)).text).toBe("who am I");
  });

  it("failingChatIds: message listing of those chats always fails, others work", async () => {
    const [bad, good] = [...sim.store.chats.values()];
    await faults({ failingChatIds: [bad!.id] });
    expect(await fail(client.listChatMessages(bad!.id))).toMatchObject({ status: 500 });
    expect(await fail(client.listChatMessages(bad!.id))).toMatchObject({ status: 500 });
    expect((await client.listChatMessages(good!.id)).items.length).toBeGreaterThan(0);
    expect((await client.getChat(bad!.id)).id).toBe(bad!.id);
  });

  it("rejects unknown fault names", async () => {
    await expect(faults({ explode: true })).rejects.toThrow(/unknown fault/);
  });
});

describe("webhook faults", () => {
  it("webhookDuplicates delivers every webhook N times", async () => {
    await registerHook();
    await faults({ webhookDuplicates: 3 });
    await simControl(sim.url, "inbound", { text: "dup" });
    await rx.waitFor(3);
    await sim.webhooks.idle();
    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((r) => r.raw)).size).toBe(1);
  });

  it("webhookDropRate 1 drops them all", async () => {
    await registerHook();
    await faults({ webhookDropRate: 1 });
    await simControl(sim.url, "inbound", { text: "lost" });
    await sim.webhooks.idle();
    expect(rx.received).toHaveLength(0);
    expect(sim.webhooks.stats.dropped).toBe(1);
  });

  it("webhookShuffle delivers a burst in another order", async () => {
    await registerHook();
    await faults({ webhookShuffle: true });
    const chat = aChat();
    const texts = Array.from({ length: 12 }, (_, i) => `m${i}`);
    // Concurrent, so all twelve land in one shuffle window.
    const sent = await Promise.all(texts.map((text) => simControl(sim.url, "inbound", { chat_id: chat.id, text })));
    expect(sent).toHaveLength(12);
    await rx.waitFor(12);
    const order = rx.received.map((r) => (r.json as { message: string }).message);
    expect([...order].sort()).toEqual([...texts].sort());
    const emitted = sim.store.messagesOf(chat).slice(-12).map((m) => m.text);
    expect(order).not.toEqual(emitted);
  });
});

describe("control", () => {
  it("stats count requests by route pattern, so tests can assert what was not called", async () => {
    await simControl(sim.url, "stats/reset", {});
    const chat = aChat();
    await client.listChats();
    await client.getChat(chat.id);
    await client.getChat(chat.id);
    await fail(createUnipileClient({ dsn: sim.url, apiKey: "bad", maxRetries: 0 }).listAccounts());
    const { requests } = await simControl<{ requests: Record<string, number> }>(sim.url, "stats");
    expect(requests).toEqual({ "GET /api/v1/chats": 1, "GET /api/v1/chats/:id": 2, "GET /api/v1/accounts": 1 });
    expect(requests["GET /api/v1/chats/:id/messages"]).toBeUndefined();
  });

  it("reset restores the seeded data and turns faults off", async () => {
    const before = await simControl<{ chats: number; messages: number }>(sim.url, "state");
    await simControl(sim.url, "inbound", { text: "new chat" });
    await faults({ errorRate: 1 });
    await simControl(sim.url, "reset", {});
    const after = await simControl<{ chats: number; messages: number; faults: { errorRate: number } }>(sim.url, "state");
    expect(after).toMatchObject({ chats: before.chats, messages: before.messages, faults: { errorRate: 0 } });
    expect((await client.listAccounts()).items).toHaveLength(5);
  });

  it("live mode sends inbound messages every interval until turned off", async () => {
    // Only the interval timer is faked: each tick runs when the test moves the clock, nothing else waits.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      await registerHook();
      const count = () => sim.store.countMessages();
      await simControl(sim.url, "live", { enabled: true, intervalMs: 200 });
      const start = count();
      vi.advanceTimersByTime(199);
      expect(count()).toBe(start);
      vi.advanceTimersByTime(1);
      vi.advanceTimersByTime(200);
      expect(count()).toBe(start + 2);
      await rx.waitFor(2);
      expect(rx.received[0]!.json as { event: string; is_sender: boolean }).toMatchObject({ event: "message_received", is_sender: false });
      await simControl(sim.url, "live", { enabled: false });
      vi.advanceTimersByTime(10_000);
      expect(count()).toBe(start + 2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("unknown control routes and bad ids answer with an error", async () => {
    await expect(simControl(sim.url, "nope", {})).rejects.toThrow(/404/);
    await expect(simControl(sim.url, "edit", { message_id: "missing", text: "x" })).rejects.toThrow(/404/);
    await expect(simControl(sim.url, "account-status", { account_id: sim.store.accounts[0]!.id, status: "MAYBE" })).rejects.toThrow(/400/);
  });
});
