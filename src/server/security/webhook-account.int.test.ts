// An AccountStatus webhook for an account we do not have (issue 12 #8): created only when Unipile
// knows it, otherwise recorded in the webhook log and ignored. Also /api/health's Unipile cache (#6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { checkHealth, liveness, resetHealthCacheForTests } from "@/server/services/health-service.ts";
import { resetUnipileForTests } from "@/server/unipile/client.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { postWebhook, setWebhookSecret } from "@test/support/webhook-post.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";

let testDb: TestDatabase;
let sim: Simulator;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, seed: 3, chats: 2, messages: 2 });
  Object.assign(process.env, { UNIPILE_DSN: sim.url, UNIPILE_API_KEY: sim.apiKey });
  setWebhookSecret();
  resetUnipileForTests();
});
afterAll(async () => {
  await sim?.close();
  await testDb?.close();
});

async function deliver(body: object) {
  const res = await postWebhook(body);
  expect(res.status).toBe(200);
  await drainApplyQueue();
}

describe("AccountStatus for an account we do not have", () => {
  it("is recorded and ignored when Unipile does not know the account either", async () => {
    await deliver({ AccountStatus: { account_id: "acc_forged", account_type: "LINKEDIN", message: "OK" } });
    expect(await db.account.findUnique({ where: { id: "acc_forged" } })).toBeNull();
    const logged = await db.webhookEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(logged.status).toBe("applied");
    expect(await db.syncRun.count()).toBe(0); // no resync queued for it
  });

  it("creates the account with Unipile's name when Unipile knows it", async () => {
    const state = await simControl<{ accounts: { id: string; name: string; type: string }[] }>(sim.url, "state");
    const acc = state.accounts[0]!;
    await deliver({ AccountStatus: { account_id: acc.id, account_type: acc.type, message: "CREDENTIALS" } });
    expect(await db.account.findUnique({ where: { id: acc.id } })).toMatchObject({ name: acc.name, provider: acc.type, status: "CREDENTIALS" });
  });
});

describe("health", () => {
  it("liveness names nothing; the admin's details ask Unipile once per cache period", async () => {
    expect(liveness()).toEqual({ ok: true, status: "live" });
    resetHealthCacheForTests();
    await simControl(sim.url, "stats/reset", {});
    for (let i = 0; i < 5; i++) expect((await checkHealth()).unipile).toMatchObject({ configured: true, ok: true });
    const stats = await simControl<{ requests: Record<string, number> }>(sim.url, "stats");
    expect(stats.requests["GET /api/v1/accounts"]).toBe(1);
  });
});
