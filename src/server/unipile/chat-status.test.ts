// The client's archive/pin/mute call against a real local HTTP server: what goes on the wire, and
// the answer variants it takes (REFERENCE.md §8 rates these actions only likely; the answer is undocumented).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUnipileClient } from "./client.ts";
import { UnipileError } from "./errors.ts";

let server: Server;
let base: string;
let answer: { status: number; body: string } = { status: 200, body: "{}" };
const seen: { method: string; path: string; type: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({
      method: req.method!,
      path: req.url!,
      type: req.headers["content-type"],
      body: JSON.parse(Buffer.concat(chunks).toString() || "null"),
    });
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const client = () => createUnipileClient({ dsn: base, apiKey: "k", retryBaseMs: 1, maxRetries: 1 });

it("sends PATCH /chats/{id} with the action as JSON and takes ChatPatched, another object or an empty body", async () => {
  for (const body of ['{"object":"ChatPatched"}', '{"object":"Chat","id":"c1"}', ""]) {
    answer = { status: 200, body };
    await expect(
      client().setChatStatus("c/1", { action: "setMuteStatus", value: "2027-01-01T00:00:00.000Z" }),
    ).resolves.toBeTypeOf("object");
  }
  expect(seen.at(-1)).toEqual({
    method: "PATCH",
    path: "/api/v1/chats/c%2F1",
    type: "application/json",
    body: { action: "setMuteStatus", value: "2027-01-01T00:00:00.000Z" },
  });
});

it("a provider that does not offer the action is a 501 UnipileError, not retried", async () => {
  answer = { status: 501, body: '{"status":501,"type":"errors/feature_not_implemented","title":"Feature not implemented"}' };
  const before = seen.length;
  const err = await client()
    .setChatStatus("c1", { action: "setArchiveStatus", value: true })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UnipileError);
  expect((err as UnipileError).slug).toBe("errors/feature_not_implemented");
  expect(seen.length - before).toBe(1);
});
