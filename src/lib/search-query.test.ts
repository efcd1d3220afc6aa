import { describe, expect, it } from "vitest";
import {
  applySuggestion,
  fold,
  hasMessageFilters,
  highlightNeedles,
  isEmptyQuery,
  operatorAt,
  parseSearchQuery,
} from "./search-query.ts";

describe("parseSearchQuery", () => {
  it("splits words, quoted phrases and excluded words, folded", () => {
    const q = parseSearchQuery('Budget  "Quarterly Review" -draft -"old plan" Café');
    expect(q.terms).toEqual(["budget", "cafe"]);
    expect(q.phrases).toEqual(["quarterly review"]);
    expect(q.exclude).toEqual(["draft", "old plan"]);
    expect(q.problems).toEqual([]);
  });

  it("reads every operator, with quoted values that hold spaces", () => {
    const q = parseSearchQuery(
      'from:"Maya Lindqvist" from:me in:"Launch crew" app:whatsapp account:Sales has:attachment has:image is:unread before:2025-03-02 after:2025-02-01 topo',
    );
    expect(q).toMatchObject({
      from: ["Maya Lindqvist", "me"],
      in: ["Launch crew"],
      app: ["whatsapp"],
      account: ["Sales"],
      hasAttachment: true,
      hasImage: true,
      unread: true,
      before: "2025-03-02",
      after: "2025-02-01",
      terms: ["topo"],
      problems: [],
    });
    expect(hasMessageFilters(q)).toBe(true);
  });

  it("keys are case-insensitive; an unknown key or a time is just text", () => {
    const q = parseSearchQuery("FROM:ana meet at 10:30 https://x.io/a");
    expect(q.from).toEqual(["ana"]);
    expect(q.terms).toEqual(["meet", "at", "10:30", "https://x.io/a"]);
  });

  it("says what is wrong with a bad value instead of guessing", () => {
    expect(parseSearchQuery("before:2025-13-01").problems).toEqual(["before: takes a date like 2025-03-01, not “2025-13-01”"]);
    expect(parseSearchQuery("after:yesterday").problems).toHaveLength(1);
    expect(parseSearchQuery("has:video").problems).toEqual(["has: takes attachment or image, not “video”"]);
    expect(parseSearchQuery("is:read").problems).toHaveLength(1);
    expect(parseSearchQuery("-from:ana").problems).toHaveLength(1);
  });

  it("an operator still being typed and an unclosed quote do not break the query", () => {
    expect(parseSearchQuery("hello from:")).toMatchObject({ terms: ["hello"], from: [], problems: [] });
    expect(parseSearchQuery('"half open').phrases).toEqual(["half open"]);
    expect(isEmptyQuery(parseSearchQuery("from:"))).toBe(true);
    expect(isEmptyQuery(parseSearchQuery("is:unread"))).toBe(false);
    expect(isEmptyQuery(parseSearchQuery("app:telegram"))).toBe(false);
  });

  it("highlights phrases, words and the words together, longest first", () => {
    expect(highlightNeedles(parseSearchQuery('budget review "on friday"'))).toEqual([
      "budget review",
      "on friday",
      "budget",
      "review",
    ]);
  });
});

describe("fold", () => {
  it("folds case and accents one character for one, and drops Hebrew points and Arabic harakat", () => {
    expect(fold("Élan CAFÉ Łódź İstanbul")).toBe("elan cafe łodz istanbul");
    expect(fold("שָׁלוֹם")).toBe("שלום");
    expect(fold("مَرْحَبًا")).toBe("مرحبا");
    expect(fold("東京 한국어 हिंदी")).toBe("東京 한국어 हिंदी");
  });
});

describe("operatorAt / applySuggestion", () => {
  it("finds the operator under the caret, quoted values included", () => {
    expect(operatorAt("budget from:ma", 14)).toEqual({ key: "from", value: "ma", start: 7, end: 14 });
    expect(operatorAt('from:"Maya Li', 13)).toMatchObject({ key: "from", value: "Maya Li", start: 0 });
    expect(operatorAt("budget", 6)).toBeNull();
    expect(operatorAt("10:30", 5)).toBeNull();
  });

  it("puts the picked value in place, quoted when it has a space, and the caret after it", () => {
    const at = operatorAt("from:ma budget", 7)!;
    expect(applySuggestion("from:ma budget", at, "Maya Lindqvist")).toEqual({ text: 'from:"Maya Lindqvist" budget', caret: 22 });
    const end = operatorAt("x in:la", 7)!;
    expect(applySuggestion("x in:la", end, "Launch")).toEqual({ text: "x in:Launch ", caret: 12 });
  });
});

describe("the database's fold", () => {
  it("is generated from foldChar: the migration's translate() lists exactly the characters fold changes", async () => {
    const { readFile } = await import("node:fs/promises");
    const sql = await readFile(
      new URL("../../prisma/migrations/20261201170000_search_everything/migration.sql", import.meta.url),
      "utf8",
    );
    const m = /translate\(t, '((?:[^']|'')*)', '((?:[^']|'')*)'\)/u.exec(sql);
    let from = "";
    let to = "";
    let drop = "";
    for (let cp = 0x80; cp < 0x2000; cp++) {
      const c = String.fromCodePoint(cp);
      const f = fold(c);
      if (f === c.toLowerCase()) continue;
      if (f === "") drop += c;
      else {
        from += c;
        to += f;
      }
    }
    expect(m?.[1]?.replaceAll("''", "'")).toBe(from + drop);
    expect(m?.[2]?.replaceAll("''", "'")).toBe(to);
  });
});
