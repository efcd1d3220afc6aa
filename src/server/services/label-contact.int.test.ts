// Labels and the contact panel through the real routers on a real database: what an agent may and
// may not do with chats and people of accounts not granted to it, and what each change leaves behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { timelineBetween } from "@/server/services/timeline-service.ts";
import { createUser } from "@/server/services/user-service.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";

let testDb: TestDatabase;
let admin: SessionUser;
let agent: SessionUser;
const ids = {} as Record<
  "waChat" | "wa2Chat" | "liChat" | "group" | "waPerson" | "wa2Person" | "liPerson" | "hiddenPerson",
  string
>;

const as = (u: SessionUser) => createCaller(createContext(u));

async function person(accountId: string, providerId: string, name: string) {
  return (await db.attendee.create({ data: { accountId, providerId, name } })).id;
}
async function chat(
  accountId: string,
  unipileId: string,
  members: string[],
  opts: { type?: "single" | "group"; at?: Date } = {},
) {
  const c = await db.chat.create({
    data: {
      unipileId,
      accountId,
      type: opts.type ?? "single",
      lastMessageAt: opts.at ?? new Date(),
      members: { create: members.map((attendeeId) => ({ attendeeId })) },
    },
  });
  return c.id;
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await db.account.createMany({
    data: [
      { id: "acc_wa", provider: "WHATSAPP", name: "WA one" },
      { id: "acc_wa2", provider: "WHATSAPP", name: "WA two" },
      { id: "acc_li", provider: "LINKEDIN", name: "LinkedIn" },
    ],
  });
  // Nora on both WhatsApp accounts (same number) and on LinkedIn; the agent sees only acc_wa and acc_li.
  ids.waPerson = await person("acc_wa", "4915550001@s.whatsapp.net", "Nora Díaz");
  ids.wa2Person = await person("acc_wa2", "4915550001@s.whatsapp.net", "Nora Díaz");
  ids.liPerson = await person("acc_li", "li-nora", "Nora Diaz");
  ids.hiddenPerson = ids.wa2Person;
  ids.waChat = await chat("acc_wa", "c-wa", [ids.waPerson]);
  ids.wa2Chat = await chat("acc_wa2", "c-wa2", [ids.wa2Person]);
  ids.liChat = await chat("acc_li", "c-li", [ids.liPerson]);
  ids.group = await chat("acc_wa", "c-group", [ids.waPerson, await person("acc_wa", "4915550002@s.whatsapp.net", "Omar")], {
    type: "group",
  });
  await db.message.createMany({
    data: [
      { chatId: ids.waChat, text: "first", sentAt: new Date("2026-01-02T10:00:00Z") },
      { chatId: ids.liChat, text: "later", sentAt: new Date("2026-03-04T10:00:00Z") },
      { chatId: ids.wa2Chat, text: "hidden, earliest", sentAt: new Date("2025-01-01T10:00:00Z") },
    ],
  });
  const a = await createUser({ email: "admin@example.com", password: "password-1", role: "admin", accountIds: [] });
  const g = await createUser({
    email: "agent@example.com",
    password: "password-2",
    role: "agent",
    accountIds: ["acc_wa", "acc_li"],
  });
  admin = { id: a.id, email: a.email, name: null, role: "admin" };
  agent = { id: g.id, email: g.email, name: null, role: "agent" };
});
afterAll(() => testDb?.close());

