// Snoozed chats wake by themselves: on time (a local timer armed to the next due time, re-armed when a
// snooze is set), everything overdue at start (a restart loses nothing), each chat exactly once when
// several wakers race (SKIP LOCKED), back in Open marked woken, with an activity row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { subscribe } from "@/server/realtime/bus.ts";
import { assignChats, snoozeChats } from "@/server/services/team-service.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { seedAdminAndAgent } from "@test/support/users.ts";
import { startWakeupWorker, wakeDueChats } from "./wakeups.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let chats: { id: string; accountId: string }[];

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.create({ data: { id: "acc_a", provider: "WHATSAPP", name: "A" } });
  chats = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      db.chat.create({
        data: { unipileId: `u_${i}`, accountId: "acc_a", name: `Chat ${i}` },
        select: { id: true, accountId: true },
      }),
    ),
  );
  ({ admin } = await seedAdminAndAgent({ agentAccounts: ["acc_a"] }));
});
afterAll(() => testDb?.close());

const state = (id: string) =>
  db.chat.findUniqueOrThrow({ where: { id }, select: { workState: true, wokenAt: true, snoozedUntil: true } });

/**
 * Resolves with the time of the first chat.updated for `chatId` published after this call after which
 * `done` holds (on a server, the snooze's own event may still arrive after the snooze returned).
 */
async function nextUpdate(chatId: string, timeoutMs: number, done: () => Promise<boolean> = async () => true) {
  const controller = new AbortController();
  const stream = await subscribe((e) => e.type === "chat.updated" && e.chatId === chatId, { signal: controller.signal });
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  return (async () => {
    for await (const _ of stream) {
      if (!(await done())) continue;
      clearTimeout(timer);
      controller.abort();
      return Date.now();
    }
    throw new Error(`no chat.updated for ${chatId} within ${timeoutMs} ms`);
  })();
}

describe("snooze wakeups", () => {
  it("wakes a chat snoozed for 1.5 s on time, armed by the snooze itself, marked woken", async () => {
    const worker = await startWakeupWorker(); // nothing is snoozed yet: it sleeps its longest
    try {
      const [chat] = chats as [(typeof chats)[number]];
      const until = new Date(Date.now() + 1500);
      await snoozeChats(admin, [chat], { until, untilReply: false });
      const woke = nextUpdate(chat.id, 6_000, async () => (await state(chat.id)).workState === "open");
      const at = await woke;
      expect(at).toBeGreaterThanOrEqual(until.getTime() - 20);
      // Armed by the snooze: without it the worker would sleep its longest (60 s). The slack is for a busy CI machine.
      expect(at - until.getTime()).toBeLessThan(3000);
      expect(await state(chat.id)).toMatchObject({ workState: "open", wokenAt: expect.any(Date), snoozedUntil: null });
      const rows = await db.chatActivity.findMany({
        where: { chatId: chat.id },
        orderBy: { id: "asc" },
        select: { kind: true, actorId: true },
      });
      expect(rows).toEqual([
        { kind: "snoozed", actorId: admin.id },
        { kind: "woken", actorId: null },
      ]);
      // Acting on a woken chat clears the mark.
      await assignChats(admin, [chat], admin.id);
      expect((await state(chat.id)).wokenAt).toBeNull();
    } finally {
      await worker.stop();
    }
  });

  it("wakes at start everything that fell due while no instance was running", async () => {
    const overdue = chats[1]!;
    await snoozeChats(admin, [overdue], { until: new Date(Date.now() + 60_000), untilReply: false });
    // The snooze ran out while Parley was down.
    await db.chat.update({ where: { id: overdue.id }, data: { snoozedUntil: new Date(Date.now() - 3_600_000) } });
    const worker = await startWakeupWorker();
    try {
      expect((await state(overdue.id)).workState).toBe("open");
    } finally {
      await worker.stop();
    }
  });

  it("wakes each due chat once when several instances claim at the same moment", async () => {
    const due = [chats[2]!, chats[3]!];
    await snoozeChats(admin, due, { until: new Date(Date.now() + 60_000), untilReply: false });
    await db.chat.updateMany({
      where: { id: { in: due.map((c) => c.id) } },
      data: { snoozedUntil: new Date(Date.now() - 1000) },
    });
    const counts = await Promise.all([wakeDueChats(), wakeDueChats(), wakeDueChats()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await db.chatActivity.count({ where: { kind: "woken", chatId: { in: due.map((c) => c.id) } } })).toBe(2);
  });

  it("leaves a chat snoozed until they reply alone", async () => {
    const chat = chats[0]!;
    await snoozeChats(admin, [chat], { until: null, untilReply: true });
    expect(await wakeDueChats()).toBe(0);
    expect((await state(chat.id)).workState).toBe("snoozed");
  });
});
