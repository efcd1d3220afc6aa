// One search box against a real (migrated) PostgreSQL: people, chats and subjects, messages and files;
// every operator; relevance; accents, RTL and CJK (two characters too); suggestions; grants.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { apiAs as api } from "@test/support/users.ts";

const inbox = seededInbox();
const ids = { maya: "", mayaChat: "", inmail: "", topoMessage: "", photoMessage: "" };
const text = (segments: { text: string }[]) => segments.map((s) => s.text).join("");
const marked = (segments: { text: string; hit: boolean }[]) => segments.filter((s) => s.hit).map((s) => s.text);

beforeAll(async () => {
  const maya = await db.attendee.create({
    data: { accountId: "acc_wa", providerId: "46701234567@s.whatsapp.net", phoneNumber: "46701234567", name: "Maya Lindqvist" },
  });
  const me = await db.attendee.findFirstOrThrow({ where: { accountId: "acc_wa", isSelf: true } });
  const chat = await db.chat.create({
    data: {
      unipileId: "u_chat_maya",
      accountId: "acc_wa",
      type: "single",
      name: "Maya Lindqvist",
      attendeeProviderId: maya.providerId,
      lastMessageAt: new Date("2025-04-01T10:00:00Z"),
      members: { create: [{ attendeeId: me.id }, { attendeeId: maya.id }] },
    },
  });
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  const msg = (id: string, t: string | null, sentAt: Date, extra: object = {}) =>
    db.message.create({
      data: { unipileId: id, chatId: chat.id, senderId: maya.id, senderProviderId: maya.providerId, text: t, sentAt, ...extra },
    });
  const topo = await msg("u_topo", "Here's the topo for Saturday", day("2025-04-01"));
  await db.attachment.create({
    data: { messageId: topo.id, unipileId: "a_topo", kind: "file", mimeType: "application/pdf", name: "route-topo.pdf" },
  });
  const photo = await msg("u_photo", "View from the top", day("2025-03-20"), {
    isSender: true,
    senderId: me.id,
    senderProviderId: me.providerId,
  });
  await db.attachment.create({
    data: { messageId: photo.id, unipileId: "a_photo", kind: "img", mimeType: "image/jpeg", name: "summit.jpg" },
  });
  await msg("u_accent", "Hâte de grimper au café, Léa", day("2025-03-10"));
  await msg("u_ar", "مَرْحَبًا آيكو! كيف حالك؟", day("2025-03-09"));
  await msg("u_he", "שלום! ראית את ההודעה שלי על הפרויקט?", day("2025-03-08"));
  await msg("u_ja", "明日東京で会いましょう", day("2025-03-07"));
  await msg("u_ko", "내일 서울에서 만나요", day("2025-03-06"));
  // The old exact phrase under many newer messages that hold both words apart.
  await msg("u_phrase", "the north wall route is open again", day("2020-01-01"));
  await db.message.createMany({
    data: Array.from({ length: 520 }, (_, i) => ({
      unipileId: `u_filler_${i}`,
      chatId: chat.id,
      text: `route ${i} goes up the north side`,
      sentAt: new Date(day("2024-01-01").getTime() + i * 60_000),
    })),
  });
  const inmail = await db.chat.create({
    data: {
      unipileId: "u_inmail",
      accountId: "acc_li",
      type: "single",
      name: "Tomasz",
      raw: { subject: "Partnership idea" },
      lastMessageAt: day("2025-02-01"),
    },
  });
  Object.assign(ids, { maya: maya.id, mayaChat: chat.id, inmail: inmail.id, topoMessage: topo.id, photoMessage: photo.id });
});

const all = (query: string, user = inbox.admin) => api(user).search.all({ query });
const messages = async (query: string, user = inbox.admin) => (await api(user).search.messages({ query, limit: 50 })).hits;

