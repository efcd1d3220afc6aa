// Starting a conversation through the real path: the service calls the simulator over HTTP, the
// simulator's echo webhook reaches our route over HTTP, and the inbox reads what a person sees.
// Whatever order the answer and the echo come in, the person sees one chat holding one message.
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { upsertAccounts } from "@/server/store/accounts.ts";
import { ensureChat } from "@/server/store/chats.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";
import { simulatorBehindBridge } from "@test/support/webhook-bridge.ts";
import { LINKEDIN_DIRECTORY } from "../../../simulator/directory.ts";
import { simControl } from "../../../simulator/testing.ts";
import { deliverStartChat, prepareStartChat, type StartInput, type StartRemote } from "./start-chat-service.ts";

const h = simulatorBehindBridge({ secret: "whsec-start-0123456789abcdef", seed: 31, chats: 0, messages: 0 });
let admin: SessionUser;
let agent: SessionUser;
let n = 0;
const txn = () => `start-txn-${++n}-${Date.now()}`;
const account = (type: string) => h.sim.store.accounts.find((a) => a.type === type)!;

beforeAll(async () => {
  await upsertAccounts((await h.client.listAccounts()).items);
  ({ admin, agent } = await seedAdminAndAgent({ agentAccounts: [account("WHATSAPP").id] }));
});

/** Until the simulator delivered every webhook and our route applied what they started. */
async function settled() {
  await h.sim.webhooks.idle();
  await drainApplyQueue();
}

