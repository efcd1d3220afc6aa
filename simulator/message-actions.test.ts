// The message actions (react, remove, edit, delete, forward) through the app's own Unipile client:
// REST answers and errors per provider, the world afterwards, and the webhook each one sends.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "../src/server/unipile/schemas.ts";
import { parseWebhookPayload } from "../src/server/unipile/webhook-schemas.ts";
import type { Provider, SimChat } from "./data.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl, startWebhookReceiver, type WebhookReceiver } from "./testing.ts";

let sim: Simulator;
let client: UnipileClient;
let rx: WebhookReceiver;

beforeAll(async () => {
  // Seeded messages end three hours ago: every seeded own message is past LinkedIn's 60 minutes.
  sim = await startSimulator({ port: 0, seed: 5, baseTime: Date.now() - 3 * 3600_000, webhookRetryDelaysMs: [20] });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});
beforeEach(async () => {
  rx.received.length = 0;
  await client.createWebhook({
    request_url: rx.url,
    source: "messaging",
    name: "parley",
    format: "json",
    events: [...MESSAGING_EVENTS],
    headers: [],
  });
});
afterEach(() => sim.reset({ clearWebhooks: true }));

const chats = (type: Provider) =>
  [...sim.store.chats.values()].filter((c) => c.account_type === type && c.type === 0 && !c.read_only);
const events = () => rx.received.map((r) => parseWebhookPayload(r.json));
const rest = (id: string) => client.getMessage(id);

/** Our own new message in the chat, its echo already received. */
async function ownMessage(chat: SimChat, text = "mine") {
  const { message_id } = await client.sendMessage(chat.id, { text });
  await rx.waitFor(1);
  rx.received.length = 0;
  return message_id!;
}
const othersMessage = (chat: SimChat) => sim.store.messagesOf(chat).find((m) => !m.is_sender && !m.is_event && !m.deleted)!;

describe("reactions", () => {
  it("sets our reaction (replacing our earlier one) and sends message_reaction from us; an empty one removes it on WhatsApp", async () => {
    const m = othersMessage(chats("WHATSAPP")[0]!);
    await expect(client.addReaction(m.id, "👍")).resolves.toEqual({ object: "MessageReactionAdded" });
    await client.addReaction(m.id, "❤️");
    const mine = (await rest(m.id)).reactions.filter((r) => r.is_sender);
    expect(mine.map((r) => r.value)).toEqual(["❤️"]);
    await client.removeReaction(m.id);
    expect((await rest(m.id)).reactions.filter((r) => r.is_sender)).toEqual([]);
    await rx.waitFor(3);
    const self = sim.store.selfOf(sim.store.account(m.account_id)!).provider_id;
    expect(
      events().map((e) => e.kind === "message" && [e.event, e.message_id, e.reaction, e.reaction_sender?.attendee_provider_id]),
    ).toEqual([
      ["message_reaction", m.id, "👍", self],
      ["message_reaction", m.id, "❤️", self],
      ["message_reaction", m.id, "", self],
    ]);
  });

  it("the value key is accepted too; LinkedIn cannot remove (501) and a missing reaction is a 400, neither changing anything", async () => {
    const li = othersMessage(chats("LINKEDIN")[0]!);
    const res = await fetch(`${sim.url}/api/v1/messages/${li.id}/reaction`, {
      method: "POST",
      headers: { "X-API-KEY": sim.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ value: "🙏" }),
    });
    expect(res.status).toBe(200);
    await expect(client.removeReaction(li.id)).rejects.toMatchObject({ status: 501, slug: "errors/feature_not_implemented" });
    const bad = await fetch(`${sim.url}/api/v1/messages/${li.id}/reaction`, {
      method: "POST",
      headers: { "X-API-KEY": sim.apiKey },
      body: "{}",
    });
    expect(bad.status).toBe(400);
    expect((await rest(li.id)).reactions.filter((r) => r.is_sender).map((r) => r.value)).toEqual(["🙏"]);
  });
});

