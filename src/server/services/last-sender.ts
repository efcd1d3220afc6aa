// Who wrote each chat's newest message, so the list can say "You: …" or "Léa: …" before the preview.
import { readDb } from "../db-read.ts";

export type LastSender = { self: boolean; name: string | null };

/**
 * The newest message of each chat (the one its preview follows, see refreshChatSummary), one index
 * probe per chat. Events and deleted messages have no author worth naming.
 */
export async function lastSenders(chatIds: string[]): Promise<Map<string, LastSender>> {
  if (chatIds.length === 0) return new Map();
  const rows = await readDb().$queryRawUnsafe<{ chatId: string; self: boolean; name: string | null }[]>(
    `SELECT c.id AS "chatId", m."isSender" AS self, a.name
     FROM unnest($1::text[]) AS c(id)
     CROSS JOIN LATERAL (
       SELECT "isSender", "senderId", deleted, "isEvent" FROM "Message"
       WHERE "chatId" = c.id ORDER BY "sentAt" DESC, id DESC LIMIT 1
     ) m
     LEFT JOIN "Attendee" a ON a.id = m."senderId"
     WHERE NOT m.deleted AND NOT m."isEvent"`,
    chatIds,
  );
  return new Map(rows.map((r) => [r.chatId, { self: r.self, name: r.name }]));
}
