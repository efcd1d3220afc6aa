// Search over what the user may see: people, chats (names, InMail subjects), messages and file names
// from one box, with operators (src/lib/search-query.ts). Text is matched folded (case, accents) on
// trigram / full-text / CJK-gram indexes (search-sql.ts); snippets are text segments cut by offset.
import { Prisma } from "@/generated/prisma/client.ts";
import { type Segment, snippet } from "@/lib/highlight.ts";
import {
  FIXED_VALUES,
  fold,
  hasMessageFilters,
  highlightNeedles,
  isEmptyQuery,
  parseSearchQuery,
  type SearchQuery,
} from "@/lib/search-query.ts";
import type { SessionUser } from "../access.ts";
import { assertChatAccess, visibleAccountIds } from "../access.ts";
import { readDb } from "../db-read.ts";
import { AppError } from "../errors.ts";
import { chatSummaries } from "./chat-service.ts";
import {
  accountIn,
  allIn,
  CJK,
  chatSubject,
  chatText,
  fileName,
  likeStart,
  type MessageScope,
  messageFilters,
  messageHas,
  messageOwnFilters,
  noneIn,
  personStart,
  personStartsWith,
  personText,
  phraseAsWords,
  phraseHas,
  wholeWords,
} from "./search-sql.ts";

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

export type SearchPage = { hits: SearchHit[]; nextCursor: number | null };

export type PersonHit = {
  attendeeId: string;
  name: Segment[];
  /** What else matched (phone number, id), when the name did not. */
  detail: string | null;
  provider: string;
  accountName: string;
  /** Their 1:1 chat, or (direct: false) the latest chat they are in. */
  chatId: string;
  direct: boolean;
};

export type ChatHit = {
  chatId: string;
  name: Segment[];
  subject: Segment[] | null;
  provider: string;
  accountName: string;
  lastMessageAt: Date | null;
};

export type FileHit = {
  attachmentId: string;
  name: Segment[];
  kind: string;
  messageId: string;
  chatId: string;
  chatName: string;
  provider: string;
  sentAt: Date;
};

export type SearchResults = { people: PersonHit[]; chats: ChatHit[]; messages: SearchPage; files: FileHit[] };

/** Ranking every match of a common word is what makes search slow: whole words rank first among the newest RECENT. */
const RECENT = 200;
/** How many of the newest messages a search reads before it asks the indexes instead (~20 ms at most). */
const WALK = 20_000;
const GROUP_LIMIT = 6;
const EMPTY_PAGE: SearchPage = { hits: [], nextCursor: null };

function parse(query: string): SearchQuery {
  const q = parseSearchQuery(query);
  if (q.problems.length > 0) throw new AppError("BAD_REQUEST", q.problems.join("; "));
  return q;
}

/** The accounts and chat to search in after grants, filters and app:/account:; null when nothing is visible. */
async function resolveScope(
  user: SessionUser,
  q: SearchQuery,
  input: Omit<SearchInput, "query" | "limit" | "cursor">,
): Promise<MessageScope | null> {
  const visible = await visibleAccountIds(user);
  let ids: string[] | null = visible === "all" ? null : visible;
  if (input.accountId) ids = ids === null || ids.includes(input.accountId) ? [input.accountId] : [];
  if (q.app.length > 0 || q.account.length > 0) {
    const accounts = await readDb().account.findMany({
      where: ids ? { id: { in: ids } } : {},
      select: { id: true, provider: true, name: true },
    });
    const any = (values: string[], field: string) => values.length === 0 || values.some((v) => fold(field).includes(fold(v)));
    ids = accounts.filter((a) => any(q.app, a.provider) && any(q.account, a.name)).map((a) => a.id);
  }
  if (ids && ids.length === 0) return null;
  if (input.chatId) await assertChatAccess(user, input.chatId);
  return { accountIds: ids, chatId: input.chatId, from: input.from, to: input.to };
}

type MessageRow = {
  id: string;
  chatId: string;
  text: string | null;
  sentAt: Date;
  isSender: boolean;
  senderName: string | null;
  senderProviderId: string | null;
};

const COLUMNS = Prisma.sql`m.id, m."chatId", m."text", m."searchText", m."sentAt", m."isSender", m."senderId", m."senderProviderId"`;

/**
 * Ranked: the whole query as a phrase of whole words (3), then every word as a whole word (2), then
 * fragments (1); newest first within each. Candidates: the newest matches (at least RECENT, else as
 * many as the page reaches), plus the newest phrase matches, so an exact phrase is found however old
 * it is; each candidate's tier is read off its own text, so whole words rank above fragments among the
 * recent matches (for a common word, the newest RECENT of maybe hundreds of thousands).
 *
 * The newest matches come from a walk of the newest WALK messages when it finds enough (a common
 * word, or several words that often meet), else from the indexes. PostgreSQL cannot tell which is
 * cheaper: it takes every LIKE as rare, so for words that are not it read the trigram index's tens of
 * thousands of matches (seconds at 3M messages) where a walk finds a page in a few thousand rows.
 */
