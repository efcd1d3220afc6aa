// Collision presence, the user's own preferences and what counts and notifies, through the tRPC API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { apiAs, seedGrantedAndHidden } from "@test/support/users.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let agent: SessionUser;
let chatA: string;
let chatB: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ({ admin, agent, chatA, chatB } = await seedGrantedAndHidden());
  agent = { ...agent, name: "Ana" };
});
afterAll(() => testDb?.close());

describe("presence", () => {
  it("gives an agent no presence and no say for a chat of an account not granted to it", async () => {
    await expect(apiAs(agent).presence.chat({ chatId: chatB })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(apiAs(agent).presence.signal({ chatId: chatB, state: "replying" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("tells the others who is replying, not the typist, and never writes it to the replayed event log", async () => {
    const eventsBefore = await db.realtimeEvent.count();
    const ac = new AbortController();
    const stream = await createCaller(createContext(admin), { signal: ac.signal }).presence.chat({ chatId: chatA });
    // The stream hears signals once its access check and LISTEN are done: until it has heard one,
    // the agent says "left" (never throttled) now and then. Extra "left" signals are set aside below.
    const iterator = stream[Symbol.asyncIterator]();
    const heard = iterator.next();
    let listening = false;
    for (let i = 0; i < 50 && !listening; i++) {
      await apiAs(agent).presence.signal({ chatId: chatA, state: "left" });
      listening = await Promise.race([heard.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))]);
    }
    expect(listening).toBe(true);
    const got = (async () => {
      const out: { userId: string; name: string; state: string }[] = [];
      const timer = setTimeout(() => ac.abort(), 5_000);
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        if (r.value.state !== "left") out.push(r.value);
        if (out.length === 2) break;
      }
      clearTimeout(timer);
      ac.abort();
      return out;
    })();
    // The admin's own signal comes first on the bus and must not come back to the admin.
    await apiAs(admin).presence.signal({ chatId: chatA, state: "viewing" });
    await apiAs(agent).presence.signal({ chatId: chatA, state: "viewing" });
    await apiAs(agent).presence.signal({ chatId: chatA, state: "replying" });
    const items = await got;
    expect(items.map((s) => [s.userId, s.name, s.state])).toEqual([
      [agent.id, "Ana", "viewing"],
      [agent.id, "Ana", "replying"],
    ]);
    expect(await db.realtimeEvent.count()).toBe(eventsBefore);
  });

  it("throttles typing to one signal per 2 s per user and chat, but always says when someone leaves", async () => {
    expect(await apiAs(agent).presence.signal({ chatId: chatA, state: "note" })).toEqual({ sent: true });
    expect(await apiAs(agent).presence.signal({ chatId: chatA, state: "note" })).toEqual({ sent: false });
    expect(await apiAs(agent).presence.signal({ chatId: chatA, state: "left" })).toEqual({ sent: true });
    expect(await apiAs(agent).presence.signal({ chatId: chatA, state: "left" })).toEqual({ sent: true });
  });

  it("refuses a state it does not know", async () => {
    await expect(apiAs(agent).presence.signal({ chatId: chatA, state: "shouting" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("preferences", () => {
  it("starts from the defaults and changes only the caller's own row", async () => {
    expect(await apiAs(agent).preference.get()).toEqual({ autoAssignOnReply: true, desktopNotifications: false, sound: false, watchedViews: ["mine", "unassigned"] });
    await apiAs(agent).preference.update({ sound: true, watchedViews: ["all"] });
    expect(await apiAs(agent).preference.get()).toMatchObject({ sound: true, watchedViews: ["all"], autoAssignOnReply: true });
    expect(await apiAs(admin).preference.get()).toMatchObject({ sound: false, watchedViews: ["mine", "unassigned"] });
    expect(await db.userPreference.count({ where: { userId: admin.id } })).toBe(0);
  });

  it("refuses an unknown view or field and keeps what was stored", async () => {
    await expect(apiAs(agent).preference.update({ watchedViews: ["everyone" as never] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(apiAs(agent).preference.update({ userId: admin.id } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await apiAs(agent).preference.get()).toMatchObject({ watchedViews: ["all"] });
  });
});

describe("unread count and notifications", () => {
  let mine: string;
  let others: string;
  let muted: string;
  const inbound = (chatId: string, id: string) =>
    db.message.create({ data: { id, chatId, text: `hello ${id}`, sentAt: new Date(), isSender: false } });

  beforeAll(async () => {
    mine = (await db.chat.create({ data: { unipileId: "u-mine", accountId: "acc_a", name: "Mine", unreadCount: 2, assigneeId: agent.id } })).id;
    others = (await db.chat.create({ data: { unipileId: "u-other", accountId: "acc_a", name: "Admin's", unreadCount: 1, assigneeId: admin.id } })).id;
    muted = (await db.chat.create({ data: { unipileId: "u-muted", accountId: "acc_a", name: "Muted", unreadCount: 1, muted: true } })).id;
    await db.chat.create({ data: { unipileId: "u-done", accountId: "acc_a", unreadCount: 1, workState: "done" } });
    await db.chat.create({ data: { unipileId: "u-hidden", accountId: "acc_b", unreadCount: 5 } });
    await Promise.all([inbound(mine, "m-mine"), inbound(others, "m-others"), inbound(muted, "m-muted")]);
  });

  it("counts open unread chats in the watched views of granted accounts only", async () => {
    await apiAs(agent).preference.update({ watchedViews: ["mine", "unassigned"] });
    expect(await apiAs(agent).notification.unread()).toEqual({ count: 2 }); // mine + muted (unassigned)
    await apiAs(agent).preference.update({ watchedViews: ["mine"] });
    expect(await apiAs(agent).notification.unread()).toEqual({ count: 1 });
    await apiAs(agent).preference.update({ watchedViews: ["all"] });
    expect(await apiAs(agent).notification.unread()).toEqual({ count: 3 });
    await apiAs(agent).preference.update({ watchedViews: [] });
    expect(await apiAs(agent).notification.unread()).toEqual({ count: 0 });
  });

  it("notifies for an inbound message in my chat once I turned it on, never for a muted chat or someone else's", async () => {
    // The sound is on (previous test), notifications not yet: the chime only.
    expect(await apiAs(agent).notification.about({ chatId: mine, messageId: "m-mine" })).toMatchObject({ desktop: false, sound: true });
    await apiAs(agent).preference.update({ desktopNotifications: true });
    expect(await apiAs(agent).notification.about({ chatId: mine, messageId: "m-mine" })).toEqual({
      chatId: mine,
      title: "Mine",
      body: "hello m-mine",
      desktop: true,
      sound: true,
    });
    expect(await apiAs(agent).notification.about({ chatId: muted, messageId: "m-muted" })).toBeNull();
    expect(await apiAs(agent).notification.about({ chatId: others, messageId: "m-others" })).toBeNull();
    // A message id from another chat says nothing about it.
    expect(await apiAs(agent).notification.about({ chatId: mine, messageId: "m-others" })).toBeNull();
    await expect(apiAs(agent).notification.about({ chatId: chatB, messageId: "m-mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("notifies for a note that mentions me, in someone else's chat too, once, never in a muted chat", async () => {
    // Notifications are on (previous test). The admin mentions the agent in the admin's own chat.
    const { id: noteId } = await apiAs(admin).note.add({ chatId: others, text: "Ana, can you call back?", mentionIds: [agent.id] });
    expect(await apiAs(agent).notification.aboutMention({ chatId: others, noteId })).toEqual({
      chatId: others,
      title: "admin mentioned you in Admin's",
      body: "Ana, can you call back?",
      desktop: true,
      sound: true,
    });
    // Nobody else is told about it, the note's chat must match, and a read mention is not news.
    expect(await apiAs(admin).notification.aboutMention({ chatId: others, noteId })).toBeNull();
    expect(await apiAs(agent).notification.aboutMention({ chatId: mine, noteId })).toBeNull();
    await apiAs(agent).note.markMentionsRead({ noteIds: [noteId] });
    expect(await apiAs(agent).notification.aboutMention({ chatId: others, noteId })).toBeNull();
    // A muted chat stays quiet, mention or not.
    const quiet = await apiAs(admin).note.add({ chatId: muted, text: "psst", mentionIds: [agent.id] });
    expect(await apiAs(agent).notification.aboutMention({ chatId: muted, noteId: quiet.id })).toBeNull();
    // Notifications off, the sound still on: the chime only. Both off: nothing.
    const later = await apiAs(admin).note.add({ chatId: others, text: "again", mentionIds: [agent.id] });
    await apiAs(agent).preference.update({ desktopNotifications: false });
    expect(await apiAs(agent).notification.aboutMention({ chatId: others, noteId: later.id })).toMatchObject({ desktop: false, sound: true });
    expect(await apiAs(agent).notification.about({ chatId: mine, messageId: "m-mine" })).toMatchObject({ desktop: false, sound: true });
    await apiAs(agent).preference.update({ sound: false });
    expect(await apiAs(agent).notification.aboutMention({ chatId: others, noteId: later.id })).toBeNull();
    expect(await apiAs(agent).notification.about({ chatId: mine, messageId: "m-mine" })).toBeNull();
    await expect(apiAs(agent).notification.aboutMention({ chatId: chatB, noteId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