describe("one box, four groups", () => {
  it("finds a person by name, phone number and id, opening their 1:1 chat", async () => {
    const byName = await all("maya");
    expect(byName.people.map((p) => [text(p.name), p.chatId, p.direct])).toEqual([["Maya Lindqvist", ids.mayaChat, true]]);
    expect(marked(byName.people[0]!.name)).toEqual(["Maya"]);
    const byPhone = await all("4670123");
    expect(byPhone.people.map((p) => [text(p.name), p.detail])).toEqual([["Maya Lindqvist", "46701234567"]]);
    // Ana has no 1:1 in a chat of her own with a message... but she is in one: it opens that chat.
    const ana = await all("ana lima");
    expect(ana.people.map((p) => [text(p.name), p.chatId, p.direct])).toEqual([["Ana Lima", inbox.chats.unnamed, true]]);
  });

  it("lists people whose name starts with the query before those whose name holds it, each in name order", async () => {
    for (const [i, name] of ["Eva Lindberg", "Bergström Eva", "Ana Goldberg", "Berger Tom"].entries()) {
      const person = await db.attendee.create({ data: { accountId: "acc_wa", providerId: `4670000000${i}@s.whatsapp.net`, name } });
      await db.chat.create({
        data: {
          unipileId: `u_chat_berg_${i}`,
          accountId: "acc_wa",
          type: "single",
          attendeeProviderId: person.providerId,
          members: { create: [{ attendeeId: person.id }] },
        },
      });
    }
    const names = async (query: string) => (await all(query)).people.map((p) => text(p.name));
    expect(await names("berg")).toEqual(["Berger Tom", "Bergström Eva", "Ana Goldberg", "Eva Lindberg"]);
    expect(await names("BERG -tom")).toEqual(["Bergström Eva", "Ana Goldberg", "Eva Lindberg"]);
    expect(await names("berg eva")).toEqual(["Bergström Eva", "Eva Lindberg"]);
  });

  it("finds group chats by name and an InMail by its subject, not 1:1 chats by the person's name", async () => {
    expect((await all("launch")).chats.map((c) => text(c.name))).toEqual(["Launch crew"]);
    const inmail = await all("partnership idea");
    expect(inmail.chats.map((c) => [c.chatId, text(c.subject ?? [])])).toEqual([[ids.inmail, "Partnership idea"]]);
    expect(marked(inmail.chats[0]!.subject ?? [])).toEqual(["Partnership idea"]);
    expect((await all("maya")).chats).toEqual([]);
  });

  it("finds a file by part of its name and opens its message", async () => {
    const res = await all("route-topo");
    expect(res.files.map((f) => [text(f.name), f.messageId, f.chatId])).toEqual([
      ["route-topo.pdf", ids.topoMessage, ids.mayaChat],
    ]);
    expect(marked(res.files[0]!.name)).toEqual(["route-topo"]);
  });

  it("finds message text with the snippet cut by offsets and rendered as text", async () => {
    await db.message.create({
      data: { unipileId: "u_html", chatId: inbox.chats.group, text: "<img src=x onerror=alert(1)> markup", sentAt: new Date() },
    });
    const hits = await messages("onerror");
    expect(hits.map((h) => text(h.snippet))).toEqual(["<img src=x onerror=alert(1)> markup"]);
    expect(marked(hits[0]!.snippet)).toEqual(["onerror"]);
  });
});

describe("relevance", () => {
  it("puts the exact phrase first however old it is, then all words as whole words, newest first", async () => {
    const hits = await messages("north wall");
    expect(text(hits[0]!.snippet)).toBe("the north wall route is open again");
    expect(hits.slice(1).every((h) => text(h.snippet).includes("north"))).toBe(true);
    const quoted = await messages('"wall route"');
    expect(quoted.map((h) => text(h.snippet))).toEqual(["the north wall route is open again"]);
  });

  it("ranks whole words above fragments and keeps recent above old within each", async () => {
    await db.message.create({
      data: { unipileId: "u_frag", chatId: inbox.chats.group, text: "startup news", sentAt: new Date("2026-01-01") },
    });
    await db.message.create({
      data: { unipileId: "u_whole_old", chatId: inbox.chats.group, text: "start here", sentAt: new Date("2019-01-01") },
    });
    await db.message.create({
      data: { unipileId: "u_whole_punct", chatId: inbox.chats.group, text: "(start), then go", sentAt: new Date("2018-01-01") },
    });
    const hits = (await messages("start")).map((h) => text(h.snippet));
    expect(hits.indexOf("start here")).toBeLessThan(hits.indexOf("startup news"));
    // Punctuation ends a word as a space does.
    expect(hits.indexOf("(start), then go")).toBeLessThan(hits.indexOf("startup news"));
  });

  it("follows a message's edit: found by its new text, no longer by the old", async () => {
    const m = await db.message.create({
      data: { unipileId: "u_edit", chatId: inbox.chats.group, text: "see you at the lighthouse", sentAt: new Date("2026-02-01") },
    });
    expect((await messages("lighthouse")).length).toBe(1);
    await db.message.update({ where: { id: m.id }, data: { text: "see you at the harbour café", edited: true } });
    expect(await messages("lighthouse")).toEqual([]);
    expect((await messages("HARBOUR CAFE")).map((h) => text(h.snippet))).toEqual(["see you at the harbour café"]);
  });
});

