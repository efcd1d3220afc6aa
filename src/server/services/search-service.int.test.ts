// search-service against a real (migrated) PostgreSQL: words, fragments, ranking, filters, grants.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { trpcHttp as http } from "@test/support/trpc.ts";
import { apiAs as api } from "@test/support/users.ts";

const inbox = seededInbox();

describe("search", () => {
  it("finds a whole word and a fragment inside a word, with highlighted text-only snippets", async () => {
    const word = await api(inbox.admin).search.messages({ query: "quarterly" });
    expect(word.hits).toHaveLength(1);
    expect(word.hits[0]!.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(["quarterly"]);
    const fragment = await api(inbox.admin).search.messages({ query: "dgeta" });
    expect(fragment.hits.map((h) => h.chatName).sort()).toEqual(["Board member", "Launch crew"]);
    expect(fragment.hits.every((h) => h.snippet.some((s) => s.hit && s.text.toLowerCase() === "dgeta"))).toBe(true);
  });

  it("ranks a whole-word match above a fragment and never returns deleted messages", async () => {
    await db.message.create({
      data: { chatId: inbox.chats.group, unipileId: "u_budget", text: "budget", sentAt: new Date("2024-01-01") },
    });
    const res = await api(inbox.admin).search.messages({ query: "budget" });
    expect(res.hits[0]!.snippet.map((s) => s.text).join("")).toBe("budget");
    expect(res.hits.some((h) => h.snippet.some((s) => s.text.includes("leak")))).toBe(false);
  });

  it("filters by account, chat and date", async () => {
    const a = api(inbox.admin);
    expect((await a.search.messages({ query: "budgetary", accountId: "acc_li" })).hits.map((h) => h.chatName)).toEqual([
      "Board member",
    ]);
    expect((await a.search.messages({ query: "budgetary", chatId: inbox.chats.group })).hits.map((h) => h.chatName)).toEqual([
      "Launch crew",
    ]);
    expect((await a.search.messages({ query: "budgetary", from: new Date("2025-03-02") })).hits.map((h) => h.chatName)).toEqual([
      "Board member",
    ]);
  });

  it("treats LIKE wildcards literally and rejects an empty query with 400", async () => {
    expect((await api(inbox.admin).search.messages({ query: "%%%" })).hits).toEqual([]);
    expect((await http("search.messages", inbox.admin, { query: "   " })).status).toBe(400);
  });
});

describe("an agent without a grant", () => {
  it("finds nothing of it in search, while the admin does", async () => {
    const hidden = await api(inbox.agent).search.messages({ query: "confidential" });
    expect(hidden.hits).toEqual([]);
    const seen = await api(inbox.admin).search.messages({ query: "confidential" });
    expect(seen.hits.map((h) => h.chatName)).toEqual(["Board member"]);
    await expect(api(inbox.agent).search.messages({ query: "budget", chatId: inbox.chats.secret })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
