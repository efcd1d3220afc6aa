// Optimistic sends. The pending Message row (with the browser's clientTxnId) is committed BEFORE
// Unipile is called, so nothing typed is ever lost; the row then becomes sent (with Unipile's id) or
// failed with a reason, and a retry reuses the same row. The webhook echo of our own send is matched
// to this row by the store (store/message-status.ts, which also owns every status change).
// Attached files are stored with the row (OutboxFile) until Unipile accepted them.
import { Prisma } from "@/generated/prisma/client.ts";
import { type UploadFile, type UploadLimits, uploadProblem } from "@/lib/upload-rules.ts";
import type { SessionUser } from "../access.ts";
import { assertChatAccess, assertMessageAccess } from "../access.ts";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import { chatProductIssue } from "../store/account-products.ts";
import { confirmSent, keepSentFiles, markAccepted } from "../store/message-status.ts";
import type { OutgoingAttachment, SendMessageInput } from "../unipile/client.ts";
import { scrubAddresses, UnipileError } from "../unipile/errors.ts";
import { onReplySent } from "./team-service.ts";

/** The one Unipile call a send needs; the real client fits, and so does anything else for a test. */
export type SendRemote = {
  sendMessage(chatUnipileId: string, input: SendMessageInput, o?: { accountId?: string }): Promise<{ message_id: string | null }>;
};

export type OutgoingFile = { name: string; type: string; data: Uint8Array };
export type SendInput = {
  chatId: string;
  clientTxnId: string;
  text: string;
  /** Our id of the message replied to. */
  quoteMessageId?: string | null;
  files?: OutgoingFile[];
};

const MAX_TEXT = 20_000;

export function uploadLimits(): UploadLimits {
  return { maxBytes: env.UPLOAD_MAX_BYTES, maxFiles: env.UPLOAD_MAX_FILES, blocked: env.UPLOAD_BLOCKED_TYPES };
}

/** Refuses what the upload rules refuse (count, type, size), with the sentence the composer shows for the same files. */
export function assertUploadAllowed(files: UploadFile[]) {
  const problem = uploadProblem(files, uploadLimits());
  if (problem) throw new AppError(problem.tooLarge ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", problem.message);
}

function failureReason(err: unknown): string {
  if (err instanceof UnipileError) {
    const what = err.detail ? `${err.title}: ${err.detail}` : err.title;
    return err.status === 0 ? `Unipile could not be reached (${what})` : `Unipile answered ${err.status} (${what})`;
  }
  return scrubAddresses(err instanceof Error ? err.message : String(err)); // agents see this: no internal host:port
}

const sentView = { id: true, chatId: true, status: true, statusError: true, unipileId: true, clientTxnId: true } as const;

export async function sendMessage(user: SessionUser, input: SendInput, remote: SendRemote) {
  const chat = await assertChatAccess(user, input.chatId);
  const text = input.text.trim();
  const files = input.files ?? [];
  if (!text && files.length === 0) throw new AppError("BAD_REQUEST", "Type a message or attach a file");
  if (text.length > MAX_TEXT) throw new AppError("BAD_REQUEST", `Messages are limited to ${MAX_TEXT.toLocaleString("en")} characters`);
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(input.clientTxnId)) throw new AppError("BAD_REQUEST", "Invalid client transaction id");
  assertUploadAllowed(files.map((f) => ({ name: f.name, size: f.data.byteLength, type: f.type })));
  const target = await db.chat.findUniqueOrThrow({ where: { id: chat.id }, select: { readOnly: true } });
  if (target.readOnly) throw new AppError("BAD_REQUEST", "This chat is read-only: replies are not possible here");
  const product = await chatProductIssue(chat.id);
  if (product) throw new AppError("BAD_REQUEST", product.sentence);

  let quote: { quotedUnipileId: string | null; quotedProviderId: string | null; quotedText: string | null; quotedSenderId: string | null } | null =
    null;
  if (input.quoteMessageId) {
    const q = await db.message.findFirst({
      where: { id: input.quoteMessageId, chatId: chat.id },
      select: { unipileId: true, providerId: true, text: true, senderProviderId: true, deleted: true },
    });
    if (!q || q.deleted) throw new AppError("BAD_REQUEST", "The message you reply to is not in this chat");
    if (!q.unipileId) throw new AppError("BAD_REQUEST", "You can reply to this message once it has been sent");
    quote = { quotedUnipileId: q.unipileId, quotedProviderId: q.providerId, quotedText: q.text, quotedSenderId: q.senderProviderId };
  }

  const now = new Date();
  let row: { id: string; chatId: string };
  try {
    [row] = await db.$transaction([
      db.message.create({
        data: {
          chatId: chat.id,
          clientTxnId: input.clientTxnId,
          text: text || null,
          sentAt: now,
          isSender: true,
          status: "pending",
          ...quote,
          outboxFiles: { create: files.map((f, position) => ({ position, name: f.name, type: f.type, data: new Uint8Array(f.data) })) },
        },
        select: { id: true, chatId: true },
      }),
      db.chat.updateMany({
        where: { id: chat.id, OR: [{ lastMessageAt: null }, { lastMessageAt: { lte: now } }] },
        data: { lastMessageAt: now, lastMessagePreview: text || files.map((f) => f.name).join(", ") },
      }),
    ]);
  } catch (err) {
    // The same clientTxnId twice (a double submit, a replayed action): answer with the first row.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const existing = await db.message.findUnique({ where: { clientTxnId: input.clientTxnId }, select: sentView });
      if (!existing || existing.chatId !== chat.id) throw new AppError("CONFLICT", "This client transaction id is already used");
      return existing;
    }
    throw err;
  }
  await onReplySent(user, chat); // replying to an unassigned chat makes it yours (a preference)
  await publish(
    { type: "message.upserted", accountId: chat.accountId, chatId: chat.id, messageId: row.id },
    { type: "chat.updated", accountId: chat.accountId, chatId: chat.id },
  );
  return deliver(row.id, remote);
}

