// Reading chats for the inbox: always from our database, scoped to the user's accounts.
// Also the read/unread toggle, which is local first and then mirrored to Unipile.
import type { CheckedChat, SessionUser } from "../access.ts";
import { visibleAccountIds } from "../access.ts";
import { db } from "../db.ts";
import { readDb } from "../db-read.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import { errorMessage } from "@/lib/error-message.ts";
import { productIssue as productIssueOf } from "../store/account-products.ts";
import { mutedNow } from "./chat-state-service.ts";
import { type ChatRow, chatListPage, chatRowsById, type ListFilter } from "./chat-rows.ts";

export type ChatKind = "single" | "group";

export type ChatListInput = {
  limit: number;
  /** `pinned`: which part of the list the cursor is in (pinned chats come first); absent = not pinned. */
  cursor?: { pinned?: boolean; lastMessageAt: Date | null; id: string } | null;
  accountId?: string;
  provider?: string;
  kind?: ChatKind;
  unreadOnly?: boolean;
  labelId?: string;
  /** The Archived view: only archived chats. Every other view leaves them out. */
  archived?: boolean;
  /** Team views: "me", "none" (unassigned) or a teammate's id; absent = everyone's. */
  assignee?: string;
  /** open, snoozed or done; absent = every state. */
  state?: "open" | "snoozed" | "done";
};

/** A chat member as Prisma loads it (note-service's mentions): who the "other person" may be. */
type Person = { id: string; name: string | null; providerId: string; pictureUrl: string | null };

/** The other person of a 1:1 chat loaded with Prisma: the chat's attendee, else the first member who is not us. */
export function otherPerson(chat: { attendeeProviderId: string | null; members: { attendee: Person }[] }): Person | null {
  const others = chat.members.map((m) => m.attendee);
  return others.find((a) => a.providerId === chat.attendeeProviderId) ?? others[0] ?? null;
}

/** The name a person reads: the chat's own, else (1:1) the other attendee's, else a fallback. */
export function displayName(chat: { name: string | null; type: string; other: { name: string | null } | null }): string {
  if (chat.name?.trim()) return chat.name.trim();
  if (chat.other?.name?.trim()) return chat.other.name.trim();
  return chat.type === "single" ? "Unknown contact" : "Unnamed group";
}

export type ChatListItem = Omit<ChatRow, "other"> & {
  displayName: string;
  /** The other person's picture (1:1 chats), served by /api/avatars; null → initials. */
  avatarUrl: string | null;
  accountHealthy: boolean;
};

// Field by field, as chat-rows.ts's toRow does: a rest pattern costs ~11 µs a row.
function toListItem(row: ChatRow): ChatListItem {
  const other = row.other;
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    accountId: row.accountId,
    lastMessageAt: row.lastMessageAt,
    lastMessagePreview: row.lastMessagePreview,
    unreadCount: row.unreadCount,
    readOnly: row.readOnly,
    pinned: row.pinned,
    archived: row.archived,
    muted: mutedNow(row),
    mutedUntil: row.mutedUntil,
    workState: row.workState,
    snoozedUntil: row.snoozedUntil,
    snoozeUntilReply: row.snoozeUntilReply,
    wokenAt: row.wokenAt,
    assignee: row.assignee,
    account: row.account,
    lastSender: row.lastSender,
    labels: row.labels,
    displayName: displayName(row),
    avatarUrl: row.type === "single" && other?.pictureUrl ? `/api/avatars/${other.id}` : null,
    accountHealthy: row.account.status === "OK",
  };
}

/**
 * Pinned chats first, then the rest; in each part newest activity first, keyset-paginated on
 * (lastMessageAt DESC NULLS LAST, id DESC). Archived chats only in the Archived view. One statement
 * for the page (chat-rows.ts), after the user's grants for an agent.
 */
