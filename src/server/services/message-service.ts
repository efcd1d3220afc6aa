// A chat's messages for the thread view, from our database only: keyset pages on (sentAt, id) going
// older (scrolling up) or newer (after jumping to a search hit), and a window around one message.
import type { Prisma } from "@/generated/prisma/client.ts";
import type { CheckedChat } from "../access.ts";
import { readDb } from "../db-read.ts";
import { AppError } from "../errors.ts";
import { type TimeRange, timelineBetween } from "./timeline-service.ts";

export type MessageCursor = { sentAt: Date; id: string };
export type MessageListInput = {
  limit: number;
  /** Page older than `before`, or newer than `after`; neither = the latest page. */
  before?: MessageCursor | null;
  after?: MessageCursor | null;
  /** Centre the page on this message (search hits, quoted replies). */
  anchorId?: string | null;
};

const messageSelect = {
  id: true,
  text: true,
  sentAt: true,
  isSender: true,
  status: true,
  statusError: true,
  clientTxnId: true,
  edited: true,
  originalText: true,
  deleted: true,
  quotedUnipileId: true,
  quotedProviderId: true,
  quotedText: true,
  quotedSenderId: true,
  isEvent: true,
  eventType: true,
  seenBy: true,
  senderProviderId: true,
  sender: { select: { id: true, name: true, isSelf: true, pictureUrl: true } },
  reactions: {
    orderBy: { createdAt: "asc" },
    select: { value: true, isSender: true, senderProviderId: true, sender: { select: { name: true } } },
  },
  attachments: {
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, mimeType: true, size: true, name: true, width: true, height: true, duration: true, unavailable: true },
  },
} satisfies Prisma.MessageSelect;

type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageSelect }>;

function hasSeen(seenBy: unknown): boolean {
  if (!seenBy || typeof seenBy !== "object") return false;
  return Object.values(seenBy as Record<string, unknown>).some((v) => v === true || typeof v === "string");
}

function toView(row: MessageRow, quotedNames: Map<string, string>) {
  const reactions = new Map<string, { value: string; count: number; mine: boolean; by: string[] }>();
  for (const r of row.reactions) {
    const entry = reactions.get(r.value) ?? { value: r.value, count: 0, mine: false, by: [] };
    entry.count += 1;
    entry.mine ||= r.isSender;
    entry.by.push(r.isSender ? "You" : (r.sender?.name ?? r.senderProviderId));
    reactions.set(r.value, entry);
  }
  const quoted =
    row.quotedText !== null || row.quotedUnipileId !== null || row.quotedProviderId !== null
      ? {
          text: row.quotedText,
          senderName: row.quotedSenderId ? (quotedNames.get(row.quotedSenderId) ?? null) : null,
        }
      : null;
  return {
    id: row.id,
    // A deleted message is a tombstone for readers: its text stays in the database, not on screen.
    text: row.deleted ? null : row.text,
    originalText: row.deleted ? null : row.edited ? row.originalText : null,
    edited: row.edited,
    deleted: row.deleted,
    sentAt: row.sentAt,
    isSender: row.isSender,
    // Ticks: "seen" also when a read receipt landed in seenBy before the status caught up.
    status: row.isSender && row.status !== "failed" && row.status !== "pending" && hasSeen(row.seenBy) ? "seen" : row.status,
    statusError: row.statusError,
    clientTxnId: row.clientTxnId,
    isEvent: row.isEvent,
    eventType: row.eventType,
    senderName: row.isSender ? "You" : (row.sender?.name ?? row.senderProviderId ?? "Unknown"),
    senderKey: row.isSender ? "me" : (row.senderProviderId ?? "unknown"),
    /** Their picture through /api/avatars (others only); null → initials. */
    senderAvatarUrl: !row.isSender && row.sender?.pictureUrl ? `/api/avatars/${row.sender.id}` : null,
    quoted,
    reactions: [...reactions.values()],
    attachments: row.attachments,
  };
}
export type MessageView = ReturnType<typeof toView>;

async function quotedSenderNames(accountId: string, rows: MessageRow[]) {
  const ids = [...new Set(rows.map((r) => r.quotedSenderId).filter((v): v is string => !!v))];
  if (ids.length === 0) return new Map<string, string>();
  const people = await readDb().attendee.findMany({
    where: { accountId, OR: [{ providerId: { in: ids } }, { unipileId: { in: ids } }] },
    select: { providerId: true, unipileId: true, name: true, isSelf: true },
  });
  const names = new Map<string, string>();
  for (const p of people) {
    const name = p.isSelf ? "You" : (p.name ?? p.providerId);
    names.set(p.providerId, name);
    if (p.unipileId) names.set(p.unipileId, name);
  }
  return names;
}

