// A new inbound message reopens a done chat (and wakes a snoozed one) only when it is news: newer
// than the moment the chat was marked done or snoozed, not our own, not brought back by a sync or
// sweep, and not an admin's Replay of a logged event. Webhooks go through the real route.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { markDone, snoozeChats } from "@/server/services/team-service.ts";
import { upsertMessages } from "@/server/store/messages.ts";
import { MessageSchema } from "@/server/unipile/schemas.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { seedAdminAndAgent } from "@test/support/users.ts";
import { drainApplyQueue, replayWebhookEvent } from "./apply.ts";

const base = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../../test/fixtures/unipile/webhook-message-received.json"), "utf8"),
);
const SECRET = "whsec-test-0123456789abcdef";
let testDb: TestDatabase;
let admin: SessionUser;
let chat: { id: string; accountId: string };

beforeAll(async () => {
  testDb = await setupTestDatabase();
  process.env.UNIPILE_WEBHOOK_SECRET = SECRET;
  resetEnvForTests();
  await db.account.create({ data: { id: base.account_id, provider: "LINKEDIN", name: "LinkedIn" } });
  chat = await db.chat.create({
    data: { unipileId: base.chat_id, accountId: base.account_id, name: "Tomasz" },
    select: { id: true, accountId: true },
  });
  ({ admin } = await seedAdminAndAgent({ agentAccounts: [] }));
});
afterAll(() => testDb?.close());

let n = 0;
async function deliver(o: { at: Date; isSender?: boolean; id?: string }) {
  const id = o.id ?? `msg_reopen_${++n}`;
  const body = {
    ...base,
    message_id: id,
    provider_message_id: `p_${id}`,
    timestamp: o.at.toISOString(),
    is_sender: o.isSender ?? false,
    message: `news ${n}`,
  };
  const res = await POST(
    new Request("http://localhost/api/webhooks/unipile", {
      method: "POST",
      headers: { "x-webhook-secret": SECRET, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  expect(res.status).toBe(200);
  await drainApplyQueue();
  return id;
}

const state = () => db.chat.findUniqueOrThrow({ where: { id: chat.id }, select: { workState: true, wokenAt: true } });
const kinds = async () =>
  (
    await db.chatActivity.findMany({ where: { chatId: chat.id }, orderBy: { id: "asc" }, select: { kind: true, actorId: true } })
  ).map((a) => `${a.kind}:${a.actorId ?? "parley"}`);

async function done() {
  await db.chatActivity.deleteMany();
  await db.chat.update({
    where: { id: chat.id },
    data: { workState: "open", doneAt: null, snoozedUntil: null, snoozeUntilReply: false, wokenAt: null },
  });
  await markDone(admin, [chat]);
}

describe("reopening a done chat", () => {
  it("reopens on an inbound message newer than done, logged as Parley's doing", async () => {
    await done();
    await deliver({ at: new Date(Date.now() + 1000) });
    expect((await state()).workState).toBe("open");
    expect(await kinds()).toEqual([`done:${admin.id}`, "reopened:parley"]);
    const ev = await db.webhookEvent.findFirst({ where: { messageId: `msg_reopen_${n}` }, select: { error: true } });
    expect(ev?.error).toMatch(/reopened the chat/);
  });

  it("reopens on an answer in the same second as done, when Unipile gives its time in whole seconds", async () => {
    await done();
    const { doneAt } = await db.chat.findUniqueOrThrow({ where: { id: chat.id }, select: { doneAt: true } });
    await deliver({ at: new Date(Math.floor(doneAt!.getTime() / 1000) * 1000) }); // not after doneAt, as written
    expect((await state()).workState).toBe("open");
  });

  it("stays done for an inbound message older than the moment it was marked done", async () => {
    await done();
    await deliver({ at: new Date(Date.now() - 60_000) });
    expect((await state()).workState).toBe("done");
    expect(await kinds()).toEqual([`done:${admin.id}`]);
  });

  it("stays done for our own message (an echo of a send from the phone)", async () => {
    await done();
    await deliver({ at: new Date(Date.now() + 1000), isSender: true });
    expect((await state()).workState).toBe("done");
  });

  it("stays done for a message a sync or sweep brings back, and for its webhook arriving afterwards", async () => {
    await done();
    const at = new Date(Date.now() + 1000).toISOString();
    const synced = MessageSchema.parse({
      object: "Message",
      id: "msg_from_sync",
      chat_id: base.chat_id,
      account_id: base.account_id,
      sender_id: "p_tomasz",
      text: "synced",
      timestamp: at,
      is_sender: false,
      attachments: [],
      reactions: [],
    });
    await upsertMessages(chat.id, [synced], { countUnread: true });
    expect(await db.message.count({ where: { unipileId: "msg_from_sync" } })).toBe(1);
    expect((await state()).workState).toBe("done");
    await deliver({ at: new Date(at), id: "msg_from_sync" });
    expect((await state()).workState).toBe("done");
    expect(await kinds()).toEqual([`done:${admin.id}`]);
  });

  it("stays done when an admin replays a logged event of a new message", async () => {
    await done();
    // The database refuses the message once (a full disk), so its event fails and waits for a Replay.
    await db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no room'; END $$`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_once BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION refuse_once()`,
    );
    const id = await deliver({ at: new Date(Date.now() + 1000) });
    const ev = await db.webhookEvent.findFirstOrThrow({ where: { messageId: id }, select: { id: true, status: true } });
    expect(ev.status).toBe("failed");
    await db.$executeRawUnsafe(`DROP TRIGGER refuse_once ON "Message"`);
    await db.$executeRawUnsafe(`DROP FUNCTION refuse_once()`);
    expect(await replayWebhookEvent(ev.id)).toMatchObject({ status: "applied" });
    expect(await db.message.count({ where: { unipileId: id } })).toBe(1);
    expect((await state()).workState).toBe("done");
  });
});

describe("waking a snoozed chat on a reply", () => {
  it("wakes a chat snoozed until they reply on their next message, marked woken", async () => {
    await done();
    await snoozeChats(admin, [chat], { until: null, untilReply: true });
    await deliver({ at: new Date(Date.now() + 1000) });
    expect(await state()).toMatchObject({ workState: "open", wokenAt: expect.any(Date) });
    expect((await kinds()).at(-1)).toBe("woken:parley");
  });

  it("keeps it snoozed for a message older than the snooze", async () => {
    await done();
    await snoozeChats(admin, [chat], { until: null, untilReply: true });
    await deliver({ at: new Date(Date.now() - 60_000) });
    expect((await state()).workState).toBe("snoozed");
  });
});
