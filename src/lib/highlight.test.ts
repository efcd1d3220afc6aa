import { describe, expect, it } from "vitest";
import { hitRanges, snippet } from "./highlight.ts";
import { fold } from "./search-query.ts";

const hits = (text: string, needles: string[]) =>
  snippet(text, needles)
    .filter((x) => x.hit)
    .map((x) => x.text);

describe("snippet", () => {
  it("marks every case-insensitive hit, including fragments inside words, and keeps the text whole", () => {
    const s = snippet("Budgetary talks: the BUDGET is final", ["budget"]);
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(["Budget", "BUDGET"]);
    expect(s.map((x) => x.text).join("")).toBe("Budgetary talks: the BUDGET is final");
  });

  it("cuts long text around the first hit with ellipses", () => {
    const text = `${"lorem ipsum ".repeat(40)}needle ${"dolor sit ".repeat(40)}`;
    const s = snippet(text, ["needle"], 80);
    expect(s[0]!.text).toBe("…");
    expect(s.at(-1)!.text).toBe("…");
    expect(s.some((x) => x.hit && x.text === "needle")).toBe(true);
  });

  it("takes the query literally: brackets and dollars are text, markup stays text", () => {
    expect(hits("price (USD) 5$", ["(usd)"])).toEqual(["(USD)"]);
    expect(snippet("<b>bold</b>", ["bold"]).map((x) => x.text)).toEqual(["<b>", "bold", "</b>"]);
  });

  it("finds accented text from a plain query and cuts the original characters, decomposed accents included", () => {
    expect(hits("Hâte de grimper avec vous", [fold("hate")])).toEqual(["Hâte"]);
    expect(hits("Cafe\u0301 au lait", [fold("cafe")])).toEqual(["Cafe\u0301"]);
    expect(hits("Léa Moreau", [fold("LEA")])).toEqual(["Léa"]);
  });

  it("prefers the longest needle and never overlaps two hits", () => {
    expect(hitRanges("budget review budget", ["budget", "budget review"])).toEqual([
      [0, 13],
      [14, 20],
    ]);
  });

  it("finds Arabic with or without its vowel marks, and Hebrew and CJK substrings", () => {
    expect(hits("مَرْحَبًا يا صديقي", [fold("مرحبا")])).toEqual(["مَرْحَبًا"]);
    expect(hits("שלום! ראית את ההודעה", ["ראית"])).toEqual(["ראית"]);
    expect(hits("明日東京で会いましょう", ["東京"])).toEqual(["東京"]);
  });
});
