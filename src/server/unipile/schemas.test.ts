import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZodError, type z } from "zod";
import {
  AccountListSchema,
  AttachmentsSchema,
  AttendeeListSchema,
  ChatListSchema,
  ChatPatchedSchema,
  ChatSchema,
  ChatStartedSchema,
  ErrorBodySchema,
  isAccountHealthy,
  MessageListSchema,
  MessageSchema,
  MessageSentSchema,
  bool,
  parseUnipileJson,
} from "./schemas.ts";
import { decodeWebhookBody, parseWebhookPayload } from "./webhook-schemas.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const fixturesDir = path.join(repoRoot, "test/fixtures/unipile");
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(fixturesDir, name), "utf8"));

const restFixtures: Record<string, z.ZodType> = {
  "account-list.json": AccountListSchema,
  "attendee-list.json": AttendeeListSchema,
  "chat-list.json": ChatListSchema,
  "chat-patched.json": ChatPatchedSchema,
  "chat-started.json": ChatStartedSchema,
  "chat.json": ChatSchema,
  "error-401.json": ErrorBodySchema,
  "error-404.json": ErrorBodySchema,
  "error-429.json": ErrorBodySchema,
  "message-list.json": MessageListSchema,
  "message-sent-null-id.json": MessageSentSchema,
  "message-sent.json": MessageSentSchema,
};

describe("fixtures", () => {
  it("every fixture file is covered by a test here", () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(15);
    for (const f of files) expect(f in restFixtures || f.startsWith("webhook-"), f).toBe(true);
  });

  for (const [file, schema] of Object.entries(restFixtures)) {
    it(`${file} parses`, () => {
      const r = schema.safeParse(fixture(file));
      expect(r.error?.issues ?? []).toEqual([]);
    });
  }

  for (const file of readdirSync(fixturesDir).filter((f) => f.startsWith("webhook-"))) {
    it(`${file} parses as a webhook`, () => {
      const p = parseWebhookPayload(fixture(file));
      if (file === "webhook-account-status.json") {
        expect(p).toMatchObject({ kind: "account_status", account_id: "Ps6tD1wXRq8mK4nYc0vBzg", message: "CREDENTIALS" });
      } else {
        expect(p.kind).toBe("message");
        if (p.kind !== "message") return;
        const expected = file.replace(/^webhook-message-/, "message_").replace(/(-own-echo|-attachment-object)?\.json$/, "");
        expect(p.event).toBe(expected);
        expect(typeof p.chat_id).toBe("string");
        expect(Array.isArray(p.attachments)).toBe(true);
      }
    });
  }
});