describe("folding and scripts", () => {
  it("folds case and accents both ways", async () => {
    expect((await messages("HATE DE GRIMPER")).map((h) => marked(h.snippet))).toEqual([["Hâte de grimper"]]);
    expect((await messages("cafe lea")).length).toBe(1);
    expect((await messages("Léa")).length).toBe(1);
  });

  it("finds Arabic (without its vowel marks), Hebrew, Japanese and Korean by substring, two CJK characters included", async () => {
    expect((await messages("مرحبا")).length).toBe(1);
    expect((await messages("ראית")).length).toBe(1);
    expect((await messages("東京")).map((h) => marked(h.snippet))).toEqual([["東京"]]);
    expect((await messages("会いましょう")).length).toBe(1);
    expect((await messages("서울")).length).toBe(1);
    expect((await messages("京")).length).toBe(1);
  });

  it("uses the CJK gram index for a two-character query, not a scan of every message", async () => {
    await db.$executeRawUnsafe("SET enable_seqscan = off");
    const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT id FROM "Message" m WHERE parley_cjk_grams(m."text") @> ARRAY['東京']::text[]`,
    );
    await db.$executeRawUnsafe("RESET enable_seqscan");
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Message_text_cjk_idx");
  });
});

describe("operators", () => {
  it("from: a person or me; in: a chat; app: and account:", async () => {
    expect((await messages("from:maya topo")).map((h) => h.messageId)).toEqual([ids.topoMessage]);
    expect((await messages("from:me top")).map((h) => h.messageId)).toEqual([ids.photoMessage]);
    expect((await messages("in:launch quarterly")).map((h) => h.chatName)).toEqual(["Launch crew"]);
    expect((await messages('in:"maya lindqvist" topo')).map((h) => h.messageId)).toEqual([ids.topoMessage]);
    expect((await messages("app:linkedin budgetary")).map((h) => h.chatName)).toEqual(["Board member"]);
    expect((await messages("account:sales budgetary")).map((h) => h.chatName)).toEqual(["Launch crew"]);
  });

  it("in: names at most the 100 most recently active matching chats the user may see", async () => {
    // 101 chats named "Orbit n" on the agent's WhatsApp (Orbit 100 the most recent), 20 newer on LinkedIn.
    const orbit = async (accountId: string, name: string, at: number) => {
      const chat = await db.chat.create({ data: { unipileId: `u_${accountId}_${name}`, accountId, type: "group", name, lastMessageAt: new Date(at) } });
      await db.message.create({ data: { unipileId: `u_msg_${accountId}_${name}`, chatId: chat.id, text: `countdown ${name.split(" ")[1]}`, sentAt: new Date(at) } });
    };
    const base = new Date("2025-05-01T00:00:00Z").getTime();
    for (let n = 0; n <= 100; n++) await orbit("acc_wa", `Orbit ${n}`, base + n * 60_000);
    for (let n = 0; n < 20; n++) await orbit("acc_li", `Orbit L${n}`, base + 86_400_000 + n * 60_000);
    const found = async (query: string, user = inbox.admin) => (await messages(query, user)).map((h) => h.chatName);
    // The admin: the newest 100 of 121 are LinkedIn's 20 and Orbit 21…100.
    expect(await found("in:orbit countdown l3")).toEqual(["Orbit L3"]);
    expect(await found("in:orbit countdown 21")).toEqual(["Orbit 21"]);
    expect(await found("in:orbit countdown 20")).toEqual([]);
    // The agent sees WhatsApp's 101 only, so its newest 100 are Orbit 1…100.
    expect(await found("in:orbit countdown 1", inbox.agent)).toEqual(["Orbit 1"]);
    expect(await found("in:orbit countdown 0", inbox.agent)).toEqual([]);
    // One chat named exactly is found however many others are newer.
    expect(await found('in:"orbit 0" countdown', inbox.agent)).toEqual(["Orbit 0"]);
  });

  it("has:attachment, has:image, is:unread", async () => {
    expect((await messages("has:attachment")).map((h) => h.messageId).sort()).toEqual([ids.photoMessage, ids.topoMessage].sort());
    expect((await messages("has:image")).map((h) => h.messageId)).toEqual([ids.photoMessage]);
    const unreadOnly = await messages("is:unread message");
    expect(unreadOnly).toEqual([]);
    await db.message.create({
      data: { unipileId: "u_unread", chatId: inbox.chats.unnamed, text: "unread message here", sentAt: new Date() },
    });
    expect((await messages("is:unread message")).map((h) => text(h.snippet))).toEqual(["unread message here"]);
  });

  it("before: and after: (days), quoted phrases and -word", async () => {
    expect((await messages("after:2025-04-01 from:maya")).map((h) => h.messageId)).toEqual([ids.topoMessage]);
    expect((await messages("before:2020-01-02 after:2020-01-01 route")).map((h) => text(h.snippet))).toEqual([
      "the north wall route is open again",
    ]);
    expect((await messages("north -wall")).every((h) => !text(h.snippet).includes("wall"))).toBe(true);
    expect((await messages("north -wall")).length).toBeGreaterThan(0);
  });

  it("message operators hide people and chats; files follow them", async () => {
    const res = await all("topo has:attachment");
    expect(res.people).toEqual([]);
    expect(res.files.map((f) => f.messageId)).toEqual([ids.topoMessage]);
    expect((await all("topo has:image")).files).toEqual([]);
  });

  it("a bad operator value is a clear 400 and nothing is searched", async () => {
    const res = await http("search.all", inbox.admin, { query: "before:tomorrow" });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("before: takes a date like 2025-03-01");
  });
});

describe("suggestions", () => {
  it("lists people for from: (and me), chats for in:, apps, accounts and fixed values", async () => {
    const from = await api(inbox.admin).search.suggest({ key: "from", prefix: "ma" });
    // One or two characters: names with a word that starts with them; three or more: inside a word too.
    expect(from.map((s) => s.value)).toEqual(["Maya Lindqvist"]);
    expect((await api(inbox.admin).search.suggest({ key: "from", prefix: "ima" })).map((s) => s.value)).toEqual(["Ana Lima"]);
    expect((await api(inbox.admin).search.suggest({ key: "from", prefix: "m" })).map((s) => s.value)[0]).toBe("me");
    expect((await api(inbox.admin).search.suggest({ key: "in", prefix: "laun" })).map((s) => s.value)).toEqual(["Launch crew"]);
    expect((await api(inbox.admin).search.suggest({ key: "app", prefix: "" })).map((s) => s.value).sort()).toEqual([
      "linkedin",
      "whatsapp",
    ]);
    expect((await api(inbox.admin).search.suggest({ key: "has", prefix: "im" })).map((s) => s.value)).toEqual(["image"]);
  });
});

describe("an agent", () => {
  it("sees nothing of an account it was not granted, in any group or suggestion", async () => {
    const res = await all("partnership", inbox.agent);
    expect(res.chats).toEqual([]);
    expect((await all("board", inbox.agent)).chats).toEqual([]);
    expect(await messages("confidential", inbox.agent)).toEqual([]);
    expect(await messages("app:linkedin budgetary", inbox.agent)).toEqual([]);
    expect((await api(inbox.agent).search.suggest({ key: "app", prefix: "" })).map((s) => s.value)).toEqual(["whatsapp"]);
    expect(await api(inbox.agent).search.suggest({ key: "in", prefix: "board" })).toEqual([]);
    // What it was granted it finds.
    expect((await all("maya", inbox.agent)).people).toHaveLength(1);
  });
});
