import { describe, expect, it } from "vitest";
import { parseWebhookPayload } from "../unipile/webhook-schemas.ts";
import { dedupeKeyOf, reactionRemovalPrefix, removalTimeOf } from "./dedupe-key.ts";

const base = { account_id: "acc", chat_id: "chat", message_id: "msg" };
const parsed = (o: object) => parseWebhookPayload(o);
const messaging = (o: object) => {
  const p = parsed(o);
  if (p.kind !== "message") throw new Error("not a messaging webhook");
  return p;
};
const key = (o: object) => dedupeKeyOf(parsed(o), JSON.stringify(o));
const reaction = (value: string, timestamp: string, who = "p_ana") => ({
  ...base,
  event: "message_reaction",
  reaction: value,
  reaction_sender: { attendee_provider_id: who },
  timestamp,
});

describe("dedupeKeyOf", () => {
  it("gives a retry of an event the same key and another event another", () => {
    const received = { ...base, event: "message_received", message: "hi" };
    expect(key(received)).toBe(key({ ...received }));
    expect(key(received)).not.toBe(key({ ...received, message_id: "msg2" }));
    expect(key(received)).not.toBe(key({ ...received, event: "message_deleted" }));
  });

  it("tells a reaction added again later from a retry of the first add, and people apart", () => {
    const first = reaction("👍", "2025-03-01T10:00:00.000Z");
    expect(key(first)).toBe(key({ ...first }));
    expect(key(first)).not.toBe(key(reaction("👍", "2025-03-01T10:05:00.000Z")));
    expect(key(first)).not.toBe(key(reaction("👍", "2025-03-01T10:00:00.000Z", "p_bo")));
    expect(key(first)).not.toBe(key(reaction("❤️", "2025-03-01T10:00:00.000Z")));
  });

  it("keys reads by their readers in any order, and edits by their new text", () => {
    const read = (ids: string[]) => ({ ...base, event: "message_read", read_by: ids.map((id) => ({ attendee_provider_id: id })), timestamp: "t" });
    expect(key(read(["a", "b"]))).toBe(key(read(["b", "a"])));
    expect(key(read(["a"]))).not.toBe(key(read(["a", "b"])));
    const edit = (message: string) => ({ ...base, event: "message_edited", message });
    expect(key(edit("one"))).toBe(key(edit("one")));
    expect(key(edit("one"))).not.toBe(key(edit("two")));
  });

  it("has no key for an account status (its repeats are applied idempotently) and hashes unknown events", () => {
    const status = { AccountStatus: { account_id: "acc", account_type: "WHATSAPP", message: "OK" } };
    expect(key(status)).toBeNull();
    const unknown = { ...base, event: "message_failed", detail: "x" };
    expect(key(unknown)).toBe(key({ ...unknown }));
    expect(key(unknown)).not.toBe(key({ ...unknown, detail: "y" }));
  });
});

describe("reaction removals", () => {
  it("reads back the time a removal's key records, for that person on that message only", () => {
    const removal = reaction("", "2025-03-01T10:07:00.000Z");
    const removalKey = key(removal)!;
    expect(removalKey.startsWith(reactionRemovalPrefix(messaging(removal)))).toBe(true);
    const add = messaging(reaction("👍", "2025-03-01T10:00:00.000Z"));
    expect(removalTimeOf(add, removalKey)?.toISOString()).toBe("2025-03-01T10:07:00.000Z");
    // An add's own key is no removal; another person's removal is not this person's.
    expect(removalTimeOf(add, key(reaction("👍", "2025-03-01T10:00:00.000Z"))!)).toBeNull();
    expect(removalTimeOf(add, key(reaction("", "2025-03-01T10:07:00.000Z", "p_bo"))!)).toBeNull();
  });
});
