// WhatsApp ids in two forms: part of the chats listed in LID form, webhooks choosing their own form,
// unknown contacts as LIDs only, and ids accepted back in either form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "../src/server/unipile/schemas.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl, startWebhookReceiver, type WebhookReceiver } from "./testing.ts";
import { lidOf, phoneHidden } from "./whatsapp-forms.ts";

let sim: Simulator;
let client: UnipileClient;
let rx: WebhookReceiver;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, webhookRetryDelaysMs: [20] });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey });
  rx = await startWebhookReceiver(() => 200);
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const LID = /^\d{15}@lid$/;
const JID = /^\d+@s\.whatsapp\.net$/;
const whatsapp = () => sim.store.accounts.find((a) => a.type === "WHATSAPP")!;

async function whatsappChats() {
  const page = await client.listChats({ account_id: whatsapp().id, limit: 250 });
  return page.items.filter((c) => c.type === 0);
}

describe("WhatsApp ids over REST", () => {
  it("lists part of the 1:1 chats in LID form, with the JID of each LID person beside it", async () => {
    const chats = await whatsappChats();
    const lid = chats.filter((c) => LID.test(c.provider_id));
    const jid = chats.filter((c) => JID.test(c.provider_id));
    expect(lid.length).toBeGreaterThan(0);
    expect(jid.length).toBeGreaterThan(0);
    for (const c of lid) {
      expect(c.attendee_provider_id).toBe(c.provider_id);
      const attendees = await client.listChatAttendees(c.id);
      const other = attendees.items.find((a) => !a.is_self)!;
      expect(other.provider_id).toBe(c.provider_id);
      const internal = [...sim.store.attendees.values()].find((a) => lidOf(a.provider_id) === c.provider_id)!;
      if (!phoneHidden(internal.provider_id)) expect(other.public_identifier).toBe(internal.provider_id);
      // Messages name the person by the same LID; own messages keep the account's phone JID.
      const messages = await client.listChatMessages(c.id, { limit: 20 });
      for (const m of messages.items) expect(m.sender_id).toMatch(m.is_sender ? JID : LID);
    }
  });

  it("accepts a LID wherever it takes a person or chat id", async () => {
    const c = (await whatsappChats()).find((x) => LID.test(x.provider_id))!;
    const byProviderId = await client.getChat(c.provider_id, { account_id: c.account_id });
    expect(byProviderId.id).toBe(c.id);
    const started = await client.startChat({ account_id: c.account_id, attendees_ids: [c.provider_id], text: "Same person, LID form" });
    expect(started.chat_id).toBe(c.id);
  });

  it("is the same for the same seed", async () => {
    const other = await startSimulator({ port: 0, seed: 1, webhookRetryDelaysMs: [20] });
    try {
      const again = createUnipileClient({ dsn: other.url, apiKey: other.apiKey });
      const a = (await whatsappChats()).map((c) => c.provider_id).sort();
      const b = (await again.listChats({ account_id: whatsapp().id, limit: 250 })).items.filter((c) => c.type === 0).map((c) => c.provider_id).sort();
      expect(b).toEqual(a);
    } finally {
      await other.close();
    }
  });
});

describe("WhatsApp ids in webhooks", () => {
  it("mixes the forms: the same chat's events come as JIDs and as LIDs carrying the JID and phone number", async () => {
    await client.createWebhook({ request_url: rx.url, source: "messaging", name: "parley", format: "json", events: [...MESSAGING_EVENTS], headers: [] });
    const chat = [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP" && c.type === 0 && !phoneHidden(c.attendee_provider_id!))!;
    const jid = chat.attendee_provider_id!;
    for (let i = 0; i < 8; i++) await simControl(sim.url, "inbound", { chat_id: chat.id, text: `form ${i}` });
    await rx.waitFor(8);
    const senders = rx.received.map((r) => (r.json as { sender: Record<string, unknown> }).sender);
    const lidForm = senders.filter((s) => s.attendee_provider_id === lidOf(jid));
    const jidForm = senders.filter((s) => s.attendee_provider_id === jid);
    expect(lidForm.length).toBeGreaterThan(0);
    expect(jidForm.length).toBeGreaterThan(0);
    expect(lidForm.length + jidForm.length).toBe(8);
    expect(lidForm[0]).toMatchObject({
      attendee_public_identifier: jid,
      attendee_specifics: { provider: "WHATSAPP", phone_number: jid.split("@")[0], lid: lidOf(jid) },
    });
  });

  it("shows unknown contacts only as LIDs, their number hidden", async () => {
    const hidden = [...sim.store.attendees.values()].filter((a) => !a.is_self && phoneHidden(a.provider_id));
    const chat = [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP" && hidden.some((h) => c._attendees.includes(h.id)))!;
    const person = hidden.find((h) => chat._attendees.includes(h.id))!;
    const listed = await client.listChatAttendees(chat.id);
    expect(listed.items.find((a) => a.id === person.id)).toMatchObject({ provider_id: lidOf(person.provider_id) });
    expect(listed.items.find((a) => a.id === person.id)?.public_identifier).toBeUndefined();
    rx.received.length = 0;
    await simControl(sim.url, "inbound", { chat_id: chat.id, sender_provider_id: person.provider_id, text: "who am I" });
    await rx.waitFor(1);
    expect((rx.received[0]!.json as { sender: unknown }).sender).toMatchObject({
      attendee_provider_id: lidOf(person.provider_id),
      attendee_public_identifier: null,
      attendee_specifics: { phone_number: "hidden", lid: lidOf(person.provider_id) },
    });
  });
});
