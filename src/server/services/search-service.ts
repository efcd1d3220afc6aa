// Message search over what the user may see: PostgreSQL full-text search (whole words, any order)
// OR a pg_trgm-indexed substring match (fragments inside words), ranked, with text-only snippets.
import { Prisma } from "@/generated/prisma/client.ts";
import { type Segment, snippet } from "@/lib/highlight.ts";
import type { SessionUser } from "../access.ts";
import { assertChatAccess, visibleAccountIds } from "../access.ts";
import { readDb } from "../db-read.ts";
import { chatSummaries } from "./chat-service.ts";

export type SearchInput = {
  query: string;
  accountId?: string;
  chatId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** Where the page starts: the previous page's nextCursor (a number of hits), or none for the first. */
  cursor?: number | null;
};

export type SearchHit = {
  messageId: string;
  chatId: string;
  chatName: string;
  provider: string;
  accountName: string;
  sentAt: Date;
  isSender: boolean;
  senderName: string;
  snippet: Segment[];
};

const CANDIDATES = 500;

/** LIKE pattern for a literal substring. */
function containsPattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type SearchPage = { hits: SearchHit[]; nextCursor: number | null };

export async function searchMessages(user: SessionUser, input: SearchInput): Promise<SearchPage> {
  const q = input.query.trim();
  if (!q) return { hits: [], nextCursor: null };
  const offset = input.cursor ?? 0;
  const visible = await visibleAccountIds(user);
  let accountIds: string[] | null = visible === "all" ? null : visible;
  if (input.accountId) accountIds = accountIds === null || accountIds.includes(input.accountId) ? [input.accountId] : [];
  if (accountIds && accountIds.length === 0) return { hits: [], nextCursor: null };
  if (input.chatId) await assertChatAccess(user, input.chatId);

  const vector = Prisma.sql`to_tsvector('simple', coalesce(m."text", ''))`;
  const tsq = Prisma.sql`plainto_tsquery('simple', ${q})`;
  // Trigrams need three characters; shorter queries use whole-word matching only (no seq scan).
  const substring = q.length >= 3 ? Prisma.sql`OR m."text" ILIKE ${containsPattern(q)}` : Prisma.empty;
  const filters = [
    accountIds ? Prisma.sql`AND c."accountId" IN (${Prisma.join(accountIds)})` : Prisma.empty,
    input.chatId ? Prisma.sql`AND m."chatId" = ${input.chatId}` : Prisma.empty,
    input.from ? Prisma.sql`AND m."sentAt" >= ${input.from}` : Prisma.empty,
    input.to ? Prisma.sql`AND m."sentAt" < ${input.to}` : Prisma.empty,
  ];
  // Ranking every match of a common word is what makes search slow; rank the newest CANDIDATES
  // matches instead (an inbox cares about recent conversations), which bounds the work: for a common
  // word PostgreSQL walks Message("sentAt" DESC) until it has them, for a rare one it uses the
  // full-text and trigram indexes.
  const rows = await readDb().$queryRaw<
    { id: string; chatId: string; text: string; sentAt: Date; isSender: boolean; senderName: string | null; senderProviderId: string | null }[]
  >`
    SELECT m.id, m."chatId", m."text", m."sentAt", m."isSender", a.name AS "senderName", m."senderProviderId"
    FROM (
      SELECT m.id, m."chatId", m."text", m."sentAt", m."isSender", m."senderId", m."senderProviderId"
      FROM "Message" m
      JOIN "Chat" c ON c.id = m."chatId"
      WHERE m.deleted = false AND m."isEvent" = false AND m."text" IS NOT NULL
        AND (${vector} @@ ${tsq} ${substring})
        ${Prisma.join(filters, " ")}
      ORDER BY m."sentAt" DESC
      LIMIT ${CANDIDATES}
    ) m
    LEFT JOIN "Attendee" a ON a.id = m."senderId"
    ORDER BY ts_rank(${vector}, ${tsq}) * 10 + word_similarity(${q}, coalesce(m."text", '')) DESC, m."sentAt" DESC, m.id DESC
    LIMIT ${input.limit + 1} OFFSET ${offset}
  `;
  const page = rows.slice(0, input.limit);
  const chats = await chatSummaries([...new Set(page.map((r) => r.chatId))]);
  return {
    nextCursor: rows.length > input.limit ? offset + input.limit : null,
    hits: page.map((r) => {
      const chat = chats.get(r.chatId);
      return {
        messageId: r.id,
        chatId: r.chatId,
        chatName: chat?.displayName ?? "Chat",
        provider: chat?.account.provider ?? "",
        accountName: chat?.account.name ?? "",
        sentAt: r.sentAt,
        isSender: r.isSender,
        senderName: r.isSender ? "You" : (r.senderName ?? r.senderProviderId ?? "Unknown"),
        snippet: snippet(r.text, q),
      };
    }),
  };
}
