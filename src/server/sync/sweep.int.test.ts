// The periodic sweep against the real simulator over HTTP: messages whose webhooks Unipile dropped
// appear after one sweep, chat state changed elsewhere is taken, and a sweep with nothing new
// costs one request per account.
import { expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { simulatorBehindBridge } from "@test/support/webhook-bridge.ts";
import { simControl } from "../../../simulator/testing.ts";
import { enqueueSync, getRun, type RunCounters } from "./runs.ts";
import { lastSweep, queueSweep } from "./sweep.ts";
import { startSyncWorker } from "./worker.ts";

const SECRET = "whsec-sweep-0123456789abcdef";
const h = simulatorBehindBridge({ secret: SECRET, seed: 7, chats: 8, messages: 5 });

async function runToEnd(queued: Promise<{ runId: string }>) {
  const { runId } = await queued;
  const worker = startSyncWorker({ client: h.client, pollMs: 20 });
  await worker.idle();
  await worker.stop();
  const run = await getRun(runId);
  expect(run?.status).toBe("succeeded");
  // A chat whose walk failed stays unsynced, and the next sweep would count its history as repaired.
  expect(run!.counters.errors, run!.counters.lastErrors.map((e) => e.message).join("; ")).toBe(0);
  return run!;
}

async function requestCounts(): Promise<Record<string, number>> {
  return (await simControl<{ requests: Record<string, number> }>(h.sim.url, "stats")).requests;
}
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

it("brings the messages of dropped webhooks and chat state within one sweep; an idle sweep costs a request per account", async () => {
  await runToEnd(enqueueSync({ scope: "all", reason: "startup" }));
  const wa = h.sim.store.accounts.find((a) => a.type === "WHATSAPP")!;
  const [chat, other] = [...h.sim.store.chats.values()].filter((c) => c.account_id === wa.id);

  // Unipile gives up on three deliveries of one chat, then delivers a fourth.
  await simControl(h.sim.url, "faults", { webhookDropChatIds: [chat!.id] });
  const dropped: string[] = [];
  for (const text of ["first, dropped", "second, dropped", "third, dropped"]) {
    dropped.push((await simControl<{ message_id: string }>(h.sim.url, "inbound", { chat_id: chat!.id, text })).message_id);
  }
  await simControl(h.sim.url, "faults", {});
  const { message_id: delivered } = await simControl<{ message_id: string }>(h.sim.url, "inbound", {
    chat_id: chat!.id,
    text: "fourth, delivered",
  });
  // Archived and muted on the phone: v1 sends no webhook for either.
  Object.assign(other!, { archived: 1, muted_until: -1 });
  await h.sim.webhooks.idle();
  await drainApplyQueue();
  expect((await simControl<{ webhooks: { dropped: number } }>(h.sim.url, "stats")).webhooks.dropped).toBe(3);
  expect(await db.message.count({ where: { unipileId: { in: dropped } } })).toBe(0);
  expect(await db.message.count({ where: { unipileId: delivered } })).toBe(1);

  await runToEnd(queueSweep());
  const stored = await db.message.findMany({
    where: { unipileId: { in: dropped } },
    select: { text: true },
    orderBy: { sentAt: "asc" },
  });
  expect(stored.map((m) => m.text)).toEqual(["first, dropped", "second, dropped", "third, dropped"]);
  expect(
    await db.chat.findUniqueOrThrow({ where: { unipileId: chat!.id }, select: { unreadCount: true, lastMessagePreview: true } }),
  ).toEqual({
    unreadCount: chat!.unread_count,
    lastMessagePreview: "fourth, delivered",
  });
  expect(await db.chat.findUniqueOrThrow({ where: { unipileId: other!.id }, select: { archived: true, muted: true } })).toEqual({
    archived: true,
    muted: true,
  });
  // The admin sync page's line.
  const shown = await lastSweep();
  // Every run with its counters, should this ever differ (it did once on a loaded CI machine, not reproduced here).
  const runs = (
    await db.syncRun.findMany({ select: { scope: true, checkpoint: true, counters: true }, orderBy: { startedAt: "asc" } })
  )
    .map(({ scope, checkpoint, counters }) => {
      const c = counters as RunCounters;
      return `${scope}/${(checkpoint as { reason?: string }).reason}: +${c.messagesNew} msgs, +${c.chatsNew} chats, ${c.errors} errors ${c.lastErrors[0]?.message ?? ""}`;
    })
    .join("; ");
  expect(shown, runs).toMatchObject({ status: "succeeded", finishedAt: expect.any(Date), repaired: { messages: 3, chats: 0 } });
  expect(shown!.repaired.refreshed).toBeGreaterThanOrEqual(2);

  // Nothing changed since: one chats page per OK account, no message calls, nothing repaired.
  const before = await requestCounts();
  await runToEnd(queueSweep());
  const after = await requestCounts();
  const okAccounts = await db.account.count({ where: { status: "OK" } });
  expect((after["GET /api/v1/chats"] ?? 0) - (before["GET /api/v1/chats"] ?? 0)).toBe(okAccounts);
  expect(total(after) - total(before)).toBe(okAccounts);
  expect(await lastSweep()).toMatchObject({ repaired: { messages: 0, chats: 0, refreshed: 0 } });
});

it("is absorbed by a sync of everything that is already queued, and never absorbs one", async () => {
  const full = await enqueueSync({ scope: "all", reason: "startup" });
  expect(await queueSweep()).toEqual({ runId: full.runId, created: false });
  await runToEnd(Promise.resolve(full));
  const sweep = await queueSweep();
  expect(sweep.created).toBe(true);
  const startup = await enqueueSync({ scope: "all", reason: "startup" });
  expect(startup.created).toBe(true);
  await runToEnd(Promise.resolve(startup));
});
