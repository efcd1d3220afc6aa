// The simulator stays easy to read: each room in its own file, none of them a wall of code.
// data.ts is left out: most of it is the hand-written demo content.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = import.meta.dirname;

describe("simulator layout", () => {
  it("keeps every hand-written source file under 400 lines", () => {
    const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "data.ts");
    const long = sources
      .map((f) => [f, readFileSync(path.join(dir, f), "utf8").split("\n").length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