/** Sends a failed message again, on the same row. Never sends twice: the claim is one conditional update. */
export async function retryMessage(user: SessionUser, messageId: string, remote: SendRemote) {
  await assertMessageAccess(user, messageId);
  const row = await db.message.findUniqueOrThrow({ where: { id: messageId }, select: { isSender: true, status: true, unipileId: true } });
  if (!row.isSender) throw new AppError("BAD_REQUEST", "Only your own messages can be retried");
  if (row.unipileId && row.status !== "failed") return db.message.findUniqueOrThrow({ where: { id: messageId }, select: sentView });
  const claimed = await db.message.updateMany({
    where: { id: messageId, status: "failed" },
    data: { status: "pending", statusError: null },
  });
  if (claimed.count === 0) {
    const now = await db.message.findUniqueOrThrow({ where: { id: messageId }, select: sentView });
    if (now.status === "pending") throw new AppError("CONFLICT", "This message is already being sent");
    return now; // sent meanwhile (e.g. the echo of an earlier attempt arrived)
  }
  await publishMessage(messageId);
  // A 5xx after Unipile actually sent is reconciled by the echo: if it matched meanwhile, we are done.
  const fresh = await db.message.findUniqueOrThrow({ where: { id: messageId }, select: { unipileId: true } });
  if (fresh.unipileId) {
    await confirmSent(messageId, fresh.unipileId);
    await keepSentFiles(messageId);
    return db.message.findUniqueOrThrow({ where: { id: messageId }, select: sentView });
  }
  return deliver(messageId, remote);
}

async function publishMessage(messageId: string) {
  const m = await db.message.findUnique({ where: { id: messageId }, select: { chatId: true, chat: { select: { accountId: true } } } });
  if (m) await publish({ type: "message.upserted", accountId: m.chat.accountId, chatId: m.chatId, messageId });
}

/** One attempt at Unipile for a pending row; leaves it sent or failed (with a reason). */
async function deliver(messageId: string, remote: SendRemote) {
  const m = await db.message.findUniqueOrThrow({
    where: { id: messageId },
    select: { text: true, quotedUnipileId: true, chat: { select: { unipileId: true, accountId: true } } },
  });
  try {
    const attachments = await loadOutbox(messageId);
    const sent = await remote.sendMessage(
      m.chat.unipileId,
      {
        text: m.text ?? "",
        account_id: m.chat.accountId,
        ...(m.quotedUnipileId ? { quote_id: m.quotedUnipileId } : {}),
        ...(attachments.length ? { attachments } : {}),
      },
      { accountId: m.chat.accountId },
    );
    if (sent.message_id) {
      await confirmSent(messageId, sent.message_id);
    } else {
      // Accepted without an id: the echo webhook brings it and the store matches it to this row.
      await markAccepted(messageId);
    }
    await keepSentFiles(messageId);
  } catch (err) {
    // Only a row still waiting may fail: an echo that already confirmed it wins.
    await db.message.updateMany({
      where: { id: messageId, status: "pending", unipileId: null },
      data: { status: "failed", statusError: failureReason(err).slice(0, 500) },
    });
  }
  await publishMessage(messageId);
  return db.message.findUniqueOrThrow({ where: { id: messageId }, select: sentView });
}

/** The files stored with the send (OutboxFile), in the order they were attached. */
async function loadOutbox(messageId: string): Promise<OutgoingAttachment[]> {
  const files = await db.outboxFile.findMany({ where: { messageId }, orderBy: { position: "asc" }, select: { name: true, type: true, data: true } });
  return files.map((f) => ({ name: f.name, type: f.type, data: new Uint8Array(f.data) }));
}
