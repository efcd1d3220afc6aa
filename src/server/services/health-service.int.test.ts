import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { checkHealth } from "./health-service.ts";

let testDb: TestDatabase;
let server: http.Server;
let url: string;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  // A stand-in Unipile that knows one key, to tell "reachable" from "refused".
  server = http.createServer((req, res) => {
    if (req.headers["x-api-key"] !== "good-key") {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: 401, type: "errors/missing_credentials", title: "Missing credentials" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ object: "AccountList", items: [], cursor: null }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await testDb?.close();
});

describe("health", () => {
  it("reports the database and Unipile as reachable", async () => {
    Object.assign(process.env, { UNIPILE_DSN: url, UNIPILE_API_KEY: "good-key" });
    const h = await checkHealth();
    expect(h.ok).toBe(true);
    expect(h.database.ok).toBe(true);
    expect(h.unipile).toMatchObject({ configured: true, ok: true });
  });

  it("is not ok when Unipile rejects the key, and says why", async () => {
    Object.assign(process.env, { UNIPILE_DSN: url, UNIPILE_API_KEY: "wrong" });
    const h = await checkHealth();
    expect(h.ok).toBe(false);
    expect(h.unipile).toMatchObject({ configured: true, ok: false });
    expect(JSON.stringify(h)).not.toContain("wrong"); // the key never appears in the answer
  });

  it("is ok without Unipile configured, and says it is not configured", async () => {
    delete process.env.UNIPILE_DSN;
    delete process.env.UNIPILE_API_KEY;
    const h = await checkHealth();
    expect(h).toMatchObject({ ok: true, unipile: { configured: false } });
  });
});
