// Notes, mentions and saved replies through the tRPC API on a real (migrated) database: who may
// write, mention, read and change what; mentions are rows and realtime events carrying ids only.
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { db } from "@/server/db.ts";
import { createUser, revokeAccount } from "@/server/services/user-service.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { apiAs as api } from "@test/support/users.ts";

const inbox = seededInbox();
let outsider: SessionUser; // an agent without the WhatsApp account
let colleague: SessionUser; // a second agent on the WhatsApp account

beforeAll(async () => {
  const o = await createUser({ email: "outsider@inbox.test", password: "password-3", role: "agent", accountIds: [] });
  const c = await createUser({ email: "colleague@inbox.test", password: "password-4", role: "agent", accountIds: ["acc_wa"] });
  await db.user.update({ where: { id: c.id }, data: { name: "Cleo Park" } });
  outsider = { id: o.id, email: o.email, name: null, role: "agent" };
  colleague = { id: c.id, email: c.email, name: "Cleo Park", role: "agent" };
});

const mentionEvents = () =>
  db.realtimeEvent
    .findMany({ where: { topic: "note.mentioned" }, orderBy: { id: "asc" } })
    .then((rows) => rows.map((r) => r.payload));

describe("notes", () => {
  it("an agent writes a note in a chat of a granted account, and everyone with access reads it in the thread", async () => {
    const { id } = await api(inbox.agent).note.add({ chatId: inbox.chats.unnamed, text: "  Customer is upset, call back  " });
    for (const reader of [inbox.admin, colleague]) {
      const page = await api(reader).message.list({ chatId: inbox.chats.unnamed, limit: 50 });
      expect(page.timeline).toContainEqual(
        expect.objectContaining({
          type: "note",
          id,
          text: "Customer is upset, call back",
          author: { id: inbox.agent.id, name: "agent" },
        }),
      );
    }
    const event = await db.realtimeEvent.findFirst({ where: { topic: "note.upserted" }, orderBy: { id: "desc" } });
    // ids only: the note's text never travels in a realtime event
    expect(event?.payload).toEqual({ type: "note.upserted", accountId: "acc_wa", chatId: inbox.chats.unnamed, noteId: id });
  });

  it("refuses a note on a chat of an account the agent was not granted, storing nothing", async () => {
    await expect(api(inbox.agent).note.add({ chatId: inbox.chats.secret, text: "peek" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(api(inbox.agent).note.mentionable({ chatId: inbox.chats.secret })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.chatNote.count({ where: { chatId: inbox.chats.secret } })).toBe(0);
  });

  it("refuses an empty note with a sentence", async () => {
    await expect(api(inbox.agent).note.add({ chatId: inbox.chats.unnamed, text: "   " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A note needs some text.",
    });
  });

  it("offers as mentionable only active teammates who may see the account", async () => {
    const people = await api(inbox.agent).note.mentionable({ chatId: inbox.chats.unnamed });
    const ids = people.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([inbox.admin.id, inbox.agent.id, colleague.id]));
    expect(ids).not.toContain(outsider.id);
  });

  it("refuses to mention someone without access to the chat's account, storing nothing", async () => {
    const before = await db.chatNote.count();
    await expect(
      api(inbox.agent).note.add({ chatId: inbox.chats.unnamed, text: "@outsider look", mentionIds: [colleague.id, outsider.id] }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "outsider cannot see this chat's account, so cannot be mentioned here.",
    });
    expect(await db.chatNote.count()).toBe(before);
    expect(await db.noteMention.count({ where: { userId: colleague.id } })).toBe(0);
  });

  it("a mention notifies the teammate: a row in their mentions, an unread badge and an event with ids only", async () => {
    const { id } = await api(inbox.agent).note.add({
      chatId: inbox.chats.group,
      text: "@Cleo Park can you take this?",
      mentionIds: [colleague.id, inbox.agent.id],
    });
    const mine = await api(colleague).note.mentions();
    expect(mine.unread).toBe(1);
    expect(mine.items[0]).toMatchObject({
      noteId: id,
      chatId: inbox.chats.group,
      chatName: "Launch crew",
      authorName: "agent",
      read: false,
    });
    // the author mentioning themself notifies nobody
    expect((await api(inbox.agent).note.mentions()).items).toHaveLength(0);
    expect(await mentionEvents()).toEqual([
      { type: "note.mentioned", accountId: "acc_wa", chatId: inbox.chats.group, noteId: id, userId: colleague.id },
    ]);

    await api(colleague).note.markMentionsRead({ noteIds: [id] });
    expect((await api(colleague).note.mentions()).unread).toBe(0);
  });

  it("only the author edits a note (newly mentioned people are notified once); an admin may delete it", async () => {
    const { id } = await api(inbox.agent).note.add({ chatId: inbox.chats.unnamed, text: "first draft" });
    await expect(api(colleague).note.edit({ chatId: inbox.chats.unnamed, noteId: id, text: "mine now" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(api(colleague).note.delete({ chatId: inbox.chats.unnamed, noteId: id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await api(inbox.agent).note.edit({
      chatId: inbox.chats.unnamed,
      noteId: id,
      text: "second draft @Cleo Park",
      mentionIds: [colleague.id],
    });
    await api(inbox.agent).note.edit({
      chatId: inbox.chats.unnamed,
      noteId: id,
      text: "third draft @Cleo Park",
      mentionIds: [colleague.id],
    });
    expect(await db.noteMention.count({ where: { noteId: id } })).toBe(1);
    expect((await mentionEvents()).filter((e) => (e as { noteId: string }).noteId === id)).toHaveLength(1);

    await api(inbox.admin).note.delete({ chatId: inbox.chats.unnamed, noteId: id });
    const page = await api(inbox.agent).message.list({ chatId: inbox.chats.unnamed, limit: 50 });
    expect(page.timeline.map((e) => e.id)).not.toContain(id);
    expect((await api(colleague).note.mentions()).items.map((m) => m.noteId)).not.toContain(id);
  });

  it("mentions in a chat whose account was revoked are no longer listed", async () => {
    const { id } = await api(inbox.admin).note.add({
      chatId: inbox.chats.unnamed,
      text: "@Cleo Park ping",
      mentionIds: [colleague.id],
    });
    expect((await api(colleague).note.mentions()).items.map((m) => m.noteId)).toContain(id);
    await revokeAccount(colleague.id, "acc_wa");
    expect((await api(colleague).note.mentions()).items).toHaveLength(0);
  });
});

describe("saved replies", () => {
  it("agents keep personal replies; only admins add or change shared ones; nobody sees or changes another's personal reply", async () => {
    await expect(api(inbox.agent).savedReply.create({ title: "Hi", body: "Hello", shared: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const shared = await api(inbox.admin).savedReply.create({
      title: "Welcome",
      body: "Hi {{contact.first_name}}, {{me.first_name}} here",
      shared: true,
    });
    const own = await api(inbox.agent).savedReply.create({ title: "Mine", body: "Thanks!", shared: false });
    const adminOwn = await api(inbox.admin).savedReply.create({ title: "Admin only", body: "secret", shared: false });

    const list = await api(inbox.agent).savedReply.list();
    expect(list.map((r) => [r.title, r.shared, r.canEdit])).toEqual([
      ["Welcome", true, false],
      ["Mine", false, true],
    ]);

    await expect(api(inbox.agent).savedReply.update({ id: shared.id, title: "Hacked", body: "x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(api(inbox.agent).savedReply.delete({ id: shared.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api(inbox.agent).savedReply.update({ id: adminOwn.id, title: "Hacked", body: "x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(api(inbox.admin).savedReply.delete({ id: own.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.savedReply.findUniqueOrThrow({ where: { id: shared.id } })).toMatchObject({ title: "Welcome" });
    expect(await db.savedReply.count()).toBe(3);

    await api(inbox.admin).savedReply.update({ id: shared.id, title: "Welcome!", body: "Hello {{contact.name}}" });
    await api(inbox.agent).savedReply.delete({ id: own.id });
    expect((await api(inbox.agent).savedReply.list()).map((r) => r.title)).toEqual(["Welcome!"]);
  });

  it("refuses a reply without a title with a sentence", async () => {
    await expect(api(inbox.agent).savedReply.create({ title: " ", body: "x", shared: false })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A saved reply needs a title.",
    });
  });
});
