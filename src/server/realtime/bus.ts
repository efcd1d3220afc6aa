// The typed realtime bus. Services call `publish` AFTER their transaction commits; tRPC
// subscriptions `subscribe` with the user's visible accounts and an optional lastEventId to catch up.
// Events are stored in "RealtimeEvent" (their id is the SSE event id) and fanned out in-process;
// across app instances on a real server through PostgreSQL LISTEN/NOTIFY (see fanout below).
import { EventEmitter, on } from "node:events";
import { db } from "../db.ts";

export type RealtimeEvent =
  /** A chat's list row changed (new message, unread count, name, sync health…). */
  | { type: "chat.updated"; accountId: string; chatId: string }
  /** A message was created or changed (text, status, reactions, attachments, edit/delete). */
  | { type: "message.upserted"; accountId: string; chatId: string; messageId: string }
  /** Account health changed. */
  | { type: "account.updated"; accountId: string }
  /** Sync run progress (admins only). */
  | { type: "sync.progress"; runId: string; accountId?: null; chatId?: null };

export type StoredEvent = { id: string; event: RealtimeEvent };

const g = globalThis as { __parleyBus?: EventEmitter };
const local = (g.__parleyBus ??= new EventEmitter().setMaxListeners(0));

/** Stores then broadcasts. Call after commit, never inside a transaction. */
export async function publish(...events: RealtimeEvent[]): Promise<void> {
  for (const event of events) {
    const row = await db.realtimeEvent.create({
      data: {
        topic: event.type,
        accountId: "accountId" in event ? (event.accountId ?? null) : null,
        chatId: "chatId" in event ? (event.chatId ?? null) : null,
        payload: event,
      },
      select: { id: true },
    });
    local.emit("event", { id: row.id.toString(), event } satisfies StoredEvent);
  }
}

export type Filter = (event: RealtimeEvent) => boolean;

/** Listen first, then catch up from lastEventId, then stream live events; duplicates are skipped by id. */
export async function* subscribe(filter: Filter, opts: { lastEventId?: string | null; signal?: AbortSignal } = {}) {
  const live = on(local, "event", { signal: opts.signal }) as AsyncIterableIterator<[StoredEvent]>;
  let lastId = 0n;
  if (opts.lastEventId && /^\d+$/.test(opts.lastEventId)) {
    lastId = BigInt(opts.lastEventId);
    const missed = await db.realtimeEvent.findMany({ where: { id: { gt: lastId } }, orderBy: { id: "asc" }, take: 1000 });
    for (const row of missed) {
      lastId = row.id;
      const event = row.payload as RealtimeEvent;
      if (filter(event)) yield { id: row.id.toString(), event } satisfies StoredEvent;
    }
  }
  try {
    for await (const [stored] of live) {
      const id = BigInt(stored.id);
      if (id <= lastId) continue;
      lastId = id;
      if (filter(stored.event)) yield stored;
    }
  } catch (err) {
    if ((err as Error).name !== "AbortError") throw err;
  }
}
