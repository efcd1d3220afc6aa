// THE place that writes Unipile objects (accounts, chats, attendees, messages) into our database.
// Used by the sync engine and by the webhook handlers. Idempotent by Unipile ids (unique keys and
// ON CONFLICT, never check-then-insert); realtime events are published after commit.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { db, dbPool } from "../db.ts";
import { publish, type RealtimeEvent } from "../realtime/bus.ts";
import type {
  Account as UnipileAccount,
  Attendee as UnipileAttendee,
  Chat as UnipileChat,
  Message as UnipileMessage,
} from "../unipile/schemas.ts";

// ---------------------------------------------------------------------------------------------
// ids and small helpers
// ---------------------------------------------------------------------------------------------

let counter = 0;
/** cuid-like ids for rows inserted with raw SQL (Prisma's @default(cuid()) only applies to its own inserts). */
export function newId(): string {
  counter = (counter + 1) % 1_679_616;
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
}

/** ISO string → ISO string in UTC with ms, or null when missing/unreadable. */
function iso(v: string | null | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const NOW = `(now() AT TIME ZONE 'UTC')`;

type MessageStatus = "pending" | "sent" | "delivered" | "seen" | "failed";

/** Our status for a message Unipile reports: only own messages carry delivery/read progress. */
export function statusOf(m: Pick<UnipileMessage, "is_sender" | "seen" | "delivered">): MessageStatus {
  if (!m.is_sender) return "sent";
  if (m.seen) return "seen";
  if (m.delivered) return "delivered";
  return "sent";
}

/** Worst-first order used to move status forward only. */
const RANK_SQL = (col: string) =>
  `(CASE ${col}::text WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'seen' THEN 3 ELSE -1 END)`;

/** Own-echo window: an is_sender message from Unipile adopts a local send of the same text this close in time. */
export const ECHO_WINDOW_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

/** The first source status that is not OK (ERROR, CREDENTIALS, …), else OK. */
export function accountStatusOf(a: Pick<UnipileAccount, "sources">): string {
  return a.sources.find((s) => s.status !== "OK")?.status ?? "OK";
}

export async function upsertAccount(a: UnipileAccount, opts: { publish?: boolean } = {}) {
  return (await upsertAccounts([a], opts))[0]!;
}

/** Inserts or refreshes accounts (name, provider, status). Returns each with whether its status changed. */
export async function upsertAccounts(accounts: UnipileAccount[], opts: { publish?: boolean } = {}) {
  const out: { id: string; status: string; created: boolean; statusChanged: boolean }[] = [];
  for (const a of accounts) {
    const status = accountStatusOf(a);
    const before = await db.account.findUnique({ where: { id: a.id }, select: { status: true } });
    const connectionParams = (a.connection_params ?? null) as object | null;
    await db.account.upsert({
      where: { id: a.id },
      create: {
        id: a.id,
        provider: a.type,
        name: a.name,
        status,
        statusAt: new Date(),
        connectionParams: connectionParams ?? undefined,
      },
      update: {
        provider: a.type,
        name: a.name,
        status,
        ...(before?.status !== status ? { statusAt: new Date(), statusMessage: null } : {}),
        connectionParams: connectionParams ?? undefined,
      },
    });
    out.push({ id: a.id, status, created: !before, statusChanged: !before || before.status !== status });
  }
  if (opts.publish !== false) {
    const events = out.filter((a) => a.statusChanged).map((a) => ({ type: "account.updated", accountId: a.id }) as const);
    if (events.length) await publish(...events);
  }
  return out;
}

/** A chat or webhook may name an account we never listed: keep a placeholder so the foreign key holds. */
async function ensureAccounts(accounts: { id: string; provider: string }[]) {
  if (!accounts.length) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "Account" (id, provider, name, "updatedAt")
     SELECT x.id, x.provider, x.id, ${NOW} FROM jsonb_to_recordset($1::jsonb) AS x(id text, provider text)
     ON CONFLICT (id) DO NOTHING`,
    JSON.stringify(accounts),
  );
}

// ---------------------------------------------------------------------------------------------
// Chats and attendees
// ---------------------------------------------------------------------------------------------

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

export type UpsertChatsOptions = {
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
    readOnly: c.read_only !== 0,
    ...mutedUntilOf(c.muted_until),
    raw: c,
  }));
  const unread = opts.unreadFromUnipile !== false;
  const rows = await db.$queryRawUnsafe<UpsertedChat[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, "unipileId" text, "providerId" text, "accountId" text, type text, name text,
         "attendeeProviderId" text, timestamp text, "unreadCount" int, archived boolean, "readOnly" boolean,
         muted boolean, "mutedUntil" text, raw jsonb)
     ),
     prev AS (
       SELECT c.id, c.raw, c.name, c."unreadCount" FROM "Chat" c JOIN input i ON i."unipileId" = c."unipileId"
     )
     INSERT INTO "Chat" AS c (id, "unipileId", "providerId", "accountId", type, name, "attendeeProviderId",
       "lastMessageAt", "unreadCount", archived, muted, "mutedUntil", "readOnly", raw, "updatedAt")
     SELECT i.id, i."unipileId", i."providerId", i."accountId", i.type::"ChatType",
       COALESCE(i.name, (SELECT a.name FROM "Attendee" a WHERE a."accountId" = i."accountId" AND a."providerId" = i."attendeeProviderId")),
       i."attendeeProviderId", (i.timestamp::timestamptz AT TIME ZONE 'UTC'), i."unreadCount", i.archived, i.muted,
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
    await publish(...rows.filter((r) => r.changed).map((r) => ({ type: "chat.updated", accountId: r.accountId, chatId: r.id }) as const));
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

/** Inserts or refreshes attendees of one account (unique per account + provider id). */
export async function upsertAttendees(accountId: string, attendees: UnipileAttendee[], provider = "UNKNOWN") {
  if (!attendees.length) return;
  await ensureAccounts([{ id: accountId, provider }]);
  const input = dedupeBy(attendees, (a) => a.provider_id).map((a) => ({
    id: newId(),
    unipileId: a.id,
    providerId: a.provider_id,
    name: a.name || null,
    pictureUrl: a.picture_url ?? null,
    profileUrl: a.profile_url ?? null,
    isSelf: a.is_self,
  }));
  await db.$executeRawUnsafe(
    `INSERT INTO "Attendee" AS a (id, "unipileId", "accountId", "providerId", name, "pictureUrl", "profileUrl", "isSelf", "updatedAt")
     SELECT x.id, x."unipileId", $2, x."providerId", x.name, x."pictureUrl", x."profileUrl", x."isSelf", ${NOW}
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, "unipileId" text, "providerId" text, name text,
       "pictureUrl" text, "profileUrl" text, "isSelf" boolean)
     ON CONFLICT ("accountId", "providerId") DO UPDATE SET
       "unipileId" = COALESCE(EXCLUDED."unipileId", a."unipileId"),
       name = COALESCE(EXCLUDED.name, a.name),
       "pictureUrl" = EXCLUDED."pictureUrl",
       "profileUrl" = COALESCE(EXCLUDED."profileUrl", a."profileUrl"),
       "isSelf" = EXCLUDED."isSelf",
       "updatedAt" = ${NOW}
     WHERE (a."unipileId", a.name, a."pictureUrl", a."profileUrl", a."isSelf")
       IS DISTINCT FROM (COALESCE(EXCLUDED."unipileId", a."unipileId"), COALESCE(EXCLUDED.name, a.name),
         EXCLUDED."pictureUrl", COALESCE(EXCLUDED."profileUrl", a."profileUrl"), EXCLUDED."isSelf")`,
    JSON.stringify(input),
    accountId,
  );
}

/** Refreshes a stored chat's attendees and makes its members exactly them (sync, after listing chats). */
export async function upsertChatAttendees(chatId: string, accountId: string, attendees: UnipileAttendee[], provider?: string) {
  await upsertAttendees(accountId, attendees, provider);
  await setChatMembers(chatId, accountId, attendees);
}

async function setChatMembers(chatId: string, accountId: string, attendees: UnipileAttendee[]) {
  const providerIds = [...new Set(attendees.map((a) => a.provider_id))];
  await db.$transaction([
    db.$executeRawUnsafe(
      `DELETE FROM "ChatMember" m USING "Attendee" a
       WHERE m."chatId" = $1 AND a.id = m."attendeeId" AND NOT (a."providerId" = ANY(SELECT jsonb_array_elements_text($2::jsonb)))`,
      chatId,
      JSON.stringify(providerIds),
    ),
    db.$executeRawUnsafe(
      `INSERT INTO "ChatMember" ("chatId", "attendeeId")
       SELECT $1, a.id FROM "Attendee" a
       WHERE a."accountId" = $3 AND a."providerId" = ANY(SELECT jsonb_array_elements_text($2::jsonb))
       ON CONFLICT DO NOTHING`,
      chatId,
      JSON.stringify(providerIds),
      accountId,
    ),
    // A 1:1 chat Unipile leaves nameless shows the other person's current name.
    db.$executeRawUnsafe(
      `UPDATE "Chat" c SET name = a.name, "updatedAt" = ${NOW}
       FROM "Attendee" a
       WHERE c.id = $1 AND (c.raw->>'name') IS NULL AND a."accountId" = c."accountId"
         AND a."providerId" = c."attendeeProviderId" AND a.name IS NOT NULL AND c.name IS DISTINCT FROM a.name`,
      chatId,
    ),
  ]);
}

function dedupeBy<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const it of items) m.set(key(it), it);
  return [...m.values()];
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

export type UpsertMessagesOptions = {
  /**
   * "each" (default): chat.updated + message.upserted per changed message (webhooks, small batches;
   * above 50 changed messages only chat.updated). "chat": one chat.updated when anything changed
   * (sync). "none": publish nothing; the caller does.
   */
  publish?: "each" | "chat" | "none";
  /** New inbound messages raise the chat's unread count (live events; default true). Sync passes false and takes Unipile's count. */
  countUnread?: boolean;
  /** Recompute the chat's preview and last activity with each batch (default true). Sync does it once per chat instead. */
  refreshSummary?: boolean;
  /** Sync's resume point for this chat, committed in the same transaction as the messages it follows. */
  syncState?: { cursor: string | null; checkpoint: unknown };
};

type BatchOptions = { countUnread: boolean; refreshSummary: boolean; syncState?: UpsertMessagesOptions["syncState"] };

export type UpsertMessagesResult = {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Own local sends matched to their Unipile echo instead of inserted again. */
  adopted: number;
  newInbound: number;
  /** Local ids of the messages inserted or changed. */
  changedIds: string[];
};

const BATCH = 250;

/**
 * Stores Unipile messages of one chat (our Chat.id), in batches of 250, each batch atomic.
 * Inserts new ones, updates changed ones (text edits keep the original and a history, deletes
 * become tombstones that keep the text, status only moves forward, reactions and attachments become
 * exactly what Unipile says), leaves unchanged ones and local-only pending sends alone, and adopts
 * a local own send for the echo of it (same chat, same text, ±10 min) instead of duplicating it.
 */
export async function upsertMessages(
  chatRef: string | { id: string; accountId: string },
  messages: UnipileMessage[],
  opts: UpsertMessagesOptions = {},
): Promise<UpsertMessagesResult> {
  const total: UpsertMessagesResult = { inserted: 0, updated: 0, unchanged: 0, adopted: 0, newInbound: 0, changedIds: [] };
  const chatId = typeof chatRef === "string" ? chatRef : chatRef.id;
  if (!messages.length) {
    if (opts.syncState) await writeSyncState(db, chatId, opts.syncState);
    return total;
  }
  const chat =
    typeof chatRef === "string" ? await db.chat.findUnique({ where: { id: chatRef }, select: { id: true, accountId: true } }) : chatRef;
  if (!chat) throw new Error(`upsertMessages: unknown chat ${chatId}`);
  const unique = dedupeBy(messages, (m) => m.id);
  const events: RealtimeEvent[] = [];
  for (let i = 0; i < unique.length; i += BATCH) {
    const last = i + BATCH >= unique.length;
    const r = await upsertBatch(chat, unique.slice(i, i + BATCH), {
      countUnread: opts.countUnread !== false,
      refreshSummary: opts.refreshSummary !== false,
      syncState: last ? opts.syncState : undefined,
    });
    total.inserted += r.inserted;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
    total.adopted += r.adopted;
    total.newInbound += r.newInbound;
    total.changedIds.push(...r.changedIds);
  }
  const mode = opts.publish ?? "each";
  if (mode !== "none" && total.changedIds.length) {
    events.push({ type: "chat.updated", accountId: chat.accountId, chatId });
    if (mode === "each" && total.changedIds.length <= 50) {
      for (const messageId of total.changedIds) events.push({ type: "message.upserted", accountId: chat.accountId, chatId, messageId });
    }
    await publish(...events);
  }
  return total;
}

type MessageRow = {
  id: string;
  unipileId: string;
  providerId: string | null;
  senderProviderId: string;
  senderAttendeeId: string | null;
  text: string | null;
  sentAt: string;
  isSender: boolean;
  status: MessageStatus;
  edited: boolean;
  deleted: boolean;
  quotedUnipileId: string | null;
  quotedProviderId: string | null;
  quotedText: string | null;
  quotedSenderId: string | null;
  isEvent: boolean;
  eventType: number | null;
  seenBy: unknown;
  raw: unknown;
};

function toRow(m: UnipileMessage): MessageRow {
  const quoted = m.quoted ?? null;
  return {
    id: newId(),
    unipileId: m.id,
    providerId: m.provider_id ?? null,
    senderProviderId: m.sender_id,
    senderAttendeeId: m.sender_attendee_id ?? null,
    text: m.text ?? null,
    sentAt: iso(m.timestamp) ?? new Date().toISOString(),
    isSender: m.is_sender,
    status: statusOf(m),
    edited: m.edited,
    deleted: m.deleted,
    quotedUnipileId: quoted?.id ?? m.reply_to?.id ?? null,
    quotedProviderId: quoted?.provider_id ?? m.reply_to?.provider_id ?? null,
    quotedText: quoted?.text ?? m.reply_to?.text ?? null,
    quotedSenderId: quoted?.sender_id ?? m.reply_to?.sender_id ?? null,
    isEvent: m.is_event,
    eventType: m.event_type ?? null,
    seenBy: m.seen_by ?? {},
    raw: m,
  };
}

function attachmentRows(m: UnipileMessage) {
  return m.attachments.map((a) => {
    const x = a as Record<string, unknown>;
    const size = x.size as { width?: number; height?: number } | undefined;
    const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : null);
    return {
      messageUnipileId: m.id,
      id: newId(),
      unipileId: a.id,
      kind: a.type,
      mimeType: a.mimetype ?? null,
      size: num(a.file_size),
      name: typeof x.file_name === "string" ? x.file_name : null,
      width: num(size?.width),
      height: num(size?.height),
      duration: num(x.duration),
      unavailable: a.unavailable,
      url: a.url ?? null,
      urlExpiresAt: typeof a.url_expires_at === "number" ? new Date(a.url_expires_at).toISOString() : null,
    };
  });
}

function reactionRows(m: UnipileMessage) {
  return dedupeBy(m.reactions, (r) => `${r.sender_id}\u0000${r.value}`).map((r) => ({
    messageUnipileId: m.id,
    id: newId(),
    senderProviderId: r.sender_id,
    value: r.value,
    isSender: r.is_sender,
  }));
}

/** Text replaced by Unipile on a message we stored from Unipile before (an adopted local send has no raw yet). */
const EDITED = `(m.raw IS NOT NULL AND NOT (EXCLUDED.deleted OR m.deleted) AND m.text IS NOT NULL AND m.text IS DISTINCT FROM EXCLUDED.text)`;

/** The raw calls a batch makes: through Prisma, or straight on a pg client of Prisma's own pool. */
type Sql = {
  $queryRawUnsafe<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...params: unknown[]): Promise<number>;
};

function pgSql(client: pg.PoolClient): Sql {
  return {
    async $queryRawUnsafe<T>(sql: string, ...params: unknown[]) {
      return (await client.query(sql, params)).rows as T;
    },
    async $executeRawUnsafe(sql: string, ...params: unknown[]) {
      return (await client.query(sql, params)).rowCount ?? 0;
    },
  };
}

/** Local own sends not yet tied to a Unipile id that an echo in this batch may adopt. */
async function adoptEchoes(tx: Sql, chatId: string, rows: MessageRow[]): Promise<number> {
  const own = rows.filter((r) => r.isSender);
  if (!own.length) return 0;
  const candidates = await tx.$queryRawUnsafe<{ id: string; text: string | null; sentAtMs: number }[]>(
    `SELECT id, text, (extract(epoch FROM "sentAt") * 1000)::float8 AS "sentAtMs" FROM "Message"
     WHERE "chatId" = $1 AND "isSender" AND "unipileId" IS NULL AND status IN ('pending', 'sent', 'failed')
     ORDER BY "sentAt"`,
    chatId,
  );
  if (!candidates.length) return 0;
  const known = new Set(
    (
      await tx.$queryRawUnsafe<{ unipileId: string }[]>(
        `SELECT "unipileId" FROM "Message" WHERE "unipileId" = ANY(SELECT jsonb_array_elements_text($1::jsonb))`,
        JSON.stringify(own.map((r) => r.unipileId)),
      )
    ).map((r) => r.unipileId),
  );
  const free = new Set(candidates.map((c) => c.id));
  let adopted = 0;
  // Oldest echo first takes the closest unclaimed local send: two identical "ok"s pair up in order.
  for (const echo of own.filter((r) => !known.has(r.unipileId)).sort((a, b) => a.sentAt.localeCompare(b.sentAt))) {
    const at = Date.parse(echo.sentAt);
    const norm = (echo.text ?? "").trim();
    let best: { id: string; d: number } | null = null;
    for (const c of candidates) {
      if (!free.has(c.id) || (c.text ?? "").trim() !== norm) continue;
      const d = Math.abs(Number(c.sentAtMs) - at);
      if (d <= ECHO_WINDOW_MS && (!best || d < best.d)) best = { id: c.id, d };
    }
    if (!best) continue;
    // "unipileId IS NULL" again: a concurrent send confirmation may have tied it meanwhile.
    const n = await tx.$executeRawUnsafe(
      `UPDATE "Message" SET "unipileId" = $2,
         status = CASE WHEN status IN ('pending', 'failed') THEN 'sent'::"MessageStatus" ELSE status END,
         "statusError" = NULL, "updatedAt" = ${NOW}
       WHERE id = $1 AND "unipileId" IS NULL`,
      best.id,
      echo.unipileId,
    );
    free.delete(best.id);
    if (n > 0) adopted++;
  }
  return adopted;
}

/**
 * One short transaction per batch, on a pg client of Prisma's own pool (no extra connection; on the
 * embedded database the one connection is queued for). Prisma forwards a batch's ~0.5 MB of JSON
 * parameters several times slower than pg does, and sync writes hundreds of batches.
 */
async function upsertBatch(
  chat: { id: string; accountId: string },
  messages: UnipileMessage[],
  opts: BatchOptions,
): Promise<UpsertMessagesResult> {
  const client = await dbPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const sql = pgSql(client);
    const result = await writeBatch(sql, chat, messages, opts);
    if (opts.syncState) await writeSyncState(sql, chat.id, opts.syncState);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

async function writeSyncState(tx: Sql, chatId: string, state: NonNullable<UpsertMessagesOptions["syncState"]>) {
  await tx.$executeRawUnsafe(
    `UPDATE "Chat" SET "syncCursor" = $2, "syncCheckpoint" = $3::jsonb WHERE id = $1`,
    chatId,
    state.cursor,
    state.checkpoint === null || state.checkpoint === undefined ? null : JSON.stringify(state.checkpoint),
  );
}

async function writeBatch(
  tx: Sql,
  chat: { id: string; accountId: string },
  messages: UnipileMessage[],
  { countUnread, refreshSummary }: BatchOptions,
): Promise<UpsertMessagesResult> {
  // Sorted so that concurrent writers (sync and webhooks) take row locks in the same order.
  const rows = messages.map(toRow).sort((a, b) => (a.unipileId < b.unipileId ? -1 : 1));
  const attachments = messages.flatMap(attachmentRows);
  const reactions = messages.flatMap(reactionRows);
  const senders = dedupeBy(rows, (r) => r.senderProviderId)
    .sort((a, b) => (a.senderProviderId < b.senderProviderId ? -1 : 1))
    .map((r) => ({
    id: newId(),
    providerId: r.senderProviderId,
    unipileId: r.senderAttendeeId,
  }));
  const reactors = dedupeBy(reactions, (r) => r.senderProviderId)
    .filter((r) => !senders.some((s) => s.providerId === r.senderProviderId))
    .map((r) => ({ id: newId(), providerId: r.senderProviderId, unipileId: null }));

  const adopted = await adoptEchoes(tx, chat.id, rows);

  // Senders (and reactors) may be people we never saw in an attendee list: keep a row for each.
  await tx.$executeRawUnsafe(
    `INSERT INTO "Attendee" (id, "unipileId", "accountId", "providerId", "updatedAt")
     SELECT x.id, x."unipileId", $2, x."providerId", ${NOW}
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, "unipileId" text, "providerId" text)
     ON CONFLICT ("accountId", "providerId") DO NOTHING`,
    JSON.stringify([...senders, ...reactors]),
    chat.accountId,
  );

  // One statement: messages, then (for the rows that were inserted or really changed) their
  // attachments and reactions made equal to Unipile's. Unchanged rows (same raw) are not touched.
  const result = await tx.$queryRawUnsafe<{ id: string; inserted: boolean; isSender: boolean; deleted: boolean; isEvent: boolean }[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, "unipileId" text, "providerId" text, "senderProviderId" text, text text, "sentAt" text,
         "isSender" boolean, status text, edited boolean, deleted boolean, "quotedUnipileId" text,
         "quotedProviderId" text, "quotedText" text, "quotedSenderId" text, "isEvent" boolean, "eventType" int,
         "seenBy" jsonb, raw jsonb)
     ),
     up AS (
       INSERT INTO "Message" AS m (id, "unipileId", "providerId", "chatId", "senderId", "senderProviderId", text,
         "sentAt", "isSender", status, edited, deleted, "deletedAt", "quotedUnipileId", "quotedProviderId",
         "quotedText", "quotedSenderId", "isEvent", "eventType", "seenBy", raw, "updatedAt")
       SELECT i.id, i."unipileId", i."providerId", $2, s.id, i."senderProviderId", i.text,
         (i."sentAt"::timestamptz AT TIME ZONE 'UTC'), i."isSender", i.status::"MessageStatus", i.edited, i.deleted,
         CASE WHEN i.deleted THEN ${NOW} END, i."quotedUnipileId", i."quotedProviderId", i."quotedText",
         i."quotedSenderId", i."isEvent", i."eventType", i."seenBy", i.raw, ${NOW}
       FROM input i LEFT JOIN "Attendee" s ON s."accountId" = $3 AND s."providerId" = i."senderProviderId"
       ON CONFLICT ("unipileId") DO UPDATE SET
         "providerId" = COALESCE(EXCLUDED."providerId", m."providerId"),
         "senderId" = COALESCE(EXCLUDED."senderId", m."senderId"),
         "senderProviderId" = EXCLUDED."senderProviderId",
         -- a tombstone keeps the text it had; an edit keeps the original and the replaced text
         text = CASE WHEN (EXCLUDED.deleted OR m.deleted) AND m.text IS NOT NULL THEN m.text ELSE EXCLUDED.text END,
         "originalText" = CASE WHEN ${EDITED}
           THEN COALESCE(m."originalText", m.text) ELSE m."originalText" END,
         "editHistory" = CASE WHEN ${EDITED}
           THEN COALESCE(m."editHistory", '[]'::jsonb) || jsonb_build_array(jsonb_build_object('text', m.text, 'replacedAt', to_jsonb(now())))
           ELSE m."editHistory" END,
         edited = m.edited OR EXCLUDED.edited OR (${EDITED}),
         deleted = m.deleted OR EXCLUDED.deleted,
         "deletedAt" = COALESCE(m."deletedAt", EXCLUDED."deletedAt"),
         "sentAt" = EXCLUDED."sentAt",
         "isSender" = EXCLUDED."isSender",
         -- forward only; failed stays failed until a retry
         status = CASE WHEN m.status = 'failed' OR ${RANK_SQL("m.status")} >= ${RANK_SQL("EXCLUDED.status")} THEN m.status ELSE EXCLUDED.status END,
         "quotedUnipileId" = EXCLUDED."quotedUnipileId",
         "quotedProviderId" = EXCLUDED."quotedProviderId",
         "quotedText" = EXCLUDED."quotedText",
         "quotedSenderId" = EXCLUDED."quotedSenderId",
         "isEvent" = EXCLUDED."isEvent",
         "eventType" = EXCLUDED."eventType",
         "seenBy" = EXCLUDED."seenBy",
         raw = EXCLUDED.raw,
         "updatedAt" = ${NOW}
       WHERE m.raw IS DISTINCT FROM EXCLUDED.raw AND m."chatId" = EXCLUDED."chatId"
       RETURNING m.id, m."unipileId", (xmax = 0) AS inserted, m."isSender", m.deleted, m."isEvent"
     ),
     att AS (
       SELECT x.*, up.id AS "messageId" FROM jsonb_to_recordset($4::jsonb) AS x(
         "messageUnipileId" text, id text, "unipileId" text, kind text, "mimeType" text, size int, name text,
         width int, height int, duration int, unavailable boolean, url text, "urlExpiresAt" text)
       JOIN up ON up."unipileId" = x."messageUnipileId"
     ),
     att_del AS (
       DELETE FROM "Attachment" t USING up
       -- a tombstone keeps the attachments it had (Unipile empties them on delete)
       WHERE t."messageId" = up.id AND NOT up.deleted
         AND NOT EXISTS (SELECT 1 FROM att WHERE att."messageId" = t."messageId" AND att."unipileId" = t."unipileId")
     ),
     att_up AS (
       INSERT INTO "Attachment" AS t (id, "messageId", "unipileId", kind, "mimeType", size, name, width, height, duration,
         unavailable, url, "urlExpiresAt")
       SELECT id, "messageId", "unipileId", kind, "mimeType", size, name, width, height, duration, unavailable, url,
         ("urlExpiresAt"::timestamptz AT TIME ZONE 'UTC') FROM att
       ON CONFLICT ("messageId", "unipileId") DO UPDATE SET kind = EXCLUDED.kind, "mimeType" = EXCLUDED."mimeType",
         size = EXCLUDED.size, name = EXCLUDED.name, width = EXCLUDED.width, height = EXCLUDED.height,
         duration = EXCLUDED.duration, unavailable = EXCLUDED.unavailable, url = EXCLUDED.url,
         "urlExpiresAt" = EXCLUDED."urlExpiresAt"
     ),
     rx AS (
       SELECT x.*, up.id AS "messageId" FROM jsonb_to_recordset($5::jsonb) AS x(
         "messageUnipileId" text, id text, "senderProviderId" text, value text, "isSender" boolean)
       JOIN up ON up."unipileId" = x."messageUnipileId"
     ),
     rx_del AS (
       DELETE FROM "Reaction" r USING up
       WHERE r."messageId" = up.id AND NOT EXISTS (SELECT 1 FROM rx WHERE rx."messageId" = r."messageId"
         AND rx."senderProviderId" = r."senderProviderId" AND rx.value = r.value)
     ),
     rx_up AS (
       INSERT INTO "Reaction" AS r (id, "messageId", "senderId", "senderProviderId", value, "isSender")
       SELECT rx.id, rx."messageId", a.id, rx."senderProviderId", rx.value, rx."isSender"
       FROM rx LEFT JOIN "Attendee" a ON a."accountId" = $3 AND a."providerId" = rx."senderProviderId"
       ON CONFLICT ("messageId", "senderProviderId", value) DO UPDATE SET "isSender" = EXCLUDED."isSender", "senderId" = EXCLUDED."senderId"
     )
     SELECT id, inserted, "isSender", deleted, "isEvent" FROM up`,
    JSON.stringify(rows),
    chat.id,
    chat.accountId,
    JSON.stringify(attachments),
    JSON.stringify(reactions),
  );

  const newInbound = result.filter((r) => r.inserted && !r.isSender && !r.deleted && !r.isEvent).length;
  if (result.length && (refreshSummary || (countUnread && newInbound > 0))) {
    await refreshChatSummary(chat.id, countUnread ? newInbound : 0, tx);
  }
  const inserted = result.filter((r) => r.inserted).length;
  return {
    inserted,
    updated: result.length - inserted,
    unchanged: rows.length - result.length,
    adopted,
    newInbound,
    changedIds: result.map((r) => r.id),
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
