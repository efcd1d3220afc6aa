// Chats from Unipile in our database, the chat a webhook names (fetched when new), and each chat's
// summary (last activity, preview) as the chat list shows it.
import { db } from "../db.ts";
import { publish } from "../realtime/bus.ts";
import { getUnipile } from "../unipile/client.ts";
import type { Attendee as UnipileAttendee, Chat as UnipileChat } from "../unipile/schemas.ts";
import { ensureAccounts } from "./accounts.ts";
import { setChatMembers, upsertAttendees } from "./attendees.ts";
import { iso, NOW, newId, pgQuery, type Sql } from "./sql.ts";

const CHAT_TYPES = ["single", "group", "channel"] as const;

function mutedUntilOf(v: UnipileChat["muted_until"]): { muted: boolean; mutedUntil: string | null } {
  if (v === -1 || v === "-1") return { muted: true, mutedUntil: null };
  const at = typeof v === "string" ? iso(v) : typeof v === "number" && v > 0 ? new Date(v).toISOString() : null;
  return { muted: at !== null && Date.parse(at) > Date.now(), mutedUntil: at };
}

export type UpsertedChat = {
  id: string;
  unipileId: string;
  accountId: string;
  created: boolean;
  /** Unipile's chat timestamp as of our last completed message sync (null: history never synced). */
  unipileTimestamp: Date | null;
  lastSyncedAt: Date | null;
  syncCheckpoint: unknown;
  syncCursor: string | null;
  /** New, or its name, unread count or Unipile row changed. */
  changed: boolean;
};

type UpsertChatsOptions = {
  /** Take Unipile's unread_count (sync, first fetch of a chat). Default true; false keeps ours. */
  unreadFromUnipile?: boolean;
  /** Publish chat.updated for each chat (default true). */
  publish?: boolean;
};

/**
 * Inserts or refreshes chats from Unipile in one statement. `unipileTimestamp` is NOT touched here:
 * the sync engine sets it only after the chat's messages are stored, so a crash never hides a gap.
 * Names follow Unipile; a nameless 1:1 chat takes its attendee's name.
 */
