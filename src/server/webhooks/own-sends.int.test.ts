// Our own sends and their echoes through the real path: send-service calls the simulator over HTTP,
// the simulator posts its webhooks over HTTP to a relay in front of our webhook route (the relay can
// hold them back, as a slow network would), and the inbox reads what a person sees.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { assertMessageAccess, type SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { openAttachment } from "@/server/attachments/serve.ts";
import { sendMessage } from "@/server/services/send-service.ts";
import { createUser } from "@/server/services/user-service.ts";
import { ensureChat } from "@/server/store/chats.ts";
import { getUnipile, resetUnipileForTests } from "@/server/unipile/client.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";
import { drainApplyQueue } from "./apply.ts";
import { ensureWebhooksRegistered } from "./registration.ts";

const SECRET = "whsec-own-sends-0123456789abcdef";
let testDb: TestDatabase;
let sim: Simulator;
let relay: Server;
let admin: SessionUser;
let chatId: string;
let simChatId: string;

type Delivery = { event?: string; message_id?: string; reaction?: string };
const forwarded: Delivery[] = [];
const waiters: { match: (d: Delivery) => boolean; resolve: () => void }[] = [];
let gate: Promise<void> = Promise.resolve();
let openGate = () => {};

/** Deliveries wait at the relay until `release()`, as if the network were slow. */
function holdDeliveries() {
  gate = new Promise((r) => (openGate = r));
}
function release() {
  openGate();
  gate = Promise.resolve();
}

/** Resolves once a delivery matching `match` went through our route, and what it started is applied. */
async function delivered(match: (d: Delivery) => boolean, timeoutMs = 20_000) {
  if (!forwarded.some(match)) {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no such webhook within ${timeoutMs} ms; got ${JSON.stringify(forwarded)}`)), timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      waiters.push({ match, resolve: done });
    });
  }
  await drainApplyQueue();
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 21, demo: true, chats: 4, messages: 4 });
  Object.assign(process.env, { UNIPILE_DSN: sim.url, UNIPILE_API_KEY: sim.apiKey, UNIPILE_WEBHOOK_SECRET: SECRET });
  resetEnvForTests();
  resetUnipileForTests();

  relay = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    await gate;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await POST(new Request("http://localhost/api/webhooks/unipile", { method: "POST", headers, body }));
    res.writeHead(answer.status).end(await answer.text());
    const d = JSON.parse(body) as Delivery;
    forwarded.push(d);
    for (const w of waiters.filter((w) => w.match(d))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  const { port } = relay.address() as AddressInfo;
  await ensureWebhooksRegistered({ client: getUnipile(), publicUrl: `http://127.0.0.1:${port}`, secret: SECRET });

  const chat = [...sim.store.chats.values()].find((c) => c.type === 0 && !c.read_only && sim.store.account(c.account_id)!.status === "OK")!;
  simChatId = chat.id;
  chatId = (await ensureChat(chat.id, chat.account_id)).chat.id;
  const a = await createUser({ email: "owner@example.com", password: "password-1", role: "admin" });
  admin = { id: a.id, email: a.email, name: null, role: "admin" };
});
afterAll(async () => {
  release();
  relay?.closeAllConnections();
  await new Promise((r) => relay?.close(r));
  await sim?.close();
  await testDb?.close();
});

const api = () => createCaller(createContext(admin));
async function shown(messageId: string) {
  const { items } = await api().message.list({ chatId, limit: 20 });
  return items.find((m) => m.id === messageId)!;
}
async function download(messageId: string, attachmentId: string) {
  const res = await openAttachment(await assertMessageAccess(admin, messageId), attachmentId, (m, a, o) => getUnipile().downloadAttachment(m, a, o));
  return res.text();
}
const file = (name: string, text: string) => ({ name, type: "text/plain", data: new TextEncoder().encode(text) });

