// Reading chats for the inbox: always from our database, scoped to the user's accounts.
import type { SessionUser } from "../access.ts";
import { chatScope } from "../access.ts";
import { db } from "../db.ts";

export type ChatListInput = {
  limit: number;
  cursor?: { lastMessageAt: Date | null; id: string } | null;
  accountId?: string;
  unreadOnly?: boolean;
};

/** Newest activity first, keyset-paginated on (lastMessageAt DESC NULLS LAST, id DESC). */
export async function listChats(user: SessionUser, input: ChatListInput) {
  const scope = await chatScope(user);
  const c = input.cursor;
  const after = c
    ? c.lastMessageAt
      ? {
          OR: [
            { lastMessageAt: { lt: c.lastMessageAt } },
            { lastMessageAt: c.lastMessageAt, id: { lt: c.id } },
            { lastMessageAt: null },
          ],
        }
      : { lastMessageAt: null, id: { lt: c.id } }
    : {};
  const rows = await db.chat.findMany({
    where: {
      AND: [
        scope,
        after,
        input.accountId ? { accountId: input.accountId } : {},
        input.unreadOnly ? { unreadCount: { gt: 0 } } : {},
      ],
    },
    orderBy: [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      name: true,
      type: true,
      accountId: true,
      lastMessageAt: true,
      lastMessagePreview: true,
      unreadCount: true,
      account: { select: { provider: true, name: true, status: true } },
    },
  });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? { lastMessageAt: last.lastMessageAt, id: last.id } : null,
  };
}
