// Optimistic send against a real (migrated) PostgreSQL: pending first, echoes folded, retries once.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db.ts";
import { UnipileError } from "@/server/unipile/errors.ts";
import { seededInbox } from "@test/support/inbox-seed.ts";
import { apiAs as api } from "@test/support/users.ts";
import { retryMessage, type SendRemote, sendMessage } from "./send-service.ts";

const inbox = seededInbox();

describe("optimistic send", () => {
  it("stores the pending row before Unipile is called, then marks it sent with Unipile's id", async () => {
    let seenPending = false;
    const remote: SendRemote = {
      async sendMessage(chatUnipileId, input) {
        const row = await db.message.findUniqueOrThrow({ where: { clientTxnId: "txn-send-0001" } });
        seenPending = row.status === "pending" && row.text === "Hello there";
        expect(chatUnipileId).toBe("u_chat_group");
        expect(input.text).toBe("Hello there");
        return { message_id: "u_sent_1" };
      },
    };
    const res = await sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0001", text: "  Hello there \n" }, remote);
    expect(seenPending).toBe(true);
    expect(res).toMatchObject({ status: "sent", unipileId: "u_sent_1" });
    const chat = await db.chat.findUniqueOrThrow({ where: { id: inbox.chats.group } });
    expect(chat.lastMessagePreview).toBe("Hello there");
  });

  it("folds an echo that was stored first as its own row into the pending row: one message", async () => {
    const remote: SendRemote = {
      async sendMessage() {
        // The simulator's echo webhook beat the HTTP answer and the store did not match it.
        await db.message.create({
          data: { chatId: inbox.chats.group, unipileId: "u_echo_2", text: "Echo first", isSender: true, status: "delivered", sentAt: new Date() },
        });
        return { message_id: "u_echo_2" };
      },
    };
    const res = await sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0002", text: "Echo first" }, remote);
    expect(res).toMatchObject({ status: "delivered", unipileId: "u_echo_2", clientTxnId: "txn-send-0002" });
    expect(await db.message.count({ where: { text: "Echo first" } })).toBe(1);
  });

  it("accepts an echo that already matched our row (same id, no conflict)", async () => {
    const remote: SendRemote = {
      async sendMessage() {
        await db.message.update({ where: { clientTxnId: "txn-send-0003" }, data: { unipileId: "u_echo_3", status: "sent" } });
        return { message_id: "u_echo_3" };
      },
    };
    const res = await sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0003", text: "Matched" }, remote);
    expect(res).toMatchObject({ status: "sent", unipileId: "u_echo_3" });
    expect(await db.message.count({ where: { text: "Matched" } })).toBe(1);
  });

  it("fails with a reason when Unipile is down, then a retry sends the same row exactly once", async () => {
    let calls = 0;
    let up = false;
    // The retry that sends waits in Unipile until the other one has answered: they overlap however
    // busy the machine is (else the second could start after the first had sent, and find it sent).
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const remote: SendRemote = {
      async sendMessage() {
        calls++;
        if (!up) throw new UnipileError({ status: 503, slug: "errors/service_unavailable", title: "Service unavailable" });
        await gate;
        return { message_id: "u_retry_4" };
      },
    };
    const failed = await sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0004", text: "Down" }, remote);
    expect(failed.status).toBe("failed");
    expect(failed.statusError).toContain("503");
    up = true;
    const retries = [retryMessage(inbox.admin, failed.id, remote), retryMessage(inbox.admin, failed.id, remote)];
    void Promise.race(retries.map((p) => p.then(release, release)));
    const settled = await Promise.allSettled(retries);
    expect(settled.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(calls).toBe(2);
    const rows = await db.message.findMany({ where: { text: "Down" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: failed.id, status: "sent", unipileId: "u_retry_4", statusError: null });
    // Retrying a sent message does nothing.
    await retryMessage(inbox.admin, failed.id, remote);
    expect(calls).toBe(2);
  });

  it("answers a repeated clientTxnId with the first row and sends once", async () => {
    let calls = 0;
    const remote: SendRemote = {
      async sendMessage() {
        calls++;
        return { message_id: "u_dup_5" };
      },
    };
    const one = await sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0005", text: "Twice" }, remote);
    const two = await sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0005", text: "Twice" }, remote);
    expect(two.id).toBe(one.id);
    expect(calls).toBe(1);
  });

  it("refuses empty messages, oversized files and bad transaction ids with 4xx, storing nothing", async () => {
    const remote: SendRemote = { sendMessage: async () => ({ message_id: null }) };
    await expect(sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0006", text: "  " }, remote)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const big = { name: "huge.bin", type: "application/octet-stream", data: new Uint8Array(16 * 1024 * 1024) };
    await expect(
      sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "txn-send-0007", text: "x", files: [big] }, remote),
    ).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("huge.bin") });
    await expect(sendMessage(inbox.admin, { chatId: inbox.chats.group, clientTxnId: "bad id!", text: "x" }, remote)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await db.message.count({ where: { clientTxnId: { in: ["txn-send-0006", "txn-send-0007"] } } })).toBe(0);
  });

  it("replies with Unipile's id of the quoted message and keeps attachments for a retry", async () => {
    const inputs: unknown[] = [];
    let up = false;
    const remote: SendRemote = {
      async sendMessage(_c, input) {
        inputs.push(input);
        if (!up) throw new UnipileError({ status: 0, slug: "client/network_error", title: "fetch failed" });
        return { message_id: "u_reply_8" };
      },
    };
    const quoted = await db.message.findUniqueOrThrow({ where: { unipileId: "u_m_7" } });
    const file = { name: "notes.txt", type: "text/plain", data: new TextEncoder().encode("hello file") };
    const failed = await sendMessage(
      inbox.admin,
      { chatId: inbox.chats.group, clientTxnId: "txn-send-0008", text: "See above", quoteMessageId: quoted.id, files: [file] },
      remote,
    );
    expect(failed).toMatchObject({ status: "failed", statusError: expect.stringContaining("could not be reached") });
    // The file waits in the database (any instance can retry, after any restart)…
    expect(await db.outboxFile.findMany({ where: { messageId: failed.id }, select: { name: true, position: true } })).toEqual([
      { name: "notes.txt", position: 0 },
    ]);
    up = true;
    await retryMessage(inbox.admin, failed.id, remote);
    // …until Unipile accepted it.
    expect(await db.outboxFile.count({ where: { messageId: failed.id } })).toBe(0);
    const second = inputs[1] as { quote_id: string; attachments: { name: string; data: Uint8Array }[] };
    expect(second.quote_id).toBe("u_m_7");
    expect(second.attachments.map((a) => [a.name, new TextDecoder().decode(a.data)])).toEqual([["notes.txt", "hello file"]]);
    const view = await api(inbox.admin).message.list({ chatId: inbox.chats.group, limit: 5 });
    const mine = view.items.find((m) => m.id === failed.id)!;
    expect(mine.quoted?.text).toBe("The quarterly budgetary review is on Friday");
    expect(mine.quoted?.senderName).toBe("Ana Lima");
  });
});

describe("an agent without a grant", () => {
  it("cannot send to it", async () => {
    const remote: SendRemote = { sendMessage: async () => ({ message_id: "never" }) };
    await expect(sendMessage(inbox.agent, { chatId: inbox.chats.secret, clientTxnId: "txn-forbidden-1", text: "hi" }, remote)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.message.count({ where: { clientTxnId: "txn-forbidden-1" } })).toBe(0);
  });
});
