// Archive, pin and mute both ways against the real simulator over HTTP and a real database: from
// Parley (Unipile first, then our row and a chat.updated event; a fault or a refusal changes nothing)
// and from Unipile (changed on the phone: v1 sends no webhook, a sweep takes the chat's fields).
import { expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { upsertChats } from "@/server/store/chats.ts";
import { enqueueSync, getRun } from "@/server/sync/runs.ts";
import { queueSweep } from "@/server/sync/sweep.ts";
import { startSyncWorker } from "@/server/sync/worker.ts";
import { simulatorBehindBridge } from "@test/support/webhook-bridge.ts";
import { simControl } from "../../../simulator/testing.ts";
import { listChats } from "./chat-service.ts";
import { type ChatStateChange, setChatState } from "./chat-state-service.ts";

const h = simulatorBehindBridge({ secret: "whsec-chatstate-0123456789abcdef", seed: 11, chats: 8, messages: 3 });
const admin: SessionUser = { id: "u-admin", email: "admin@example.com", name: null, role: "admin" };

async function runToEnd(queued: Promise<{ runId: string }>) {
  const { runId } = await queued;
  const worker = startSyncWorker({ client: h.client, pollMs: 20 });
  await worker.idle();
  await worker.stop();
  expect((await getRun(runId))?.status).toBe("succeeded");
}

async function ourChat(type: string, n = 0) {
  const sim = [...h.sim.store.chats.values()].filter(
    (c) => c.account_type === type && h.sim.store.account(c.account_id)!.status === "OK",
  )[n]!;
  const row = await db.chat.findUniqueOrThrow({ where: { unipileId: sim.id }, select: { id: true, accountId: true } });
  return { sim, checked: row };
}
const state = (id: string) =>
  db.chat.findUniqueOrThrow({ where: { id }, select: { archived: true, pinned: true, muted: true, mutedUntil: true } });
const change = (checked: { id: string; accountId: string }, c: ChatStateChange) =>
  setChatState(checked, c, (unipileId, wire) => h.client.setChatStatus(unipileId, wire));
const lastEventId = async () => (await db.realtimeEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
const updatedSince = async (after: bigint) =>
  (await db.realtimeEvent.findMany({ where: { id: { gt: after } }, select: { payload: true } }))
    .map((r) => r.payload as { type: string; chatId?: string })
    .filter((e) => e.type === "chat.updated")
    .map((e) => e.chatId);
const listed = async (input: Partial<Parameters<typeof listChats>[1]> = {}) =>
  (await listChats(admin, { limit: 200, ...input })).items.map((c) => c.id);

it("syncs first: every chat is open, unpinned or pinned as Unipile says", async () => {
  await runToEnd(enqueueSync({ scope: "all", reason: "startup" }));
  const pinnedInSim = [...h.sim.store.chats.values()]
    .filter((c) => c.pinned && h.sim.store.account(c.account_id)!.status === "OK")
    .map((c) => c.id);
  const pinnedHere = await db.chat.findMany({ where: { pinned: true }, select: { unipileId: true } });
  expect(pinnedHere.map((c) => c.unipileId).sort()).toEqual(pinnedInSim.sort());
});

it("archives from Parley: Unipile first, then our row and chat.updated; the chat leaves the default list for the Archived view", async () => {
  const { sim, checked } = await ourChat("WHATSAPP");
  const before = await lastEventId();
  expect(await change(checked, { action: "archive", value: true })).toMatchObject({ archived: true });
  expect(sim.archived).toBe(1);
  expect((await state(checked.id)).archived).toBe(true);
  expect(await updatedSince(before)).toContain(checked.id);
  expect(await listed()).not.toContain(checked.id);
  expect(await listed({ archived: true })).toEqual([checked.id]);
  await change(checked, { action: "archive", value: false });
  expect(sim.archived).toBe(0);
  expect(await listed()).toContain(checked.id);
});

it("pins from Parley: pinned chats come first in every view, and pages cross from pinned to the rest without gaps", async () => {
  const { sim, checked } = await ourChat("TELEGRAM");
  await change(checked, { action: "pin", value: true });
  expect(sim.pinned).toBe(1);
  const all = await listChats(admin, { limit: 200 });
  const pinnedCount = all.items.filter((c) => c.pinned).length;
  expect(pinnedCount).toBeGreaterThanOrEqual(2);
  expect(all.items.slice(0, pinnedCount).every((c) => c.pinned)).toBe(true);
  expect(all.items.findIndex((c) => c.id === checked.id)).toBeLessThan(pinnedCount);
  // Within the account's own view too.
  expect((await listChats(admin, { limit: 200, accountId: checked.accountId })).items[0]!.id).toBe(checked.id);
  // Page by one: the same order, each chat once.
  const paged: string[] = [];
  let cursor: Parameters<typeof listChats>[1]["cursor"] = null;
  do {
    const page = await listChats(admin, { limit: 1, cursor });
    paged.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(paged).toEqual(all.items.map((c) => c.id));
});

it("mutes until a time or with no end where the provider allows, and unmutes", async () => {
  const { sim, checked } = await ourChat("WHATSAPP", 1);
  const until = new Date(Date.now() + 8 * 3_600_000);
  expect(await change(checked, { action: "mute", value: true, until })).toMatchObject({ muted: true, mutedUntil: until });
  expect(sim.muted_until).toBe(until.toISOString());
  expect((await listChats(admin, { limit: 200 })).items.find((c) => c.id === checked.id)).toMatchObject({ muted: true });
  await change(checked, { action: "mute", value: true, until: null });
  expect([sim.muted_until, (await state(checked.id)).mutedUntil]).toEqual([-1, null]);
  await change(checked, { action: "mute", value: false });
  expect(sim.muted_until).toBeNull();
  expect(await state(checked.id)).toMatchObject({ muted: false, mutedUntil: null });
  // LinkedIn has no timed mute: refused before Unipile is asked.
  const li = await ourChat("LINKEDIN");
  await expect(change(li.checked, { action: "mute", value: true, until })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  expect(li.sim.muted_until).toBeNull();
});

it("a Unipile fault leaves both sides as they were, with a sentence for the toast", async () => {
  const { sim, checked } = await ourChat("WHATSAPP", 2);
  const before = await state(checked.id);
  const lastEvent = await lastEventId();
  await simControl(h.sim.url, "faults", { chatActionFailStatus: 503 });
  try {
    await expect(change(checked, { action: "pin", value: true })).rejects.toMatchObject({
      code: "UPSTREAM",
      message: "Could not pin this chat. Unipile had a problem. Try again in a moment.",
    });
  } finally {
    await simControl(h.sim.url, "faults", {});
  }
  expect(sim.pinned).toBe(0);
  expect(await state(checked.id)).toEqual(before);
  expect(await updatedSince(lastEvent)).not.toContain(checked.id);
});

it("what a provider does not offer is refused without asking Unipile", async () => {
  const { sim, checked } = await ourChat("INSTAGRAM");
  await simControl(h.sim.url, "stats/reset", {});
  await expect(change(checked, { action: "archive", value: true })).rejects.toMatchObject({
    code: "BAD_REQUEST",
    message: "Chats of this app cannot be archived through Unipile.",
  });
  const { requests } = await simControl<{ requests: Record<string, number> }>(h.sim.url, "stats");
  expect(Object.keys(requests).filter((k) => k.startsWith("PATCH"))).toEqual([]);
  expect(sim.archived).toBe(0);
});

it("changed on the phone: no webhook, and one sweep brings archived, pinned and muted with chat.updated", async () => {
  const { sim, checked } = await ourChat("TELEGRAM", 1);
  await simControl(h.sim.url, "chat-state", { chat_id: sim.id, archived: 1, pinned: 1, muted_until: -1 });
  const before = await lastEventId();
  await runToEnd(queueSweep());
  expect(await state(checked.id)).toMatchObject({ archived: true, pinned: true, muted: true });
  expect(await updatedSince(before)).toContain(checked.id);
  expect(await listed({ archived: true })).toContain(checked.id);
  // Back on the phone: the next sweep takes that too.
  await simControl(h.sim.url, "chat-state", { chat_id: sim.id, archived: 0, pinned: 0, muted_until: null });
  await runToEnd(queueSweep());
  expect(await state(checked.id)).toMatchObject({ archived: false, pinned: false, muted: false });
});

it("a chat row without `pinned` (not every provider sends it) keeps the pin we hold", async () => {
  const { sim, checked } = await ourChat("LINKEDIN", 0);
  await db.chat.update({ where: { id: checked.id }, data: { pinned: true } });
  const { pinned: _p, ...withoutPinned } = await h.client.getChat(sim.id);
  await upsertChats([withoutPinned], { publish: false });
  expect((await state(checked.id)).pinned).toBe(true);
});
