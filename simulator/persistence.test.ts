// With a data folder, the simulator's world survives a restart: the same chats, ids, times and files,
// and every change made before the restart (what launch.ts relies on for the embedded demo).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createUnipileClient } from "../src/server/unipile/client.ts";
import { makePng } from "./assets.ts";
import { JOURNAL_VERSION } from "./journal.ts";
import { startSimulator, type Simulator } from "./server.ts";
import { simControl } from "./testing.ts";

const dirs: string[] = [];
const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const BASE = Date.parse("2026-11-30T09:00:00.000Z");

async function start(dataDir: string | undefined, baseTime: number) {
  const sim = await startSimulator({ port: 0, seed: 9, dataDir, baseTime });
  running.push(sim);
  return { sim, client: createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 }) };
}

/** Everything a client can see: chats, messages (with their times, receipts, reactions), attachment bytes, hooks. */
async function snapshot(sim: Simulator) {
  const client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
  const chats = (await client.listChats({ limit: 250 })).items;
  const messages = [];
  for (const c of chats) messages.push(...(await client.listChatMessages(c.id, { limit: 250 })).items);
  const files: Record<string, string> = {};
  for (const m of messages)
    for (const a of m.attachments) files[a.id] = Buffer.from(await new Response((await client.downloadAttachment(m.id, a.id)).body).arrayBuffer()).toString("base64");
  const accounts = (await client.listAccounts()).items.map((a) => [a.id, a.sources[0]!.status]);
  const hooks = (await client.listWebhooks()).items.map((h) => [h.id, h.request_url]);
  return { chats, messages, files, accounts, hooks };
}

describe("a simulator with a data folder", () => {
  it("restarts into the same world, with every change replayed and nothing moved to the new time", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sim-world-"));
    dirs.push(dir);
    const { sim, client } = await start(dir, BASE);
    const chats = [...sim.store.chats.values()];
    const wa = chats.find((c) => c.account_type === "WHATSAPP" && c.type === 0)!;
    const tg = chats.find((c) => c.account_type === "TELEGRAM" && c.type === 0)!;
    await client.createWebhook({ request_url: "http://127.0.0.1:9/hook", source: "messaging", name: "t", events: ["message_received"], headers: [] });
    const sent = await client.sendMessage(wa.id, { text: "with a file", attachments: [{ name: "notes.txt", data: Buffer.from("kept bytes") }] });
    const png = makePng(8, 6, [10, 20, 30], [200, 100, 50]).toString("base64");
    const pic = await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: tg.id, attachments: [{ name: "pic.png", data_base64: png }, { asset: "photo" }] });
    const stranger = await simControl<{ chat_id: string; message_id: string }>(sim.url, "inbound", { text: "Hello, new here", sender_name: "Rita Ora" });
    await simControl(sim.url, "reaction", { message_id: sent.message_id, value: "🔥" });
    await simControl(sim.url, "read", { chat_id: wa.id });
    await simControl(sim.url, "edit", { message_id: pic.message_id, text: "caption added" });
    await simControl(sim.url, "delete", { message_id: stranger.message_id });
    const started = await client.startChat({ account_id: wa.account_id, attendees_ids: ["4915100000001@s.whatsapp.net"], text: "New chat" });
    await client.setChatReadStatus(tg.id, true);
    await simControl(sim.url, "account-status", { account_id: sim.store.accounts.find((a) => a.type === "INSTAGRAM")!.id, status: "CREDENTIALS" });
    const before = await snapshot(sim);
    await sim.close();
    running.length = 0;

    // A later start (another base time): the stored world wins.
    const again = await start(dir, BASE + 5 * HOUR);
    const after = await snapshot(again.sim);
    expect(after).toEqual(before);
    expect(after.chats.map((c) => c.id)).toContain(started.chat_id);
    expect(after.messages.find((m) => m.id === sent.message_id)).toMatchObject({ seen: true, reactions: [{ value: "🔥" }] });
    expect(after.messages.find((m) => m.id === stranger.message_id)).toMatchObject({ deleted: true });
    expect(Object.values(after.files)).toContain(Buffer.from("kept bytes").toString("base64"));
    expect(Object.values(after.files)).toContain(png);
    expect(after.accounts).toContainEqual([sim.store.accounts.find((a) => a.type === "INSTAGRAM")!.id, "CREDENTIALS"]);

    // New changes after the restart land after the old ones, and survive the next restart too.
    const later = await again.client.sendMessage(wa.id, { text: "after the restart" });
    const laterTime = (await again.client.getMessage(later.message_id!)).timestamp;
    expect(laterTime > before.messages.map((m) => m.timestamp).sort().at(-1)!).toBe(true);
    await again.sim.close();
    running.length = 0;
    const third = await start(dir, BASE + 9 * HOUR);
    expect((await third.client.getMessage(later.message_id!)).timestamp).toBe(laterTime);
  }, 30_000);

  it("starts fresh when the saved world has another format version", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sim-world-"));
    dirs.push(dir);
    const first = await start(dir, BASE);
    const { chat_id } = await simControl<{ chat_id: string }>(first.sim.url, "inbound", { text: "from the old format" });
    await first.sim.close();
    running.length = 0;
    const meta = JSON.parse(readFileSync(path.join(dir, "world.json"), "utf8"));
    writeFileSync(path.join(dir, "world.json"), JSON.stringify({ ...meta, version: JOURNAL_VERSION + 1 }));
    const second = await start(dir, BASE + HOUR);
    expect(second.sim.store.chats.has(chat_id)).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, "world.json"), "utf8"))).toMatchObject({ version: JOURNAL_VERSION, baseTime: BASE + HOUR });
  });

  it("without a data folder, every start is fresh", async () => {
    const first = await start(undefined, BASE);
    const { chat_id } = await simControl<{ chat_id: string }>(first.sim.url, "inbound", { text: "forgotten" });
    const second = await start(undefined, BASE);
    expect(second.sim.store.chats.has(chat_id)).toBe(false);
    expect(second.sim.store.chats.size).toBe(first.sim.store.chats.size - 1);
  });
});
