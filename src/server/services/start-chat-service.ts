// Starting a conversation, optimistic like a send. `prepareStartChat` stores the chat and its pending
// first message (with the files) at once, under a placeholder Unipile id, so the inbox shows it before
// Unipile answers; `deliverStartChat` calls POST /chats and then either gives the chat Unipile's id or,
// when Unipile answers with a chat we already hold (the person's existing chat, or one its echo webhook
// made first), moves the message there and drops the placeholder: one chat, one message. A refused
// start rolls both back. The person comes from the account's known people, a LinkedIn profile URL
// (resolved with Unipile's profile lookup) or a WhatsApp number.
import { Prisma } from "@/generated/prisma/client.ts";
import { can } from "@/lib/capabilities.ts";
import { linkedinIdentifier, phoneOfJid, whatsappJid } from "@/lib/start-chat.ts";
import { assertAccountAccess, assertChatAccess, type SessionUser } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import { refreshChatSummary, upsertChat } from "../store/chats.ts";
import { confirmSent, keepSentFiles, markAccepted } from "../store/message-status.ts";
import { queueChatSync } from "../sync/runs.ts";
import type { UnipileClient } from "../unipile/client.ts";
import { scrubAddresses, UnipileError } from "../unipile/errors.ts";
import { withChatLock } from "../webhooks/apply.ts";
import { assertUploadAllowed, type OutgoingFile } from "./send-service.ts";
import { log } from "../log.ts";

/** The Unipile calls a start needs (the real client fits). */
export type StartRemote = Pick<UnipileClient, "startChat" | "getUserProfile" | "getChat" | "listChatAttendees">;

export type PersonRef =
  | { kind: "attendee"; attendeeId: string }
  | { kind: "linkedin"; url: string }
  | { kind: "phone"; phone: string };

export type StartInput = {
  accountId: string;
  person: PersonRef;
  clientTxnId: string;
  text: string;
  inmail?: boolean;
  subject?: string | null;
  files?: OutgoingFile[];
};

/** Marks a chat that exists only here until POST /chats answers. Never sent to Unipile. */
const PENDING = "pending-start:";
/** While POST /chats runs: a second deliver sees it taken. */
const STARTING = "starting:";
/** A start whose deliver never came (the tab closed, the server stopped mid-call) is dropped after this. */
const ABANDONED_MS = 10 * 60_000;
const MAX_TEXT = 20_000;
const MAX_SUBJECT = 200;

export type Person = {
  providerId: string;
  name: string;
  headline: string | null;
  avatarUrl: string | null;
  attendeeId: string | null;
};

/** The account's known people whose name (or id, e.g. a phone number) contains `query`: local, no Unipile call. */
export async function searchPeople(accountId: string, query: string, limit = 8): Promise<Person[]> {
  const q = query.trim();
  if (!q) return [];
  const rows = await db.attendee.findMany({
    where: {
      accountId,
      isSelf: false,
      OR: [{ name: { contains: q, mode: "insensitive" } }, { providerId: { startsWith: q.replace(/^\+/, "") } }],
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, name: true, providerId: true, pictureUrl: true },
  });
  return rows.map((a) => ({
    providerId: a.providerId,
    name: a.name?.trim() || a.providerId,
    headline: null,
    avatarUrl: a.pictureUrl ? `/api/avatars/${a.id}` : null,
    attendeeId: a.id,
  }));
}

async function startableAccount(user: SessionUser, accountId: string) {
  await assertAccountAccess(user, accountId);
  const account = await db.account.findUnique({ where: { id: accountId }, select: { id: true, provider: true, status: true } });
  if (!account) throw new AppError("NOT_FOUND", "Account not found");
  if (!can("startChat", { provider: account.provider, accountStatus: account.status }))
    throw new AppError("BAD_REQUEST", "This account cannot start conversations right now: reconnect it first");
  return account;
}

