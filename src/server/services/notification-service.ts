// What the tab title counts and what raises a desktop notification. Both follow the user's own
// preferences and see only chats of accounts the user may see.
import type { Prisma } from "@/generated/prisma/client.ts";
import type { CheckedChat, SessionUser } from "../access.ts";
import { visibleAccountIds } from "../access.ts";
import { db } from "../db.ts";
import { personName } from "./note-service.ts";
import { getPreferences } from "./preference-service.ts";

function viewWhere(user: SessionUser, views: string[]): Prisma.ChatWhereInput | null {
  if (views.includes("all")) return {};
  const or: Prisma.ChatWhereInput[] = [];
  if (views.includes("mine")) or.push({ assigneeId: user.id });
  if (views.includes("unassigned")) or.push({ assigneeId: null });
  return or.length ? { OR: or } : null;
}

/** Chats with unread inbound messages in the views the user watches (open ones: done and snoozed are put away). */
export async function unreadCount(user: SessionUser): Promise<number> {
  const prefs = await getPreferences(user.id);
  const inViews = viewWhere(user, prefs.watchedViews);
  if (!inViews) return 0;
  const visible = await visibleAccountIds(user);
  return db.chat.count({
    where: {
      AND: [inViews, { unreadCount: { gt: 0 }, workState: "open", archived: false }, visible === "all" ? {} : { accountId: { in: visible } }],
    },
  });
}

/** A message older than this is history coming in (a sync, a resync), not news. */
const FRESH_MS = 5 * 60 * 1000;

const isMuted = (c: { muted: boolean; mutedUntil: Date | null }) => c.muted && (!c.mutedUntil || c.mutedUntil > new Date());

/** What to do for news: show a desktop notification (title, text), play the chime, or both. */
const alertOf = (prefs: { desktopNotifications: boolean; sound: boolean }, n: { chatId: string; title: string; body: string }) => ({
  ...n,
  desktop: prefs.desktopNotifications,
  sound: prefs.sound,
});

/**
 * Whether this message deserves a desktop notification or the chime for this user, and its title and
 * text: an inbound message in a chat that is theirs or unassigned, never a muted chat, only when they
 * turned notifications or the sound on. Null otherwise.
 */
export async function notificationFor(user: SessionUser, chat: CheckedChat, messageId: string) {
  const prefs = await getPreferences(user.id);
  if (!prefs.desktopNotifications && !prefs.sound) return null;
  const m = await db.message.findFirst({
    where: { id: messageId, chatId: chat.id, isSender: false, isEvent: false, deleted: false, sentAt: { gt: new Date(Date.now() - FRESH_MS) } },
    select: {
      text: true,
      sender: { select: { name: true } },
      chat: { select: { id: true, name: true, muted: true, mutedUntil: true, assigneeId: true } },
    },
  });
  if (!m) return null;
  const c = m.chat;
  if (isMuted(c) || (c.assigneeId !== null && c.assigneeId !== user.id)) return null;
  return alertOf(prefs, { chatId: c.id, title: m.sender?.name ?? c.name ?? "New message", body: m.text ?? "Attachment" });
}

/**
 * The desktop notification for a note that mentions this user, in any chat they may see (whoever
 * it is assigned to), never a muted chat, only once (an unread mention) and only when they turned
 * notifications or the sound on. Null otherwise.
 */
export async function mentionNotificationFor(user: SessionUser, chat: CheckedChat, noteId: string) {
  const prefs = await getPreferences(user.id);
  if (!prefs.desktopNotifications && !prefs.sound) return null;
  const mention = await db.noteMention.findFirst({
    where: { noteId, userId: user.id, readAt: null, note: { chatId: chat.id, deletedAt: null } },
    select: {
      note: {
        select: {
          text: true,
          author: { select: { name: true, email: true } },
          chat: { select: { id: true, name: true, muted: true, mutedUntil: true } },
        },
      },
    },
  });
  if (!mention) return null;
  const { note } = mention;
  if (isMuted(note.chat)) return null;
  const who = note.author ? personName(note.author) : "A teammate";
  return alertOf(prefs, { chatId: note.chat.id, title: `${who} mentioned you${note.chat.name ? ` in ${note.chat.name}` : ""}`, body: note.text });
}
