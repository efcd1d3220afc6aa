// Who may see sync state and start a resync: admins see everything; agents only a granted chat's
// health line, without the resync button; bad input is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { seedAdminAndAgent } from "@test/support/users.ts";
import { queueChatSync, requestResync } from "./runs.ts";
import { pruneSyncRuns } from "./worker.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let agent: SessionUser;
let grantedChat: string;
let otherChat: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.createMany({
    data: [
      { id: "acc_a", provider: "WHATSAPP", name: "Granted", status: "OK" },
      { id: "acc_b", provider: "LINKEDIN", name: "Other", status: "CREDENTIALS" },
    ],
  });
  grantedChat = (await db.chat.create({ data: { unipileId: "ca", accountId: "acc_a", name: "Ana", syncErrorCount: 2, syncLastError: "Unipile 500" } })).id;
  otherChat = (await db.chat.create({ data: { unipileId: "cb", accountId: "acc_b", name: "Bo", lastSyncedAt: new Date() } })).id;
  ({ admin, agent } = await seedAdminAndAgent({ agentAccounts: ["acc_a"], adminEmail: "root@example.com" }));
});
afterAll(() => testDb?.close());

const as = (u: SessionUser | null) => createCaller(createContext(u));

describe("sync router", () => {
  it("refuses runs, accounts and chats to agents and to anonymous callers", async () => {
    await expect(as(agent).sync.runs()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(agent).sync.accounts()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(agent).sync.chats({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(null).sync.runs()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("shows an agent the health of a granted chat without the resync button, and nothing of other chats", async () => {
    const h = await as(agent).sync.chatHealth({ chatId: grantedChat });
    expect(h).toMatchObject({ syncErrorCount: 2, syncLastError: "Unipile 500", canResync: false, syncing: false });
    await expect(as(agent).sync.chatHealth({ chatId: otherChat })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(agent).sync.chatHealth({ chatId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await as(admin).sync.chatHealth({ chatId: otherChat })).canResync).toBe(true);
  });

  it("lists account and chat health for admins, failing chats first", async () => {
    const accounts = await as(admin).sync.accounts();
    expect(accounts.map((a) => [a.name, a.status, a.failing])).toEqual([
      ["Granted", "OK", 1],
      ["Other", "CREDENTIALS", 0],
    ]);
    const chats = await as(admin).sync.chats({});
    expect(chats.items.map((c) => c.name)).toEqual(["Ana", "Bo"]);
    expect((await as(admin).sync.chats({ failingOnly: true })).items.map((c) => c.name)).toEqual(["Ana"]);
    expect((await as(admin).sync.chats({ query: "bo" })).total).toBe(1);
  });

  it("a resync request queues one run, shows it, and a second press returns the same run", async () => {
    const first = await requestResync({ scope: "chat", chatId: grantedChat }, admin.email);
    const second = await requestResync({ scope: "chat", chatId: grantedChat }, admin.email);
    expect(first.created).toBe(true);
    expect(second).toEqual({ runId: first.runId, created: false });
    const runs = await as(admin).sync.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: first.runId, status: "queued", scope: "chat", target: "Ana", full: true, requestedBy: "root@example.com" });
    expect((await as(agent).sync.chatHealth({ chatId: grantedChat })).syncing).toBe(true);
  });

  it("webhook gap fills stay out of the run list unless asked for", async () => {
    const gap = await queueChatSync(otherChat, "gap");
    expect((await as(admin).sync.runs()).map((r) => r.id)).not.toContain(gap.runId);
    const all = await as(admin).sync.runs({ automatic: true });
    expect(all.find((r) => r.id === gap.runId)).toMatchObject({ automatic: true, reason: "gap", scope: "chat" });
    expect(all.filter((r) => !r.automatic)).toHaveLength(1);
    await db.syncRun.delete({ where: { id: gap.runId } });
  });

  it("an unknown chat or account is a 404 and queues nothing", async () => {
    await expect(requestResync({ scope: "chat", chatId: "missing" }, admin.email)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(requestResync({ scope: "account", accountId: "missing" }, admin.email)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.syncRun.count()).toBe(1);
  });

  it("old finished runs are pruned; recent and active ones stay", async () => {
    const old = new Date(Date.now() - 40 * 86400_000);
    await db.syncRun.create({ data: { scope: "all", status: "succeeded", startedAt: old, finishedAt: old } });
    await db.syncRun.create({ data: { scope: "all", status: "failed", startedAt: new Date(), finishedAt: new Date() } });
    expect(await pruneSyncRuns()).toBe(1);
    expect(await db.syncRun.count()).toBe(2);
  });
});
