// The SQL pieces of search: text matching on the folded text the database stores beside each message,
// person, chat and file (generated columns of migration search_text_columns, filled by parley_fold())
// and on parley_cjk_grams(), and the message filters the operators ask for. Every expression here must
// stay exactly as the migrations' index expressions, or PostgreSQL cannot use the index.
import { Prisma } from "@/generated/prisma/client.ts";
import { fold, type SearchQuery } from "@/lib/search-query.ts";

export const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const CJK_RUNS = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/gu;

export const messageText = Prisma.sql`m."searchText"`;
const messageVector = Prisma.sql`to_tsvector('simple', coalesce(m."searchText", ''))`;
/** Name, provider id, alternative id, phone number and profile URL. */
export const personText = Prisma.sql`a."searchText"`;
/** personText's start in byte order, as its btree index holds it (prefix matches, in order). */
export const personStart = Prisma.sql`left(a."searchText", 200) COLLATE "C"`;
/** LIKE pattern for `s` at the start, on personStart (the first 200 characters). */
export const personStartsWith = (s: string) => likeStart([...s].slice(0, 200).join(""));
/** Name and InMail subject. */
export const chatText = Prisma.sql`c."searchText"`;
/** Only on rows the index on chatText found. */
export const chatSubject = Prisma.sql`parley_fold(coalesce(c."raw"->>'subject', ''))`;
export const fileName = Prisma.sql`x."searchName"`;

/** `s` taken literally inside a LIKE pattern. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** LIKE pattern for a literal substring. */
export function contains(s: string) {
  return `%${likeLiteral(s)}%`;
}

/** LIKE pattern: starts with `s`, taken literally. */
export function likeStart(s: string) {
  return `${likeLiteral(s)}%`;
}

/** `s` matched literally inside a regular expression (JavaScript's and PostgreSQL's alike). */
const regexLiteral = (s: string) => s.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);

/**
 * The message holds each word (folded) as a whole word: a regular expression on the stored text, a
 * microsecond a row where a newest-first walk looks at thousands (to_tsvector() parses each text again,
 * ~10 µs). A word boundary is the start, the end, or a character that is not a letter, digit or `_`.
 */
export function wholeWords(words: string[]): Prisma.Sql {
  if (words.length === 0) return Prisma.sql`true`;
  return Prisma.join(
    words.map((w) => Prisma.sql`${messageText} ~ ${`(^|[^[:alnum:]_])${regexLiteral(w)}($|[^[:alnum:]_])`}`),
    " AND ",
  );
}

/** The one- and two-character grams a CJK needle needs (all of them must be in a message's grams). */
export function cjkGrams(needle: string): string[] {
  const grams = new Set<string>();
  for (const run of needle.match(CJK_RUNS) ?? []) {
    const chars = [...run];
    if (chars.length === 1) grams.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  }
  return [...grams];
}

/** Where words break, for phrases: ASCII spaces and punctuation, as parley_word_pairs() splits (the same text in both dialects). */
const BREAK = "[\\x09-\\x0d\\x20-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]";
const WORD_BREAK = new RegExp(`${BREAK}+`);

/** The pairs of adjacent words of a (folded) phrase, as parley_word_pairs() lists a message's. */
export function wordPairs(phrase: string): string[] {
  const words = phrase.split(WORD_BREAK).filter(Boolean);
  return [...new Set(words.slice(1).map((w, i) => `${words[i]} ${w}`))];
}

/** The phrase as whole words (a regular expression on the stored text): how a candidate's tier is read. */
export function phraseAsWords(phrase: string): Prisma.Sql {
  return Prisma.sql`${messageText} ~ ${`(^|${BREAK})${regexLiteral(phrase)}($|${BREAK})`}`;
}

/**
 * A message holding the phrase of several words: its word pairs through their index, then the phrase
 * itself (strpos, which no trigram index takes: the pairs are the selective part).
 */
export function phraseHas(phrase: string, pairs = wordPairs(phrase)): Prisma.Sql {
  return Prisma.sql`(parley_word_pairs(${messageText}) @> ${pairs}::text[] AND strpos(${messageText}, ${phrase}) > 0)`;
}

/**
 * A message whose text holds `needle` (folded), through an index whatever its length: a phrase of
 * several words through its word pairs (whole words, side by side), CJK through its grams, three
 * characters or more through trigrams, one or two Latin characters as a whole word.
 */
export function messageHas(needle: string): Prisma.Sql {
  // Only a phrase typed with spaces: one word with punctuation inside ("e-mai") stays a fragment.
  const pairs = /\s/.test(needle) ? wordPairs(needle) : [];
  if (pairs.length > 0) return phraseHas(needle, pairs);
  if (CJK.test(needle)) {
    return Prisma.sql`(parley_cjk_grams(m."text") @> ${cjkGrams(needle)}::text[] AND ${messageText} LIKE ${contains(needle)})`;
  }
  if ([...needle].length >= 3) return Prisma.sql`${messageText} LIKE ${contains(needle)}`;
  return Prisma.sql`${messageVector} @@ plainto_tsquery('simple', ${needle})`;
}

