import { describe, expect, it } from "vitest";
import { ratio, stats, timeWays } from "./three-ways.ts";

describe("stats", () => {
  it("reads p50, p95 and max as the nearest rank, whatever the order of the samples", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(stats(xs)).toEqual({ p50: 50, p95: 95, max: 100 });
    expect(stats([7])).toEqual({ p50: 7, p95: 7, max: 7 });
  });

  it("gives ratios of p50s, or null when a way is missing", () => {
    expect(ratio({ p50: 3, p95: 4, max: 5 }, { p50: 2, p95: 2, max: 2 })).toBe(1.5);
    expect(ratio(undefined, { p50: 2, p95: 2, max: 2 })).toBeNull();
  });
});

describe("timeWays", () => {
  it("runs every present way the same number of rounds, alternating their order", async () => {
    const calls: string[] = [];
    const way = (k: string) => async () => void calls.push(k);
    const { rounds, stats: s } = await timeWays({ a: way("a"), b: way("b"), none: null }, { iterations: 4, warmup: 0 });
    expect(rounds).toBe(4);
    expect(calls).toEqual(["a", "b", "b", "a", "a", "b", "b", "a"]);
    expect(Object.keys(s)).toEqual(["a", "b"]);
  });

  it("stops a read over its time budget once it has the minimum of rounds", async () => {
    const { rounds } = await timeWays({ a: async () => {} }, { iterations: 100, minIterations: 3, budgetMs: 0, warmup: 0 });
    expect(rounds).toBe(3);
  });
});
