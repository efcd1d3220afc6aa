// The message actions of the client (react, remove a reaction, edit, delete, forward) against a real
// local HTTP server: the paths and bodies sent, the answers and empty bodies accepted, errors kept.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUnipileClient } from "./client.ts";
import { UnipileError } from "./errors.ts";

type Seen = { method: string; path: string; headers: IncomingMessage["headers"]; body: string };
let server: Server;
let base: string;
let seen: Seen[] = [];
let answer: (s: Seen, res: ServerResponse) => void = (_s, res) => json(res, 200, {});

function json(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const s = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    seen.push(s);
    answer(s, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const client = () => createUnipileClient({ dsn: base, apiKey: "k1", retryBaseMs: 1, timeoutMs: 2000 });
const last = () => seen.at(-1)!;

describe("message actions", () => {
  it("reacts with POST /messages/{id}/reaction {reaction} and reads MessageReactionAdded", async () => {
    answer = (_s, res) => json(res, 200, { object: "MessageReactionAdded" });
    await expect(client().addReaction("m/1", "👍")).resolves.toEqual({ object: "MessageReactionAdded" });
    expect(last()).toMatchObject({ method: "POST", path: "/api/v1/messages/m%2F1/reaction" });
    expect(last().headers["content-type"]).toBe("application/json");
    expect(JSON.parse(last().body)).toEqual({ reaction: "👍" });
  });

  it("removes a reaction with the same endpoint and an empty reaction", async () => {
    answer = (_s, res) => json(res, 200, { object: "MessageReactionAdded" });
    await client().removeReaction("m1");
    expect(last()).toMatchObject({ method: "POST", path: "/api/v1/messages/m1/reaction" });
    expect(JSON.parse(last().body)).toEqual({ reaction: "" });
  });

  it("edits with PATCH /messages/{id} {text} and deletes with DELETE /messages/{id}; an empty 204 counts as done", async () => {
    answer = (_s, res) => json(res, 200, { object: "MessageEdited" });
    await client().editMessage("m1", "new text");
    expect(last()).toMatchObject({ method: "PATCH", path: "/api/v1/messages/m1" });
    expect(JSON.parse(last().body)).toEqual({ text: "new text" });
    answer = (_s, res) => json(res, 204);
    await expect(client().deleteMessage("m1")).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: "DELETE", path: "/api/v1/messages/m1", body: "" });
  });

  it("forwards with POST /messages/{id}/forward {chat_id}, accepting the new id in every form", async () => {
    answer = (_s, res) => json(res, 201, { object: "MessageForwarded", message_id: "new1" });
    await expect(client().forwardMessage("m1", "chat9")).resolves.toMatchObject({ message_id: "new1" });
    expect(last()).toMatchObject({ method: "POST", path: "/api/v1/messages/m1/forward" });
    expect(JSON.parse(last().body)).toEqual({ chat_id: "chat9" });
    answer = (_s, res) => json(res, 200, { object: "MessageForwarded", message_id: ["new2"] });
    await expect(client().forwardMessage("m1", "chat9")).resolves.toMatchObject({ message_id: "new2" });
    answer = (_s, res) => json(res, 200, { object: "MessageForwarded" });
    await expect(client().forwardMessage("m1", "chat9")).resolves.toMatchObject({ message_id: null });
  });

  it("keeps Unipile's refusal (status, slug, detail) and never retries a forward on a 5xx", async () => {
    answer = (_s, res) =>
      json(res, 422, {
        status: 422,
        type: "errors/unprocessable_entity",
        title: "Unprocessable entity",
        detail: "Too late to delete",
      });
    const err = await client()
      .deleteMessage("m1")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnipileError);
    expect(err).toMatchObject({ status: 422, slug: "errors/unprocessable_entity", detail: "Too late to delete" });

    seen = [];
    answer = (_s, res) => json(res, 503, { status: 503, type: "errors/service_unavailable", title: "Service unavailable" });
    await expect(client().forwardMessage("m1", "c1")).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });

  it("refuses dot ids before anything is sent", async () => {
    seen = [];
    expect(() => client().editMessage("..", "x")).toThrow(/Invalid id/);
    expect(seen).toHaveLength(0);
  });
});