function unipileReason(err: unknown): string {
  if (err instanceof UnipileError) {
    const what = err.detail ? `${err.title}: ${err.detail}` : err.title;
    return err.status === 0 ? `Unipile could not be reached (${what})` : `Unipile answered ${err.status} (${what})`;
  }
  return scrubAddresses(err instanceof Error ? err.message : String(err));
}

/** Who the person is: a known attendee of the account, a LinkedIn profile looked up in Unipile, or a WhatsApp number. */
export async function resolvePerson(
  user: SessionUser,
  accountId: string,
  ref: PersonRef,
  remote: Pick<StartRemote, "getUserProfile">,
): Promise<Person> {
  const account = await startableAccount(user, accountId);
  if (ref.kind === "attendee") {
    const a = await db.attendee.findFirst({
      where: { id: ref.attendeeId, accountId, isSelf: false },
      select: { id: true, name: true, providerId: true, pictureUrl: true },
    });
    if (!a) throw new AppError("NOT_FOUND", "This person is not one of the account's contacts");
    return {
      providerId: a.providerId,
      name: a.name?.trim() || a.providerId,
      headline: null,
      avatarUrl: a.pictureUrl ? `/api/avatars/${a.id}` : null,
      attendeeId: a.id,
    };
  }
  if (ref.kind === "phone") {
    if (account.provider !== "WHATSAPP")
      throw new AppError("BAD_REQUEST", "Phone numbers start WhatsApp conversations: pick a WhatsApp account");
    const jid = whatsappJid(ref.phone);
    if (!jid) throw new AppError("BAD_REQUEST", "Type the number in international form, e.g. +33 6 12 34 56 78");
    const known = await db.attendee.findUnique({
      where: { accountId_providerId: { accountId, providerId: jid } },
      select: { id: true, name: true },
    });
    return {
      providerId: jid,
      name: known?.name?.trim() || phoneOfJid(jid),
      headline: null,
      avatarUrl: null,
      attendeeId: known?.id ?? null,
    };
  }
  if (account.provider !== "LINKEDIN")
    throw new AppError("BAD_REQUEST", "LinkedIn profile links start LinkedIn conversations: pick a LinkedIn account");
  const slug = linkedinIdentifier(ref.url);
  if (!slug) throw new AppError("BAD_REQUEST", "Paste a LinkedIn profile link, like https://www.linkedin.com/in/jane-doe");
  try {
    const p = await remote.getUserProfile(slug, accountId);
    const name = [p.first_name, p.last_name].filter(Boolean).join(" ").trim() || slug;
    return { providerId: p.provider_id, name, headline: p.headline, avatarUrl: null, attendeeId: null };
  } catch (err) {
    if (err instanceof UnipileError && err.isNotFound) throw new AppError("NOT_FOUND", "LinkedIn knows no profile at that link");
    throw new AppError("UPSTREAM", `The profile could not be looked up: ${unipileReason(err)}`, { cause: err });
  }
}