async function messageRows(q: SearchQuery, scope: MessageScope, limit: number, offset: number) {
  const needles = [...q.phrases, ...q.terms];
  const filters = messageFilters(q, scope);
  const where = Prisma.join([filters, ...needles.map(messageHas)], " AND ");
  const words = q.terms.filter((t) => !CJK.test(t));
  const phrase = q.terms.length >= 2 ? q.terms.join(" ") : null;
  const page = offset + limit + 1;
  const take = Math.max(RECENT, page);
  const sets = [
    Prisma.sql`SELECT * FROM recent`,
    Prisma.sql`(SELECT ${COLUMNS} FROM "Message" m JOIN "Chat" c ON c.id = m."chatId"
      WHERE ${where} AND (SELECT count(*) FROM recent) < ${page}
      ORDER BY m."sentAt" DESC LIMIT ${take})`,
  ];
  if (phrase) {
    // The phrase implies each word: their trigram conditions would only make PostgreSQL read that index too.
    // Not when the walk holds a page of phrase matches already (the phrase is common).
    const quoted = Prisma.join([filters, ...q.phrases.map(messageHas), phraseHas(phrase)], " AND ");
    sets.push(Prisma.sql`(SELECT ${COLUMNS} FROM "Message" m JOIN "Chat" c ON c.id = m."chatId"
      WHERE ${quoted} AND (SELECT count(*) FROM recent m WHERE ${phraseAsWords(phrase)}) < ${page}
      ORDER BY m."sentAt" DESC LIMIT ${page})`);
  }
  const tier = Prisma.sql`CASE
    WHEN ${phrase ? phraseAsWords(phrase) : Prisma.sql`false`} THEN 3
    WHEN ${words.length > 0 ? wholeWords(words) : Prisma.sql`false`} THEN 2
    ELSE 1 END`;
  return readDb().$queryRaw<MessageRow[]>`
    WITH recent AS MATERIALIZED (
      SELECT ${COLUMNS} FROM (
        SELECT ${COLUMNS}, m.deleted, m."isEvent" FROM "Message" m WHERE ${Prisma.join(messageOwnFilters(q, scope), " AND ")}
        ORDER BY m."sentAt" DESC LIMIT ${WALK}
      ) m JOIN "Chat" c ON c.id = m."chatId"
      WHERE ${where}
      ORDER BY m."sentAt" DESC LIMIT ${take}
    )
    SELECT m.id, m."chatId", m."text", m."sentAt", m."isSender", a.name AS "senderName", m."senderProviderId"
    FROM (SELECT DISTINCT ON (u.id) u.* FROM (${Prisma.join(sets, " UNION ALL ")}) u) m
    LEFT JOIN "Attendee" a ON a.id = m."senderId"
    ORDER BY ${tier} DESC, m."sentAt" DESC, m.id DESC
    LIMIT ${limit + 1} OFFSET ${offset}
  `;
}

async function messagePage(q: SearchQuery, scope: MessageScope, limit: number, offset: number): Promise<SearchPage> {
  const rows = await messageRows(q, scope, limit, offset);
  const page = rows.slice(0, limit);
  const chats = await chatSummaries([...new Set(page.map((r) => r.chatId))]);
  const needles = highlightNeedles(q);
  return {
    nextCursor: rows.length > limit ? offset + limit : null,
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
        snippet: snippet(r.text ?? "", needles),
      };
    }),
  };
}

/** Messages only, paged (the results' "More messages", the benchmark). Operators work here too. */
export async function searchMessages(user: SessionUser, input: SearchInput): Promise<SearchPage> {
  const q = parse(input.query);
  if (isEmptyQuery(q)) return EMPTY_PAGE;
  const scope = await resolveScope(user, q, input);
  if (!scope) return EMPTY_PAGE;
  return messagePage(q, scope, input.limit, input.cursor ?? 0);
}

