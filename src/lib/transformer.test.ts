import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { deserialize, serialize } from "./transformer.ts";

const wire = (v: unknown) => JSON.stringify(serialize(v));
const theirs = (v: unknown) => JSON.stringify(superjson.serialize(v));

describe("transformer", () => {
  it("writes what superjson writes for JSON with Dates and undefined, and reads back the same values", () => {
    const values: unknown[] = [
      null,
      0,
      "text",
      true,
      [],
      {},
      { a: 1, b: "x", c: [1, 2, { d: null }] },
      { items: [{ at: new Date(0), nested: { at: new Date(1) } }, { at: new Date(2), gone: undefined }], nextCursor: null },
      [undefined, new Date(3), [new Date(4)]],
      { "a.b": new Date(5), "c\\d": { "e.f\\g": new Date(6) }, "": new Date(7), 0: new Date(8) },
      { emoji: "🙂", rtl: "שלום", nul: "a\u0000b" },
      Object.assign(Object.create(null), { plain: new Date(9) }),
    ];
    for (const v of values) {
      expect(wire(v)).toBe(theirs(v));
      expect(deserialize(JSON.parse(wire(v)))).toEqual(v);
    }
  });

  it("hands anything else to superjson whole", () => {
    class Point {
      constructor(public x: number) {}
    }
    const values: unknown[] = [
      undefined,
      new Date(10),
      { big: 10n },
      { map: new Map([["k", new Date(11)]]), set: new Set([1]) },
      { n: Number.NaN, inf: Number.POSITIVE_INFINITY, neg: -0 },
      { bad: new Date(Number.NaN) },
      { p: new Point(1) },
      { re: /x/g, err: new Error("boom") },
    ];
    for (const v of values) expect(wire(v)).toBe(theirs(v));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(wire(cyclic)).toBe(theirs(cyclic));
    const back = deserialize(JSON.parse(wire(cyclic))) as typeof cyclic;
    expect(back.self).toBe(back);
  });

  it("refuses keys that could reach a prototype, as superjson does", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(() => serialize(hostile)).toThrow(/prototype pollution/);
    expect(() => serialize({ constructor: 1 })).toThrow(/prototype pollution/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("sends an object met twice as two equal copies", () => {
    const shared = { at: new Date(12) };
    const back = deserialize(JSON.parse(wire({ a: shared, b: shared }))) as { a: unknown; b: unknown };
    expect(back).toEqual({ a: shared, b: shared });
  });
});
