// Reading chats for the inbox: always from our database, scoped to the user's accounts.
// Also the read/unread toggle, which is local first and then mirrored to Unipile.
import type { Prisma } from "@/generated/prisma/client.ts";
import type { CheckedChat, SessionUser } from "../access.ts";
import { visibleAccountIds } from "../access.ts";
import { db } from "../db.ts";
import { readDb } from "../db-read.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import { errorMessage } from "@/lib/error-message.ts";
import { type LabelSummary, labelsOfChats } from "./label-service.ts";
import { productIssue as productIssueOf } from "../store/account-products.ts";
import { mutedNow } from "./chat-state-service.ts";
import { type LastSender, lastSenders } from "./last-sender.ts";

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

const chatRowSelect = {
  id: true,
  name: true,
  type: true,
  accountId: true,
  lastMessageAt: true,
  lastMessagePreview: true,
  unreadCount: true,
  readOnly: true,
  pinned: true,
  archived: true,
  muted: true,
  mutedUntil: true,
  attendeeProviderId: true,
  workState: true,
  snoozedUntil: true,
  snoozeUntilReply: true,
  wokenAt: true,
  assignee: { select: { id: true, name: true, email: true } },
  account: { select: { provider: true, name: true, status: true, statusMessage: true } },
  // For 1:1 chats without a name: the other person. Two rows are enough to skip ourselves.
  members: {
    where: { attendee: { isSelf: false } },
    take: 2,
    select: { attendee: { select: { id: true, name: true, providerId: true, pictureUrl: true } } },
  },
} satisfies Prisma.ChatSelect;

type ChatRow = Prisma.ChatGetPayload<{ select: typeof chatRowSelect }>;

type Person = { id: string; name: string | null; providerId: string; pictureUrl: string | null };

/** The other person of a 1:1 chat (the chat's attendee, else the first member who is not us). */
function otherPerson(chat: { attendeeProviderId: string | null; members: { attendee: Person }[] }): Person | undefined {
  const others = chat.members.map((m) => m.attendee);
  return others.find((a) => a.providerId === chat.attendeeProviderId) ?? others[0];
}

/** The name a person reads: the chat's own, else (1:1) the other attendee's, else a fallback. */
export function displayName(chat: Pick<ChatRow, "name" | "type" | "attendeeProviderId" | "members">): string {
  if (chat.name?.trim()) return chat.name.trim();
  const other = otherPerson(chat);
  if (other?.name?.trim()) return other.name.trim();
  return chat.type === "single" ? "Unknown contact" : "Unnamed group";
}

function toListItem(row: ChatRow) {
  const { members: _m, attendeeProviderId: _a, ...rest } = row;
  const other = row.type === "single" ? otherPerson(row) : undefined;
  return {
    ...rest,
    muted: mutedNow(row),
    displayName: displayName(row),
    /** The other person's picture (1:1 chats), served by /api/avatars; null → initials. */
    avatarUrl: other?.pictureUrl ? `/api/avatars/${other.id}` : null,
    accountHealthy: row.account.status === "OK",
  };
}
export type ChatListItem = ReturnType<typeof toListItem>;

/** Account ids the list may show after grants and the account/provider filters; null = no restriction. */
async function accountFilter(user: SessionUser, input: Pick<ChatListInput, "accountId" | "provider">) {
  const visible = await visibleAccountIds(user);
  let ids: string[] | null = visible === "all" ? null : visible;
  if (input.accountId) ids = ids === null || ids.includes(input.accountId) ? [input.accountId] : [];
  if (input.provider) {
    const ofProvider = await readDb().account.findMany({
      where: { provider: input.provider, ...(ids ? { id: { in: ids } } : {}) },
      select: { id: true },
    });
    ids = ofProvider.map((a) => a.id);
  }
  return ids;
}

/**
 * Pinned chats first, then the rest; in each part newest activity first, keyset-paginated on
 * (lastMessageAt DESC NULLS LAST, id DESC). Archived chats only in the Archived view.
 */
