// The client against a real local HTTP server (no fetch mocks): retries, timeouts, limits, parsing.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUnipileClient, getUnipile, resetUnipileForTests } from "./client.ts";
import { parseDsn } from "./dsn.ts";
import { errorFromResponse, parseRetryAfter, UnipileError } from "./errors.ts";

const fixturesDir = path.resolve(import.meta.dirname, "../../../test/fixtures/unipile");
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(fixturesDir, name), "utf8"));

type Seen = { method: string; url: URL; headers: IncomingMessage["headers"]; body: Buffer };
type Handler = (req: Seen, res: ServerResponse) => void | Promise<void>;

let server: Server;
let base: string;
let handler: Handler;
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const s: Seen = { method: req.method!, url: new URL(req.url!, "http://x"), headers: req.headers, body: Buffer.concat(chunks) };
    seen.push(s);
    await handler(s, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  seen = [];
});

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
const client = (o: Partial<Parameters<typeof createUnipileClient>[0]> = {}) =>
  createUnipileClient({ dsn: base, apiKey: "k1", retryBaseMs: 1, timeoutMs: 2000, ...o });

describe("parseDsn", () => {
  it("accepts the dashboard form and full URLs", () => {
    expect(parseDsn("api8.unipile.com:13851")).toBe("https://api8.unipile.com:13851/api/v1");
    expect(parseDsn(" http://127.0.0.1:3100/ ")).toBe("http://127.0.0.1:3100/api/v1");
    expect(parseDsn("https://api8.unipile.com:13851/api/v1")).toBe("https://api8.unipile.com:13851/api/v1");
    expect(parseDsn("http://proxy.local/unipile")).toBe("http://proxy.local/unipile/api/v1");
    expect(() => parseDsn("")).toThrow(/empty/);
    expect(() => parseDsn("ftp://x")).toThrow(/http/);
  });

  it("getUnipile explains a missing configuration", () => {
    const saved = { dsn: process.env.UNIPILE_DSN, key: process.env.UNIPILE_API_KEY };
    try {
      delete process.env.UNIPILE_DSN;
      resetUnipileForTests();
      expect(() => getUnipile()).toThrow(/UNIPILE_DSN/);
      process.env.UNIPILE_DSN = "api1.unipile.com:13111";
      process.env.UNIPILE_API_KEY = "x";
      expect(getUnipile().baseUrl).toBe("https://api1.unipile.com:13111/api/v1");
      expect(getUnipile()).toBe(getUnipile());
    } finally {
      if (saved.dsn === undefined) delete process.env.UNIPILE_DSN;
      else process.env.UNIPILE_DSN = saved.dsn;
      if (saved.key === undefined) delete process.env.UNIPILE_API_KEY;
      else process.env.UNIPILE_API_KEY = saved.key;
      resetUnipileForTests();
    }
  });
});

