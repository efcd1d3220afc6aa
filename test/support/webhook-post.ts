// Delivering webhooks to the real route in integration tests, as Unipile would: one secret, one post.
import { afterAll, beforeAll } from "vitest";
import { POST } from "@/app/api/webhooks/unipile/route.ts";
import { resetEnvForTests } from "@/server/env.ts";
import { setupTestDatabase, type TestDatabase } from "./db.ts";

export const WEBHOOK_TEST_SECRET = "whsec-test-0123456789abcdef";

/** Sets the webhook secret for this process (before a test posts). */
export function setWebhookSecret() {
  process.env.UNIPILE_WEBHOOK_SECRET = WEBHOOK_TEST_SECRET;
  resetEnvForTests();
}

/** The test file's own migrated database, with the webhook secret set; the result reads it once set up. */
export function webhookTestDatabase(): () => TestDatabase {
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await setupTestDatabase();
    setWebhookSecret();
  });
  afterAll(() => testDb?.close());
  return () => testDb!;
}

/** Posts a body (JSON-encoded unless a string) to the webhook route with the secret; `headers` override. */
export function postWebhook(body: string | object, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://localhost/api/webhooks/unipile", {
      method: "POST",
      headers: { "x-webhook-secret": WEBHOOK_TEST_SECRET, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}
