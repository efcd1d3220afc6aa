// Cross-instance fan-out on a real PostgreSQL: one dedicated LISTEN connection per process. publish()
// NOTIFYs the new RealtimeEvent ids in the statement that stores them; the listener reads those rows
// and hands them to the in-process bus. After a dropped connection it reconnects and replays the ids
// it missed, so a subscriber's live stream has no hole. Never used on the embedded PGlite.
import pg from "pg";
import { env } from "../env.ts";
import { log } from "../log.ts";

export const NOTIFY_CHANNEL = "parley_realtime";

type Stored = { id: string; event: never };
type Emit = (stored: { id: string; event: unknown }) => void;

type Listener = { ready: Promise<void>; stop(): Promise<void> };
const g = globalThis as { __parleyListener?: Listener };

/** Starts this process's listener once; resolves when LISTEN is active. */
export function ensureListening(emit: Emit): Promise<void> {
  if (!g.__parleyListener) {
    const listener = startListener(emit);
    g.__parleyListener = listener;
    listener.ready.catch(() => {
      // First connection failed: forget it so the next subscriber tries again.
      if (g.__parleyListener === listener) g.__parleyListener = undefined;
      void listener.stop();
    });
  }
  return g.__parleyListener.ready;
}

/** Tests and shutdown. */
export async function stopListening(): Promise<void> {
  const l = g.__parleyListener;
  g.__parleyListener = undefined;
  await l?.stop();
}

function startListener(emit: Emit): Listener {
  let client: pg.Client | null = null;
  let stopped = false;
  let maxSeen: bigint | null = null;
  let retryDelay = 500;
  let chain = Promise.resolve();

  const deliver = async (c: pg.Client, ids: string[]) => {
    const { rows } = await c.query<{ id: string; payload: unknown }>(
      `SELECT "id"::text AS "id", "payload" FROM "RealtimeEvent" WHERE "id" = ANY($1::bigint[]) ORDER BY "id"`,
      [ids],
    );
    for (const row of rows) {
      const id = BigInt(row.id);
      if (maxSeen === null || id > maxSeen) maxSeen = id;
      emit({ id: row.id, event: row.payload } as Stored);
    }
  };

  /** After a reconnect: everything committed since the last id we delivered. */
  const replayMissed = async (c: pg.Client) => {
    if (maxSeen === null) return;
    for (;;) {
      const { rows } = await c.query<{ id: string }>(
        `SELECT "id"::text AS "id" FROM "RealtimeEvent" WHERE "id" > $1 ORDER BY "id" LIMIT 500`,
        [maxSeen.toString()],
      );
      if (rows.length === 0) return;
      await deliver(c, rows.map((r) => r.id));
      if (rows.length < 500) return;
    }
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: env.DATABASE_URL, application_name: "parley-realtime-listen" });
    c.on("notification", (msg) => {
      if (msg.channel !== NOTIFY_CHANNEL || !msg.payload) return;
      const ids = msg.payload.split(",").filter((s) => /^\d+$/.test(s));
      // Serialised so events are emitted in notification (= commit) order.
      chain = chain.then(() => deliver(c, ids)).catch((err) => log.error("realtime listener:", err));
    });
    c.on("error", (err) => {
      if (!stopped) log.error("realtime listener connection lost:", err.message);
    });
    c.on("end", () => {
      if (stopped || client !== c) return;
      client = null;
      setTimeout(() => void reconnect(), retryDelay).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
    client = c;
    retryDelay = 500;
    chain = chain.then(() => replayMissed(c)).catch((err) => log.error("realtime replay:", err));
  };

  const reconnect = async () => {
    if (stopped) return;
    try {
      await connect();
    } catch (err) {
      retryDelay = Math.min(retryDelay * 2, 10_000);
      log.error(`realtime listener reconnect failed (${(err as Error).message}); retrying in ${retryDelay} ms`);
      setTimeout(() => void reconnect(), retryDelay).unref();
    }
  };

  return {
    ready: connect(),
    async stop() {
      stopped = true;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
