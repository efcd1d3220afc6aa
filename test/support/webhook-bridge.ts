// The app's webhook route behind a real HTTP server, so the simulator's deliveries reach it exactly
// as sent (headers, raw body) and are stored and applied as in production.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { createUnipileClient, resetUnipileForTests, type UnipileClient } from "@/server/unipile/client.ts";
import { MESSAGING_EVENTS } from "@/server/unipile/schemas.ts";
import { type Simulator, startSimulator } from "../../simulator/server.ts";
import { setupTestDatabase, type TestDatabase } from "./db.ts";

export async function startWebhookBridge() {
  let gate: Promise<void> | null = null;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    while (gate) await gate;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await POST(
      new Request("http://localhost/api/webhooks/unipile", { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    /** The base URL to register as PUBLIC_URL. */
    publicUrl: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/api/webhooks/unipile`,
    /** Holds every delivery (as a slow network would) until the returned function lets them through. */
    hold() {
      let open!: () => void;
      gate = new Promise<void>((r) => {
        open = r;
      });
      return () => {
        gate = null;
        open();
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * For a test file: a private database, a simulator and the bridge, with a messaging hook pointing at
 * it, set up before the file's tests and closed after them. Read the parts from the returned object.
 */
export function simulatorBehindBridge(o: { secret: string; seed: number; chats: number; messages: number }) {
  const parts = {} as {
    testDb: TestDatabase;
    sim: Simulator;
    bridge: Awaited<ReturnType<typeof startWebhookBridge>>;
    client: UnipileClient;
  };
  beforeAll(async () => {
    parts.testDb = await setupTestDatabase();
    parts.sim = await startSimulator({ port: 0, seed: o.seed, chats: o.chats, messages: o.messages });
    parts.bridge = await startWebhookBridge();
    Object.assign(process.env, { UNIPILE_DSN: parts.sim.url, UNIPILE_API_KEY: parts.sim.apiKey, UNIPILE_WEBHOOK_SECRET: o.secret });
    resetEnvForTests();
    resetUnipileForTests();
    parts.client = createUnipileClient({ dsn: parts.sim.url, apiKey: parts.sim.apiKey, retryBaseMs: 5, retryMaxMs: 20 });
    await parts.client.createWebhook({
      request_url: parts.bridge.url,
      source: "messaging",
      format: "json",
      events: [...MESSAGING_EVENTS],
      headers: [{ key: "X-Webhook-Secret", value: o.secret }],
    });
  });
  afterAll(async () => {
    await parts.sim?.close();
    await parts.bridge?.close();
    await parts.testDb?.close();
  });
  return parts;
}
