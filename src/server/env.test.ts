import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvForTests } from "./env.ts";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

function load(vars: Record<string, string | undefined>) {
  process.env = { ...vars } as NodeJS.ProcessEnv;
  resetEnvForTests();
  return env;
}

describe("env", () => {
  it("applies defaults and coerces numbers and flags", () => {
    const e = load({ DATABASE_URL: "postgresql://x@h/db", AUTH_SECRET: "0123456789abcdef", PORT: "4000", PARLEY_EMBEDDED_DB: "1" });
    expect(e.PORT).toBe(4000);
    expect(e.PARLEY_EMBEDDED_DB).toBe(true);
    expect(e.PARLEY_WORKERS).toBe(true);
    expect(e.SYNC_HISTORY_DEPTH).toBe(0);
    expect(e.UPLOAD_MAX_BYTES).toBe(15 * 1024 * 1024);
  });

  it("names every invalid variable in one clear error", () => {
    const e = load({ AUTH_SECRET: "short", PORT: "abc" });
    expect(() => e.PORT).toThrowError(/DATABASE_URL[\s\S]*AUTH_SECRET: AUTH_SECRET must be at least 16 characters|AUTH_SECRET[\s\S]*DATABASE_URL/);
    expect(() => e.PORT).toThrowError(/PORT/);
  });

  it("rejects a short webhook secret", () => {
    const e = load({ DATABASE_URL: "postgresql://x@h/db", AUTH_SECRET: "0123456789abcdef", UNIPILE_WEBHOOK_SECRET: "abc" });
    expect(() => e.UNIPILE_WEBHOOK_SECRET).toThrowError(/UNIPILE_WEBHOOK_SECRET must be at least 16 characters/);
  });
});