export async function listChats(user: SessionUser, input: ChatListInput) {
  const ids = await accountFilter(user, input);
  if (ids && ids.length === 0) return { items: [] as (ChatListItem & { lastSender: LastSender | null; labels: LabelSummary[] })[], nextCursor: null };
  const c = input.cursor;
  const base: Prisma.ChatWhereInput[] = [
    ids ? { accountId: ids.length === 1 ? ids[0] : { in: ids } } : {},
    input.kind === "single" ? { type: "single" } : input.kind === "group" ? { type: { in: ["group", "channel"] } } : {},
    input.unreadOnly ? { unreadCount: { gt: 0 } } : {},
    input.labelId ? { labels: { some: { labelId: input.labelId } } } : {},
    { archived: input.archived === true },
    input.state ? { workState: input.state } : {},
    input.assignee ? { assigneeId: input.assignee === "none" ? null : input.assignee === "me" ? user.id : input.assignee } : {},
  ];
  const cursorPinned = c ? c.pinned === true : true;
  let found: string[] = [];
  for (const pinned of [true, false]) {
    // A cursor in the unpinned part has left the pinned one behind.
    if (pinned && !cursorPinned) continue;
    const within = c && (c.pinned === true) === pinned ? c : null;
    found = [...found, ...(await walk([...base, { pinned }], within, input.limit + 1 - found.length))];
    if (found.length > input.limit) break;
  }
  // The walks find ids only; the page's rows come in one read after them. Prisma loads each relation
  // with a query of its own (four here), so reading rows in every walk cost five statements a walk,
  // an empty one included (`IN (NULL)`): 18 for a first page instead of 11.
  const pageIds = found.slice(0, input.limit);
  const byId = new Map(
    (pageIds.length ? await readDb().chat.findMany({ where: { id: { in: pageIds } }, select: chatRowSelect }) : []).map((r) => [r.id, r]),
  );
  const page = pageIds.flatMap((id) => byId.get(id) ?? []);
  const [senders, labels] = await Promise.all([lastSenders(page.map((r) => r.id)), labelsOfChats(page.map((r) => r.id))]);
  const items = page.map((r) => ({ ...toListItem(r), lastSender: senders.get(r.id) ?? null, labels: labels.get(r.id) ?? [] }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: found.length > input.limit && last ? { pinned: last.pinned, lastMessageAt: last.lastMessageAt, id: last.id } : null,
  };
}

/**
 * Up to `take` chats of one part of the list after `c`. Two walks instead of one "DESC NULLS LAST"
 * sort, which no index serves: chats with activity along the (…, lastMessageAt DESC, id DESC)
 * index, then the empty ones by id.
 */
async function walk(where: Prisma.ChatWhereInput[], c: ChatListInput["cursor"], take: number): Promise<string[]> {
  let rows: { id: string }[] = [];
  if (!c || c.lastMessageAt) {
    rows = await readDb().chat.findMany({
      where: {
        AND: [
          ...where,
          { lastMessageAt: { not: null } },
          c?.lastMessageAt ? { OR: [{ lastMessageAt: { lt: c.lastMessageAt } }, { lastMessageAt: c.lastMessageAt, id: { lt: c.id } }] } : {},
        ],
      },
      orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true },
    });
  }
  if (rows.length < take) {
    const empty = await readDb().chat.findMany({
      where: { AND: [...where, { lastMessageAt: null }, c && !c.lastMessageAt ? { id: { lt: c.id } } : {}] },
      orderBy: { id: "desc" },
      take: take - rows.length,
      select: { id: true },
    });
    rows = [...rows, ...empty];
  }
  return rows.map((r) => r.id);
}

/** One chat for the thread header. */
export async function getChat(chat: CheckedChat) {
  const row = await readDb().chat.findUniqueOrThrow({
    where: { id: chat.id },
    select: {
      ...chatRowSelect,
      account: { select: { ...chatRowSelect.account.select, productStatuses: true } },
      lastSyncedAt: true,
      syncErrorCount: true,
      syncLastError: true,
      raw: true,
      _count: { select: { members: true } },
    },
  });
  const { _count, lastSyncedAt, syncErrorCount, syncLastError, raw, ...rest } = row;
  // LinkedIn InMails (and some other threads) carry a subject on the chat, kept only in its raw copy.
  const subject = raw && typeof raw === "object" && "subject" in raw && typeof raw.subject === "string" ? raw.subject.trim() || null : null;
  const labels = (await labelsOfChats([chat.id])).get(chat.id) ?? [];
  const { productStatuses, ...account } = rest.account;
  // A chat through a LinkedIn product (Recruiter, Sales Navigator) that is down: only this chat is blocked.
  const productIssue = productIssueOf(account.provider, productStatuses, raw);
  // Features Unipile switched off in this chat (e.g. reactions): the message actions offer only the rest.
  const features = raw && typeof raw === "object" && "disabledFeatures" in raw && Array.isArray(raw.disabledFeatures) ? raw.disabledFeatures : [];
  const disabledFeatures = features.filter((f): f is string => typeof f === "string");
  return {
    ...toListItem({ ...rest, account }),
    memberCount: _count.members,
    lastSyncedAt,
    syncErrorCount,
    syncLastError,
    subject,
    productIssue,
    disabledFeatures,
    labels,
  };
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
  if (ids.length === 0) return new Map<string, ChatListItem>();
  const rows = await readDb().chat.findMany({ where: { id: { in: ids } }, select: chatRowSelect });
  return new Map(rows.map((r) => [r.id, toListItem(r)]));
}
