// How many statements a chat list page and a thread page cost: each one is a round trip to the
// database, and at today's sizes the round trips, not the database's work, are most of a page's time
// (bench/reads: serviceOverRaw, roundTrips).
import { describe, expect, it } from "vitest";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { statementsOf } from "@test/support/sql-capture.ts";
import { assertChatAccess } from "../access.ts";
import { disconnectDb } from "../db.ts";
import { listChats } from "./chat-service.ts";
import { listMessages } from "./message-service.ts";

const statements = async (fn: () => Promise<unknown>) => (await statementsOf(fn)).map((s) => s.text);

const inbox = seededInbox();

describe("a chat list page", () => {
  it("is one statement for an admin (walks and every row's data together), one more for an agent's grants", async () => {
    const sql = await statements(() => listChats(inbox.admin, { limit: 50 }));
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/UNION ALL/);
    expect(sql[0]).toMatch(/"ChatLabel"/);
    const agent = await statements(() => listChats(inbox.agent, { limit: 50 }));
    expect(agent).toHaveLength(2);
    expect(agent[0]).toMatch(/"AccountGrant"/);
  });

  it("reads again after the app reconnects (on PGlite the named statement outlives its connection)", async () => {
    const before = await listChats(inbox.admin, { limit: 50 });
    await disconnectDb();
    expect((await listChats(inbox.admin, { limit: 50 })).items.map((c) => c.id)).toEqual(before.items.map((c) => c.id));
  });

  it("still lists the same chats, newest first, with their names", async () => {
    const page = await listChats(inbox.admin, { limit: 50 });
    expect(page.items.map((c) => c.displayName)).toEqual(["Board member", "Launch crew", "Ana Lima"]);
    expect(page.nextCursor).toBeNull();
    const first = await listChats(inbox.admin, { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([inbox.chats.secret, inbox.chats.group]);
    const rest = await listChats(inbox.admin, { limit: 2, cursor: first.nextCursor });
    expect(rest.items.map((c) => c.id)).toEqual([inbox.chats.unnamed]);
  });
});

describe("a thread page", () => {
  it("asks for its notes and activity lines in one statement when the stretch has none (no relation queries)", async () => {
    const chat = await assertChatAccess(inbox.admin, inbox.chats.group);
    const sql = await statements(() => listMessages(chat, { limit: 50 }));
    const timeline = sql.filter((s) => /"ChatNote"|"ChatActivity"|"NoteMention"|"User"/.test(s));
    // Were six: notes, their authors and mentions, activities and their actors, each an IN (NULL) when empty; then two.
    expect(timeline).toHaveLength(1);
    expect(sql.some((s) => /"NoteMention"/.test(s))).toBe(false);
  });
});
