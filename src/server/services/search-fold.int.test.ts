// parley_fold() (migration faster_fold) returns exactly what the first one (migration
// search_everything: one translate() over the whole table) returned, for every character up to
// U+2FFF and for strings mixing the blocks it now translates one by one.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  const first = await readFile(new URL("../../../prisma/migrations/20261201170000_search_everything/migration.sql", import.meta.url), "utf8");
  const fn = /CREATE OR REPLACE FUNCTION parley_fold\(t text\)[\s\S]*?\$\$[\s\S]*?\$\$;/u.exec(first)?.[0];
  if (!fn) throw new Error("the first parley_fold() was not found in its migration");
  await db.$executeRawUnsafe(fn.replace("FUNCTION parley_fold(", "FUNCTION parley_fold_first("));
});
afterAll(() => testDb.close());

async function differences(texts: string[]) {
  return db.$queryRawUnsafe<{ t: string; now: string; first: string }[]>(
    `SELECT t, parley_fold(t) AS now, parley_fold_first(t) AS first FROM unnest($1::text[]) t
     WHERE parley_fold(t) IS DISTINCT FROM parley_fold_first(t)`,
    texts,
  );
}

describe("parley_fold", () => {
  it("folds every character as the first fold did", async () => {
    const chars: string[] = [];
    for (let cp = 1; cp < 0x3000; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
    expect(await differences(chars)).toEqual([]);
    // Not a fold that changes nothing: accents, case and vowel marks go.
    const [r] = await db.$queryRawUnsafe<{ f: string }[]>(`SELECT parley_fold('Ἀθῆναι, Ça VA, Москва́, ĐẠI, שָׁלוֹם, مَرْحَبًا') AS f`);
    expect(r?.f).toBe("αθηναι, ca va, москва, đai, שלום, مرحبا");
  });

  it("folds text mixing every block, in any order, as the first fold did", async () => {
    const pool = [..."aZ 1😀会议ÀéÿĀžǅȘ̀́ͅΆΰϓЀйӸְًٰ֑Ḁẞỹἀ῾‘’"];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const texts = Array.from({ length: 2000 }, () => Array.from({ length: 1 + (next() % 24) }, () => pool[next() % pool.length]).join(""));
    expect(await differences(texts)).toEqual([]);
  });
});