/** Stores the new chat and its pending first message; the inbox shows both at once. */
export async function prepareStartChat(user: SessionUser, input: StartInput, remote: Pick<StartRemote, "getUserProfile">) {
  const account = await startableAccount(user, input.accountId);
  const text = input.text.trim();
  const files = input.files ?? [];
  const subject = input.subject?.trim() || null;
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(input.clientTxnId)) throw new AppError("BAD_REQUEST", "Invalid client transaction id");
  if (!text && files.length === 0) throw new AppError("BAD_REQUEST", "Write a first message or attach a file");
  if (text.length > MAX_TEXT)
    throw new AppError("BAD_REQUEST", `Messages are limited to ${MAX_TEXT.toLocaleString("en")} characters`);
  if (subject && subject.length > MAX_SUBJECT)
    throw new AppError("BAD_REQUEST", `Subjects are limited to ${MAX_SUBJECT} characters`);
  if (input.inmail && !can("inmail", { provider: account.provider, accountStatus: account.status }))
    throw new AppError("BAD_REQUEST", "InMail is only available on LinkedIn accounts");
  assertUploadAllowed(files.map((f) => ({ name: f.name, size: f.data.byteLength, type: f.type })));
  const person = await resolvePerson(user, input.accountId, input.person, remote);

  const now = new Date();
  await db.chat.deleteMany({
    where: {
      OR: [{ unipileId: { startsWith: PENDING } }, { unipileId: { startsWith: STARTING } }],
      createdAt: { lt: new Date(now.getTime() - ABANDONED_MS) },
    },
  });
  const start = { attendeeProviderId: person.providerId, inmail: !!input.inmail, subject };
  try {
    const chat = await db.chat.create({
      data: {
        unipileId: `${PENDING}${input.clientTxnId}`,
        accountId: account.id,
        type: "single",
        name: person.name,
        attendeeProviderId: person.providerId,
        lastMessageAt: now,
        lastMessagePreview: text || files.map((f) => f.name).join(", "),
        raw: { parleyStart: start },
        ...(person.attendeeId ? { members: { create: [{ attendeeId: person.attendeeId }] } } : {}),
        messages: {
          create: {
            clientTxnId: input.clientTxnId,
            text: text || null,
            sentAt: now,
            isSender: true,
            status: "pending",
            outboxFiles: {
              create: files.map((f, position) => ({ position, name: f.name, type: f.type, data: new Uint8Array(f.data) })),
            },
          },
        },
      },
      select: { id: true, messages: { select: { id: true } } },
    });
    await publish(
      { type: "chat.updated", accountId: account.id, chatId: chat.id },
      { type: "message.upserted", accountId: account.id, chatId: chat.id, messageId: chat.messages[0]!.id },
    );
    return { chatId: chat.id };
  } catch (err) {
    // The same clientTxnId twice (a double submit): the first chat is the answer.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const first = await db.message.findUnique({
        where: { clientTxnId: input.clientTxnId },
        select: { chatId: true, chat: { select: { accountId: true } } },
      });
      if (first?.chat.accountId === account.id) return { chatId: first.chatId };
      throw new AppError("CONFLICT", "This client transaction id is already used");
    }
    throw err;
  }
}

export type Delivered = { chatId: string | null };

/** Calls POST /chats for a prepared chat. Its answer decides which chat holds the message; a refusal removes both. */
export async function deliverStartChat(user: SessionUser, chatId: string, remote: StartRemote): Promise<Delivered> {
  const checked = await assertChatAccess(user, chatId);
  const chat = await db.chat.findUniqueOrThrow({ where: { id: checked.id }, select: { unipileId: true, raw: true } });
  if (!chat.unipileId.startsWith(PENDING)) return { chatId: checked.id }; // delivered already, or being delivered
  const txn = chat.unipileId.slice(PENDING.length);
  const claimed = await db.chat.updateMany({
    where: { id: checked.id, unipileId: chat.unipileId },
    data: { unipileId: `${STARTING}${txn}` },
  });
  if (claimed.count === 0) return { chatId: checked.id };
  const start = (chat.raw as { parleyStart: { attendeeProviderId: string; inmail: boolean; subject: string | null } })
    .parleyStart;
  const message = await db.message.findUniqueOrThrow({ where: { clientTxnId: txn }, select: { id: true, text: true } });
  const files = await db.outboxFile.findMany({
    where: { messageId: message.id },
    orderBy: { position: "asc" },
    select: { name: true, type: true, data: true },
  });

  let started: { chat_id: string | null; message_id: string | null };
  try {
    started = await remote.startChat(
      {
        account_id: checked.accountId,
        attendees_ids: [start.attendeeProviderId],
        text: message.text ?? "",
        ...(start.subject ? { subject: start.subject } : {}),
        ...(files.length
          ? { attachments: files.map((f) => ({ name: f.name, type: f.type, data: new Uint8Array(f.data) })) }
          : {}),
        ...(start.inmail ? { linkedin: { api: "classic" as const, inmail: true } } : {}),
      },
      { accountId: checked.accountId },
    );
  } catch (err) {
    await rollBack(checked.id, checked.accountId);
    throw new AppError("UPSTREAM", `The conversation could not be started: ${unipileReason(err)}`, { cause: err });
  }
  if (!started.chat_id) {
    // Accepted, but Unipile names the chat only in the echo webhook, which brings chat and message.
    await rollBack(checked.id, checked.accountId);
    return { chatId: null };
  }
  const unipileChatId = started.chat_id;
  const target = await withChatLock(unipileChatId, () =>
    settle(checked.id, message.id, message.text, unipileChatId, started.message_id),
  );
  await publish(
    { type: "chat.updated", accountId: checked.accountId, chatId: target.id },
    { type: "message.upserted", accountId: checked.accountId, chatId: target.id, messageId: message.id },
    ...(target.id === checked.id ? [] : [{ type: "chat.updated" as const, accountId: checked.accountId, chatId: checked.id }]),
  );
  if (target.created) await fillIn(target.id, unipileChatId, checked.accountId, remote);
  return { chatId: target.id };
}