describe("a sent file stays on its message", () => {
  it("shows our copy once Unipile accepts the send, then Unipile's once the echo arrives, with no resync", async () => {
    holdDeliveries();
    const sent = await sendMessage(admin, { chatId, clientTxnId: "txn-own-file-1", text: "The plan, attached", files: [file("plan.txt", "step one")] }, getUnipile());
    expect(sent).toMatchObject({ status: "sent", unipileId: expect.any(String) });
    // Before the echo: the file we sent, under its name.
    expect((await shown(sent.id)).attachments).toMatchObject([{ name: "plan.txt", kind: "file", mimeType: "text/plain", size: 8 }]);

    release();
    await delivered((d) => d.event === "message_received" && d.message_id === sent.unipileId);
    const echo = await db.webhookEvent.findFirstOrThrow({ where: { event: "message_received", messageId: sent.unipileId! } });
    expect(echo.status).toBe("applied");
    // After the echo (and on any reload): one attachment, Unipile's, and it opens.
    const after = await shown(sent.id);
    expect(after).toMatchObject({ text: "The plan, attached", status: "sent" });
    expect(after.attachments).toMatchObject([{ name: "plan.txt", kind: "file", size: 8 }]);
    const upstream = sim.store.getMessage(sent.unipileId!)!.attachments[0]!;
    expect(await db.attachment.findMany({ where: { messageId: sent.id }, select: { unipileId: true } })).toEqual([{ unipileId: upstream.id }]);
    expect(await download(sent.id, after.attachments[0]!.id)).toBe("step one");
    expect(await db.outboxFile.count({ where: { messageId: sent.id } })).toBe(0);
  });

  it("keeps the files when Unipile answers without an id and the echo brings it", async () => {
    await simControl(sim.url, "faults", { nullMessageIds: true });
    holdDeliveries();
    const sent = await sendMessage(admin, { chatId, clientTxnId: "txn-own-file-2", text: "Second draft", files: [file("draft.txt", "two")] }, getUnipile());
    await simControl(sim.url, "faults", {});
    expect(sent).toMatchObject({ status: "sent", unipileId: null });
    expect((await shown(sent.id)).attachments).toMatchObject([{ name: "draft.txt", size: 3 }]);

    const echoId = [...sim.store.messagesOf(sim.store.chats.get(simChatId)!)].reverse().find((m) => m.is_sender)!.id;
    release();
    await delivered((d) => d.event === "message_received" && d.message_id === echoId);
    expect(await db.message.count({ where: { chatId, text: "Second draft" } })).toBe(1);
    const after = await shown(sent.id);
    expect(after.attachments).toMatchObject([{ name: "draft.txt", size: 3 }]);
    expect(await download(sent.id, after.attachments[0]!.id)).toBe("two");
  });
});

describe("a deleted message", () => {
  it("shows no reactions, neither the ones it had nor one that arrives after the delete", async () => {
    const { message_id } = await simControl<{ message_id: string }>(sim.url, "inbound", { chat_id: simChatId, text: "Shall we meet at 3?" });
    await delivered((d) => d.event === "message_received" && d.message_id === message_id);
    await simControl(sim.url, "reaction", { message_id, from: "me", value: "👍" });
    await delivered((d) => d.event === "message_reaction" && d.message_id === message_id && d.reaction === "👍");
    const stored = await db.message.findUniqueOrThrow({ where: { unipileId: message_id } });
    expect((await shown(stored.id)).reactions).toMatchObject([{ value: "👍", count: 1, mine: true }]);

    await simControl(sim.url, "delete", { message_id });
    await delivered((d) => d.event === "message_deleted" && d.message_id === message_id);
    expect(await shown(stored.id)).toMatchObject({ deleted: true, text: null, reactions: [] });

    await simControl(sim.url, "reaction", { message_id, value: "❤️" });
    await delivered((d) => d.event === "message_reaction" && d.message_id === message_id && d.reaction === "❤️");
    expect((await shown(stored.id)).reactions).toEqual([]);
    const late = await db.webhookEvent.findFirstOrThrow({ where: { event: "message_reaction", messageId: message_id }, orderBy: { id: "desc" } });
    expect(late).toMatchObject({ status: "duplicate", error: "The message is deleted: its reactions went with it" });
    expect(await db.reaction.count({ where: { messageId: stored.id } })).toBe(0);
  });
});
