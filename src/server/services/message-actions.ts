// Acting on one message: react (and remove our reaction), edit or delete our own, forward to another
// chat. Each checks the capability table (src/lib/capabilities.ts) with the chat's flags and the
// account's status, asks Unipile, and only when Unipile accepted writes the change here — by running
// the very webhook handler the echo will run, with a time taken before the call. The echo then finds
// its change already recorded (a duplicate), so it can neither double the change nor flip it back.
// A refusal or a fault leaves everything as it was, and says why.
import { type ChatAction, can, deletableUntil } from "@/lib/capabilities.ts";
import { errorMessage } from "@/lib/error-message.ts";
import { assertChatAccess, type CheckedChat, type SessionUser } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import type { UnipileClient } from "../unipile/client.ts";
import { UnipileError } from "../unipile/errors.ts";
import { type MessagingWebhook, MessagingWebhookSchema } from "../unipile/webhook-schemas.ts";
import { messageDeleted } from "../webhooks/handlers/message-deleted.ts";
import { messageEdited } from "../webhooks/handlers/message-edited.ts";
import { messageReaction } from "../webhooks/handlers/message-reaction.ts";
import type { MessageHandler } from "../webhooks/handlers/types.ts";

/** The Unipile calls these actions make; the real client fits. */
export type MessageActionRemote = Pick<
  UnipileClient,
  "addReaction" | "removeReaction" | "editMessage" | "deleteMessage" | "forwardMessage"
>;

export const MAX_EDIT_TEXT = 20_000;

const VERB: Partial<Record<ChatAction, string>> = {
  react: "React",
  unreact: "Remove reaction",
  edit: "Edit",
  delete: "Delete",
  forward: "Forward",
};

/** The message (of this chat), what it is sent through, and whether `action` is possible there. */
async function loadTarget(chat: CheckedChat, messageId: string, action: ChatAction) {
  const m = await db.message.findFirst({
    where: { id: messageId, chatId: chat.id },
    select: {
      id: true,
      unipileId: true,
      isSender: true,
      isEvent: true,
      deleted: true,
      sentAt: true,
      chat: {
        select: {
          unipileId: true,
          accountId: true,
          readOnly: true,
          raw: true,
          account: { select: { provider: true, status: true } },
        },
      },
    },
  });
  if (!m) throw new AppError("NOT_FOUND", "Message not found in this chat");
  const { provider, status } = m.chat.account;
  const raw = m.chat.raw as { disabledFeatures?: unknown } | null;
  const disabledFeatures = Array.isArray(raw?.disabledFeatures)
    ? raw.disabledFeatures.filter((f): f is string => typeof f === "string")
    : null;
  const verb = VERB[action] ?? action;
  if (!can(action, { provider, readOnly: m.chat.readOnly, disabledFeatures, accountStatus: status })) {
    if (status !== "OK")
      throw new AppError("BAD_REQUEST", "This account is disconnected. Reconnect it in Unipile, then try again");
    if (m.chat.readOnly) throw new AppError("BAD_REQUEST", "This chat is read-only");
    throw new AppError("BAD_REQUEST", `${verb} is not possible in this ${providerName(provider)} chat`);
  }
  if (m.isEvent) throw new AppError("BAD_REQUEST", "System events cannot be changed");
  if (m.deleted) throw new AppError("BAD_REQUEST", "This message was deleted");
  if (!m.unipileId) throw new AppError("BAD_REQUEST", "Wait until the message is sent");
  return { ...m, unipileId: m.unipileId, provider };
}

const providerName = (p: string) =>
  p === "LINKEDIN" ? "LinkedIn" : p === "WHATSAPP" ? "WhatsApp" : p.charAt(0) + p.slice(1).toLowerCase();

function ownOnly(m: { isSender: boolean }, what: string) {
  if (!m.isSender) throw new AppError("BAD_REQUEST", `Only your own messages can be ${what}`);
}

/** Unipile's refusal as a sentence; a business refusal (4xx) keeps Unipile's own reason. */
async function ask<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const reason =
      err instanceof UnipileError && err.status >= 400 && err.status < 500 && ![401, 404, 429].includes(err.status) && err.detail
        ? `Unipile refused it: ${err.detail}`
        : errorMessage(err);
    throw new AppError("UPSTREAM", `${what} did not work. ${reason}`, { cause: err });
  }
}

type Target = Awaited<ReturnType<typeof loadTarget>>;

/** Records what Unipile accepted through the echo's own handler (see the top of this file), then tells the screens. */
async function record(
  t: Target,
  handler: MessageHandler,
  fields: Partial<MessagingWebhook> & { event: MessagingWebhook["event"] },
  at: Date,
) {
  const payload = MessagingWebhookSchema.parse({
    account_id: t.chat.accountId,
    chat_id: t.chat.unipileId,
    message_id: t.unipileId,
    timestamp: at.toISOString(),
    ...fields,
  });
  const outcome = await handler(payload, { eventId: 0n, receivedAt: at, attempts: 1 });
  if (outcome.status === "applied" && outcome.publish?.length) await publish(...outcome.publish);
}