/**
 * Under the chat's webhook lock, so an echo is applied wholly before or after: the placeholder takes
 * Unipile's id, or (a chat with that id is already here) the message moves into it and the placeholder goes.
 */
async function settle(
  chatId: string,
  messageId: string,
  text: string | null,
  unipileChatId: string,
  unipileMessageId: string | null,
) {
  const existing = await db.chat.findUnique({ where: { unipileId: unipileChatId }, select: { id: true } });
  if (existing) {
    await db.$transaction([
      db.message.update({ where: { id: messageId }, data: { chatId: existing.id } }),
      db.chat.delete({ where: { id: chatId } }),
    ]);
  } else {
    await db.chat.update({ where: { id: chatId }, data: { unipileId: unipileChatId, raw: Prisma.DbNull } });
  }
  const targetId = existing?.id ?? chatId;
  if (unipileMessageId) await confirmSent(messageId, unipileMessageId);
  else if (existing && (await echoAlreadyStored(targetId, messageId, text)))
    await db.message.delete({ where: { id: messageId } });
  else await markAccepted(messageId);
  if (await db.message.count({ where: { id: messageId } })) await keepSentFiles(messageId);
  await refreshChatSummary(targetId);
  return { id: targetId, created: !existing };
}

/** Unipile gave no message id and its echo was stored first, as a message of its own: that one is the message. */
async function echoAlreadyStored(chatId: string, messageId: string, text: string | null) {
  const echo = await db.message.findFirst({
    where: {
      chatId,
      id: { not: messageId },
      isSender: true,
      clientTxnId: null,
      unipileId: { not: null },
      text,
      sentAt: { gte: new Date(Date.now() - 10 * 60_000) },
    },
    select: { id: true },
  });
  return echo !== null;
}

async function rollBack(chatId: string, accountId: string) {
  await db.chat.deleteMany({ where: { id: chatId } });
  await publish({ type: "chat.updated", accountId, chatId });
}

/** The new chat's details (provider id, members, InMail subject) and history, best effort: the chat already works. */
async function fillIn(chatId: string, unipileChatId: string, accountId: string, remote: StartRemote) {
  try {
    const [chat, attendees] = await Promise.all([
      remote.getChat(unipileChatId, {}, { accountId }),
      remote.listChatAttendees(unipileChatId, { accountId }),
    ]);
    await upsertChat({ ...chat, unread_count: 0 }, attendees.items, { unreadFromUnipile: false });
  } catch (err) {
    log.error(
      `new chat ${unipileChatId}: details not fetched yet (${err instanceof Error ? err.message : err}); its sync brings them`,
    );
  }
  await queueChatSync(chatId, "new chat started here").catch((err) => log.error("could not queue the new chat's sync:", err));
}
