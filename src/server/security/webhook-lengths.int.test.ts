// Webhooks with ids thousands of characters long: PostgreSQL refuses an index entry over ~2.7 kB, which
// was a 500 (and Unipile retrying five times). Now each is a 400 with a reason, logged as rejected for
// the admin, with no chat, message, account or attendee created.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { drainApplyQueue } from "@/server/webhooks/apply.ts";
import { postWebhook, webhookTestDatabase } from "@test/support/webhook-post.ts";

webhookTestDatabase();

const stored = async () => ({
  accounts: await db.account.count(),
  chats: await db.chat.count(),
  messages: await db.message.count(),
  attendees: await db.attendee.count(),
  reactions: await db.reaction.count(),
});

// Random text, so PostgreSQL cannot compress the index entry below its limit.
const long = (n: number) => Array.from({ length: n }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(Math.random() * 36)]).join("");
const good = { event: "message_received", account_id: "acc", chat_id: "chat", message_id: "msg", message: "hi", timestamp: "2025-01-01T00:00:00Z" };

describe("webhooks with overlong ids", () => {
  const cases: [string, object][] = [
    ["event (an unknown one)", { ...good, event: long(3000) }],
    ["chat_id", { ...good, chat_id: long(3000) }],
    ["message_id", { ...good, message_id: long(3000) }],
    ["account_id", { ...good, account_id: long(3000) }],
    ["sender.attendee_provider_id", { ...good, sender: { attendee_provider_id: long(3000), attendee_name: "X" } }],
    ["attendees[0].attendee_id", { ...good, attendees: [{ attendee_id: long(3000) }] }],
    ["reaction", { ...good, event: "message_reaction", reaction: long(3000), reaction_sender: { attendee_provider_id: "p" } }],
    ["AccountStatus.account_id", { AccountStatus: { account_id: long(3000), account_type: "WHATSAPP", message: "OK" } }],
  ];

  for (const [field, body] of cases) {
    it(`rejects a ~3,000-character ${field} with 400 and a reason, logged as rejected, nothing else stored`, async () => {
      const before = await stored();
      const lastBefore = (await db.webhookEvent.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0n;
      const res = await postWebhook(body);
      expect(res.status).toBe(400);
      const reply = await res.json();
      expect(reply.message).toMatch(/Unknown payload shape: .*(at most|too big|<=)/i);
      await drainApplyQueue();
      const logged = await db.webhookEvent.findMany({ where: { id: { gt: lastBefore } } });
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ status: "rejected", dedupeClaim: null, body: JSON.stringify(body) });
      expect(logged[0]!.error).toBe(reply.message);
      expect(await stored()).toEqual(before);
    });
  }

  it("still accepts a message_read from a large group (the readers' list makes a long key)", async () => {
    const readers = Array.from({ length: 40 }, (_, i) => ({ attendee_provider_id: `${long(200)}-${i}` }));
    const body = { ...good, event: "message_read", read_by: readers };
    const first = await postWebhook(body);
    expect(first.status, JSON.stringify(await first.clone().json())).toBe(200);
    expect((await first.json()).duplicate).toBe(false);
    // A retry of the same delivery is still recognised.
    expect((await (await postWebhook(body)).json()).duplicate).toBe(true);
    await drainApplyQueue();
  });
});