/** Waits for what the simulator is about to deliver (its echo follows its answer by a few ms). */
async function until(done: () => Promise<boolean>, timeoutMs = 10_000) {
  for (const end = Date.now() + timeoutMs; !(await done()); ) {
    if (Date.now() > end) throw new Error("the awaited webhook was not applied in time");
    await settled();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(user: SessionUser, input: Omit<StartInput, "clientTxnId">, remote: StartRemote = h.client) {
  const clientTxnId = txn();
  const { chatId } = await prepareStartChat(user, { ...input, clientTxnId }, remote);
  return { clientTxnId, optimisticId: chatId, deliver: () => deliverStartChat(user, chatId, remote) };
}

describe("starting a conversation", () => {
  it("shows the chat with its pending message at once, then one chat and one sent message after the answer and the echo", async () => {
    const wa = account("WHATSAPP");
    const s = await start(admin, { accountId: wa.id, person: { kind: "phone", phone: "+33 6 11 22 33 44" }, text: "Bonjour !" });
    const before = await apiAs(admin).chat.list({ limit: 50 });
    expect(before.items.find((c) => c.id === s.optimisticId)).toMatchObject({
      displayName: "+33611223344",
      lastMessagePreview: "Bonjour !",
    });
    const pending = await apiAs(admin).message.list({ chatId: s.optimisticId, limit: 10 });
    expect(pending.items.map((m) => [m.text, m.status])).toEqual([["Bonjour !", "pending"]]);

    const { chatId } = await s.deliver();
    expect(chatId).toBe(s.optimisticId);
    await settled();
    const simChat = [...h.sim.store.chats.values()].find((c) => c.attendee_provider_id === "33611223344@s.whatsapp.net")!;
    const chats = await db.chat.findMany({
      // Our chat or any copy of Unipile's (the person's id may be stored in its LID form): exactly one.
      where: { accountId: wa.id, OR: [{ id: s.optimisticId }, { unipileId: simChat.id }] },
      select: { id: true, unipileId: true },
    });
    expect(chats).toEqual([{ id: s.optimisticId, unipileId: simChat.id }]);
    const messages = await db.message.findMany({
      where: { chatId: s.optimisticId },
      select: { text: true, status: true, clientTxnId: true },
    });
    expect(messages).toEqual([{ text: "Bonjour !", status: "sent", clientTxnId: s.clientTxnId }]);
    const echo = await db.webhookEvent.findFirstOrThrow({ where: { chatId: simChat.id, event: "message_received" } });
    expect(echo.status).toBe("duplicate");
  });

  it("an echo applied before Unipile's answer still ends as one chat and one message, with its files", async () => {
    const wa = account("WHATSAPP");
    // Unipile's answer reaches us only after its echo webhook was applied (a slow network on the answer).
    const slowAnswer: StartRemote = {
      ...h.client,
      startChat: async (input, o) => {
        const started = await h.client.startChat(input, o);
        await until(
          async () =>
            (await db.message.count({ where: { unipileId: started.message_id!, chat: { unipileId: started.chat_id! } } })) === 1,
        );
        return started;
      },
    };
    const file = { name: "plan.txt", type: "text/plain", data: new TextEncoder().encode("the plan") };
    const s = await start(
      admin,
      { accountId: wa.id, person: { kind: "phone", phone: "+4915112345678" }, text: "See the plan", files: [file] },
      slowAnswer,
    );
    const { chatId } = await s.deliver();
    await settled();
    expect(chatId).not.toBe(s.optimisticId);
    expect(await db.chat.count({ where: { id: s.optimisticId } })).toBe(0);
    const messages = await db.message.findMany({
      where: { chatId: chatId! },
      select: { text: true, status: true, attachments: { select: { name: true } } },
    });
    expect(messages).toEqual([{ text: "See the plan", status: "sent", attachments: [{ name: "plan.txt" }] }]);
    expect(await db.outboxFile.count()).toBe(0);
  });

  it("opens the chat already held with that person instead of making a second one", async () => {
    const li = account("LINKEDIN");
    const existing = [...h.sim.store.chats.values()].find((c) => c.account_id === li.id && c.type === 0 && !c.content_type)!;
    const { chat } = await ensureChat(existing.id, li.id);
    const person = await db.attendee.findFirstOrThrow({
      where: { accountId: li.id, providerId: existing.attendee_provider_id! },
    });
    const found = await apiAs(admin).people.search({ accountId: li.id, query: person.name!.split(" ")[0]! });
    expect(found.map((p) => p.attendeeId)).toContain(person.id);

    const s = await start(admin, { accountId: li.id, person: { kind: "attendee", attendeeId: person.id }, text: "Following up" });
    const { chatId } = await s.deliver();
    await settled();
    expect(chatId).toBe(chat.id);
    expect(await db.chat.count({ where: { id: s.optimisticId } })).toBe(0);
    expect(await db.message.count({ where: { chatId: chat.id, text: "Following up" } })).toBe(1);
  });

  it("sends an InMail with its subject to a LinkedIn profile link, looked up in Unipile", async () => {
    const li = account("LINKEDIN");
    const henrik = LINKEDIN_DIRECTORY.find((p) => p.network_distance === "OUT_OF_NETWORK")!;
    const url = `https://www.linkedin.com/in/${henrik.public_identifier}/`;
    expect(await apiAs(admin).people.resolve({ accountId: li.id, person: { kind: "linkedin", url } })).toMatchObject({
      name: "Henrik Dahl",
      providerId: henrik.provider_id,
    });
    const s = await start(admin, {
      accountId: li.id,
      person: { kind: "linkedin", url },
      text: "Hello Henrik",
      inmail: true,
      subject: "Partnership",
    });
    const { chatId } = await s.deliver();
    await settled();
    const chat = await db.chat.findUniqueOrThrow({ where: { id: chatId! }, select: { name: true, raw: true } });
    expect(chat.name).toBe("Henrik Dahl");
    expect(chat.raw).toMatchObject({ subject: "Partnership", content_type: "inmail" });
  });

  it("on a refusal or a Unipile fault the optimistic chat is rolled back, with a clear reason", async () => {
    const li = account("LINKEDIN");
    const wa = account("WHATSAPP");
    const chatsBefore = await db.chat.count();
    const henrik = LINKEDIN_DIRECTORY.find((p) => p.network_distance === "OUT_OF_NETWORK")!;
    const refused = await start(admin, {
      accountId: li.id,
      person: { kind: "linkedin", url: `linkedin.com/in/${henrik.public_identifier}` },
      text: "Hi",
    });
    await expect(refused.deliver()).rejects.toMatchObject({
      code: "UPSTREAM",
      message: expect.stringMatching(/Unipile answered 422 .*InMail/),
    });

    await simControl(h.sim.url, "faults", { sendFailStatus: 503 });
    const fault = await start(admin, { accountId: wa.id, person: { kind: "phone", phone: "+447700900123" }, text: "Hello?" });
    await expect(fault.deliver()).rejects.toMatchObject({
      code: "UPSTREAM",
      message: expect.stringMatching(/Unipile answered 503/),
    });
    await simControl(h.sim.url, "faults", {});
    expect(await db.chat.count()).toBe(chatsBefore);
    expect(await db.message.count({ where: { clientTxnId: { in: [refused.clientTxnId, fault.clientTxnId] } } })).toBe(0);
  });

  it("drops a start whose delivery never came, once it is old, with the next start", async () => {
    const wa = account("WHATSAPP");
    const old = await db.chat.create({
      data: {
        unipileId: "pending-start:abandoned-1",
        accountId: wa.id,
        name: "Abandoned",
        createdAt: new Date(Date.now() - 3600_000),
      },
    });
    const fresh = await start(admin, { accountId: wa.id, person: { kind: "phone", phone: "+33700000001" }, text: "Still here" });
    expect(await db.chat.count({ where: { id: old.id } })).toBe(0);
    expect(await db.chat.count({ where: { id: fresh.optimisticId } })).toBe(1);
  });

  it("refuses an account the agent has no grant for, a bad number and a number on LinkedIn, storing nothing", async () => {
    const chatsBefore = await db.chat.count();
    const phone = { kind: "phone" as const, phone: "+33612345678" };
    await expect(start(agent, { accountId: account("LINKEDIN").id, person: phone, text: "x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      start(agent, { accountId: account("WHATSAPP").id, person: { kind: "phone", phone: "0612" }, text: "x" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/international form/),
    });
    await expect(start(admin, { accountId: account("LINKEDIN").id, person: phone, text: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      start(admin, { accountId: account("WHATSAPP").id, person: phone, text: "x", inmail: true }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.chat.count()).toBe(chatsBefore);
  });
});
