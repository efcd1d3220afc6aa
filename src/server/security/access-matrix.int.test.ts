// Every tRPC procedure, taken from the router itself, against anonymous callers, agents and agents
// without the chat's grant. A new procedure without an entry in ACCESS fails this suite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { appRouter, createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { createUser } from "@/server/services/user-service.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";

/** admin: admins only · chat: needs a grant for the chat's account · chats: for every chat of `chatIds` · account: a grant for the account · user: anyone signed in. */
const ACCESS: Record<string, "admin" | "chat" | "chats" | "account" | "user"> = {
  "account.list": "user",
  "chat.list": "user",
  "chat.get": "chat",
  "contact.panel": "chat",
  "contact.people": "user",
  "contact.link": "user",
  "contact.unlink": "user",
  "label.list": "user",
  "label.create": "admin",
  "label.update": "admin",
  "label.delete": "admin",
  "label.set": "chat",
  "label.setMany": "user",
  "message.list": "chat",
  "notification.unread": "user",
  "notification.about": "chat",
  "notification.aboutMention": "chat",
  "preference.get": "user",
  "preference.update": "user",
  "presence.signal": "chat",
  "presence.chat": "chat",
  "people.search": "account",
  "people.resolve": "account",
  "message.react": "chat",
  "message.edit": "chat",
  "message.delete": "chat",
  "message.forward": "chat",
  "note.add": "chat",
  "note.edit": "chat",
  "note.delete": "chat",
  "note.mentionable": "chat",
  "note.mentions": "user",
  "note.markMentionsRead": "user",
  "realtime.chatList": "user",
  "realtime.chat": "chat",
  "realtime.sync": "admin",
  "savedReply.list": "user",
  "savedReply.create": "user",
  "savedReply.update": "user",
  "savedReply.delete": "user",
  "search.messages": "user",
  "security.unlock": "admin",
  "security.endSessions": "admin",
  "security.signOutEverywhere": "user",
  "security.audit": "admin",
  "sync.runs": "admin",
  "sync.lastSweep": "admin",
  "sync.run": "admin",
  "sync.accounts": "admin",
  "sync.chats": "admin",
  "sync.chatHealth": "chat",
  "team.assignees": "chats",
  "team.assign": "chats",
  "team.done": "chats",
  "team.reopen": "chats",
  "team.snooze": "chats",
  "user.me": "user",
  "user.list": "admin",
  "user.add": "admin",
  "user.setDisabled": "admin",
  "user.setRole": "admin",
  "user.resetPassword": "admin",
  "user.grant": "admin",
  "user.revoke": "admin",
  "webhook.list": "admin",
  "webhook.get": "admin",
  "webhook.counts": "admin",
  "webhook.replay": "admin",
};

let testDb: TestDatabase;
let agent: SessionUser;
let hiddenChat: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.createMany({ data: [{ id: "acc_a", provider: "WHATSAPP", name: "A" }, { id: "acc_b", provider: "LINKEDIN", name: "B" }] });
  hiddenChat = (await db.chat.create({ data: { unipileId: "ub", accountId: "acc_b", name: "Hidden" } })).id;
  const g = await createUser({ email: "agent@example.com", password: "password-2", role: "agent", accountIds: ["acc_a"] });
  agent = { id: g.id, email: g.email, name: null, role: "agent" };
});
afterAll(() => testDb?.close());

const paths = Object.keys(appRouter._def.procedures).sort();

function call(user: SessionUser | null, path: string, input: unknown) {
  const caller = createCaller(createContext(user)) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [ns, name] = path.split(".") as [string, string];
  return Promise.resolve().then(() => caller[ns]![name]!(input));
}

describe("access to every procedure", () => {
  it("lists an access rule for every procedure the router has", () => {
    expect(paths).toEqual(Object.keys(ACCESS).sort());
  });

  it.each(paths)("%s refuses anonymous callers", async (path) => {
    await expect(call(null, path, { chatId: hiddenChat, accountId: "acc_b" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it.each(paths.filter((p) => ACCESS[p] === "admin"))("%s refuses agents", async (path) => {
    await expect(call(agent, path, { chatId: hiddenChat, userId: agent.id, email: agent.email, id: "1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it.each(paths.filter((p) => ACCESS[p] === "account"))("%s refuses an agent without the account's grant", async (path) => {
    await expect(call(agent, path, { accountId: "acc_b", query: "a", person: { kind: "phone", phone: "+33612345678" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it.each(paths.filter((p) => ACCESS[p] === "chat"))("%s refuses an agent without the chat's grant", async (path) => {
    await expect(call(agent, path, { chatId: hiddenChat, lastEventId: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it.each(paths.filter((p) => ACCESS[p] === "chats"))("%s refuses an agent without the grant of one of the chats", async (path) => {
    const visible = (await db.chat.create({ data: { unipileId: `ua_${path}`, accountId: "acc_a", name: "Visible" } })).id;
    const input = { chatIds: [visible, hiddenChat], assigneeId: agent.id, until: null, untilReply: true };
    await expect(call(agent, path, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
