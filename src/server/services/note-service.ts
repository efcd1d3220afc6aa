// Internal notes in a chat's thread and the @mentions in them. Parley's own: nothing here ever calls
// Unipile. Everyone with access to the chat's account reads the notes; only such a person can be
// mentioned, and a mention is a row (read or not) plus a `note.mentioned` realtime event.
import type { CheckedChat, SessionUser } from "../access.ts";
import { visibleAccountIds } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import { displayName, otherPerson } from "./chat-service.ts";

export const NOTE_MAX = 5_000;

/** How a teammate is named on screen: their name, else their email's local part. */
export function personName(u: { name: string | null; email: string }): string {
  return u.name?.trim() || u.email.split("@")[0]!;
}

/** Active users who may see the account (admins, or a grant): the only people a note may mention. */
export async function mentionableUsers(chat: CheckedChat) {
  const users = await db.user.findMany({
    where: { disabled: false, OR: [{ role: "admin" }, { grants: { some: { accountId: chat.accountId } } }] },
    select: { id: true, name: true, email: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
  return users.map((u) => ({ id: u.id, name: personName(u), email: u.email }));
}

/** Refuses the whole note when any mentioned id is not someone who may see the chat. */
async function checkMentions(chat: CheckedChat, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const allowed = new Set((await mentionableUsers(chat)).map((u) => u.id));
  const refused = unique.filter((id) => !allowed.has(id));
  if (refused.length > 0) {
    const known = await db.user.findMany({ where: { id: { in: refused } }, select: { name: true, email: true } });
    const who = known.length > 0 ? known.map(personName).join(", ") : "Someone you mentioned";
    throw new AppError("FORBIDDEN", `${who} cannot see this chat's account, so cannot be mentioned here.`);
  }
  return unique;
}

function cleanText(text: string): string {
  const t = text.trim();
  if (!t) throw new AppError("BAD_REQUEST", "A note needs some text.");
  if (t.length > NOTE_MAX) throw new AppError("BAD_REQUEST", `A note can hold at most ${NOTE_MAX} characters.`);
  return t;
}

async function announce(chat: CheckedChat, noteId: string, mentioned: string[]) {
  await publish(
    { type: "note.upserted", accountId: chat.accountId, chatId: chat.id, noteId },
    ...mentioned.map((userId) => ({
      type: "note.mentioned" as const,
      accountId: chat.accountId,
      chatId: chat.id,
      noteId,
      userId,
    })),
  );
}

/** Writes a note; the author mentioning themself notifies nobody. */
export async function addNote(user: SessionUser, chat: CheckedChat, input: { text: string; mentionIds: string[] }) {
  const text = cleanText(input.text);
  const mentioned = (await checkMentions(chat, input.mentionIds)).filter((id) => id !== user.id);
  const note = await db.chatNote.create({
    data: { chatId: chat.id, authorId: user.id, text, mentions: { create: mentioned.map((userId) => ({ userId })) } },
    select: { id: true },
  });
  await announce(chat, note.id, mentioned);
  return note;
}

async function ownNote(user: SessionUser, chat: CheckedChat, noteId: string, action: "edit" | "delete") {
  const note = await db.chatNote.findFirst({
    where: { id: noteId, chatId: chat.id, deletedAt: null },
    select: { id: true, authorId: true },
  });
  if (!note) throw new AppError("NOT_FOUND", "Note not found");
  // Anyone may tidy up a departed teammate's note only as an admin; otherwise notes are their author's.
  if (note.authorId !== user.id && !(action === "delete" && user.role === "admin"))
    throw new AppError("FORBIDDEN", `Only its author can ${action} this note.`);
  return note;
}

/** The author changes the text; people mentioned for the first time are notified. */
export async function editNote(
  user: SessionUser,
  chat: CheckedChat,
  input: { noteId: string; text: string; mentionIds: string[] },
) {
  const text = cleanText(input.text);
  await ownNote(user, chat, input.noteId, "edit");
  const mentioned = (await checkMentions(chat, input.mentionIds)).filter((id) => id !== user.id);
  const fresh = await db.$transaction(async (tx) => {
    await tx.chatNote.update({ where: { id: input.noteId }, data: { text, editedAt: new Date() } });
    const before = await tx.noteMention.findMany({ where: { noteId: input.noteId }, select: { userId: true } });
    const had = new Set(before.map((m) => m.userId));
    const added = mentioned.filter((id) => !had.has(id));
    await tx.noteMention.createMany({ data: added.map((userId) => ({ noteId: input.noteId, userId })), skipDuplicates: true });
    return added;
  });
  await announce(chat, input.noteId, fresh);
}

export async function deleteNote(user: SessionUser, chat: CheckedChat, noteId: string) {
  await ownNote(user, chat, noteId, "delete");
  await db.chatNote.update({ where: { id: noteId }, data: { deletedAt: new Date() } });
  await announce(chat, noteId, []);
}

/** The user's mentions, newest first, in chats they may still see; with the unread count. */
export async function listMentions(user: SessionUser, limit: number) {
  const visible = await visibleAccountIds(user);
  const where = {
    userId: user.id,
    note: { deletedAt: null, ...(visible === "all" ? {} : { chat: { accountId: { in: visible } } }) },
  };
  const [rows, unread] = await Promise.all([
    db.noteMention.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        noteId: true,
        createdAt: true,
        readAt: true,
        note: {
          select: {
            text: true,
            chatId: true,
            author: { select: { name: true, email: true } },
            chat: {
              select: {
                name: true,
                type: true,
                attendeeProviderId: true,
                members: {
                  where: { attendee: { isSelf: false } },
                  take: 2,
                  select: { attendee: { select: { id: true, name: true, providerId: true, pictureUrl: true } } },
                },
              },
            },
          },
        },
      },
    }),
    db.noteMention.count({ where: { ...where, readAt: null } }),
  ]);
  return {
    unread,
    items: rows.map((r) => ({
      noteId: r.noteId,
      chatId: r.note.chatId,
      chatName: displayName({ ...r.note.chat, other: otherPerson(r.note.chat) }),
      authorName: r.note.author ? personName(r.note.author) : "Someone",
      text: r.note.text,
      at: r.createdAt,
      read: r.readAt !== null,
    })),
  };
}

/** Marks the given mentions of the user read (or all of them when no ids are given). */
export async function markMentionsRead(user: SessionUser, noteIds: string[] | null) {
  const { count } = await db.noteMention.updateMany({
    where: { userId: user.id, readAt: null, ...(noteIds ? { noteId: { in: noteIds } } : {}) },
    data: { readAt: new Date() },
  });
  return { count };
}
