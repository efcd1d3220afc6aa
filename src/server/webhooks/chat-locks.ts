// One chat's webhook events are applied one at a time across every app instance sharing a real
// PostgreSQL: a session advisory lock per chat, taken on one dedicated connection per process (the
// pool's connections stay free for the work itself). On the embedded PGlite there is one process,
// and the in-process queue in apply.ts is enough.
import pg from "pg";
import { env } from "../env.ts";
import { log } from "../log.ts";

export type ChatLocks = {
  /** Waits until no other instance holds `chatKey`, runs `fn`, releases. */
  run<T>(chatKey: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

const lockId = (chatKey: string) => `parley-chat:${chatKey}`;

export function createChatLocks(connectionString: string): ChatLocks {
  let client: Promise<pg.Client> | null = null;
  // One query at a time on the lock connection: runs of different chats try and release locks
  // concurrently, and a pg.Client given a query while one is in flight is deprecated (pg 9 throws).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  const connection = () => {
    if (client) return client;
    const current: Promise<pg.Client> = (async () => {
      const c = new pg.Client({ connectionString, application_name: "parley-chat-locks" });
      // A dropped connection releases its locks in PostgreSQL: the next run connects again.
      const forget = () => {
        if (client === current) client = null;
      };
      c.on("error", forget);
      c.on("end", forget);
      await c.connect();
      return c;
    })();
    client = current;
    current.catch(() => {
      if (client === current) client = null;
    });
    return current;
  };

  return {
    async run(chatKey, fn) {
      let held: pg.Client | null = null;
      try {
        for (let delay = 5; !held; delay = Math.min(delay * 2, 250)) {
          const c = await connection();
          const { rows } = await serial(() =>
            c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [lockId(chatKey)]),
          );
          if (rows[0]?.ok) held = c;
          else await new Promise((r) => setTimeout(r, delay));
        }
      } catch (err) {
        // No lock connection: apply anyway (handlers are idempotent), only the ordering guarantee is off.
        log.error(`chat lock ${chatKey}: ${(err as Error).message}; applying without it`);
      }
      try {
        return await fn();
      } finally {
        const c = held;
        if (c)
          await serial(() => c.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [lockId(chatKey)])).catch(() => {});
      }
    },
    async close() {
      const c = client;
      client = null;
      await (await c?.catch(() => null))?.end().catch(() => {});
    },
  };
}

const g = globalThis as { __parleyChatLocks?: ChatLocks };

/** This process's locks on a real server; null on the embedded database. */
export function chatLocks(): ChatLocks | null {
  if (env.PARLEY_EMBEDDED_DB) return null;
  g.__parleyChatLocks ??= createChatLocks(env.DATABASE_URL);
  return g.__parleyChatLocks;
}

/** Tests and shutdown. */
export async function closeChatLocks(): Promise<void> {
  const l = g.__parleyChatLocks;
  g.__parleyChatLocks = undefined;
  await l?.close();
}