// The redundant bound on sentAt lets the (chatId, sentAt, id) index start at the cursor and hand rows
// over in order; with the OR alone PostgreSQL collected and sorted every older (or skipped every newer)
// message of the chat.
const olderThan = (c: MessageCursor): Prisma.MessageWhereInput => ({
  sentAt: { lte: c.sentAt },
  OR: [{ sentAt: { lt: c.sentAt } }, { sentAt: c.sentAt, id: { lt: c.id } }],
});
const newerThan = (c: MessageCursor): Prisma.MessageWhereInput => ({
  sentAt: { gte: c.sentAt },
  OR: [{ sentAt: { gt: c.sentAt } }, { sentAt: c.sentAt, id: { gt: c.id } }],
});

/**
 * The stretch of time a page owns, for the notes and activity lines shown with it. Adjacent pages
 * meet without gap or overlap: a page reaching back to its first message owns that instant (an older
 * page fetched `before` it stops short of it), one reaching forward to its last owns that instant too
 * (a newer page fetched `after` it starts past it), and an end with no more messages is open.
 */
function timeRange(
  items: MessageRow[],
  o: { before?: MessageCursor | null; after?: MessageCursor | null; hasOlder: boolean; hasNewer: boolean },
): TimeRange {
  const first = items[0];
  const last = items.at(-1);
  const range: TimeRange = {};
  if (o.after) range.from = { at: o.after.sentAt, inclusive: false };
  else if (o.hasOlder && first) range.from = { at: first.sentAt, inclusive: true };
  if (o.before) range.to = { at: o.before.sentAt, inclusive: false };
  else if (o.hasNewer && last) range.to = { at: last.sentAt, inclusive: true };
  return range;
}

/**
 * Returns the page in reading order (oldest first) with a cursor for each direction that has more:
 * `older` (null at the start of the chat) and `newer` (null when the page reaches the latest message),
 * and `timeline`: the notes and activity lines of the page's stretch of time, oldest first.
 */
export async function listMessages(chat: CheckedChat, input: MessageListInput) {
  const chatId = chat.id;
  const { limit } = input;
  const desc = [{ sentAt: "desc" as const }, { id: "desc" as const }];
  const asc = [{ sentAt: "asc" as const }, { id: "asc" as const }];

  let items: MessageRow[];
  let hasOlder: boolean;
  let hasNewer: boolean;
  if (input.anchorId) {
    const anchor = await readDb().message.findFirst({ where: { id: input.anchorId, chatId }, select: messageSelect });
    if (!anchor) throw new AppError("NOT_FOUND", "Message not found in this chat");
    const half = Math.max(1, Math.floor(limit / 2));
    const [older, newer] = await Promise.all([
      readDb().message.findMany({ where: { chatId, ...olderThan(anchor) }, orderBy: desc, take: half + 1, select: messageSelect }),
      readDb().message.findMany({ where: { chatId, ...newerThan(anchor) }, orderBy: asc, take: half + 1, select: messageSelect }),
    ]);
    hasOlder = older.length > half;
    hasNewer = newer.length > half;
    items = [...older.slice(0, half).reverse(), anchor, ...newer.slice(0, half)];
  } else if (input.after) {
    const rows = await readDb().message.findMany({
      where: { chatId, ...newerThan(input.after) },
      orderBy: asc,
      take: limit + 1,
      select: messageSelect,
    });
    hasNewer = rows.length > limit;
    hasOlder = true;
    items = rows.slice(0, limit);
  } else {
    const rows = await readDb().message.findMany({
      where: { chatId, ...(input.before ? olderThan(input.before) : {}) },
      orderBy: desc,
      take: limit + 1,
      select: messageSelect,
    });
    hasOlder = rows.length > limit;
    hasNewer = false;
    items = rows.slice(0, limit).reverse();
  }
  const before = input.anchorId ? null : input.after ? null : input.before;
  const after = input.anchorId ? null : input.after;
  const [names, timeline] = await Promise.all([
    quotedSenderNames(chat.accountId, items),
    timelineBetween(chatId, timeRange(items, { before, after, hasOlder, hasNewer })),
  ]);
  const first = items[0];
  const last = items.at(-1);
  return {
    items: items.map((r) => toView(r, names)),
    timeline,
    older: hasOlder && first ? { sentAt: first.sentAt, id: first.id } : null,
    newer: hasNewer && last ? { sentAt: last.sentAt, id: last.id } : null,
  };
}
