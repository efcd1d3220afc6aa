// message_received: store the message through the store (idempotent by Unipile id; adopts the
// pending local send our own echo belongs to). An unknown chat is fetched with its attendees first;
// when Unipile cannot answer, the chat is made from the payload, so no message waits on a REST call.
import { db } from "../../db.ts";
import type { RealtimeEvent } from "../../realtime/bus.ts";
import { upsertAccounts } from "../../store/accounts.ts";
import { rememberPeople } from "../../store/attendees.ts";
import { ensureChat, findChat } from "../../store/chats.ts";
import { getUnipile } from "../../unipile/client.ts";
import { UnipileError } from "../../unipile/errors.ts";
import type { MessagingWebhook } from "../../unipile/webhook-schemas.ts";
import { movableTo, takeEchoAttachments } from "../../store/message-status.ts";
import { upsertMessages } from "../../store/messages.ts";
import { pgQuery } from "../../store/sql.ts";
import { reopenOnInbound } from "../../services/team-service.ts";
import { onChatDiscovered, onChatGap } from "../sync-hooks.ts";
import { chatFromWebhook, findMessage, messageFromWebhook, peopleOf } from "./message-lookup.ts";
import type { MessageHandler, Outcome } from "./types.ts";

/**
 * The account of a message in a chat we do not know: ours, or looked up in Unipile and stored. An
 * account Unipile does not know is ignored (a forged or stale id); when Unipile cannot be asked the
 * event waits (deferred, retried with backoff), since we cannot tell a real account from a forged one.
 */
async function knownAccount(p: MessagingWebhook): Promise<{ provider: string } | Outcome> {
  const stored = await db.account.findUnique({ where: { id: p.account_id }, select: { provider: true } });
  if (stored) return stored;
  try {
    const found = await getUnipile().getAccount(p.account_id);
    await upsertAccounts([found]);
    return { provider: found.type };
  } catch (err) {
    if (err instanceof UnipileError && err.isNotFound) return { status: "applied", note: `Ignored: account ${p.account_id} is unknown to Unipile` };
    const why = err instanceof Error ? err.message : String(err);
    return { status: "deferred", reason: `Account ${p.account_id} is new and Unipile cannot be asked about it (${why}): retrying` };
  }
}

export const messageReceived: MessageHandler = async (p, ctx) => {
  // Already stored (by sync, or by an earlier delivery the dedupe key could not recognise): the
  // webhook's copy is thinner than what we hold (no reactions, no read state), so it must not replace it.
  // One exception: the echo of a send Unipile confirmed with its id brings the attachments we sent.
  const stored = await findMessage(p.message_id);
  if (stored) {
    if (await takeEchoAttachments(messageFromWebhook(p))) {
      return {
        status: "applied",
        note: "echo of our send: attachments taken from it",
        publish: [{ type: "message.upserted", accountId: stored.accountId, chatId: stored.chatId, messageId: stored.id }],
      };
    }
    return { status: "duplicate", note: "Message already stored" };
  }
  const known = await findChat(p.chat_id);
  let provider = "UNKNOWN";
  if (!known) {
    const account = await knownAccount(p);
    if ("status" in account) return account;
    provider = account.provider;
  }
  const { chat, created, fromFallback } = await ensureChat(p.chat_id, p.account_id, { known, fallback: () => chatFromWebhook(p, provider) });
  // Unipile saw activity in this chat later than the newest message we hold: messages are missing.
  const gap = !created && chat.unipileTimestamp !== null && (chat.lastMessageAt === null || chat.lastMessageAt < chat.unipileTimestamp);

  // The people it names first: a sender in LID form then finds the person stored in JID form (and back).
  await rememberPeople(chat.accountId, peopleOf([p.sender, ...p.attendees]));
  const message = messageFromWebhook(p);
  // A read of a later message (applied before this one arrived, deliveries are unordered) covers it:
  // an inbound message is then not unread, an own one already seen.
  const readLater =
    (
      await pgQuery(
        `SELECT 1 FROM "Message" WHERE "chatId" = $1 AND "isSender" = $2 AND "sentAt" >= ($3::timestamptz AT TIME ZONE 'UTC')
           AND CASE WHEN $2 THEN status = 'seen' ELSE "seenBy" IS NOT NULL AND "seenBy" <> '{}'::jsonb END
         LIMIT 1`,
        [chat.id, message.is_sender, new Date(message.timestamp).toISOString()],
      )
    ).length > 0;
  const result = await upsertMessages(chat, [message], { publish: "none", countUnread: !readLater, live: true });
  if (readLater && message.is_sender) {
    await db.message.updateMany({ where: { unipileId: message.id, status: { in: movableTo("seen") } }, data: { status: "seen" } });
  }
  const events: RealtimeEvent[] = [{ type: "chat.updated", accountId: chat.accountId, chatId: chat.id }];
  for (const messageId of result.changedIds) events.push({ type: "message.upserted", accountId: chat.accountId, chatId: chat.id, messageId });

  // News from the person reopens a done chat and wakes a snoozed one. Decided here, not in the store:
  // sync and sweeps store messages without passing this way, and a Replay is not news.
  const reopened = result.newInbound > 0 && !message.is_sender && !ctx.replay && (await reopenOnInbound(chat.id, new Date(message.timestamp), ctx.receivedAt));

  if (created) await onChatDiscovered(chat.id, chat.accountId);
  else if (gap) await onChatGap(chat.id);

  const notes = [
    created && (fromFallback ? `new chat made from the webhook (Unipile lookup failed: ${fromFallback}); details follow with its sync` : "new chat fetched from Unipile"),     result.adopted > 0 && "matched our pending send",
    gap && "gap: chat resync queued",
    reopened && "reopened the chat",
  ];
  return {
    status: "applied",
    note: notes.filter(Boolean).join("; ") || undefined,
    publish: events,
    storedMessages: [p.message_id],
  };
};
