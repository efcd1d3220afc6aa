import { describe, expect, it } from "vitest";
import { parseBenchOutput } from "./output.ts";

describe("parseBenchOutput", () => {
  it("reads a result printed as indented JSON over many lines (reads.bench.ts)", () => {
    const out = `migrating…\n${JSON.stringify({ benchmark: "reads", results: [{ what: "chat list", p50: 2 }] }, null, 2)}\n`;
    expect(parseBenchOutput(out)).toEqual([{ benchmark: "reads", results: [{ what: "chat list", p50: 2 }] }]);
  });

  it("reads several one-line results between log lines", () => {
    const out = `log line\n{"bench":"a","n":1}\nnot json {\n[1,2]\n{"bench":"b","nested":{"x":[3]}}\n`;
    expect(parseBenchOutput(out)).toEqual([{ bench: "a", n: 1 }, [1, 2], { bench: "b", nested: { x: [3] } }]);
  });

  it("finds nothing in logs alone, or in a document cut short", () => {
    expect(parseBenchOutput("starting\ndone\n")).toEqual([]);
    expect(parseBenchOutput('{\n  "bench": "cut"\n')).toEqual([]);
  });
});
