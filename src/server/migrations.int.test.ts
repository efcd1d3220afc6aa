import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { startEmbeddedPostgres } from "./embedded-db.ts";
import { applyMigrations, diffSinceLastMigration } from "./migrations.ts";

let testDb: TestDatabase;
let client: pg.Client;
let reapplied: string[];

beforeAll(async () => {
  testDb = await setupTestDatabase();
  // Before our own client connects: PGlite serves two connections at most.
  reapplied = await applyMigrations(testDb.url);
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await testDb?.close();
});

async function plan(sql: string, params: unknown[] = []) {
  // Tables are tiny here, so forbid sequential scans: the plan then shows whether an index fits at all.
  await client.query("SET enable_seqscan = off");
  const res = await client.query(`EXPLAIN ${sql}`, params);
  return res.rows.map((r) => r["QUERY PLAN"]).join("\n");
}

describe("migrations", () => {
  it("the committed migrations produce exactly the current schema", async () => {
    expect(await diffSinceLastMigration()).toBe("");
  });

  it("applying again changes nothing", async () => {
    expect(reapplied).toEqual([]);
  });
});

describe("indexes behind every list the UI runs", () => {
  // Every view walks its pinned chats, then the rest, without archived ones (or only those).
  it("chat list per account by (last message time, id)", async () => {
    const p = await plan(
      `SELECT id FROM "Chat" WHERE "accountId" = $1 AND archived = false AND pinned = false ORDER BY "lastMessageAt" DESC, id DESC LIMIT 50`,
      ["acc"],
    );
    expect(p).toContain("Chat_accountId_archived_pinned_lastMessageAt_id_idx");
  });

  it("unified chat list by (last message time, id), pinned first, and the Archived view", async () => {
    for (const where of [
      "archived = false AND pinned = true",
      "archived = false AND pinned = false",
      "archived = true AND pinned = false",
    ]) {
      const p = await plan(`SELECT id FROM "Chat" WHERE ${where} ORDER BY "lastMessageAt" DESC, id DESC LIMIT 50`);
      expect(p).toContain("Chat_archived_pinned_lastMessageAt_id_idx");
    }
  });

  it("unread chats per account", async () => {
    const p = await plan(`SELECT id FROM "Chat" WHERE "accountId" = $1 AND "unreadCount" > 0`, ["acc"]);
    expect(p).toMatch(/Chat_accountId_(unreadCount|archived_pinned_lastMessageAt_id)_idx/);
  });

  it("a chat's messages by (sent at, id)", async () => {
    const p = await plan(
      `SELECT id FROM "Message" WHERE "chatId" = $1 AND ("sentAt", id) < ($2, $3) ORDER BY "sentAt" DESC, id DESC LIMIT 50`,
      ["chat", new Date(), "zzz"],
    );
    expect(p).toContain("Message_chatId_sentAt_id_idx");
  });

  it("substring and full-text search over folded message text, and people, chats and files by name", async () => {
    expect(await plan(`SELECT id FROM "Message" m WHERE m."searchText" LIKE '%ello%'`)).toContain("Message_searchText_trgm_idx");
    expect(
      await plan(`SELECT id FROM "Message" m WHERE to_tsvector('simple', coalesce(m."searchText", '')) @@ plainto_tsquery('simple', 'hello')`),
    ).toContain("Message_searchText_fts_idx");
    expect(await plan(`SELECT id FROM "Attachment" x WHERE x."searchName" LIKE '%topo%'`)).toContain("Attachment_searchName_trgm_idx");
    expect(await plan(`SELECT id FROM "Chat" c WHERE c."searchText" LIKE '%idea%'`)).toContain("Chat_searchText_trgm_idx");
    expect(await plan(`SELECT id FROM "Attendee" a WHERE a."searchText" LIKE '%maya%'`)).toContain("Attendee_searchText_trgm_idx");
    expect(
      await plan(`SELECT id FROM "Attendee" a WHERE left(a."searchText", 200) COLLATE "C" LIKE 'maya%' ORDER BY left(a."searchText", 200) COLLATE "C" LIMIT 5`),
    ).toContain("Attendee_searchText_prefix_idx");
    expect(await plan(`SELECT id, "accountId" FROM "Chat" c WHERE c."unreadCount" > 0`)).toContain("Chat_unread_idx");
  });
});

describe("the embedded database", () => {
  it("keeps data in its folder across restarts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "parley-pglite-"));
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir });
      await applyMigrations(first.url);
      const c1 = new pg.Client({ connectionString: first.url });
      await c1.connect();
      await c1.query(`INSERT INTO "Account" (id, provider, name, "updatedAt") VALUES ('acc_keep', 'WHATSAPP', 'Kept', now())`);
      await c1.end();
      await first.close();

      const second = await startEmbeddedPostgres({ dataDir: dir });
      const c2 = new pg.Client({ connectionString: second.url });
      await c2.connect();
      const { rows } = await c2.query(`SELECT name FROM "Account" WHERE id = 'acc_keep'`);
      await c2.end();
      await second.close();
      expect(rows).toEqual([{ name: "Kept" }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
