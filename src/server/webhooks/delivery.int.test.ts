// Deliveries as Unipile really makes them, from the simulator over HTTP into the app's webhook route:
// JSON labelled as form data (no Content-Type registered, or the mislabel fault) and JSON labelled
// as JSON are all read from the raw body, stored and applied; so are the sparse payloads.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { createUnipileClient } from "@/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "@/server/unipile/schemas.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";
import { isSparse } from "../../../simulator/webhooks.ts";
import { drainApplyQueue } from "./apply.ts";

const SECRET = "whsec-delivery-0123456789abcdef";
let testDb: TestDatabase;
let sim: Simulator;
let bridge: Server;
let url: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 4 });
  Object.assign(process.env, { UNIPILE_WEBHOOK_SECRET: SECRET, UNIPILE_DSN: sim.url, UNIPILE_API_KEY: sim.apiKey });
  resetEnvForTests();
  // The app's route handler behind a real HTTP server: the request reaches it exactly as sent.
  bridge = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await POST(new Request("http://localhost/api/webhooks/unipile", { method: "POST", headers, body: Buffer.concat(chunks) }));
    res.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((r) => bridge.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/api/webhooks/unipile`;
});
afterAll(async () => {
  await sim?.close();
  bridge?.closeAllConnections();
  await new Promise((r) => bridge?.close(r));
  await testDb?.close();
});

it("stores and applies JSON whether it is labelled form data or JSON", async () => {
  const client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey });
  const secret = { key: "X-Webhook-Secret", value: SECRET };
  const plain = await client.createWebhook({ request_url: url, source: "messaging", format: "json", events: [...MESSAGING_EVENTS], headers: [secret] });
  const chat = [...sim.store.chats.values()].find((c) => c.account_type === "TELEGRAM" && c.type === 0)!;
  const deliver = async (text: string) => {
    const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: chat.id, text });
    await sim.webhooks.idle();
    return message_id;
  };

  const unlabelled = await deliver("sent by a hook without a content type");
  await client.deleteWebhook(plain.webhook_id);
  await client.createWebhook({ request_url: url, source: "messaging", format: "json", events: [...MESSAGING_EVENTS], headers: [secret, { key: "Content-Type", value: "application/json" }] });
  const labelled = await deliver("sent by a hook with a content type");
  await simControl(sim.url, "faults", { webhookMislabel: true });
  const mislabelled = await deliver("mislabelled although a type was registered");
  await drainApplyQueue();

  const rows = await db.webhookEvent.findMany({ where: { messageId: { in: [unlabelled, labelled, mislabelled] } }, select: { messageId: true, status: true, headers: true } });
  const byId = new Map(rows.map((r) => [r.messageId, r]));
  expect(byId.get(unlabelled)).toMatchObject({ status: "applied", headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "axios/1.7.7" } });
  expect(byId.get(labelled)).toMatchObject({ status: "applied", headers: { "content-type": "application/json" } });
  expect(byId.get(mislabelled)).toMatchObject({ status: "applied", headers: { "content-type": "application/x-www-form-urlencoded" } });
  const stored = await db.message.findMany({ where: { unipileId: { in: [unlabelled, labelled, mislabelled] } }, select: { text: true } });
  expect(stored.map((m) => m.text).sort()).toEqual(
    ["mislabelled although a type was registered", "sent by a hook with a content type", "sent by a hook without a content type"].sort(),
  );
});

it("applies payloads in the sparse form live captures show (WhatsApp account_info, null message_type, keys left out, whole seconds)", async () => {
  const client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey });
  await simControl(sim.url, "faults", {});
  for (const h of (await client.listWebhooks()).items) await client.deleteWebhook(h.id);
  await client.createWebhook({ request_url: url, source: "messaging", format: "json", events: [...MESSAGING_EVENTS], headers: [{ key: "X-Webhook-Secret", value: SECRET }] });
  const chat = [...sim.store.chats.values()].find((c) => c.account_type === "WHATSAPP" && c.type === 0)!;
  const ids: string[] = [];
  // Until both forms were sent (the share is fixed per message id, so this ends quickly).
  while (!ids.some((id) => isSparse("message_received", id)) || ids.every((id) => isSparse("message_received", id))) {
    ids.push((await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: chat.id, text: `variant ${ids.length}` })).message_id);
  }
  await sim.webhooks.idle();
  await drainApplyQueue();
  const rows = await db.webhookEvent.findMany({ where: { messageId: { in: ids } }, select: { status: true, body: true } });
  expect(rows.filter((r) => (JSON.parse(r.body) as { message_type: unknown }).message_type === null).length).toBeGreaterThan(0);
  expect(rows.map((r) => r.status)).toEqual(ids.map(() => "applied"));
  expect(await db.message.count({ where: { unipileId: { in: ids } } })).toBe(ids.length);
});