/** The account's own provider id: who "we" are in reactions. */
async function selfProviderId(accountId: string): Promise<string> {
  const self = await db.attendee.findFirst({ where: { accountId, isSelf: true }, select: { providerId: true } });
  if (self) return self.providerId;
  const account = await db.account.findUniqueOrThrow({ where: { id: accountId }, select: { connectionParams: true } });
  const im = (account.connectionParams as { im?: { id?: unknown } } | null)?.im;
  if (typeof im?.id === "string" && im.id) return im.id;
  throw new AppError("BAD_REQUEST", "Parley does not know this account's own user yet. Resync the account, then try again");
}

/** Sets our reaction (one emoji), or removes ours when `value` is null. */
export async function reactToMessage(
  chat: CheckedChat,
  input: { messageId: string; value: string | null },
  remote: MessageActionRemote,
) {
  const value = input.value?.trim() || null;
  if (value !== null && ([...value].length > 8 || /[\p{L}\p{N}\s]/u.test(value)))
    throw new AppError("BAD_REQUEST", "A reaction is one emoji");
  const t = await loadTarget(chat, input.messageId, value ? "react" : "unreact");
  const me = await selfProviderId(t.chat.accountId);
  const at = new Date();
  if (value) await ask("The reaction", () => remote.addReaction(t.unipileId, value, { accountId: t.chat.accountId }));
  else await ask("Removing the reaction", () => remote.removeReaction(t.unipileId, { accountId: t.chat.accountId }));
  // We keep one reaction of ours per message on every provider (Unipile's answer says nothing of
  // others; the simulator replaces ours): a new one first removes ours, a moment before it.
  const sender = { attendee_provider_id: me };
  if (value)
    await record(
      t,
      messageReaction,
      { event: "message_reaction", reaction: "", reaction_sender: sender },
      new Date(at.getTime() - 1),
    );
  await record(t, messageReaction, { event: "message_reaction", reaction: value ?? "", reaction_sender: sender }, at);
  return { messageId: t.id };
}

export async function editMessage(chat: CheckedChat, input: { messageId: string; text: string }, remote: MessageActionRemote) {
  const text = input.text.trim();
  if (!text) throw new AppError("BAD_REQUEST", "Type the new text, or delete the message instead");
  if (text.length > MAX_EDIT_TEXT)
    throw new AppError("BAD_REQUEST", `Messages are limited to ${MAX_EDIT_TEXT.toLocaleString("en")} characters`);
  const t = await loadTarget(chat, input.messageId, "edit");
  ownOnly(t, "edited");
  const at = new Date();
  await ask("The edit", () => remote.editMessage(t.unipileId, text, { accountId: t.chat.accountId }));
  // The echo may beat Unipile's answer (or be applied at the same moment), at Unipile's later time:
  // then this record is the same edit told earlier, and changes nothing (withEdit).
  await record(t, messageEdited, { event: "message_edited", message: text }, at);
  return { messageId: t.id };
}

export async function deleteMessage(chat: CheckedChat, input: { messageId: string }, remote: MessageActionRemote) {
  const t = await loadTarget(chat, input.messageId, "delete");
  ownOnly(t, "deleted");
  const until = deletableUntil(t.provider, t.sentAt);
  if (until && until.getTime() <= Date.now()) {
    const minutes = Math.round((until.getTime() - t.sentAt.getTime()) / 60_000);
    throw new AppError(
      "BAD_REQUEST",
      `${providerName(t.provider)} messages can be deleted only within ${minutes} minutes of sending`,
    );
  }
  const at = new Date();
  await ask("Deleting", () => remote.deleteMessage(t.unipileId, { accountId: t.chat.accountId }));
  await record(t, messageDeleted, { event: "message_deleted", message: null }, at);
  return { messageId: t.id };
}

/**
 * Forwards through Unipile's forward endpoint into another chat of the same account (which the user
 * must be allowed to see too). The copy arrives in that chat by its echo, like any own message.
 */
export async function forwardMessage(
  user: SessionUser,
  chat: CheckedChat,
  input: { messageId: string; toChatId: string },
  remote: MessageActionRemote,
) {
  const t = await loadTarget(chat, input.messageId, "forward");
  const to = await assertChatAccess(user, input.toChatId);
  const target = await db.chat.findUniqueOrThrow({
    where: { id: to.id },
    select: { unipileId: true, accountId: true, readOnly: true },
  });
  if (to.id === chat.id) throw new AppError("BAD_REQUEST", "Pick another chat to forward to");
  if (target.accountId !== t.chat.accountId)
    throw new AppError("BAD_REQUEST", "Messages can be forwarded only to chats of the same account");
  if (target.readOnly) throw new AppError("BAD_REQUEST", "That chat is read-only");
  const sent = await ask("Forwarding", () =>
    remote.forwardMessage(t.unipileId, target.unipileId, { accountId: t.chat.accountId }),
  );
  return { toChatId: to.id, unipileId: sent?.message_id ?? null };
}
