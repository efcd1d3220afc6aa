// A fresh clone stands on its own: nothing reads outside the repository, and the committed lockfile
// serves every platform, so `npm install` on macOS or Windows leaves it unchanged.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const sourceRooms = ["src", "simulator", "e2e", "bench", "scripts", "test", "prisma"];
const topLevel = ["next.config.mjs", "playwright.config.ts", "vitest.config.ts", "prisma.config.ts", "postcss.config.mjs", "package.json"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" || name === "node_modules" ? [] : filesUnder(full);
    return name.endsWith(".md") ? [] : [full];
  });
}

// A path to ../shared written as a string: "../shared", '../../shared/x', or the segments "..", "shared".
const readsShared = /["'`](\.\.\/)+shared\b|["'`]\.\.["'`]\s*,\s*["'`]shared["'`]/;

describe("a fresh clone", () => {
  it("no project file reads the shared folder beside the project (a user's clone never has it)", () => {
    const files = [...sourceRooms.flatMap((d) => filesUnder(path.join(root, d))), ...topLevel.map((f) => path.join(root, f))];
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => f !== import.meta.filename && readsShared.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it("the pattern catches the ways a path to that folder is written", () => {
    // Built from parts, so this file does not itself look like a reader of the folder.
    const up = "..";
    expect(readsShared.test(`path.resolve(root, "${up}/shared/unipile/fixtures")`)).toBe(true);
    expect(readsShared.test(`join(dir, '${up}/${up}/shared')`)).toBe(true);
    expect(readsShared.test(`path.join(root, "..", "shared", "x")`)).toBe(true);
    expect(readsShared.test(`// see ${up}/shared/STACK.md`)).toBe(false);
  });

  it("package-lock.json holds other platforms' optional packages", () => {
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    const names = Object.keys(lock.packages);
    for (const pkg of [
      "@next/swc-darwin-arm64",
      "@next/swc-darwin-x64",
      "@next/swc-win32-x64-msvc",
      "@next/swc-linux-arm64-gnu",
      "@tailwindcss/oxide-darwin-arm64",
      "@tailwindcss/oxide-win32-x64-msvc",
      "lightningcss-darwin-arm64",
      "@biomejs/cli-darwin-arm64",
      "@biomejs/cli-win32-x64",
    ]) {
      expect(names, pkg).toContain(`node_modules/${pkg}`);
    }
  });

  it("the Unipile fixtures the tests read are in the repository", () => {
    const files = readdirSync(path.join(root, "test/fixtures/unipile"));
    expect(files).toEqual(expect.arrayContaining(["chat-list.json", "message-list.json", "error-429.json", "webhook-message-received.json"]));
  });

  it("README and .env.example list the three ports, and .env.example every setting env.ts checks", async () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const example = readFileSync(path.join(root, ".env.example"), "utf8");
    for (const v of ["PORT", "SIMULATOR_PORT", "PGLITE_PORT"]) {
      expect(readme, v).toContain(`| \`${v}\` |`);
      expect(example, v).toMatch(new RegExp(`^# ${v}=`, "m"));
    }
    const { checkEnv } = await import("../src/server/env.ts");
    const parsed = checkEnv({}, ["DATABASE_URL", "AUTH_SECRET"]);
    const internal = new Set(["NODE_ENV", "PARLEY_EMBEDDED_DB"]); // set by Next and by the launcher
    const names = [...Object.keys(parsed.ok ? parsed.env : {}), "DATABASE_URL", "AUTH_SECRET", "UNIPILE_DSN", "UNIPILE_API_KEY", "UNIPILE_WEBHOOK_SECRET", "PUBLIC_URL"];
    for (const v of names.filter((n) => !internal.has(n))) expect(example, v).toMatch(new RegExp(`^# ${v}=`, "m"));
  });
});
