// Archive, mute and pin through the app's client against the simulator: the chat's fields change as a
// client reads them back, providers refuse what they do not offer, a fault changes nothing, a change
// made on the phone shows in the fields without a webhook, and all of it survives a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUnipileClient, type UnipileClient } from "../src/server/unipile/client.ts";
import type { UnipileError } from "../src/server/unipile/errors.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl, startWebhookReceiver } from "./testing.ts";

let sim: Simulator;
let client: UnipileClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5 });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const chatOf = (type: string) =>
  [...sim.store.chats.values()].find((c) => c.account_type === type && !c.archived && !c.pinned && c.muted_until === null)!;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("should have failed"),
    (e) => e as UnipileError,
  );

describe("PATCH /chats/:id archive, pin, mute", () => {
  it("sets archived, pinned and muted_until as GET /chats reads them back", async () => {
    const chat = chatOf("WHATSAPP");
    expect(await client.setChatStatus(chat.id, { action: "setArchiveStatus", value: true })).toEqual({ object: "ChatPatched" });
    await client.setChatStatus(chat.id, { action: "setPinnedStatus", value: true });
    await client.setChatStatus(chat.id, { action: "setMuteStatus", value: true });
    let got = await client.getChat(chat.id);
    expect([got.archived, got.pinned, got.muted_until]).toEqual([true, true, -1]);
    const until = new Date(Date.now() + 8 * 3_600_000).toISOString();
    await client.setChatStatus(chat.id, { action: "setMuteStatus", value: until });
    expect((await client.getChat(chat.id)).muted_until).toBe(until);
    await client.setChatStatus(chat.id, { action: "setArchiveStatus", value: false });
    await client.setChatStatus(chat.id, { action: "setPinnedStatus", value: false });
    await client.setChatStatus(chat.id, { action: "setMuteStatus", value: false });
    got = (await client.listChats({ account_id: chat.account_id, limit: 250 })).items.find((c) => c.id === chat.id)!;
    expect([got.archived, got.pinned, got.muted_until]).toEqual([false, false, null]);
  });

  it("accepts the other spellings seen (setPinStatus, setArchivedStatus)", async () => {
    const chat = chatOf("TELEGRAM");
    const res = await fetch(`${sim.url}/api/v1/chats/${chat.id}`, {
      method: "PATCH",
      headers: { "x-api-key": sim.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ action: "setPinStatus", value: 1 }),
    });
    expect(res.status).toBe(200);
    expect(chat.pinned).toBe(1);
  });

  it("refuses what a provider does not offer with 501, and bad values with 400, changing nothing", async () => {
    const ig = chatOf("INSTAGRAM");
    const li = chatOf("LINKEDIN");
    const wa = chatOf("WHATSAPP");
    const archive = await failure(client.setChatStatus(ig.id, { action: "setArchiveStatus", value: true }));
    expect([archive.status, archive.slug]).toEqual([501, "errors/feature_not_implemented"]);
    const timed = await failure(
      client.setChatStatus(li.id, { action: "setMuteStatus", value: new Date(Date.now() + 60_000).toISOString() }),
    );
    expect(timed.status).toBe(501);
    expect((await failure(client.setChatStatus(wa.id, { action: "setMuteStatus", value: "soon" }))).status).toBe(400);
    expect(
      (await failure(client.setChatStatus(wa.id, { action: "setMuteStatus", value: "2020-01-01T00:00:00.000Z" }))).status,
    ).toBe(400);
    const unknown = await failure(client.setChatStatus(wa.id, { action: "setLabel" as "setPinnedStatus", value: true }));
    expect(unknown.status).toBe(400);
    expect([ig.archived, li.muted_until, wa.muted_until]).toEqual([0, null, null]);
    // LinkedIn mutes with no end.
    await client.setChatStatus(li.id, { action: "setMuteStatus", value: true });
    expect(li.muted_until).toBe(-1);
  });

  it("chatActionFailStatus fails archive/mute/pin (not mark read) and changes nothing", async () => {
    const chat = chatOf("WHATSAPP");
    await simControl(sim.url, "faults", { chatActionFailStatus: 503 });
    expect((await failure(client.setChatStatus(chat.id, { action: "setArchiveStatus", value: true }))).status).toBe(503);
    expect((await client.getChat(chat.id)).archived).toBe(false);
    await client.setChatReadStatus(chat.id, true);
  });
});

describe("changed elsewhere", () => {
  it("/_sim/chat-state changes the fields a list shows and sends no webhook", async () => {
    const hook = await startWebhookReceiver();
    try {
      await client.createWebhook({ request_url: hook.url, source: "messaging", name: "t" });
      const chat = chatOf("WHATSAPP");
      await simControl(sim.url, "chat-state", { chat_id: chat.id, archived: 1, pinned: true, muted_until: -1 });
      const listed = (await client.listChats({ account_id: chat.account_id, limit: 250 })).items.find((c) => c.id === chat.id)!;
      expect([listed.archived, listed.pinned, listed.muted_until]).toEqual([true, true, -1]);
      // A message afterwards is the first delivery: the state change itself sent nothing.
      await simControl(sim.url, "inbound", { chat_id: chat.id, text: "after" });
      await hook.waitFor(1);
      await sim.webhooks.idle();
      expect(hook.received.map((r) => (r.json as { event: string }).event)).toEqual(["message_received"]);
      await expect(simControl(sim.url, "chat-state", { chat_id: chat.id })).rejects.toThrow(/400/);
    } finally {
      await hook.close();
    }
  });

  it("survives a restart (the journal replays the changes)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sim-chat-actions-"));
    try {
      let s = await startSimulator({ port: 0, seed: 6, dataDir: dir });
      const c = createUnipileClient({ dsn: s.url, apiKey: s.apiKey, maxRetries: 0 });
      const id = [...s.store.chats.values()].find((x) => x.account_type === "TELEGRAM")!.id;
      await c.setChatStatus(id, { action: "setPinnedStatus", value: true });
      await simControl(s.url, "chat-state", { chat_id: id, archived: 1 });
      await s.close();
      s = await startSimulator({ port: 0, seed: 6, dataDir: dir });
      try {
        expect([s.store.chats.get(id)!.pinned, s.store.chats.get(id)!.archived]).toEqual([1, 1]);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
