// chat-service against a real (migrated) PostgreSQL: the unified list, one chat, read state.
import { describe, expect, it } from "vitest";
import { assertChatAccess } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { UnipileError } from "@/server/unipile/errors.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { apiAs as api } from "@test/support/users.ts";
import { setChatRead } from "./chat-service.ts";

const inbox = seededInbox();

describe("chat list", () => {
  it("is unified across accounts, newest first, with a 1:1 chat named after the other person", async () => {
    const page = await api(inbox.admin).chat.list({});
    expect(page.items.map((c) => c.displayName)).toEqual(["Board member", "Launch crew", "Ana Lima"]);
    const board = page.items[0]!;
    expect(board.account.provider).toBe("LINKEDIN");
    expect(board.accountHealthy).toBe(false);
  });

  it("combines filters: unread, provider, 1:1 vs group, account", async () => {
    const a = api(inbox.admin);
    expect((await a.chat.list({ unreadOnly: true })).items.map((c) => c.displayName)).toEqual(["Ana Lima"]);
    expect((await a.chat.list({ provider: "LINKEDIN" })).items.map((c) => c.displayName)).toEqual(["Board member"]);
    expect((await a.chat.list({ kind: "group" })).items.map((c) => c.displayName)).toEqual(["Launch crew"]);
    expect((await a.chat.list({ kind: "single", accountId: "acc_wa" })).items.map((c) => c.displayName)).toEqual(["Ana Lima"]);
    expect((await a.chat.list({ kind: "group", unreadOnly: true })).items).toEqual([]);
  });

  it("pages with a cursor without gaps or repeats", async () => {
    const a = api(inbox.admin);
    const first = await a.chat.list({ limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await a.chat.list({ limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((c) => c.displayName)).toEqual(["Board member", "Launch crew", "Ana Lima"]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("an agent without a grant", () => {
  it("never sees the account's chats in the list, even filtering by provider", async () => {
    expect((await api(inbox.agent).chat.list({})).items.map((c) => c.displayName)).toEqual(["Launch crew", "Ana Lima"]);
    expect((await api(inbox.agent).chat.list({ provider: "LINKEDIN" })).items).toEqual([]);
  });

  it("gets 403 opening the chat or its messages directly", async () => {
    expect((await http("chat.get", inbox.agent, { chatId: inbox.chats.secret })).status).toBe(403);
    expect((await http("message.list", inbox.agent, { chatId: inbox.chats.secret })).status).toBe(403);
    await expect(api(inbox.agent).message.list({ chatId: inbox.chats.secret })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("cannot mark it read: the action's grant check refuses before anything changes", async () => {
    await expect(assertChatAccess(inbox.agent, inbox.chats.secret)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("read state", () => {
  // What setChatReadAction hands the service after its grant check.
  const unnamed = () => ({ id: inbox.chats.unnamed, accountId: "acc_wa" });

  it("marks read locally and in Unipile, and unread again", async () => {
    const calls: [string, boolean][] = [];
    const remote = async (id: string, read: boolean) => {
      calls.push([id, read]);
    };
    await setChatRead(unnamed(), true, remote);
    expect((await db.chat.findUniqueOrThrow({ where: { id: inbox.chats.unnamed } })).unreadCount).toBe(0);
    await setChatRead(unnamed(), false, remote);
    expect((await db.chat.findUniqueOrThrow({ where: { id: inbox.chats.unnamed } })).unreadCount).toBe(1);
    expect(calls).toEqual([
      ["u_chat_ana", true],
      ["u_chat_ana", false],
    ]);
  });

  it("keeps the local state and reports UPSTREAM when Unipile refuses", async () => {
    const down = async () => {
      throw new UnipileError({ status: 503, slug: "errors/service_unavailable", title: "Service unavailable" });
    };
    await expect(setChatRead(unnamed(), true, down)).rejects.toMatchObject({ code: "UPSTREAM" });
    expect((await db.chat.findUniqueOrThrow({ where: { id: inbox.chats.unnamed } })).unreadCount).toBe(0);
  });
});

describe("profile pictures", () => {
  it("the list points a 1:1 chat at its person's picture through our route, never at Unipile's URL", async () => {
    const page = await api(inbox.agent).chat.list({ limit: 10 });
    const byId = new Map(page.items.map((c) => [c.id, c]));
    const ana = await db.attendee.findFirstOrThrow({ where: { providerId: "p_ana" } });
    expect(byId.get(inbox.chats.unnamed)?.avatarUrl).toBe(`/api/avatars/${ana.id}`);
    expect(byId.get(inbox.chats.group)?.avatarUrl).toBeNull();
    expect(JSON.stringify(page)).not.toContain("cdn.example");
  });
});

describe("chats without messages", () => {
  it("come after every active chat, and cursor pages walk across the boundary without gaps", async () => {
    await db.chat.createMany({
      data: [
        { unipileId: "u_empty_1", accountId: "acc_wa", name: "Empty one" },
        { unipileId: "u_empty_2", accountId: "acc_wa", name: "Empty two" },
      ],
    });
    const names: string[] = [];
    let cursor: Awaited<ReturnType<ReturnType<typeof api>["chat"]["list"]>>["nextCursor"] = null;
    do {
      const page = await api(inbox.admin).chat.list({ limit: 2, cursor });
      names.push(...page.items.map((c) => c.displayName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names.slice(0, 3)).toEqual(["Board member", "Launch crew", "Ana Lima"]);
    expect(names.slice(3).sort()).toEqual(["Empty one", "Empty two"]);
    expect(names).toHaveLength(5);
  });
});