export async function listChats(user: SessionUser, input: ChatListInput) {
  const visible = await visibleAccountIds(user);
  let accountIds = visible === "all" ? null : visible;
  if (input.accountId) accountIds = accountIds === null || accountIds.includes(input.accountId) ? [input.accountId] : [];
  if (accountIds?.length === 0) return { items: [] as ChatListItem[], nextCursor: null };
  const filter: ListFilter = {
    accountIds,
    provider: input.provider,
    kind: input.kind,
    unreadOnly: input.unreadOnly,
    labelId: input.labelId,
    archived: input.archived === true,
    state: input.state,
    assigneeId: input.assignee === undefined ? undefined : input.assignee === "none" ? null : input.assignee === "me" ? user.id : input.assignee,
  };
  const c = input.cursor;
  const rows = await chatListPage(filter, c ? { pinned: c.pinned === true, lastMessageAt: c.lastMessageAt, id: c.id } : null, input.limit + 1);
  const items = rows.slice(0, input.limit).map(toListItem);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? { pinned: last.pinned, lastMessageAt: last.lastMessageAt, id: last.id } : null,
  };
}

/** One chat for the thread header: its list row, and what only the header shows. */
export async function getChat(chat: CheckedChat) {
  const [[row], extra] = await Promise.all([
    chatRowsById([chat.id]),
    readDb().chat.findUniqueOrThrow({
      where: { id: chat.id },
      select: {
        lastSyncedAt: true,
        syncErrorCount: true,
        syncLastError: true,
        raw: true,
        account: { select: { productStatuses: true } },
        _count: { select: { members: true } },
      },
    }),
  ]);
  if (!row) throw new AppError("NOT_FOUND", "Chat not found");
  const { _count, raw, account, ...sync } = extra;
  // LinkedIn InMails (and some other threads) carry a subject on the chat, kept only in its raw copy.
  const subject = raw && typeof raw === "object" && "subject" in raw && typeof raw.subject === "string" ? raw.subject.trim() || null : null;
  // A chat through a LinkedIn product (Recruiter, Sales Navigator) that is down: only this chat is blocked.
  const productIssue = productIssueOf(row.account.provider, account.productStatuses, raw);
  // Features Unipile switched off in this chat (e.g. reactions): the message actions offer only the rest.
  const features = raw && typeof raw === "object" && "disabledFeatures" in raw && Array.isArray(raw.disabledFeatures) ? raw.disabledFeatures : [];
  const disabledFeatures = features.filter((f): f is string => typeof f === "string");
  return { ...toListItem(row), memberCount: _count.members, ...sync, subject, productIssue, disabledFeatures };
}
export type ChatDetail = Awaited<ReturnType<typeof getChat>>;

/** What mark read/unread needs from Unipile: injected so tests and the server action share this code. */
export type ReadStatusRemote = (chatUnipileId: string, read: boolean) => Promise<unknown>;

/**
 * Marks a chat read (unreadCount 0) or unread (at least 1) here first — the list reacts at once —
 * then tells Unipile. A Unipile failure keeps the local state and surfaces as UPSTREAM, so the
 * user sees a toast; the next sync brings both sides together again.
 */
export async function setChatRead(checked: CheckedChat, read: boolean, remote: ReadStatusRemote) {
  const { id: chatId, accountId } = checked;
  const chat = await db.chat.findUniqueOrThrow({ where: { id: chatId }, select: { unipileId: true, unreadCount: true } });
  const unreadCount = read ? 0 : Math.max(1, chat.unreadCount);
  if (unreadCount !== chat.unreadCount) {
    await db.chat.update({ where: { id: chatId }, data: { unreadCount } });
    await publish({ type: "chat.updated", accountId, chatId });
  }
  try {
    await remote(chat.unipileId, read);
  } catch (err) {
    throw new AppError("UPSTREAM", `Marked ${read ? "read" : "unread"} here, but Unipile did not accept it. ${errorMessage(err)}`, { cause: err });
  }
  return { unreadCount };
}

/** Display names and providers for a set of chats (search results, notifications). */
export async function chatSummaries(ids: string[]) {
  const rows = await chatRowsById([...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, toListItem(r)]));
}