describe("error mapping", () => {
  it("maps Unipile error bodies", () => {
    const e404 = errorFromResponse(404, fixture("error-404.json"));
    expect(e404).toMatchObject({ status: 404, slug: "errors/resource_not_found", title: "Resource not found.", retryable: false });
    expect(e404.detail).toMatch(/No chat/);
    expect(e404.isNotFound).toBe(true);
    const e401 = errorFromResponse(401, fixture("error-401.json"));
    expect(e401).toMatchObject({ slug: "errors/missing_credentials", detail: undefined, retryable: false, isAuthError: true });
    const e429 = errorFromResponse(429, fixture("error-429.json"), new Headers({ "retry-after": "7" }));
    expect(e429).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(e429).toBeInstanceOf(Error);
  });

  it("falls back to the status for unknown bodies; 5xx and 504 are retryable", () => {
    expect(errorFromResponse(502, "<html>bad gateway</html>")).toMatchObject({ slug: "http/502", retryable: true });
    expect(errorFromResponse(504, { status: 504, type: "errors/request_timeout", title: "t" }).retryable).toBe(true);
    expect(errorFromResponse(422, { status: 422, type: "errors/invalid_recipient", title: "t" }).retryable).toBe(false);
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("requests", () => {
  it("sends the key to /api/v1 with encoded filters and parses the page", async () => {
    handler = (_r, res) => send(res, 200, fixture("chat-list.json"));
    const page = await client().listChats({ account_id: "A", unread: true, after: new Date("2025-01-31T09:15:00.000Z"), limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.cursor).toMatch(/^eyJ/);
    const r = seen[0]!;
    expect(r.url.pathname).toBe("/api/v1/chats");
    expect(r.headers["x-api-key"]).toBe("k1");
    expect(Object.fromEntries(r.url.searchParams)).toEqual({ account_id: "A", unread: "true", after: "2025-01-31T09:15:00.000Z", limit: "3" });
  });

  it("iterates cursor pages until the cursor is null", async () => {
    handler = (r, res) => {
      const c = r.url.searchParams.get("cursor");
      const n = c ? Number(Buffer.from(c, "base64").toString()) : 0;
      const item = { ...(fixture("message-list.json") as { items: object[] }).items[0]!, id: `m${n}` };
      send(res, 200, { object: "MessageList", items: [item], cursor: n < 2 ? Buffer.from(String(n + 1)).toString("base64") : null });
    };
    const ids: string[] = [];
    for await (const page of client().iterateChatMessages("chat1", { limit: 1 })) ids.push(...page.items.map((m) => m.id));
    expect(ids).toEqual(["m0", "m1", "m2"]);
    expect(seen.map((s) => s.url.searchParams.get("limit"))).toEqual(["1", "1", "1"]);
  });

  it("reports a response that does not match the schema, with the path", async () => {
    handler = (_r, res) => send(res, 200, { object: "ChatList", items: [{ id: 5 }], cursor: null });
    const err = await client().listChats().catch((e) => e);
    expect(err).toBeInstanceOf(UnipileError);
    expect(err).toMatchObject({ slug: "client/invalid_response", retryable: false });
    expect(err.detail).toMatch(/items\.0\.id/);
  });

  it("sends multipart with text, quote, account and files", async () => {
    let form: FormData | undefined;
    handler = async (r, res) => {
      form = await new Request("http://x", { method: "POST", headers: { "content-type": r.headers["content-type"]! }, body: new Uint8Array(r.body) }).formData();
      send(res, 201, { object: "MessageSent", message_id: ["mid1"] });
    };
    const sent = await client().sendMessage("c1", {
      text: "héllo 👋",
      quote_id: "q1",
      account_id: "acc",
      attachments: [{ name: "a.txt", type: "text/plain", data: Buffer.from("abc") }],
    });
    expect(sent.message_id).toBe("mid1");
    expect(seen[0]!.url.pathname).toBe("/api/v1/chats/c1/messages");
    expect(form!.get("text")).toBe("héllo 👋");
    expect(form!.get("quote_id")).toBe("q1");
    expect(form!.get("account_id")).toBe("acc");
    const file = form!.get("attachments") as File;
    expect(file.name).toBe("a.txt");
    expect(await file.text()).toBe("abc");
  });

  it("streams attachment downloads with their content type", async () => {
    handler = (_r, res) => {
      res.writeHead(200, { "content-type": "image/png", "content-length": "4" });
      res.end(Buffer.from([1, 2, 3, 4]));
    };
    const dl = await client().downloadAttachment("m1", "a1");
    expect(dl.contentType).toBe("image/png");
    expect(dl.contentLength).toBe(4);
    expect([...new Uint8Array(await new Response(dl.body).arrayBuffer())]).toEqual([1, 2, 3, 4]);
    expect(seen[0]!.url.pathname).toBe("/api/v1/messages/m1/attachments/a1");
  });
});

describe("retries and limits", () => {
  it("retries 503 then succeeds", async () => {
    let n = 0;
    handler = (_r, res) => (n++ < 2 ? send(res, 503, { status: 503, type: "errors/service_unavailable", title: "x" }) : send(res, 200, fixture("chat.json")));
    const chat = await client().getChat("qT3vXk9LRe2mH7pWcZy0Ag");
    expect(chat.id).toBe("qT3vXk9LRe2mH7pWcZy0Ag");
    expect(seen).toHaveLength(3);
  });

  it("gives up after maxRetries and does not retry a 404", async () => {
    handler = (_r, res) => send(res, 500, { status: 500, type: "errors/unexpected_error", title: "boom" });
    const err = await client({ maxRetries: 2 }).getMessage("m").catch((e) => e);
    expect(err).toMatchObject({ status: 500, slug: "errors/unexpected_error", retryable: true });
    expect(seen).toHaveLength(3);
    seen = [];
    handler = (_r, res) => send(res, 404, fixture("error-404.json"));
    await expect(client().getMessage("m")).rejects.toMatchObject({ status: 404 });
    expect(seen).toHaveLength(1);
  });

  it("honours Retry-After", async () => {
    let n = 0;
    handler = (_r, res) => (n++ === 0 ? send(res, 429, fixture("error-429.json"), { "retry-after": "0.3" }) : send(res, 200, fixture("account-list.json")));
    const waits: number[] = [];
    await client({ retryBaseMs: 1, sleep: async (ms) => void waits.push(ms) }).listAccounts();
    expect(waits).toEqual([300]);
    expect(seen).toHaveLength(2);
  });

  it("does not wait for a Retry-After longer than retryMaxMs", async () => {
    handler = (_r, res) => send(res, 429, fixture("error-429.json"), { "retry-after": "3600" });
    await expect(client({ retryMaxMs: 1000 }).listAccounts()).rejects.toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
    expect(seen).toHaveLength(1);
  });

  it("backs off exponentially", async () => {
    handler = (_r, res) => send(res, 500, { status: 500, type: "errors/unexpected_error", title: "boom" });
    const waits: number[] = [];
    await client({ retryBaseMs: 100, maxRetries: 3, sleep: async (ms) => void waits.push(ms) }).getAccount("a").catch(() => {});
    // waits of 50–100, 100–200, 200–400 ms (half the backoff, plus jitter up to the other half)
    expect(waits).toHaveLength(3);
    waits.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** n);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** n);
    });
    expect(seen).toHaveLength(4);
  });

  it("sends are retried on 429 but never on 5xx (they may have gone out)", async () => {
    handler = (_r, res) => send(res, 500, { status: 500, type: "errors/unexpected_error", title: "boom" });
    await expect(client().sendMessage("c", { text: "x" })).rejects.toMatchObject({ status: 500, retryable: true });
    expect(seen).toHaveLength(1);
    seen = [];
    let n = 0;
    handler = (_r, res) => (n++ === 0 ? send(res, 429, fixture("error-429.json")) : send(res, 201, fixture("chat-started.json")));
    const started = await client().startChat({ account_id: "a", attendees_ids: ["p1", "p2"], text: "hi" });
    expect(started).toMatchObject({ chat_id: "Ew9sK3vNRt6pB1yQm8cLdA", message_id: "Gx2nT7bWSq4eH0kVr5zMjQ" });
    expect(seen).toHaveLength(2);
  });

  it("times out a hanging request", async () => {
    handler = () => {}; // never answers
    const err = await client({ timeoutMs: 150, maxRetries: 1 }).listAccounts().catch((e) => e);
    expect(err).toMatchObject({ status: 0, slug: "client/timeout", retryable: true });
    expect(seen).toHaveLength(2);
  });

  it("maps a refused connection to a retryable network error", async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const err = await createUnipileClient({ dsn: `http://127.0.0.1:${port}`, apiKey: "k", maxRetries: 0 }).listAccounts().catch((e) => e);
    expect(err).toMatchObject({ status: 0, slug: "client/network_error", retryable: true });
  });

  it("a caller's abort is not turned into a Unipile error", async () => {
    handler = () => {};
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user left")), 50);
    const err = await client().listAccounts({}, { signal: ac.signal }).catch((e) => e);
    expect(err).not.toBeInstanceOf(UnipileError);
    expect(err.message).toBe("user left");
  });

  it("limits concurrency per account", async () => {
    const inflight = new Map<string, number>();
    const peak = new Map<string, number>();
    let peakTotal = 0;
    handler = async (r, res) => {
      const acc = r.url.searchParams.get("account_id")!;
      inflight.set(acc, (inflight.get(acc) ?? 0) + 1);
      peak.set(acc, Math.max(peak.get(acc) ?? 0, inflight.get(acc)!));
      peakTotal = Math.max(peakTotal, [...inflight.values()].reduce((a, b) => a + b, 0));
      await new Promise((d) => setTimeout(d, 60));
      inflight.set(acc, inflight.get(acc)! - 1);
      send(res, 200, { object: "ChatList", items: [], cursor: null });
    };
    const c = client({ perAccountConcurrency: 2 });
    await Promise.all([..."AAAAAABBBBBB"].map((acc) => c.listChats({ account_id: acc })));
    expect(peak.get("A")).toBe(2);
    expect(peak.get("B")).toBe(2);
    expect(peakTotal).toBe(4);
  });
});
