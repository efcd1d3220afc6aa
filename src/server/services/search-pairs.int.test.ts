// Phrases through word pairs: parley_word_pairs() (migration search_word_pairs) lists a message's
// adjacent words exactly as wordPairs() splits a phrase (as sets: the database may list a repeated
// pair twice), and the search finds a phrase of common words through them, old or new, and never a
// message that only holds the words apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { apiAs as api } from "@test/support/users.ts";
import { wordPairs } from "./search-sql.ts";

const inbox = seededInbox();
const sql = async (texts: string[]) =>
  (await db.$queryRawUnsafe<{ pairs: string[] }[]>(`SELECT parley_word_pairs(t) AS pairs FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n`, texts)).map(
    (r) => [...new Set(r.pairs)].sort(),
  );

describe("word pairs", () => {
  it("splits text at ASCII spaces and punctuation in the database as in the app", async () => {
    const texts = [
      "the north-wall route, is open!! again",
      "(start), then go",
      "tab\there\nnew line",
      "שלום! ראית את ההודעה",
      "会议 明天 见",
      "don't_stop me @now",
      "one",
      "",
      "  spaced   out  ",
      "again and again and again",
    ];
    expect(await sql(texts)).toEqual(texts.map((t) => wordPairs(t).sort()));
    expect(wordPairs("the north-wall route")).toEqual(["the north", "north wall", "wall route"]);
  });
});

describe("phrase search", () => {
  let chat = "";
  beforeAll(async () => {
    chat = inbox.chats.group;
    const at = (d: string) => new Date(`${d}T12:00:00Z`);
    await db.message.createMany({
      data: [
        { unipileId: "p_old", chatId: chat, text: "Is the meeting tomorrow still on?", sentAt: at("2019-05-01") },
        { unipileId: "p_apart", chatId: chat, text: "tomorrow we have a meeting", sentAt: at("2026-05-01") },
        { unipileId: "p_partial", chatId: chat, text: "premeeting tomorrows", sentAt: at("2026-05-02") },
      ],
    });
  });
  afterAll(async () => {
    await db.message.deleteMany({ where: { unipileId: { in: ["p_old", "p_apart", "p_partial"] } } });
  });

  it("finds a quoted phrase as whole words side by side, however old, and not the words apart", async () => {
    const hits = await api(inbox.admin).search.messages({ query: '"Meeting tomorrow"', limit: 50 });
    expect(hits.hits.map((h) => h.snippet.map((s) => s.text).join(""))).toEqual(["Is the meeting tomorrow still on?"]);
  });

  it("ranks the phrase first among messages holding both words", async () => {
    const hits = await api(inbox.admin).search.messages({ query: "meeting tomorrow", limit: 50 });
    const texts = hits.hits.map((h) => h.snippet.map((s) => s.text).join(""));
    expect(texts[0]).toBe("Is the meeting tomorrow still on?");
    expect(texts).toEqual(expect.arrayContaining(["tomorrow we have a meeting", "premeeting tomorrows"]));
  });
});
