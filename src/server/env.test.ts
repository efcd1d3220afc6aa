import { afterEach, describe, expect, it } from "vitest";
import { checkEnv, env, resetEnvForTests, unipileConfig } from "./env.ts";

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

const valid = { DATABASE_URL: "postgresql://x@h/db", AUTH_SECRET: "0123456789abcdef" };

describe("env", () => {
  it("applies defaults and coerces numbers and flags", () => {
    const e = load({ ...valid, PORT: "4000", PARLEY_EMBEDDED_DB: "1" });
    expect(e.PORT).toBe(4000);
    expect(e.PARLEY_EMBEDDED_DB).toBe(true);
    expect(e.PARLEY_WORKERS).toBe(true);
    expect(e.SYNC_HISTORY_DEPTH).toBe(0);
    expect(e.UPLOAD_MAX_BYTES).toBe(15 * 1024 * 1024);
    expect(e.SIMULATOR_PORT).toBe(3100);
    expect(e.PGLITE_PORT).toBe(0);
  });

  it("names every invalid variable in one clear error", () => {
    const e = load({ AUTH_SECRET: "short", PORT: "abc" });
    expect(() => e.PORT).toThrowError(/PORT is "abc": expected a TCP port from 1 to 65535/);
    expect(() => e.PORT).toThrowError(/DATABASE_URL is not set: expected a PostgreSQL URL/);
    expect(() => e.PORT).toThrowError(/AUTH_SECRET is 5 characters long: expected at least 16 characters/);
  });

  it("an empty variable counts as unset", () => {
    const e = load({ ...valid, PORT: "", UNIPILE_DSN: "", PUBLIC_URL: "" });
    expect(e.PORT).toBe(3000);
    expect(e.UNIPILE_DSN).toBeUndefined();
  });
});

describe("checkEnv", () => {
  it("gives one line per bad variable: its name, what is wrong, what is expected; never a secret's value", () => {
    const r = checkEnv({
      ...valid,
      UNIPILE_WEBHOOK_SECRET: "short123",
      AUTH_SECRET: "short",
      PUBLIC_URL: "not-a-url",
      DATABASE_POOL_MAX: "0",
      UNIPILE_DSN: "ftp://x",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      "DATABASE_POOL_MAX is \"0\": expected a whole number of connections from 1 to 1000",
      "UNIPILE_DSN is \"ftp://x\": expected host:port (e.g. api8.unipile.com:13851) or an http(s) URL",
      "UNIPILE_WEBHOOK_SECRET is 8 characters long: expected at least 16 characters, e.g. the output of openssl rand -hex 24",
      "PUBLIC_URL is \"not-a-url\": expected an http(s) URL where Unipile reaches this app, e.g. https://inbox.example.com",
      "AUTH_SECRET is 5 characters long: expected at least 16 characters, e.g. the output of openssl rand -hex 24",
    ]);
    expect(r.issues.join("\n")).not.toContain("short123");
  });

  it("accepts the DSN forms the client accepts", () => {
    for (const dsn of ["api8.unipile.com:13851", "http://127.0.0.1:3100", "https://api8.unipile.com:13851/api/v1"]) {
      expect(checkEnv({ ...valid, UNIPILE_DSN: dsn }).ok, dsn).toBe(true);
    }
    expect(checkEnv({ ...valid, PUBLIC_URL: "ftp://inbox.example.com" }).ok).toBe(false);
  });

  it("lets the launcher leave out what it provides itself", () => {
    expect(checkEnv({}, ["DATABASE_URL", "AUTH_SECRET"])).toMatchObject({ ok: true, env: { PORT: 3000 } });
    expect(checkEnv({}, ["DATABASE_URL"])).toEqual({ ok: false, issues: [expect.stringMatching(/^AUTH_SECRET is not set/)] });
  });

  it("unipileConfig reads Unipile's settings when asked, after the launcher sets them", () => {
    load({ UNIPILE_DSN: "http://127.0.0.1:3100", UNIPILE_API_KEY: "k" });
    expect(unipileConfig()).toEqual({ dsn: "http://127.0.0.1:3100", apiKey: "k" });
    load({ UNIPILE_DSN: "ftp://x" });
    expect(() => unipileConfig()).toThrowError(/UNIPILE_DSN is "ftp:\/\/x"/);
  });
});