async function people(q: SearchQuery, scope: MessageScope, needles: string[]): Promise<PersonHit[]> {
  const whole = needles.join(" ");
  const bound = GROUP_LIMIT * 8;
  const person = Prisma.sql`a."isSelf" = false AND ${accountIn(scope, Prisma.sql`a."accountId"`)} AND ${noneIn(personText, q.exclude)}`;
  const rows = await readDb().$queryRaw<
    {
      id: string;
      name: string | null;
      providerId: string;
      phoneNumber: string | null;
      provider: string;
      accountName: string;
      chatId: string;
      direct: boolean;
    }[]
  >`
    SELECT a.id, a.name, a."providerId", a."phoneNumber", acc.provider, acc.name AS "accountName", ch.id AS "chatId", ch.direct
    FROM (
      -- Bounded before each looks up its chat: the people whose stored text (it starts with the folded
      -- name) starts with the query, in order along their index; only when those are too few, the rest.
      SELECT * FROM (
        (SELECT a.*, true AS "atStart" FROM "Attendee" a WHERE ${person} AND ${personStart} LIKE ${personStartsWith(whole)}
          AND ${personText} LIKE ${likeStart(whole)} ORDER BY ${personStart}, a.id LIMIT ${bound})
        UNION ALL
        (SELECT a.*, false FROM "Attendee" a WHERE ${person} AND ${allIn(personText, needles)} AND ${personText} NOT LIKE ${likeStart(whole)}
          ORDER BY ${personStart}, a.id LIMIT ${bound})
      ) u LIMIT ${bound}
    ) a
    JOIN "Account" acc ON acc.id = a."accountId"
    JOIN LATERAL (
      SELECT c.id, c.type = 'single' AS direct FROM "ChatMember" cm JOIN "Chat" c ON c.id = cm."chatId"
      WHERE cm."attendeeId" = a.id ORDER BY c.type = 'single' DESC, c."lastMessageAt" DESC NULLS LAST LIMIT 1
    ) ch ON true
    ORDER BY a."atStart" DESC, ch.direct DESC, a.name, a.id
    LIMIT ${GROUP_LIMIT}
  `;
  return rows.map((r) => {
    const name = r.name ?? r.providerId;
    const nameHit = needles.every((n) => fold(name).includes(n));
    const other = [r.phoneNumber, r.providerId].find((v) => v && needles.every((n) => fold(v).includes(n))) ?? null;
    return {
      attendeeId: r.id,
      name: snippet(name, highlightNeedles(q)),
      detail: nameHit ? null : other,
      provider: r.provider,
      accountName: r.accountName,
      chatId: r.chatId,
      direct: r.direct,
    };
  });
}

async function chats(q: SearchQuery, scope: MessageScope, needles: string[]): Promise<ChatHit[]> {
  // 1:1 chats are named after the person, who is listed under People: here only by their subject.
  const rows = await readDb().$queryRaw<{ id: string; subject: string | null }[]>`
    SELECT c.id, c."raw"->>'subject' AS subject FROM "Chat" c
    WHERE ${accountIn(scope, Prisma.sql`c."accountId"`)} AND ${allIn(chatText, needles)} AND ${noneIn(chatText, q.exclude)}
      AND (c.type = 'group' OR (${allIn(chatSubject, needles)}))
    ORDER BY c."lastMessageAt" DESC NULLS LAST, c.id LIMIT ${GROUP_LIMIT}
  `;
  const summaries = await chatSummaries(rows.map((r) => r.id));
  return rows.flatMap((r) => {
    const c = summaries.get(r.id);
    if (!c) return [];
    const subject = r.subject?.trim() || null;
    return [
      {
        chatId: r.id,
        name: snippet(c.displayName, highlightNeedles(q)),
        subject: subject ? snippet(subject, highlightNeedles(q)) : null,
        provider: c.account.provider,
        accountName: c.account.name,
        lastMessageAt: c.lastMessageAt,
      },
    ];
  });
}

async function files(q: SearchQuery, scope: MessageScope, needles: string[]): Promise<FileHit[]> {
  const onMessage = messageFilters({ ...q, exclude: [], hasAttachment: false, hasImage: false }, scope);
  const image = q.hasImage ? Prisma.sql`AND (x.kind = 'img' OR x."mimeType" LIKE 'image/%')` : Prisma.empty;
  const rows = await readDb().$queryRaw<
    { id: string; name: string | null; kind: string; messageId: string; chatId: string; sentAt: Date }[]
  >`
    SELECT x.id, x.name, x.kind, m.id AS "messageId", m."chatId", m."sentAt"
    FROM "Attachment" x JOIN "Message" m ON m.id = x."messageId" JOIN "Chat" c ON c.id = m."chatId"
    WHERE ${allIn(fileName, needles)} AND ${noneIn(fileName, q.exclude)} AND ${onMessage} ${image}
    ORDER BY m."sentAt" DESC, x.id LIMIT ${GROUP_LIMIT}
  `;
  const summaries = await chatSummaries([...new Set(rows.map((r) => r.chatId))]);
  return rows.map((r) => ({
    attachmentId: r.id,
    name: snippet(r.name ?? "", highlightNeedles(q)),
    kind: r.kind,
    messageId: r.messageId,
    chatId: r.chatId,
    chatName: summaries.get(r.chatId)?.displayName ?? "Chat",
    provider: summaries.get(r.chatId)?.account.provider ?? "",
    sentAt: r.sentAt,
  }));
}