describe("labels", () => {
  it("admins create, rename and recolour labels; agents cannot; names are unique whatever their case", async () => {
    const vip = await as(admin).label.create({ name: "  VIP  ", color: "amber" });
    expect(vip).toMatchObject({ name: "VIP", color: "amber" });
    await expect(as(admin).label.create({ name: "vip", color: "red" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A label named “vip” already exists.",
    });
    await expect(as(agent).label.create({ name: "Mine", color: "red" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(admin).label.create({ name: "Odd", color: "chartreuse" as "red" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await as(admin).label.update({ id: vip.id, name: "Key account", color: "purple" })).toMatchObject({
      name: "Key account",
      color: "purple",
    });
    expect((await as(agent).label.list()).map((l) => l.name)).toEqual(["Key account"]);
  });

  it("anyone with access labels a chat: shown on the row and the header, filtered by, one activity row per change", async () => {
    const lead = await as(admin).label.create({ name: "Lead", color: "green" });
    expect(await as(agent).label.set({ chatId: ids.waChat, labelId: lead.id, on: true })).toEqual([ids.waChat]);
    // Adding it again changes nothing and records nothing.
    expect(await as(agent).label.set({ chatId: ids.waChat, labelId: lead.id, on: true })).toEqual([]);
    expect(await as(agent).label.setMany({ chatIds: [ids.liChat, ids.waChat], labelId: lead.id, on: true })).toEqual([
      ids.liChat,
    ]);

    const list = await as(agent).chat.list({ limit: 50, labelId: lead.id });
    expect(list.items.map((c) => c.id).sort()).toEqual([ids.waChat, ids.liChat].sort());
    expect(list.items[0]!.labels).toEqual([{ id: lead.id, name: "Lead", color: "green" }]);
    expect((await as(agent).chat.get({ chatId: ids.liChat })).labels.map((l) => l.name)).toEqual(["Lead"]);

    await as(agent).label.set({ chatId: ids.liChat, labelId: lead.id, on: false });
    expect((await as(agent).chat.list({ limit: 50, labelId: lead.id })).items.map((c) => c.id)).toEqual([ids.waChat]);
    const rows = await db.chatActivity.findMany({
      where: { details: { path: ["labelId"], equals: lead.id } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.chatId, r.kind, r.actorId])).toEqual([
      [ids.waChat, "labelled", agent.id],
      [ids.liChat, "labelled", agent.id],
      [ids.liChat, "unlabelled", agent.id],
    ]);
  });

  it("activity lines name the label as it is called now, and as it was called once it is deleted", async () => {
    const l = await as(admin).label.create({ name: "Hot", color: "red" });
    await as(agent).label.set({ chatId: ids.liChat, labelId: l.id, on: true });
    const labelled = async () =>
      (await timelineBetween(ids.liChat, {})).filter((e) => e.type === "activity" && e.kind === "labelled").at(-1);
    expect(await labelled()).toMatchObject({ label: "Hot" });
    await as(admin).label.update({ id: l.id, name: "Warm", color: "purple" });
    expect(await labelled()).toMatchObject({ label: "Warm" });
    await as(admin).label.delete({ id: l.id });
    expect(await labelled()).toMatchObject({ label: "Hot" });
  });

  it("an agent cannot label a chat of an account not granted to it, alone or among granted ones", async () => {
    const l = await as(admin).label.create({ name: "Urgent", color: "red" });
    await expect(as(agent).label.set({ chatId: ids.wa2Chat, labelId: l.id, on: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(as(agent).label.setMany({ chatIds: [ids.waChat, ids.wa2Chat], labelId: l.id, on: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.chatLabel.count({ where: { labelId: l.id } })).toBe(0);
    expect(await db.chatActivity.count({ where: { details: { path: ["labelId"], equals: l.id } } })).toBe(0);
  });

  it("deleting a label takes it off every chat", async () => {
    const l = await as(admin).label.create({ name: "Temp", color: "blue" });
    await as(admin).label.set({ chatId: ids.wa2Chat, labelId: l.id, on: true });
    await as(admin).label.delete({ id: l.id });
    expect(await db.chatLabel.count({ where: { labelId: l.id } })).toBe(0);
    await expect(as(admin).label.delete({ id: l.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("contact panel", () => {
  it("lists the person's other chats on the same provider and through a link, only on granted accounts", async () => {
    const before = await as(agent).contact.panel({ chatId: ids.waChat });
    expect(before.person).toMatchObject({ id: ids.waPerson, name: "Nora Díaz", provider: "WHATSAPP" });
    // Nora's chat on acc_wa2 has the same number, but the agent has no grant there.
    expect(before.otherChats).toEqual([]);
    const adminView = await as(admin).contact.panel({ chatId: ids.waChat });
    expect(adminView.otherChats.map((c) => c.id)).toEqual([ids.wa2Chat]);

    await as(agent).contact.link({ attendeeId: ids.waPerson, otherId: ids.liPerson });
    const after = await as(agent).contact.panel({ chatId: ids.waChat });
    expect(after.otherChats.map((c) => c.id)).toEqual([ids.liChat]);
    expect(after.linkedPeople.map((p) => p.id)).toEqual([ids.liPerson]);
    // First and last contact come from chats the agent may see: not the hidden earlier one.
    expect(after.firstContactAt).toEqual(new Date("2026-01-02T10:00:00Z"));
    expect(after.lastContactAt).toEqual(new Date("2026-03-04T10:00:00Z"));
    // From LinkedIn, the link leads back.
    expect((await as(agent).contact.panel({ chatId: ids.liChat })).otherChats.map((c) => c.id)).toEqual([ids.waChat]);
  });

  it("counts the team's notes on every visible chat with the person, deleted ones not", async () => {
    expect((await as(agent).contact.panel({ chatId: ids.waChat })).noteCount).toBe(0);
    await as(agent).note.add({ chatId: ids.waChat, text: "Prefers mornings" });
    const gone = await as(agent).note.add({ chatId: ids.waChat, text: "typo" });
    await as(agent).note.delete({ chatId: ids.waChat, noteId: gone.id });
    await as(admin).note.add({ chatId: ids.liChat, text: "Met at the fair" });
    // The hidden chat's note is not the agent's to count.
    await as(admin).note.add({ chatId: ids.wa2Chat, text: "Old account" });
    expect((await as(agent).contact.panel({ chatId: ids.waChat })).noteCount).toBe(2);
    expect((await as(agent).contact.panel({ chatId: ids.group })).noteCount).toBe(0);
  });

  it("a group lists its members, and picking one shows their panel", async () => {
    const g = await as(agent).contact.panel({ chatId: ids.group });
    expect(g.isGroup).toBe(true);
    expect(g.person).toBeNull();
    expect(g.members.map((m) => m.name).sort()).toEqual(["Nora Díaz", "Omar"]);
    const nora = await as(agent).contact.panel({ chatId: ids.group, attendeeId: ids.waPerson });
    expect(nora.otherChats.map((c) => c.id)).toContain(ids.waChat);
    await expect(as(agent).contact.panel({ chatId: ids.group, attendeeId: ids.liPerson })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("an agent cannot see the panel of an ungranted chat, find or link people of ungranted accounts", async () => {
    await expect(as(agent).contact.panel({ chatId: ids.wa2Chat })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await as(agent).contact.people({ q: "nora" })).map((p) => p.id).sort()).toEqual([ids.waPerson, ids.liPerson].sort());
    await expect(as(agent).contact.link({ attendeeId: ids.liPerson, otherId: ids.hiddenPerson })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await db.personLink.count({ where: { OR: [{ aId: ids.hiddenPerson }, { bId: ids.hiddenPerson }] } })).toBe(0);
    // A link the admin made to the hidden person cannot be removed by the agent, and is not shown.
    const link = await as(admin).contact.link({ attendeeId: ids.liPerson, otherId: ids.hiddenPerson });
    await expect(as(agent).contact.unlink({ linkId: link.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const li = await as(agent).contact.panel({ chatId: ids.liChat });
    expect(li.linkedPeople.map((p) => p.id)).toEqual([ids.waPerson]);
    expect(li.otherChats.map((c) => c.id)).toEqual([ids.waChat]);
  });

  it("linking twice keeps one link; unlinking removes it", async () => {
    const a = await as(agent).contact.link({ attendeeId: ids.liPerson, otherId: ids.waPerson });
    const b = await as(agent).contact.link({ attendeeId: ids.waPerson, otherId: ids.liPerson });
    expect(a.id).toBe(b.id);
    await as(agent).contact.unlink({ linkId: a.id });
    expect((await as(agent).contact.panel({ chatId: ids.waChat })).otherChats).toEqual([]);
  });
});