export async function upsertChats(chats: UnipileChat[], opts: UpsertChatsOptions = {}): Promise<UpsertedChat[]> {
  if (!chats.length) return [];
  await ensureAccounts([...new Map(chats.map((c) => [c.account_id, { id: c.account_id, provider: c.account_type }])).values()]);
  const input = chats.map((c) => ({
    id: newId(),
    unipileId: c.id,
    providerId: c.provider_id,
    accountId: c.account_id,
    type: CHAT_TYPES[c.type] ?? "single",
    name: c.name || null,
    attendeeProviderId: c.attendee_provider_id ?? null,
    timestamp: iso(c.timestamp),
    unreadCount: Math.max(0, Math.trunc(c.unread_count ?? 0)),
    archived: c.archived,
    // Not every provider's chats carry `pinned` (REFERENCE.md §2.2): absent keeps what we hold.
    pinned: c.pinned ?? null,
    readOnly: c.read_only !== 0,
    ...mutedUntilOf(c.muted_until),
    raw: c,
  }));
  const unread = opts.unreadFromUnipile !== false;
  const rows = await db.$queryRawUnsafe<UpsertedChat[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, "unipileId" text, "providerId" text, "accountId" text, type text, name text,
         "attendeeProviderId" text, timestamp text, "unreadCount" int, archived boolean, pinned boolean, "readOnly" boolean,
         muted boolean, "mutedUntil" text, raw jsonb)
     ),
     prev AS (
       SELECT c.id, c.raw, c.name, c."unreadCount" FROM "Chat" c JOIN input i ON i."unipileId" = c."unipileId"
     )
     INSERT INTO "Chat" AS c (id, "unipileId", "providerId", "accountId", type, name, "attendeeProviderId",
       "lastMessageAt", "unreadCount", archived, pinned, muted, "mutedUntil", "readOnly", raw, "updatedAt")
     SELECT i.id, i."unipileId", i."providerId", i."accountId", i.type::"ChatType",
       COALESCE(i.name, (SELECT a.name FROM "Attendee" a WHERE a."accountId" = i."accountId"
         AND i."attendeeProviderId" IN (a."providerId", a."altProviderId") LIMIT 1)),
       i."attendeeProviderId", (i.timestamp::timestamptz AT TIME ZONE 'UTC'), i."unreadCount", i.archived, COALESCE(i.pinned, false), i.muted,
       (i."mutedUntil"::timestamptz AT TIME ZONE 'UTC'), i."readOnly", i.raw, ${NOW}
     FROM input i
     ON CONFLICT ("unipileId") DO UPDATE SET
       "providerId" = EXCLUDED."providerId",
       type = EXCLUDED.type,
       name = COALESCE(EXCLUDED.name, c.name),
       "attendeeProviderId" = COALESCE(EXCLUDED."attendeeProviderId", c."attendeeProviderId"),
       "lastMessageAt" = COALESCE(c."lastMessageAt", EXCLUDED."lastMessageAt"),
       "unreadCount" = ${unread ? `EXCLUDED."unreadCount"` : `c."unreadCount"`},
       archived = EXCLUDED.archived,
       pinned = CASE WHEN EXCLUDED.raw -> 'pinned' IS NULL THEN c.pinned ELSE EXCLUDED.pinned END,
       muted = EXCLUDED.muted,
       "mutedUntil" = EXCLUDED."mutedUntil",
       "readOnly" = EXCLUDED."readOnly",
       raw = EXCLUDED.raw,
       "updatedAt" = ${NOW}
     RETURNING c.id, c."unipileId", c."accountId", (xmax = 0) AS created, c."unipileTimestamp", c."lastSyncedAt",
       c."syncCheckpoint", c."syncCursor",
       -- what the chat list shows changed (a new chat, another name, unread count or Unipile row)
       NOT EXISTS (SELECT 1 FROM prev p WHERE p.id = c.id AND p.raw IS NOT DISTINCT FROM c.raw
         AND p.name IS NOT DISTINCT FROM c.name AND p."unreadCount" = c."unreadCount") AS changed`,
    JSON.stringify(input),
  );
  if (opts.publish !== false) {
    await publish(
      ...rows.filter((r) => r.changed).map((r) => ({ type: "chat.updated", accountId: r.accountId, chatId: r.id }) as const),
    );
  }
  return rows;
}

/**
 * One chat with (optionally) its attendees: members become exactly the attendees Unipile lists,
 * attendee names and the chat's display name are kept current.
 */
export async function upsertChat(
  chat: UnipileChat,
  attendees?: UnipileAttendee[],
  opts: UpsertChatsOptions = {},
): Promise<UpsertedChat> {
  if (attendees) await upsertAttendees(chat.account_id, attendees, chat.account_type);
  const [row] = await upsertChats([chat], { ...opts, publish: false });
  if (attendees) await setChatMembers(row!.id, chat.account_id, attendees);
  if (opts.publish !== false) await publish({ type: "chat.updated", accountId: row!.accountId, chatId: row!.id });
  return row!;
}

export type ChatFallback = { chat: UnipileChat; attendees: UnipileAttendee[] };

/**
 * Our chat for a Unipile chat id, fetched from Unipile (chat + attendees) and created when new. When
 * that lookup fails and `fallback` gives a chat (a webhook's own description of it), that one is
 * stored instead: `fromFallback` then carries the lookup's error, and a later sync fills in the rest.
 */
export type KnownChat = { id: string; accountId: string; lastMessageAt: Date | null; unipileTimestamp: Date | null };

/** The stored chat of a Unipile chat id, with what a webhook needs to tell a gap. */
export async function findChat(unipileChatId: string): Promise<KnownChat | null> {
  const rows = await pgQuery<KnownChat>(
    `SELECT id, "accountId", ("lastMessageAt" AT TIME ZONE 'UTC') AS "lastMessageAt", ("unipileTimestamp" AT TIME ZONE 'UTC') AS "unipileTimestamp"
     FROM "Chat" WHERE "unipileId" = $1`,
    [unipileChatId],
  );
  return rows[0] ?? null;
}

export async function ensureChat(
  unipileChatId: string,
  accountId: string,
  opts: { fallback?: () => ChatFallback; known?: KnownChat | null } = {},
): Promise<{ chat: KnownChat; created: boolean; fromFallback: string | null }> {
  const known = opts.known === undefined ? await findChat(unipileChatId) : opts.known;
  if (known) return { chat: known, created: false, fromFallback: null };
  let found: ChatFallback;
  let fromFallback: string | null = null;
  try {
    const client = getUnipile();
    const [chat, attendees] = await Promise.all([
      client.getChat(unipileChatId, {}, { accountId }),
      client.listChatAttendees(unipileChatId, { accountId }),
    ]);
    found = { chat, attendees: attendees.items };
  } catch (err) {
    if (!opts.fallback) throw err;
    found = opts.fallback();
    fromFallback = err instanceof Error ? err.message : String(err);
  }
  // Unread starts at 0 and counts the inbound messages we store, so this first one is not counted twice.
  const row = await upsertChat({ ...found.chat, unread_count: 0 }, found.attendees, { unreadFromUnipile: false, publish: false });
  return {
    chat: { id: row.id, accountId: row.accountId, lastMessageAt: null, unipileTimestamp: row.unipileTimestamp },
    created: row.created,
    fromFallback,
  };
}

/**
 * lastMessageAt and the preview follow the newest message we hold (local pending sends included);
 * `unreadDelta` new inbound messages make the chat unread (seed 000's rule).
 */
export async function refreshChatSummary(chatId: string, unreadDelta = 0, tx: Sql = db) {
  await tx.$executeRawUnsafe(
    `UPDATE "Chat" c SET
       "lastMessageAt" = l."sentAt",
       "lastMessagePreview" = CASE
         WHEN l.deleted THEN 'Message deleted'
         WHEN COALESCE(l.text, '') <> '' THEN left(l.text, 200)
         WHEN EXISTS (SELECT 1 FROM "Attachment" t WHERE t."messageId" = l.id) THEN 'Attachment'
         ELSE c."lastMessagePreview" END,
       "unreadCount" = c."unreadCount" + $2,
       "updatedAt" = ${NOW}
     FROM (SELECT id, "sentAt", text, deleted FROM "Message" WHERE "chatId" = $1 ORDER BY "sentAt" DESC, id DESC LIMIT 1) l
     WHERE c.id = $1`,
    chatId,
    unreadDelta,
  );
}
