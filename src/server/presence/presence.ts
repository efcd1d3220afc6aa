// Who has a chat open and who is typing in it. Ephemeral on purpose: signals are never stored in
// "RealtimeEvent" (catch-up must not replay "Ana is replying…" from an hour ago). On a real PostgreSQL
// they cross instances through pg_notify on their own channel; on the embedded PGlite (one process)
// an in-process emitter carries them. Browsers send a "viewing" heartbeat and expire what they hear.
import { EventEmitter, on } from "node:events";
import pg from "pg";
import { db } from "../db.ts";
import { env } from "../env.ts";

export const PRESENCE_CHANNEL = "parley_presence";
export const PRESENCE_STATES = ["viewing", "replying", "note", "left"] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];
export type PresenceSignal = { chatId: string; userId: string; name: string; state: PresenceState; at: number };

/** One signal per user, chat and state per 2 s: typing fires on every key press. */
const THROTTLE_MS = 2_000;

const g = globalThis as { __parleyPresence?: EventEmitter; __parleyPresenceListen?: Promise<void>; __parleyPresenceSent?: Map<string, number> };
g.__parleyPresence ??= new EventEmitter().setMaxListeners(0);
g.__parleyPresenceSent ??= new Map();
const localBus = g.__parleyPresence;
const lastSent = g.__parleyPresenceSent;

function usesNotify() {
  return !env.PARLEY_EMBEDDED_DB;
}

/** True when the signal went out; false when it was throttled. "left" is never throttled. */
export async function signalPresence(s: Omit<PresenceSignal, "at">): Promise<boolean> {
  const key = `${s.userId}:${s.chatId}:${s.state}`;
  const now = Date.now();
  if (s.state !== "left" && now - (lastSent.get(key) ?? 0) < THROTTLE_MS) return false;
  lastSent.set(key, now);
  if (lastSent.size > 10_000) for (const [k, t] of lastSent) if (now - t > THROTTLE_MS) lastSent.delete(k);
  const signal: PresenceSignal = { ...s, at: now };
  if (usesNotify()) await db.$executeRaw`SELECT pg_notify(${PRESENCE_CHANNEL}, ${JSON.stringify(signal)})`;
  else localBus.emit("signal", signal);
  return true;
}

/** This process's LISTEN connection for presence, started once; reconnects when it drops. */
function ensureListening(): Promise<void> {
  if (g.__parleyPresenceListen) return g.__parleyPresenceListen;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: env.DATABASE_URL, application_name: "parley-presence-listen" });
    c.on("notification", (msg) => {
      if (msg.channel !== PRESENCE_CHANNEL || !msg.payload) return;
      try {
        localBus.emit("signal", JSON.parse(msg.payload) as PresenceSignal);
      } catch {
        // Not ours: ignore.
      }
    });
    c.on("error", () => {});
    c.on("end", () => setTimeout(() => void connect().catch(() => (g.__parleyPresenceListen = undefined)), 1_000).unref());
    await c.connect();
    await c.query(`LISTEN ${PRESENCE_CHANNEL}`);
  };
  const ready = connect();
  ready.catch(() => (g.__parleyPresenceListen = undefined));
  g.__parleyPresenceListen = ready;
  return ready;
}

/** Live signals for one chat (access checked by the caller). */
export async function presenceSignals(chatId: string, signal?: AbortSignal) {
  if (usesNotify()) await ensureListening();
  const live = on(localBus, "signal", { signal }) as AsyncIterableIterator<[PresenceSignal]>;
  return (async function* () {
    try {
      for await (const [s] of live) if (s.chatId === chatId) yield s;
    } catch (err) {
      if ((err as Error).name !== "AbortError") throw err;
    }
  })();
}
