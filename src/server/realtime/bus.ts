// The typed realtime bus. Services call `publish` AFTER their transaction commits; tRPC
// subscriptions `subscribe` with the user's visible accounts and an optional lastEventId to catch up.
// Events are stored in "RealtimeEvent" (their id is the SSE event id) and fanned out by one of two
// transports chosen by configuration: in-process only on the embedded PGlite (one app process, and
// NOTIFY does not cross its connections), PostgreSQL LISTEN/NOTIFY on a real server so an event
// published by one app instance reaches browsers connected to every other (see fanout.ts).
import { EventEmitter, on } from "node:events";
import { db } from "../db.ts";
import { replicaConfigured } from "../db-read.ts";
import { env } from "../env.ts";
import { pgQuery } from "../store/sql.ts";
import { ensureListening, NOTIFY_CHANNEL } from "./fanout.ts";

export type RealtimeEvent =
  /** A chat's list row changed (new message, unread count, name, sync health…). */
  | { type: "chat.updated"; accountId: string; chatId: string }
  /** A message was created or changed (text, status, reactions, attachments, edit/delete). */
  | { type: "message.upserted"; accountId: string; chatId: string; messageId: string }
  /** An internal note was written, edited or deleted (notes-service). */
  | { type: "note.upserted"; accountId: string; chatId: string; noteId: string }
  /**
   * `userId` was @mentioned in a note: the hook for anything that notifies people (the mentions badge,
   * desktop notifications). Sent to everyone who may see the account, like every event; ids only.
   */
  | { type: "note.mentioned"; accountId: string; chatId: string; noteId: string; userId: string }
  /** Account health changed. */
  | { type: "account.updated"; accountId: string }
  /** Sync run progress (admins only). */
  | { type: "sync.progress"; runId: string; accountId?: null; chatId?: null };

/**
 * `lsn`: with a read replica, the primary's WAL position once the write this event announces had
 * committed; a stream hands it to db-read.ts so the refetch the event triggers sees that write.
 * It never reaches the browser (the routers send `event` only).
 */
export type StoredEvent = { id: string; event: RealtimeEvent; lsn?: string };

/** A stored row's payload → the event and its WAL stamp, apart. */
function fromStored(id: string, payload: unknown): StoredEvent {
  const { lsn, ...event } = payload as RealtimeEvent & { lsn?: string };
  return typeof lsn === "string" ? { id, event: event as RealtimeEvent, lsn } : { id, event: event as RealtimeEvent };
}

const g = globalThis as { __parleyBus?: EventEmitter };
g.__parleyBus ??= new EventEmitter().setMaxListeners(0);
/** This process's subscribers listen here; both transports end by emitting on it. */
const localBus: EventEmitter = g.__parleyBus;

/** True when events must cross processes through LISTEN/NOTIFY (a real PostgreSQL server). */
function usesNotify(): boolean {
  return !env.PARLEY_EMBEDDED_DB;
}

/**
 * Stores then broadcasts, in one statement per call. Call after commit, never inside a transaction.
 * On a real server the same statement NOTIFYs the new ids, so the broadcast commits with the rows and
 * every instance's listener (this one's too) emits them; in embedded mode they are emitted here.
 */
export async function publish(...events: RealtimeEvent[]): Promise<void> {
  if (events.length === 0) return;
  const json = JSON.stringify(events);
  if (usesNotify()) {
    // Publish runs after the write's commit, so the position read here is at or past that commit.
    const payload = replicaConfigured() ? `e || jsonb_build_object('lsn', pg_current_wal_lsn()::text)` : `e`;
    await pgQuery(
      `WITH r AS (
         INSERT INTO "RealtimeEvent" ("topic", "accountId", "chatId", "payload")
         SELECT e->>'type', e->>'accountId', e->>'chatId', ${payload}
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n
         RETURNING "id"
       )
       SELECT pg_notify($2, string_agg("id"::text, ',' ORDER BY "id")) FROM r`,
      [json, NOTIFY_CHANNEL],
    );
    return;
  }
  const rows = await pgQuery<{ id: string; payload: RealtimeEvent }>(
    `INSERT INTO "RealtimeEvent" ("topic", "accountId", "chatId", "payload")
     SELECT e->>'type', e->>'accountId', e->>'chatId', e
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n
     RETURNING "id"::text AS "id", "payload"`,
    [json],
  );
  rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const r of rows) localBus.emit("event", { id: r.id, event: r.payload } satisfies StoredEvent);
}

/** chat.updated for each of these chats (after commit, as publish). */
export function publishChatsUpdated(chats: { id: string; accountId: string }[]): Promise<void> {
  return publish(...chats.map((c) => ({ type: "chat.updated" as const, accountId: c.accountId, chatId: c.id })));
}

type Filter = (event: RealtimeEvent) => boolean;

const CATCH_UP_PAGE = 500;
const SEEN_LIMIT = 5_000;

/**
 * Listen first, then catch up from lastEventId, then stream live events. Resolves once this process
 * is listening (on a real server: LISTEN is active), so nothing published after it resolves is missed.
 * Ids that were already yielded are skipped; an id lower than one already seen is still delivered (on
 * a real server two instances' commits can land out of id order), since a repeated invalidation costs
 * nothing and a lost one would leave a browser stale.
 */
export async function subscribe(filter: Filter, opts: { lastEventId?: string | null; signal?: AbortSignal } = {}) {
  if (usesNotify()) await ensureListening((stored) => localBus.emit("event", fromStored(stored.id, stored.event)));
  const live = on(localBus, "event", { signal: opts.signal }) as AsyncIterableIterator<[StoredEvent]>;
  return stream(live, filter, opts.lastEventId);
}

async function* stream(live: AsyncIterableIterator<[StoredEvent]>, filter: Filter, lastEventId?: string | null) {
  const seen = new Set<string>();
  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);
  };
  try {
    if (lastEventId && /^\d+$/.test(lastEventId)) {
      let after = BigInt(lastEventId);
      for (;;) {
        const missed = await db.realtimeEvent.findMany({
          where: { id: { gt: after } },
          orderBy: { id: "asc" },
          take: CATCH_UP_PAGE,
          select: { id: true, payload: true },
        });
        for (const row of missed) {
          after = row.id;
          const id = row.id.toString();
          remember(id);
          const stored = fromStored(id, row.payload);
          if (filter(stored.event)) yield stored;
        }
        if (missed.length < CATCH_UP_PAGE) break;
      }
    }
    for await (const [stored] of live) {
      if (seen.has(stored.id)) continue;
      remember(stored.id);
      if (filter(stored.event)) yield stored;
    }
  } catch (err) {
    if ((err as Error).name !== "AbortError") throw err;
  } finally {
    await live.return?.();
  }
}

/** Realtime rows only serve reconnect catch-up: keep a day of them. */
export async function pruneRealtimeEvents(olderThanMs = 24 * 60 * 60 * 1000): Promise<number> {
  const { count } = await db.realtimeEvent.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - olderThanMs) } } });
  return count;
}