describe("normalisation", () => {
  it("JSON strings PostgreSQL cannot store (NUL, lone surrogates) become U+FFFD, other text stays as sent", () => {
    expect(parseUnipileJson(String.raw`{"a":"x\u0000y","b":["\ud800"],"c":"\uD83D\uDE00 é"}`)).toEqual({ a: "x\uFFFDy", b: ["\uFFFD"], c: "😀 é" });
    // A lone surrogate in the text itself (not escaped), and an escaped backslash before "u0000" (nothing to replace).
    expect(parseUnipileJson(`{"a":"\ud800z"}`)).toEqual({ a: "\uFFFDz" });
    expect(parseUnipileJson(String.raw`{"a":"\\u0000"}`)).toEqual({ a: "\\u0000" });
    expect(parseUnipileJson(`{"a":"plain","n":[1,true,null]}`)).toEqual({ a: "plain", n: [1, true, null] });
  });

  it("REST 0/1 flags become booleans and unknown fields are kept", () => {
    const list = MessageListSchema.parse(fixture("message-list.json"));
    const [first, second] = list.items;
    expect(first!.is_sender).toBe(false);
    expect(second!.is_sender).toBe(true);
    expect(second!.seen_by).toEqual({ "33644981207@s.whatsapp.net": "2025-11-18T09:11:30.000Z" });
    expect((first as Record<string, unknown>).reply_to).toMatchObject({ id: "Hq1sV6tNR0eP3wYk8cZa2Q" });
    expect(list.items.find((m) => m.deleted)?.id).toBe("yD2gH5sKRm9uA1eWv6oPqw");
    expect(list.items.find((m) => m.is_event)?.event_type).toBe(8);
    const img = list.items.find((m) => m.attachments[0]?.type === "img")!.attachments[0]!;
    expect(img).toMatchObject({ type: "img", size: { width: 1280, height: 960 }, sticker: false, unavailable: false });
    expect(list.items[2]!.reactions[0]).toEqual({ value: "👍", sender_id: "33698120455@s.whatsapp.net", is_sender: true });
  });

  it("chat fields: pinned kept, muted_until -1, null name, missing cursor is null", () => {
    const list = ChatListSchema.parse(fixture("chat-list.json"));
    expect(list.items[1]).toMatchObject({ pinned: true, muted_until: -1, type: 1, archived: false });
    expect(list.items[2]!.name).toBeNull();
    expect(ChatListSchema.parse({ object: "ChatList", items: [] }).cursor).toBeNull();
    const chat = ChatSchema.parse(fixture("chat.json"));
    expect(chat.lastMessage?.quoted?.text).toBe("How about 10:30 at the north entrance?");
  });

  it("bool accepts every documented spelling and rejects others", () => {
    for (const v of [true, 1, "1", "true"]) expect(bool.parse(v)).toBe(true);
    for (const v of [false, 0, "0", "false"]) expect(bool.parse(v)).toBe(false);
    expect(() => bool.parse("yes")).toThrow(ZodError);
    expect(() => bool.parse(2)).toThrow(ZodError);
  });

  it("a lone string-typed attachment object becomes a typed array", () => {
    const p = parseWebhookPayload(fixture("webhook-message-reaction.json"));
    if (p.kind !== "message") throw new Error("expected message");
    expect(p.attachments).toEqual([
      expect.objectContaining({ type: "img", size: { width: 1280, height: 960 }, sticker: false, unavailable: false }),
    ]);
    expect(p.reaction).toBe("🔥");
    expect(p.reaction_sender?.attendee_name).toBe("Jonas Brekke");
    expect(p.is_sender).toBe(true);
    expect(p.is_group).toBe(true);
    expect(p.is_event).toBe(false);
    expect(AttachmentsSchema.parse(undefined)).toEqual([]);
    expect(AttachmentsSchema.parse([{ id: "a", type: "file", file_size: "12", unavailable: "true" }])).toEqual([
      { id: "a", type: "file", file_size: 12, unavailable: true },
    ]);
  });

  it("unknown attachment types are kept, not rejected", () => {
    const m = MessageSchema.parse({ id: "m", chat_id: "c", account_id: "a", sender_id: "s", timestamp: "t", attachments: [{ id: "x", type: "hologram", unavailable: false }] });
    expect(m.attachments[0]).toMatchObject({ type: "hologram" });
    expect(m.reactions).toEqual([]);
    expect(m.text).toBeNull();
  });

  it("read_by accepts an object, a string, or a list", () => {
    const base = fixture("webhook-message-read.json") as Record<string, unknown>;
    const asObject = parseWebhookPayload(base);
    const asString = parseWebhookPayload({ ...base, read_by: "33644981207@s.whatsapp.net" });
    const asList = parseWebhookPayload({ ...base, read_by: [base.read_by, "x"] });
    if (asObject.kind !== "message" || asString.kind !== "message" || asList.kind !== "message") throw new Error();
    expect(asObject.read_by?.[0]?.attendee_id).toBe("nW5cT8yRQa2kL0vBmX7uJg");
    expect(asString.read_by).toEqual([{ attendee_provider_id: "33644981207@s.whatsapp.net" }]);
    expect(asList.read_by).toHaveLength(2);
  });

  it("MessageSent unwraps a one-element array and keeps null", () => {
    expect(MessageSentSchema.parse({ object: "MessageSent", message_id: ["abc"] }).message_id).toBe("abc");
    expect(MessageSentSchema.parse(fixture("message-sent-null-id.json")).message_id).toBeNull();
  });

  it("account health follows sources", () => {
    const accounts = AccountListSchema.parse(fixture("account-list.json")).items;
    expect(accounts.map(isAccountHealthy)).toEqual([true, true, false]);
  });
});

describe("parseWebhookPayload", () => {
  it("throws a ZodError naming the bad path", () => {
    const bad = { ...(fixture("webhook-message-received.json") as object), chat_id: 42 };
    try {
      parseWebhookPayload(bad);
      throw new Error("should have thrown");
    } catch (e) {
      expect(e).toBeInstanceOf(ZodError);
      expect((e as ZodError).issues[0]!.path).toEqual(["chat_id"]);
    }
    expect(() => parseWebhookPayload({ AccountStatus: { account_type: "X" } })).toThrow(ZodError);
    expect(() => parseWebhookPayload(null)).toThrow(ZodError);
  });

  it("an unknown event is reported as such instead of failing", () => {
    expect(parseWebhookPayload({ event: "message_failed", account_id: "a" })).toMatchObject({ kind: "unknown_event", event: "message_failed" });
  });

  it("decodes JSON whatever the label, and form bodies", () => {
    expect(decodeWebhookBody('{"event":"message_read"}')).toEqual({ event: "message_read" });
    expect(decodeWebhookBody("event=message_received&sender=%7B%22attendee_id%22%3A%22x%22%7D")).toEqual({
      event: "message_received",
      sender: { attendee_id: "x" },
    });
    expect(() => decodeWebhookBody("garbage")).toThrow(SyntaxError);
  });
});
