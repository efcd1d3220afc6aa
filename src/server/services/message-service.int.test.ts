// message-service against a real (migrated) PostgreSQL: thread pages and the pictures they link.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { apiAs as api } from "@test/support/users.ts";

const inbox = seededInbox();

describe("thread", () => {
  it("pages older messages without gaps and ends at the first message", async () => {
    const a = api(inbox.admin);
    const latest = await a.message.list({ chatId: inbox.chats.group, limit: 50 });
    expect(latest.items).toHaveLength(50);
    expect(latest.items.at(-1)!.text).toBe("message number 119");
    expect(latest.newer).toBeNull();
    const seen = [...latest.items];
    let cursor = latest.older;
    while (cursor) {
      const page = await a.message.list({ chatId: inbox.chats.group, limit: 50, cursor: { dir: "older", at: cursor } });
      seen.unshift(...page.items);
      cursor = page.older;
    }
    // 120 messages + the deleted one (a tombstone without its text).
    expect(seen).toHaveLength(121);
    expect(new Set(seen.map((m) => m.id)).size).toBe(121);
    expect(seen[0]!.text).toBe("message number 0");
    const tomb = seen.find((m) => m.deleted)!;
    expect(tomb.text).toBeNull();
    expect(seen[1]!.senderName).toBe("Ana Lima");
  });

  it("opens a window around a message (a search hit) with cursors both ways", async () => {
    const hit = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_60" } });
    const page = await api(inbox.admin).message.list({ chatId: inbox.chats.group, limit: 20, anchorId: hit.id });
    expect(page.items.map((m) => m.text)).toContain("message number 60");
    expect(page.items[0]!.text).toBe("message number 50");
    expect(page.older).not.toBeNull();
    const newer = await api(inbox.admin).message.list({ chatId: inbox.chats.group, limit: 20, cursor: { dir: "newer", at: page.newer! } });
    expect(newer.items[0]!.text).toBe("message number 71");
  });
});

describe("profile pictures", () => {
  it("a group thread gives each message of others its sender's picture when they have one", async () => {
    const ana = await db.attendee.findFirstOrThrow({ where: { providerId: "p_ana" } });
    const view = await api(inbox.agent).message.list({ chatId: inbox.chats.group, limit: 50 });
    const bySender = new Map(view.items.map((m) => [m.senderName, m.senderAvatarUrl]));
    expect(bySender.get("Ana Lima")).toBe(`/api/avatars/${ana.id}`);
    expect(bySender.get("Bo")).toBeNull();
    expect(JSON.stringify(view)).not.toContain("cdn.example");
  });
});
