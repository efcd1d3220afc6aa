import { afterAll, beforeAll, expect, it } from "vitest";
import { createUnipileClient } from "@/server/unipile/client.ts";
import { setupTestDatabase, type TestDatabase } from "@test/support/db.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { MESSAGING_EVENTS } from "@/server/unipile/schemas.ts";
import { ACCOUNT_STATUS_EVENTS, ensureWebhooksRegistered } from "./registration.ts";

let sim: Simulator;
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await setupTestDatabase();
  sim = await startSimulator({ port: 0, demo: false });
});
afterAll(async () => {
  await sim?.close();
  await testDb?.close();
});

it("registers the messaging and account-status webhooks once, and replaces them when the secret changes", async () => {
  const client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey });
  const opts = { client, publicUrl: "https://inbox.example.com", secret: "first-secret-0123456789" };
  const first = await ensureWebhooksRegistered(opts);
  expect(first).toMatchObject({ url: "https://inbox.example.com/api/webhooks/unipile", kept: [], removed: [] });
  expect(first.created).toHaveLength(2);

  const hooks = (await client.listWebhooks()).items;
  const messaging = hooks.find((h) => h.source === "messaging")!;
  expect(messaging.request_url).toBe("https://inbox.example.com/api/webhooks/unipile");
  expect(messaging.events?.sort()).toEqual(
    ["message_deleted", "message_delivered", "message_edited", "message_reaction", "message_read", "message_received"].sort(),
  );
  expect(messaging.headers).toEqual(
    expect.arrayContaining([
      { key: "X-Webhook-Secret", value: "first-secret-0123456789" },
      { key: "Content-Type", value: "application/json" },
    ]),
  );
  expect(hooks.filter((h) => h.source === "account_status")).toHaveLength(1);

  // A second start changes nothing.
  const again = await ensureWebhooksRegistered(opts);
  expect(again).toMatchObject({ created: [], removed: [] });
  expect(again.kept.sort()).toEqual(first.created.sort());
  expect((await client.listWebhooks()).items).toHaveLength(2);

  // A rotated secret: the old hooks go, new ones carry the new secret. Someone else's hook stays.
  await client.createWebhook({ request_url: "https://other.example.com/hook", source: "messaging" });
  const rotated = await ensureWebhooksRegistered({ ...opts, secret: "second-secret-0123456789" });
  expect(rotated.removed.sort()).toEqual(first.created.sort());
  expect(rotated.created).toHaveLength(2);
  const after = (await client.listWebhooks()).items;
  expect(after).toHaveLength(3);
  expect(after.filter((h) => h.headers?.some((x) => x.value === "second-secret-0123456789"))).toHaveLength(2);
});

it.skipIf(!process.env.TEST_DATABASE_URL)("registers once when several instances start at the same moment (shared server)", async () => {
  const fresh = await startSimulator({ port: 0, demo: false });
  try {
    const client = createUnipileClient({ dsn: fresh.url, apiKey: fresh.apiKey });
    const opts = { client, publicUrl: "https://inbox.example.com", secret: "same-secret-0123456789" };
    await Promise.all([ensureWebhooksRegistered(opts), ensureWebhooksRegistered(opts), ensureWebhooksRegistered(opts)]);
    expect((await client.listWebhooks()).items.map((h) => h.source).sort()).toEqual(["account_status", "messaging"]);
  } finally {
    await fresh.close();
  }
});

it("registers every account-status event, and repairs hooks made with Unipile's defaults or for other accounts, new before old", async () => {
  const fresh = await startSimulator({ port: 0, demo: true });
  try {
    const client = createUnipileClient({ dsn: fresh.url, apiKey: fresh.apiKey });
    const url = "https://inbox.example.com/api/webhooks/unipile";
    const headers = [{ key: "X-Webhook-Secret", value: "repair-secret-0123456789" }];
    // Left by an older Parley: the status hook without events (Unipile's default), the messaging hook for one account.
    const oldStatus = await client.createWebhook({ request_url: url, source: "account_status", name: "parley", format: "json", headers });
    const oneAccount = fresh.store.accounts[0]!.id;
    const oldMessaging = await client.createWebhook({ request_url: url, source: "messaging", name: "parley", format: "json", headers, events: [...MESSAGING_EVENTS], account_ids: [oneAccount] });

    const calls: string[] = [];
    const recording = new Proxy(client, {
      get: (target, key: keyof typeof client) =>
        typeof target[key] === "function"
          ? (...args: unknown[]) => {
              calls.push(String(key));
              return (target[key] as (...a: unknown[]) => unknown)(...args);
            }
          : target[key],
    });
    const result = await ensureWebhooksRegistered({ client: recording, publicUrl: "https://inbox.example.com", secret: "repair-secret-0123456789" });
    expect(result.removed.sort()).toEqual([oldStatus.webhook_id, oldMessaging.webhook_id].sort());
    expect(result.created).toHaveLength(2);
    expect(calls.filter((c) => c !== "listWebhooks")).toEqual(["createWebhook", "deleteWebhook", "createWebhook", "deleteWebhook"]);

    const hooks = (await client.listWebhooks()).items;
    expect(hooks).toHaveLength(2);
    const status = hooks.find((h) => h.source === "account_status")!;
    expect(status.events?.sort()).toEqual([...ACCOUNT_STATUS_EVENTS].sort());
    expect(hooks.find((h) => h.source === "messaging")!.account_ids).toEqual([]);
    // Now current: nothing more to do.
    expect(await ensureWebhooksRegistered({ client, publicUrl: "https://inbox.example.com", secret: "repair-secret-0123456789" })).toMatchObject({ created: [], removed: [] });
  } finally {
    await fresh.close();
  }
});
