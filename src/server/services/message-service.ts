// A chat's messages for the thread view, from our database only: keyset pages on (sentAt, id) going
// older (scrolling up) or newer (after jumping to a search hit), and a window around one message.
import type { CheckedChat } from "../access.ts";
import { AppError } from "../errors.ts";
import { type MessageCursor, type MessageRow, messagesAround, newerMessages, olderMessages } from "./message-rows.ts";
import { type TimeRange, timelineBetween } from "./timeline-service.ts";

export type MessageListInput = {
  limit: number;
  /** Page older than `before`, or newer than `after`; neither = the latest page. */
  before?: MessageCursor | null;
  after?: MessageCursor | null;
  /** Centre the page on this message (search hits, quoted replies). */
  anchorId?: string | null;
};

function hasSeen(seenBy: unknown): boolean {
  if (!seenBy || typeof seenBy !== "object") return false;
  return Object.values(seenBy as Record<string, unknown>).some((v) => v === true || typeof v === "string");
}

function toView(row: MessageRow) {
  const reactions = new Map<string, { value: string; count: number; mine: boolean; by: string[] }>();
  for (const r of row.reactions) {
    const entry = reactions.get(r.value) ?? { value: r.value, count: 0, mine: false, by: [] };
    entry.count += 1;
    entry.mine ||= r.isSender;
    entry.by.push(r.isSender ? "You" : (r.senderName ?? r.senderProviderId));
    reactions.set(r.value, entry);
  }
  const quoted =
    row.quotedText !== null || row.quotedUnipileId !== null || row.quotedProviderId !== null
      ? {
          text: row.quotedText,
          senderName: row.quotedSenderName,
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
  const { limit } = input;
  let items: MessageRow[];
  let hasOlder: boolean;
  let hasNewer: boolean;
  if (input.anchorId) {
    const half = Math.max(1, Math.floor(limit / 2));
    const rows = await messagesAround(chat, input.anchorId, half + 1);
    if (!rows.some((r) => r.n === 0)) throw new AppError("NOT_FOUND", "Message not found in this chat");
    hasOlder = rows.some((r) => r.n < -half);
    hasNewer = rows.some((r) => r.n > half);
    items = rows.filter((r) => Math.abs(r.n) <= half);
  } else if (input.after) {
    const rows = await newerMessages(chat, input.after, limit + 1);
    hasNewer = rows.length > limit;
    hasOlder = true;
    items = rows.slice(0, limit);
  } else {
    const rows = await olderMessages(chat, input.before ?? null, limit + 1);
    hasOlder = rows.length > limit;
    hasNewer = false;
    items = rows.slice(0, limit).reverse();
  }
  const before = input.anchorId ? null : input.after ? null : input.before;
  const after = input.anchorId ? null : input.after;
  const timeline = await timelineBetween(chat.id, timeRange(items, { before, after, hasOlder, hasNewer }));
  const first = items[0];
  const last = items.at(-1);
  return {
    items: items.map(toView),
    timeline,
    older: hasOlder && first ? { sentAt: first.sentAt, id: first.id } : null,
    newer: hasNewer && last ? { sentAt: last.sentAt, id: last.id } : null,
  };
}
