// A chat whose messages are old (a long thread from last year) among many newer ones: opening it
// must read its own index, not walk every newer message of every other chat (what a plain
// ("sentAt" DESC) index, kept for search, led PostgreSQL to do: 115 ms instead of 0.2 ms at 100k messages).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENCH_USERS, fillBenchData } from "@test/support/bench-data.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { statementsOf } from "@test/support/sql-capture.ts";
import { assertChatAccess } from "../access.ts";
import { listMessages } from "./message-service.ts";
import { createUser } from "./user-service.ts";

let testDb: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  // Chat c2 holds 3,000 messages from 400 days ago; 12,000 newer ones are spread over the other chats.
  await fillBenchData(testDb.url, { chats: 300, messages: 12_000, attachments: 100, people: 500, longThread: 3000 }, async () => {
    const a = await createUser({ ...BENCH_USERS.admin, role: "admin" });
    const g = await createUser({ ...BENCH_USERS.agent, role: "agent" });
    return { adminId: a.id, agentId: g.id };
  });
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await testDb?.close();
});

/** The plan's nodes that scan `table` (each node's line and its detail lines), e.g. to check the Message walk alone. */
const scansOf = (plan: string, table: string) =>
  plan
    .split(/\n(?=\s*->)/)
    .filter((node) => node.split("\n")[0]!.includes(` on "${table}"`))
    .join("\n");

const plan = async (sql: string, params: unknown[]) =>
  (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r) => r["QUERY PLAN"] as string).join("\n");

describe("an old chat's thread", () => {
  const adminChat = async () => {
    const admin = await client.query<{ id: string }>(`SELECT id FROM "User" WHERE role = 'admin'`);
    const user = { id: admin.rows[0]!.id, email: BENCH_USERS.admin.email, name: null, role: "admin" as const };
    return assertChatAccess(user, "c2");
  };
  const messagePage = async (read: () => Promise<unknown>) => {
    const sql = (await statementsOf(read)).filter((s) => /FROM "Message" WHERE "chatId" = \$1/.test(s.text));
    expect(sql).toHaveLength(1);
    // The page's own walk; the rest of the statement reads each message's reactions, files and sender by key.
    return scansOf(await plan(sql[0]!.text, sql[0]!.values), "Message");
  };

  it("reads its latest page and its newest message along the chat's own index", async () => {
    const chat = await adminChat();
    const page = await messagePage(() => listMessages(chat, { limit: 50 }));
    expect(page).toContain("Message_chatId_sentAt_id_idx");
    expect(page).not.toMatch(/Rows Removed by Filter: \d{3,}/);
    const newest = await plan(`SELECT id, "sentAt", text FROM "Message" WHERE "chatId" = $1 ORDER BY "sentAt" DESC, id DESC LIMIT 1`, ["c2"]);
    expect(newest).toContain("Message_chatId_sentAt_id_idx");
  });

  it("pages around a message and further back from the cursor along the index, not by sorting the chat", async () => {
    const chat = await adminChat();
    const latest = await listMessages(chat, { limit: 50 });
    for (const read of [() => listMessages(chat, { limit: 50, anchorId: "l1500" }), () => listMessages(chat, { limit: 50, before: latest.older })]) {
      const p = await messagePage(read);
      expect(p).toContain("Message_chatId_sentAt_id_idx");
      // The cursor bounds the index scan; an OR alone made PostgreSQL collect every older message (BitmapOr)
      // or skip every newer one (a filter) first.
      expect(p).toMatch(/Index Cond: .*"sentAt" [<>]=/);
      expect(p).not.toContain("BitmapOr");
      expect(p).not.toMatch(/Rows Removed by Filter: \d{3,}/);
    }
  });

  it("search keeps its newest-first walk over searchable messages", async () => {
    const walk = await plan(
      `SELECT id FROM "Message" m WHERE m.deleted = false AND m."isEvent" = false AND m."text" ILIKE $1 ORDER BY m."sentAt" DESC LIMIT 500`,
      ["%meeting%"],
    );
    expect(walk).toContain("Message_search_sentAt_idx");
  });
});