describe("edit and delete", () => {
  it("edits our own message (message_edited with the new text); others' messages are 403 and Instagram 501", async () => {
    const chat = chats("WHATSAPP")[0]!;
    const id = await ownMessage(chat, "first");
    await expect(client.editMessage(id, "second")).resolves.toEqual({ object: "MessageEdited" });
    expect(await rest(id)).toMatchObject({ text: "second", edited: true });
    await rx.waitFor(1);
    expect(events()[0]).toMatchObject({ event: "message_edited", message_id: id, message: "second" });
    await expect(client.editMessage(othersMessage(chat).id, "x")).rejects.toMatchObject({ status: 403 });
    const ig = await ownMessage(chats("INSTAGRAM")[0]!);
    await expect(client.editMessage(ig, "x")).rejects.toMatchObject({ status: 501 });
    expect(await rest(ig)).toMatchObject({ text: "mine", edited: false });
  });

  it("deletes our new LinkedIn message (message_deleted); one older than 60 minutes is a 422 and stays", async () => {
    const chat = chats("LINKEDIN").find((c) => sim.store.messagesOf(c).some((m) => m.is_sender && !m.deleted))!;
    const old = sim.store.messagesOf(chat).find((m) => m.is_sender && !m.deleted)!;
    const err = await client.deleteMessage(old.id).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, detail: "LINKEDIN messages can be deleted only within 60 minutes of sending." });
    expect(await rest(old.id)).toMatchObject({ deleted: false });

    const id = await ownMessage(chat);
    await expect(client.deleteMessage(id)).resolves.toEqual({ object: "MessageDeleted" });
    expect(await rest(id)).toMatchObject({ deleted: true, text: null });
    await rx.waitFor(1);
    expect(events()[0]).toMatchObject({ event: "message_deleted", message_id: id, message: null });
    await expect(client.deleteMessage(id)).rejects.toMatchObject({ status: 422 });
    await expect(client.deleteMessage(othersMessage(chat).id)).rejects.toMatchObject({ status: 403 });
  });
});

describe("forward", () => {
  it("copies text and files into another chat of the account; the copy echoes as message_received, forwarded, from us", async () => {
    const [from, to] = chats("WHATSAPP");
    const { message_id } = await client.sendMessage(from!.id, {
      text: "look",
      attachments: [{ name: "n.txt", data: Buffer.from("notes") }],
    });
    await rx.waitFor(1);
    rx.received.length = 0;
    const fwd = await client.forwardMessage(message_id!, to!.id);
    expect(fwd?.message_id).toBeTruthy();
    const copy = await rest(fwd!.message_id!);
    expect(copy).toMatchObject({
      chat_id: to!.id,
      text: "look",
      is_sender: true,
      attachments: [{ type: "file", file_name: "n.txt" }],
    });
    await rx.waitFor(1);
    expect(events()[0]).toMatchObject({
      event: "message_received",
      chat_id: to!.id,
      message_id: copy.id,
      is_sender: true,
      is_forwarded: true,
    });
    const bytes = await client.downloadAttachment(copy.id, copy.attachments[0]!.id);
    expect(await new Response(bytes.body).text()).toBe("notes");
  });

  it("only on WhatsApp (501 elsewhere), only within the account (403), and a missing chat_id is a 400", async () => {
    const [li, li2] = chats("LINKEDIN");
    await expect(client.forwardMessage(othersMessage(li!).id, li2!.id)).rejects.toMatchObject({ status: 501 });
    const wa = othersMessage(chats("WHATSAPP")[0]!);
    await expect(client.forwardMessage(wa.id, li!.id)).rejects.toMatchObject({ status: 403, slug: "errors/account_mismatch" });
    const res = await fetch(`${sim.url}/api/v1/messages/${wa.id}/forward`, {
      method: "POST",
      headers: { "X-API-KEY": sim.apiKey },
      body: "{}",
    });
    expect(res.status).toBe(400);
  });
});

describe("faults", () => {
  it("actionFailStatus fails every action with Unipile's body and changes nothing, sending no webhook", async () => {
    const [chat, other] = chats("WHATSAPP");
    const id = await ownMessage(chat!, "keep me");
    await simControl(sim.url, "faults", { actionFailStatus: 503 });
    for (const call of [
      () => client.addReaction(id, "👍"),
      () => client.editMessage(id, "changed"),
      () => client.deleteMessage(id),
      () => client.forwardMessage(id, other!.id),
    ])
      await expect(call()).rejects.toMatchObject({ status: 503, slug: "errors/service_unavailable" });
    await simControl(sim.url, "faults", {});
    expect(await rest(id)).toMatchObject({ text: "keep me", edited: false, deleted: false, reactions: [] });
    // A marker action after the faults: the first webhook received is its own.
    await client.addReaction(id, "🙏");
    await rx.waitFor(1);
    expect(events().map((e) => e.kind === "message" && e.event)).toEqual(["message_reaction"]);
  });
});
