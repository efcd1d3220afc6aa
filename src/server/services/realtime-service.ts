// What each realtime stream carries: only events of accounts the user may see, re-checking grants
// while the stream is open (a revoked grant ends what it carries). Streams listen first, then catch
// up from lastEventId (see realtime/bus.ts).
import type { CheckedChat, SessionUser } from "../access.ts";
import { visibleAccountIds } from "../access.ts";
import { type RealtimeEvent, subscribe } from "../realtime/bus.ts";
import { noteEventSeen } from "../db-read.ts";

/** How long a stream trusts the grants it read: they can change while it is open. */
const GRANTS_TTL_MS = 5_000;

/** "May this user see this account?", reading the grants at most every GRANTS_TTL_MS. */
function accountGate(user: SessionUser, now = () => Date.now()) {
  let ids: Promise<string[] | "all"> | null = null;
  let readAt = 0;
  return async (accountId: string) => {
    if (!ids || now() - readAt > GRANTS_TTL_MS) {
      readAt = now();
      ids = visibleAccountIds(user);
    }
    const visible = await ids;
    return visible === "all" || visible.includes(accountId);
  };
}

type StreamOptions = { lastEventId?: string | null; signal?: AbortSignal };

const LIST_TYPES = new Set<RealtimeEvent["type"]>(["chat.updated", "message.upserted", "account.updated", "note.upserted", "note.mentioned"]);

/** The inbox's chat list: chat rows, new or changed messages and account health. */
export async function* chatListEvents(user: SessionUser, o: StreamOptions) {
  const maySee = accountGate(user);
  const stream = await subscribe((e) => LIST_TYPES.has(e.type), o);
  for await (const item of stream) {
    if ("accountId" in item.event && item.event.accountId && (await maySee(item.event.accountId))) {
      // The refetch this event triggers must see its write, even before a replica has it.
      noteEventSeen(user.id, item.lsn);
      yield item;
    }
  }
}

/** One open chat (grant checked by the caller): its messages (new, edited, status, reactions) and its row. */
export async function* chatEvents(user: SessionUser, chat: CheckedChat, o: StreamOptions) {
  const maySee = accountGate(user);
  const stream = await subscribe((e) => "chatId" in e && e.chatId === chat.id, o);
  for await (const item of stream) {
    if (await maySee(chat.accountId)) {
      noteEventSeen(user.id, item.lsn);
      yield item;
    }
  }
}

/** Sync progress (admins only, checked by the caller). */
export async function* syncEvents(o: StreamOptions) {
  yield* await subscribe((e) => e.type === "sync.progress", o);
}
