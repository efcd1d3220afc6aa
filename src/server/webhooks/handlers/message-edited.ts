// message_edited: the new text becomes current; the original and every replaced text stay in
// originalText/editHistory ({text, replacedAt}, store/message-batch.ts's format). Versions are ordered by the
// edit's time, so edits delivered out of order end in the same state as in order.
import { db } from "../../db.ts";
import { refreshChatSummary } from "../../store/chats.ts";
import { findMessage, type StoredMessage } from "./message-lookup.ts";
import { deferred, eventTime, type MessageHandler } from "./types.ts";

type Version = { text: string | null; since: string };
type HistoryEntry = { text: string | null; replacedAt: string };
const EPOCH = new Date(0).toISOString();

function versionsOf(m: Pick<StoredMessage, "text" | "editHistory">): Version[] {
  const history = (Array.isArray(m.editHistory) ? (m.editHistory as HistoryEntry[]) : [])
    .filter((h) => h && typeof h.replacedAt === "string")
    .sort((a, b) => a.replacedAt.localeCompare(b.replacedAt));
  if (history.length === 0) return [{ text: m.text, since: EPOCH }];
  return [
    ...history.map((h, i) => ({ text: h.text, since: i === 0 ? EPOCH : history[i - 1]!.replacedAt })),
    { text: m.text, since: history.at(-1)!.replacedAt },
  ];
}

/** Pure: the message's text fields after one more edit, or null when it changes nothing. */
export function withEdit(m: Pick<StoredMessage, "text" | "editHistory">, text: string | null, at: string) {
  const versions = versionsOf(m);
  if (versions.some((v) => v.since === at && v.text === text)) return null;
  const active = [...versions].reverse().find((v) => v.since <= at);
  const next = versions.find((v) => v.since > at);
  // Same text as the version already in force at that time, and nothing later: a repeat.
  if (active && active.text === text && !next) return null;
  // The next version already brings this text: the same edit, told with an earlier time (our own
  // record of an edit, when its echo with Unipile's later time was applied first or at the same moment).
  if (next && next.text === text) return null;
  versions.push({ text, since: at });
  versions.sort((a, b) => a.since.localeCompare(b.since) || (a.text ?? "").localeCompare(b.text ?? ""));
  const history: HistoryEntry[] = versions.slice(0, -1).map((v, i) => ({ text: v.text, replacedAt: versions[i + 1]!.since }));
  return { text: versions.at(-1)!.text, originalText: versions[0]!.text, editHistory: history, edited: true };
}

export const messageEdited: MessageHandler = async (p, ctx) => {
  const at = eventTime(p, ctx).toISOString();
  for (let attempt = 0; attempt < 5; attempt++) {
    const message = await findMessage(p.message_id);
    if (!message) return deferred(p.message_id);
    const next = withEdit(message, p.message, at);
    if (!next) return { status: "duplicate", note: "Edit already recorded" };
    // Optimistic: a concurrent change to the message makes us read it again.
    const { count } = await db.message.updateMany({ where: { id: message.id, updatedAt: message.updatedAt }, data: next });
    if (count === 0) continue;
    await refreshChatSummary(message.chatId);
    return {
      status: "applied",
      publish: [
        { type: "message.upserted", accountId: message.accountId, chatId: message.chatId, messageId: message.id },
        { type: "chat.updated", accountId: message.accountId, chatId: message.chatId },
      ],
    };
  }
  throw new Error("Message kept changing while the edit was applied");
};