/** One box, four groups: people and chats by name (not when message operators narrow the search), messages, files. */
export async function searchEverything(user: SessionUser, input: SearchInput): Promise<SearchResults> {
  const empty: SearchResults = { people: [], chats: [], messages: EMPTY_PAGE, files: [] };
  const q = parse(input.query);
  if (isEmptyQuery(q)) return empty;
  const scope = await resolveScope(user, q, input);
  if (!scope) return empty;
  const needles = [...q.phrases, ...q.terms];
  const byName = needles.length > 0 && !hasMessageFilters(q) && !input.chatId && !input.from && !input.to;
  // At once: on a PostgreSQL server the four take a connection each, so the answer waits for the
  // slowest group, not for their sum; the embedded database's single connection takes them in turn.
  const [peopleHits, chatHits, messages, fileHits] = await Promise.all([
    byName ? people(q, scope, needles) : [],
    byName ? chats(q, scope, needles) : [],
    messagePage(q, scope, input.limit, 0),
    needles.length > 0 ? files(q, scope, needles) : [],
  ]);
  return { people: peopleHits, chats: chatHits, messages, files: fileHits };
}

export type SuggestKey = "from" | "in" | "app" | "account" | "has" | "is";
export type Suggestion = { value: string; label: string; detail: string | null };

/** Values for the operator being typed: people for from:, chats for in:, the user's apps and accounts. */
export async function searchSuggestions(user: SessionUser, input: { key: SuggestKey; prefix: string }): Promise<Suggestion[]> {
  const p = fold(input.prefix.trim());
  const fixed = FIXED_VALUES[input.key];
  if (fixed) return fixed.filter((v) => v.startsWith(p)).map((v) => ({ value: v, label: v, detail: null }));
  const visible = await visibleAccountIds(user);
  const accountIds = visible === "all" ? null : visible;
  const scope: MessageScope = { accountIds };
  if (input.key === "app" || input.key === "account") {
    const accounts = await readDb().account.findMany({
      where: accountIds ? { id: { in: accountIds } } : {},
      select: { provider: true, name: true },
      orderBy: { name: "asc" },
    });
    const values =
      input.key === "app"
        ? [...new Set(accounts.map((a) => a.provider.toLowerCase()))].map((v) => ({ value: v, label: v, detail: null }))
        : accounts.map((a) => ({ value: a.name, label: a.name, detail: a.provider.toLowerCase() }));
    return values.filter((v) => fold(v.value).includes(p)).slice(0, 8);
  }
  if (input.key === "from") {
    // Names that start with what was typed (or have a word that does) first. One or two characters:
    // only those (a word's start is in the trigram index, a fragment that short is not).
    const starts = likeStart(p);
    const atStart = Prisma.sql`(${personText} LIKE ${starts} OR ${personText} LIKE ${`% ${starts}`})`;
    const matches = [...p].length >= 3 ? allIn(personText, [p]) : p ? atStart : Prisma.sql`true`;
    const rows = await readDb().$queryRaw<{ name: string; provider: string }[]>`
      SELECT name, provider FROM (
        SELECT DISTINCT ON (a.name) a.name, acc.provider, ${atStart} AS "atStart"
        FROM "Attendee" a JOIN "Account" acc ON acc.id = a."accountId"
        WHERE a."isSelf" = false AND a.name IS NOT NULL AND ${accountIn(scope, Prisma.sql`a."accountId"`)} AND ${matches}
        ORDER BY a.name
      ) n ORDER BY "atStart" DESC, name LIMIT 8
    `;
    const me = "me".startsWith(p) ? [{ value: "me", label: "me", detail: "messages you sent" }] : [];
    return [...me, ...rows.map((r) => ({ value: r.name, label: r.name, detail: r.provider.toLowerCase() }))];
  }
  const rows = await readDb().$queryRaw<{ id: string }[]>`
    SELECT c.id FROM "Chat" c WHERE ${accountIn(scope, Prisma.sql`c."accountId"`)} AND (${allIn(chatText, p ? [p] : [])}
      OR c.id IN (SELECT cm."chatId" FROM "ChatMember" cm JOIN "Attendee" a ON a.id = cm."attendeeId"
                  WHERE c.type = 'single' AND a."isSelf" = false AND ${allIn(personText, p ? [p] : [])}))
    ORDER BY c."lastMessageAt" DESC NULLS LAST LIMIT 8
  `;
  const summaries = await chatSummaries(rows.map((r) => r.id));
  return rows.flatMap((r) => {
    const c = summaries.get(r.id);
    return c ? [{ value: c.displayName, label: c.displayName, detail: c.account.provider.toLowerCase() }] : [];
  });
}