/** `expr` holds every needle (people, chats, files: small tables, trigram-indexed). */
export function allIn(expr: Prisma.Sql, needles: string[]): Prisma.Sql {
  if (needles.length === 0) return Prisma.sql`true`;
  return Prisma.join(
    needles.map((n) => Prisma.sql`${expr} LIKE ${contains(n)}`),
    " AND ",
  );
}

export function noneIn(expr: Prisma.Sql, needles: string[]): Prisma.Sql {
  if (needles.length === 0) return Prisma.sql`true`;
  return Prisma.join(
    needles.map((n) => Prisma.sql`coalesce(${expr}, '') NOT LIKE ${contains(n)}`),
    " AND ",
  );
}

export type MessageScope = {
  /** null: every account (admin without account filters). */
  accountIds: string[] | null;
  chatId?: string;
  from?: Date;
  to?: Date;
};

/** The conditions on `m` (Message) alone: searchable, the chat, the dates. What a walk of the newest messages takes first. */
export function messageOwnFilters(q: SearchQuery, scope: MessageScope): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [Prisma.sql`m.deleted = false AND m."isEvent" = false`];
  if (scope.chatId) parts.push(Prisma.sql`m."chatId" = ${scope.chatId}`);
  if (scope.from) parts.push(Prisma.sql`m."sentAt" >= ${scope.from}`);
  if (scope.to) parts.push(Prisma.sql`m."sentAt" < ${scope.to}`);
  if (q.after) parts.push(Prisma.sql`m."sentAt" >= ${new Date(`${q.after}T00:00:00Z`)}`);
  if (q.before) parts.push(Prisma.sql`m."sentAt" < ${new Date(`${q.before}T00:00:00Z`)}`);
  return parts;
}

/**
 * How many chats one in: value names at most, the most recently active first. Reading every message
 * of 1,530 chats named "Launch …" to find "contract" took 200 ms on the 3M bench set; 100 chats, ~10 ms.
 */
const IN_CHATS = 100;

/** `column` (an account id) is one of the scope's accounts. */
export const accountIn = (scope: MessageScope, column: Prisma.Sql) =>
  scope.accountIds ? Prisma.sql`${column} IN (${Prisma.join(scope.accountIds)})` : Prisma.sql`true`;

/** Conditions on `m` (Message) and `c` (its Chat) for the scope and the query's operators. */
export function messageFilters(q: SearchQuery, scope: MessageScope): Prisma.Sql {
  const parts = messageOwnFilters(q, scope);
  if (scope.accountIds) parts.push(accountIn(scope, Prisma.sql`c."accountId"`));
  if (q.unread) parts.push(Prisma.sql`c."unreadCount" > 0`);
  if (q.hasAttachment || q.hasImage) {
    const image = q.hasImage ? Prisma.sql`AND (x.kind = 'img' OR x."mimeType" LIKE 'image/%')` : Prisma.empty;
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Attachment" x WHERE x."messageId" = m.id ${image})`);
  }
  // Several values of one operator: any of them (from:maya from:jonas = from either).
  if (q.from.length > 0) {
    const who = q.from.map((v) =>
      v.toLowerCase() === "me"
        ? Prisma.sql`m."isSender" = true`
        : Prisma.sql`m."senderId" IN (SELECT a.id FROM "Attendee" a WHERE ${personText} LIKE ${contains(fold(v))})`,
    );
    parts.push(Prisma.sql`(${Prisma.join(who, " OR ")})`);
  }
  if (q.in.length > 0) {
    const where = q.in.map((v) => {
      const p = contains(fold(v));
      // A chat by its name or subject, or a 1:1 chat by the other person's name: the IN_CHATS most
      // recently active of them (a word that names hundreds of chats names no chat in particular).
      return Prisma.sql`m."chatId" IN (SELECT id FROM (
        SELECT c.id, c."lastMessageAt" FROM "Chat" c WHERE ${chatText} LIKE ${p} AND ${accountIn(scope, Prisma.sql`c."accountId"`)}
        UNION
        SELECT c1.id, c1."lastMessageAt" FROM "ChatMember" cm JOIN "Attendee" a ON a.id = cm."attendeeId" JOIN "Chat" c1 ON c1.id = cm."chatId"
        WHERE c1.type = 'single' AND a."isSelf" = false AND ${personText} LIKE ${p} AND ${accountIn(scope, Prisma.sql`c1."accountId"`)}
      ) named ORDER BY "lastMessageAt" DESC NULLS LAST LIMIT ${IN_CHATS})`;
    });
    parts.push(Prisma.sql`(${Prisma.join(where, " OR ")})`);
  }
  for (const x of q.exclude) parts.push(Prisma.sql`coalesce(${messageText}, '') NOT LIKE ${contains(x)}`);
  return Prisma.join(parts, " AND ");
}
