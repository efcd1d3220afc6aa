// A chat started with POST /chats behaves like any other: the other party writes, reacts and reads
// in it, and each of those reaches the webhook as the app parses it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import type { UnipileError } from "../src/server/unipile/errors.ts";
import { MESSAGING_EVENTS } from "../src/server/unipile/schemas.ts";
import { parseWebhookPayload } from "../src/server/unipile/webhook-schemas.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl, startWebhookReceiver, type WebhookReceiver } from "./testing.ts";

let sim: Simulator;
let client: UnipileClient;
let rx: WebhookReceiver;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5 });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
  rx = await startWebhookReceiver();
  await client.createWebhook({ request_url: rx.url, source: "messaging", name: "t", format: "json", events: [...MESSAGING_EVENTS], headers: [] });
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});
beforeEach(() => {
  sim.reset();
  rx.received.length = 0;
});

const events = () => rx.received.map((r) => parseWebhookPayload(r.json)).map((p) => (p.kind === "message" ? [p.event, p.chat_id, p.is_sender] : [p.kind]));

describe("started chats", () => {
  const accounts = () => sim.store.accounts.filter((a) => a.status === "OK");

  it("take inbound messages, reactions and read receipts on every provider, with a new or a known person", async () => {
    for (const account of accounts()) {
      const known = sim.store.others([...sim.store.chats.values()].find((c) => c.account_id === account.id && c.type === 0)!)[0]!;
      for (const person of [`new-${account.type.toLowerCase()}-person`, known.provider_id]) {
        rx.received.length = 0;
        const started = await client.startChat({ account_id: account.id, attendees_ids: [person], text: "Hello there" });
        const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: started.chat_id, text: "Hi back" });
        await simControl(sim.url, "reaction", { message_id: started.message_id, value: "❤️" });
        await simControl(sim.url, "read", { chat_id: started.chat_id });
        await rx.waitFor(4);
        await sim.webhooks.idle();
        const id = started.chat_id;
        expect(events().sort()).toEqual(
          [["message_reaction", id, true], ["message_read", id, true], ["message_received", id, false], ["message_received", id, true]].sort(),
        );
        const other = (await client.getMessage(message_id)).sender_id;
        expect(other).toBe(person);
        const mine = await client.getMessage(started.message_id ?? "");
        expect(mine).toMatchObject({ seen: true, reactions: [{ value: "❤️", sender_id: person }] });
      }
    }
  });

  it("a started group takes messages from each member", async () => {
    const account = accounts()[0]!;
    const started = await client.startChat({ account_id: account.id, attendees_ids: ["member-a", "member-b"], text: "Welcome both" });
    await simControl(sim.url, "inbound", { chat_id: started.chat_id, sender_provider_id: "member-b", text: "Thanks!" });
    const last = (await client.listChatMessages(started.chat_id ?? "", { limit: 1 })).items[0]!;
    expect(last).toMatchObject({ sender_id: "member-b", text: "Thanks!" });
  });

  it("refuses a chat with the account's own user, clearly, and stores nothing", async () => {
    const account = accounts()[0]!;
    const chats = sim.store.chats.size;
    const self = sim.store.selfOf(account).provider_id;
    const err = await client.startChat({ account_id: account.id, attendees_ids: [self], text: "me?" }).catch((e: unknown) => e as UnipileError);
    expect(err).toMatchObject({ status: 400, slug: "errors/invalid_parameters" });
    expect(sim.store.chats.size).toBe(chats);
  });
});
