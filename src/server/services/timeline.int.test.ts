// The thread's timeline on a real database: notes and activity lines page with the messages, each
// exactly once, on whichever side of a page boundary their time falls — going older from the latest
// page, and both ways around a message (search hits).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { apiAs as api } from "@test/support/users.ts";

const inbox = seededInbox();
const t0 = new Date("2025-03-01T00:00:00Z").getTime();
const at = (minute: number, seconds = 0) => new Date(t0 + minute * 60_000 + seconds * 1000);
const expected: string[] = [];

type Page = Awaited<ReturnType<ReturnType<typeof api>["message"]["list"]>>;

beforeAll(async () => {
  // An entry at every message's own instant (ties at page boundaries), one between messages, and
  // one before the first and after the last message: 120 + 120 + 2 entries around 121 messages.
  for (let i = 0; i < 120; i++) {
    const note = await db.chatNote.create({
      data: { chatId: inbox.chats.group, authorId: inbox.agent.id, text: `note at ${i}`, createdAt: at(i) },
    });
    const act = await db.chatActivity.create({
      data: {
        chatId: inbox.chats.group,
        actorId: i % 3 ? inbox.admin.id : null,
        kind: "assigned",
        details: { assigneeId: i % 5 ? inbox.agent.id : "gone-user" },
        at: at(i, 30),
      },
    });
    expected.push(`note-${note.id}`, `activity-${act.id}`);
  }
  const early = await db.chatNote.create({
    data: { chatId: inbox.chats.group, authorId: inbox.admin.id, text: "before everything", createdAt: at(-10) },
  });
  const late = await db.chatNote.create({
    data: { chatId: inbox.chats.group, authorId: inbox.admin.id, text: "after everything", createdAt: at(500) },
  });
  expected.push(`note-${early.id}`, `note-${late.id}`);
});

const keys = (p: Page) => p.timeline.map((e) => `${e.type}-${e.id}`);

/** Every entry of a page lies within the stretch of time its messages span (open at the ends); for pages
 * fetched from the latest going older, and for a window around a message. */
function expectWithin(p: Page) {
  const first = p.items[0]!.sentAt.getTime();
  const last = p.items.at(-1)!.sentAt.getTime();
  for (const e of p.timeline) {
    if (p.older) expect(e.at.getTime()).toBeGreaterThanOrEqual(first);
    if (p.newer) expect(e.at.getTime()).toBeLessThanOrEqual(last);
  }
}

describe("thread timeline", () => {
  it("pages older from the latest page with every note and activity exactly once, in time order", async () => {
    const a = api(inbox.agent);
    const pages: Page[] = [await a.message.list({ chatId: inbox.chats.group, limit: 50 })];
    while (pages.at(-1)!.older)
      pages.push(
        await a.message.list({ chatId: inbox.chats.group, limit: 50, cursor: { dir: "older", at: pages.at(-1)!.older! } }),
      );
    expect(pages).toHaveLength(3);
    pages.forEach(expectWithin);
    const seen = pages.flatMap(keys);
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    // the tie at the oldest message of the latest page belongs to that page, not to the next one
    const boundary = pages[0]!.items[0]!.sentAt.getTime();
    expect(pages[0]!.timeline.some((e) => e.at.getTime() === boundary)).toBe(true);
    expect(pages[1]!.timeline.some((e) => e.at.getTime() === boundary)).toBe(false);
    for (const p of pages)
      expect(p.timeline.map((e) => e.at.getTime())).toEqual(p.timeline.map((e) => e.at.getTime()).sort((x, y) => x - y));
    expect(pages[0]!.timeline.at(-1)).toMatchObject({ type: "note", text: "after everything" });
    expect(pages.at(-1)!.timeline[0]).toMatchObject({ type: "note", text: "before everything" });
  });

  it("pages both ways around a message without losing or repeating an entry", async () => {
    const a = api(inbox.agent);
    const hit = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_60" } });
    const window = await a.message.list({ chatId: inbox.chats.group, limit: 20, anchorId: hit.id });
    const pages: Page[] = [window];
    let older = window.older;
    while (older) {
      const p = await a.message.list({ chatId: inbox.chats.group, limit: 20, cursor: { dir: "older", at: older } });
      pages.push(p);
      older = p.older;
    }
    let newer = window.newer;
    while (newer) {
      const p = await a.message.list({ chatId: inbox.chats.group, limit: 20, cursor: { dir: "newer", at: newer } });
      pages.push(p);
      newer = p.newer;
    }
    // A newer page owns the time from its cursor on (what lies between the cursor and its first message).
    expectWithin(window);
    const seen = pages.flatMap(keys);
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
  });

  it("names who acted: users by name, Parley when nobody did, Someone for an assignee who is gone", async () => {
    const page = await api(inbox.agent).message.list({ chatId: inbox.chats.group, limit: 50 });
    const acts = page.timeline.filter((e) => e.type === "activity");
    expect(acts.some((e) => e.actor === null)).toBe(true);
    expect(acts.find((e) => e.actor !== null)!.actor).toEqual({ id: inbox.admin.id, name: "admin" });
    expect(acts.some((e) => e.subject?.name === "Someone")).toBe(true);
    expect(acts.some((e) => e.subject?.name === "agent")).toBe(true);
  });

  it("a chat with notes but no messages shows them on its only page", async () => {
    const chat = await db.chat.create({ data: { unipileId: "u_empty", accountId: "acc_wa", name: "Empty" } });
    await api(inbox.agent).note.add({ chatId: chat.id, text: "nobody wrote yet" });
    const page = await api(inbox.agent).message.list({ chatId: chat.id, limit: 50 });
    expect(page.items).toHaveLength(0);
    expect(page.timeline.map((e) => e.type === "note" && e.text)).toEqual(["nobody wrote yet"]);
  });
});
