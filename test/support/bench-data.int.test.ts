// The benchmark data set, generated small into a test database: what the read benchmarks look for
// is there (so a search case measures a real match), and the app's services read it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { listChats } from "@/server/services/chat-service.ts";
import { searchMessages } from "@/server/services/search-service.ts";
import { type BenchParams, BENCH_USERS, datasetName, fillBenchData, MARKERS } from "./bench-data.ts";
import { setupTestDatabase, type TestDatabase } from "./db.ts";
import { createUser } from "@/server/services/user-service.ts";

const params: BenchParams = { chats: 300, messages: 6000, attachments: 1500, people: 500, longThread: 200 };
let testDb: TestDatabase;
let admin: { id: string; email: string; name: null; role: "admin" };

beforeAll(async () => {
  testDb = await setupTestDatabase();
  await fillBenchData(testDb.url, params, async () => {
    const a = await createUser({ ...BENCH_USERS.admin, role: "admin" });
    const g = await createUser({ ...BENCH_USERS.agent, role: "agent" });
    return { adminId: a.id, agentId: g.id };
  });
  const a = await db.user.findUniqueOrThrow({ where: { email: BENCH_USERS.admin.email } });
  admin = { id: a.id, email: a.email, name: null, role: "admin" };
});
afterAll(() => testDb?.close());

describe("the benchmark data set", () => {
  it("has the requested numbers of chats, messages (plus the long thread), attachments and people", async () => {
    expect(await db.chat.count()).toBe(params.chats);
    expect(await db.message.count()).toBe(params.messages + params.longThread);
    expect(await db.message.count({ where: { chatId: "c2" } })).toBeGreaterThan(params.longThread);
    expect(await db.attachment.count()).toBe(params.attachments);
    expect(await db.attendee.count({ where: { isSelf: false } })).toBe(params.people);
  });

  it("holds what the search cases look for: one message with the rare token, the phrase, names, file names, other scripts", async () => {
    const rare = await db.message.findMany({ where: { text: { contains: MARKERS.rareToken(5000) } }, select: { id: true } });
    expect(rare).toEqual([{ id: "m5000" }]);
    expect(await db.message.count({ where: { text: { contains: MARKERS.phrase } } })).toBeGreaterThan(5);
    expect(await db.message.count({ where: { text: { contains: MARKERS.commonWord } } })).toBeGreaterThan(params.messages / 20);
    expect(await db.attendee.count({ where: { name: { startsWith: MARKERS.person } } })).toBeGreaterThan(5);
    expect(await db.attachment.count({ where: { name: { contains: MARKERS.file } } })).toBeGreaterThan(5);
    for (const word of ["الاجتماع", "הפגישה", "会议", "réunion", "🎉"]) {
      expect(await db.message.count({ where: { text: { contains: word } } }), word).toBeGreaterThan(0);
    }
    const lengths = await db.$queryRaw<{ min: number; max: number }[]>`SELECT min(length(text)) AS min, max(length(text)) AS max FROM "Message"`;
    expect(lengths[0]!.min).toBeLessThan(5);
    expect(lengths[0]!.max).toBeGreaterThan(300);
  });

  it("reads through the app's services: newest chat first, team states set, search finds the rare token", async () => {
    const page = await listChats(admin, { limit: 50 });
    expect(page.items).toHaveLength(50);
    expect(page.items.filter((c) => !c.pinned).map((c) => c.id).slice(0, 3)).toEqual(["c1", "c2", "c3"]);
    expect((await listChats(admin, { limit: 50, state: "done" })).items.length).toBeGreaterThan(0);
    expect((await listChats(admin, { limit: 50, state: "snoozed", assignee: "me" })).items.length).toBeGreaterThan(0);
    const hits = await searchMessages(admin, { query: MARKERS.rareToken(5000), limit: 30 });
    expect(hits.hits.map((h) => h.messageId)).toEqual(["m5000"]);
  });

  it("names its database after the parameters and the migrations", () => {
    expect(datasetName("quick", params)).toBe(datasetName("quick", { ...params }));
    expect(datasetName("quick", params)).not.toBe(datasetName("quick", { ...params, chats: 301 }));
    expect(datasetName("quick", params)).toMatch(/^parley_bench_quick_[0-9a-f]{10}$/);
  });
});
