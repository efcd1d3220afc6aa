// /api/metrics as a scraper sees it: refused without the token, well-formed Prometheus text with it,
// and the counters move when a webhook arrives or Unipile answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/metrics/route.ts";
import { db } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { createUnipileClient } from "@/server/unipile/client.ts";
import { parsePromText, sampleValue } from "@test/support/prom-text.ts";
import { postWebhook, webhookTestDatabase } from "@test/support/webhook-post.ts";
import { buildStream, seedStreamChats } from "@test/support/webhook-stream.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { apiAs, seedAdminAndAgent } from "@test/support/users.ts";
import { drainApplyQueue } from "../webhooks/apply.ts";

const TOKEN = "metrics-token-0123456789abcdef";
webhookTestDatabase();

function scrape(authorization?: string) {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  return GET(new Request("http://localhost/api/metrics", { headers }));
}

async function samples() {
  const res = await scrape(`Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return parsePromText(await res.text());
}

const deliveries = async (outcome: string) => sampleValue(await samples(), "parley_webhook_deliveries_total", { outcome });

function useToken(token: string | undefined) {
  if (token === undefined) delete process.env.METRICS_TOKEN;
  else process.env.METRICS_TOKEN = token;
  resetEnvForTests();
}

describe("access", () => {
  it("answers 404 with the reason when no METRICS_TOKEN is configured", async () => {
    useToken(undefined);
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/METRICS_TOKEN/);
  });

  it("refuses a missing or wrong token and changes nothing", async () => {
    useToken(TOKEN);
    const before = { events: await db.webhookEvent.count(), received: await deliveries("received") };
    for (const authorization of [undefined, "Bearer wrong-token-0123456789abcdef", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await scrape(authorization);
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = await res.text();
      expect(body).toMatch(/metrics token/);
      expect(body).not.toContain("parley_");
    }
    expect({ events: await db.webhookEvent.count(), received: await deliveries("received") }).toEqual(before);
  });
});

describe("counters", () => {
  beforeAll(() => useToken(TOKEN));

  it("serves well-formed Prometheus text with every metric family", async () => {
    const res = await scrape(`Bearer ${TOKEN}`);
    const text = await res.text();
    parsePromText(text); // throws on any malformed line
    for (const name of [
      "parley_webhook_deliveries_total",
      "parley_webhook_apply_lag_seconds",
      "parley_webhook_backlog",
      "parley_sync_runs_total",
      "parley_sync_runs_active",
      "parley_sync_messages_total",
      "parley_sync_errors_total",
      "parley_sse_clients",
      "parley_unipile_requests_total",
      "parley_unipile_request_duration_seconds",
      "parley_request_duration_seconds",
      "parley_process_cpu_seconds_total",
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
  });

  it("counts a webhook delivery with its outcome, the apply lag and the route's latency", async () => {
    const chats = await seedStreamChats(1);
    const [first] = buildStream(chats);
    const before = await samples();
    const at = (s: typeof before, outcome: string) => sampleValue(s, "parley_webhook_deliveries_total", { outcome });

    expect((await postWebhook(first!)).status).toBe(200);
    await drainApplyQueue();
    expect((await postWebhook(first!)).status).toBe(200); // Unipile delivering it again
    expect((await postWebhook("{ not json")).status).toBe(400);

    const after = await samples();
    expect(at(after, "received") - at(before, "received")).toBe(1);
    expect(at(after, "applied") - at(before, "applied")).toBe(1);
    expect(at(after, "duplicate") - at(before, "duplicate")).toBe(1);
    expect(at(after, "rejected") - at(before, "rejected")).toBe(1);
    const lagCount = (s: typeof before) => sampleValue(s, "parley_webhook_apply_lag_seconds_count");
    expect(lagCount(after) - lagCount(before)).toBe(1);
    const routeCount = (s: typeof before, outcome: string) => sampleValue(s, "parley_request_duration_seconds_count", { route: "webhook", outcome });
    expect(routeCount(after, "200") - routeCount(before, "200")).toBe(2);
    expect(routeCount(after, "400") - routeCount(before, "400")).toBe(1);
    // The backlog is read from the database: nothing is left waiting.
    expect(sampleValue(after, "parley_webhook_backlog", { status: "received" })).toBe(0);
  });

  it("reads the webhook backlog from the database at scrape time", async () => {
    const row = await db.webhookEvent.create({ data: { event: "message_received", headers: {}, body: "{}", status: "deferred" } });
    expect(sampleValue(await samples(), "parley_webhook_backlog", { status: "deferred" })).toBe(1);
    await db.webhookEvent.delete({ where: { id: row.id } });
    expect(sampleValue(await samples(), "parley_webhook_backlog", { status: "deferred" })).toBe(0);
  });

  it("times tRPC procedures by name and outcome", async () => {
    const { agent } = await seedAdminAndAgent({ agentAccounts: [] });
    const count = (s: Awaited<ReturnType<typeof samples>>, outcome: string) =>
      sampleValue(s, "parley_request_duration_seconds_count", { route: "trpc:account.list", outcome });
    const before = await samples();
    await apiAs(agent).account.list();
    await expect(apiAs(null).account.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const after = await samples();
    expect(count(after, "ok") - count(before, "ok")).toBe(1);
    expect(count(after, "UNAUTHORIZED") - count(before, "UNAUTHORIZED")).toBe(1);
  });

  describe("Unipile calls", () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator({ port: 0, seed: 3 });
    });
    afterAll(() => sim?.close());

    it("are counted by endpoint class and HTTP status, ids left out", async () => {
      const client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
      const calls = (s: Awaited<ReturnType<typeof samples>>, endpoint: string, status: string) =>
        sampleValue(s, "parley_unipile_requests_total", { endpoint, status });
      const before = await samples();
      await client.listAccounts();
      await expect(client.getChat("no-such-chat")).rejects.toMatchObject({ status: 404 });
      const after = await samples();
      expect(calls(after, "GET /accounts", "200") - calls(before, "GET /accounts", "200")).toBe(1);
      expect(calls(after, "GET /chats/:id", "404") - calls(before, "GET /chats/:id", "404")).toBe(1);
      expect(after.some((s) => JSON.stringify(s.labels).includes("no-such-chat"))).toBe(false);
      const latency = (s: typeof before) => sampleValue(s, "parley_unipile_request_duration_seconds_count", { endpoint: "GET /accounts" });
      expect(latency(after) - latency(before)).toBe(1);
    });
  });
});
