// Unipile edges (issue 12 #6, #7, #8): interactive calls fail within 10 s against a hanging
// simulator, `..` ids never reach another endpoint, error text names no address, and a form body's
// `__proto__` key stays a field.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { simControl } from "../../../simulator/testing.ts";
import { createUnipileClient, INTERACTIVE_BUDGET_MS } from "../unipile/client.ts";
import { CLIENT_SLUGS, UnipileError } from "../unipile/errors.ts";
import { decodeWebhookBody, parseWebhookPayload } from "../unipile/webhook-schemas.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, chats: 3, messages: 4 });
});
afterAll(() => sim?.close());

const client = () => createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, retryBaseMs: 50 });

describe("timeouts for calls a person waits on", () => {
  it("mark-read, send, attachment and avatar fail within the interactive budget when Unipile hangs", async () => {
    const c = client();
    const chats = await c.listChats({ limit: 1 });
    const chatId = chats.items[0]!.id;
    await simControl(sim.url, "faults", { hangRate: 1 });
    try {
      const started = Date.now();
      const results = await Promise.allSettled([
        c.setChatReadStatus(chatId, true),
        c.sendMessage(chatId, { text: "hello" }),
        c.downloadAttachment("m1", "a1"),
        c.downloadPicture("att1"),
      ]);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(INTERACTIVE_BUDGET_MS + 2_000);
      for (const r of results) {
        expect(r.status).toBe("rejected");
        const err = (r as PromiseRejectedResult).reason;
        expect(err).toBeInstanceOf(UnipileError);
        expect((err as UnipileError).slug).toBe(CLIENT_SLUGS.timeout);
      }
    } finally {
      await simControl(sim.url, "faults", {});
    }
  }, 30_000);
});

describe("path segments", () => {
  it("refuses `.` and `..` ids instead of letting the URL resolve them into another endpoint", async () => {
    await simControl(sim.url, "stats/reset", {});
    const c = client();
    for (const id of ["..", "."]) {
      await expect(async () => c.getChat(id)).rejects.toMatchObject({ slug: CLIENT_SLUGS.invalidRequest });
      await expect(async () => c.listChatMessages(id)).rejects.toMatchObject({ slug: CLIENT_SLUGS.invalidRequest });
    }
    const stats = await simControl<{ requests: Record<string, number> }>(sim.url, "stats");
    expect(stats.requests).toEqual({});
    // Slashes and other separators inside an id stay inside its segment.
    await expect(c.getChat("../webhooks")).rejects.toMatchObject({ status: 404 });
  });
});

describe("error text", () => {
  it("a refused connection is described without the host and port", async () => {
    // A port nobody listens on: take a free one and close it again.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const c = createUnipileClient({ dsn: `http://127.0.0.1:${port}`, apiKey: "k", maxRetries: 0 });
    const err = (await c.listAccounts().catch((e: unknown) => e)) as UnipileError;
    expect(err).toBeInstanceOf(UnipileError);
    expect(err.detail).toBe("connection refused");
    expect(err.message).not.toContain("127.0.0.1");
    expect(err.message).not.toContain(String(port));
  });

  it("addresses inside an upstream's error body are scrubbed", async () => {
    const e = new UnipileError({ status: 502, slug: "http/502", title: "HTTP 502", detail: "upstream 10.1.2.3:8080 failed, see http://lb.internal:81/x" });
    expect(e.detail).toBe("upstream [address] failed, see [address]");
  });
});

describe("form-encoded webhook bodies", () => {
  it("keeps `__proto__` a plain field: it neither becomes the prototype nor makes an account-status event", () => {
    const inner = encodeURIComponent(JSON.stringify({ AccountStatus: { account_id: "acc_x", account_type: "LINKEDIN", message: "OK" } }));
    const decoded = decodeWebhookBody(`__proto__=${inner}&event=message_received`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBeNull();
    expect((decoded as { AccountStatus?: unknown }).AccountStatus).toBeUndefined();
    expect(() => parseWebhookPayload(decoded)).toThrow();
    expect(decodeWebhookBody("event=message_read&chat_id=c1")).toMatchObject({ event: "message_read", chat_id: "c1" });
  });
});
