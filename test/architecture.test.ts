// Arrows run one way: app/ and components/ may import server/, nothing outside app/ imports app/,
// and nothing but tests and benchmarks imports test support.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith(path.join("src", "generated")));
}

/** The modules a file imports, resolved to repository paths (aliases and relative paths). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const specs = [...text.matchAll(/(?:^|\s)(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)].map((m) => m[1] ?? m[2]!);
  return specs.map((s) =>
    s.startsWith("@/") ? path.join("src", s.slice(2)) : s.startsWith("@test/") ? path.join("test", s.slice(6)) : s.startsWith(".") ? path.join(path.dirname(file), s) : s,
  );
}

const production = [...sources("src"), ...sources("scripts"), ...sources("simulator")];

describe("import direction", () => {
  it("finds the files it checks", () => {
    expect(production).toContain(path.join("src", "server", "actions", "inbox.ts"));
  });

  it("no production file outside src/app imports from src/app", () => {
    const offenders = production
      .filter((f) => !f.startsWith(path.join("src", "app") + path.sep))
      .flatMap((f) => importsOf(f).filter((i) => i.startsWith(path.join("src", "app") + path.sep)).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it("no production file imports test support", () => {
    const offenders = production.flatMap((f) => importsOf(f).filter((i) => i.startsWith(`test${path.sep}`)).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });
});
