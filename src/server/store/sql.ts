// The small SQL toolkit the store's raw statements share: ids for raw inserts, UTC times, and one
// interface over Prisma and a pg client of Prisma's own pool.
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { dbPool } from "../db.ts";

let counter = 0;
/** cuid-like ids for rows inserted with raw SQL (Prisma's @default(cuid()) only applies to its own inserts). */
export function newId(): string {
  counter = (counter + 1) % 1_679_616;
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
}

/** ISO string → ISO string in UTC with ms, or null when missing/unreadable. */
export function iso(v: string | null | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export const NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * `= ${IN_JSON(n)}`: equal to one of the strings of the JSON array parameter $n. An array (one
 * evaluation, then an index condition), never `= ANY(SELECT …)`: that is a semi-join the planner cannot
 * use an index for when it is OR-ed with another condition, so it scanned every attendee of an account
 * on each WhatsApp message.
 */
export const IN_JSON = (n: number) => `ANY(ARRAY(SELECT jsonb_array_elements_text($${n}::jsonb)))`;

/** A named statement's name: each connection parses and plans a text once. It follows the text, so one name never meets two texts. */
export const statementName = (text: string) => `parley-${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;

/** The raw calls a batch makes: through Prisma, or straight on a pg client of Prisma's own pool. */
export type Sql = {
  $queryRawUnsafe<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...params: unknown[]): Promise<number>;
};

export function pgSql(client: pg.PoolClient): Sql {
  return {
    async $queryRawUnsafe<T>(sql: string, ...params: unknown[]) {
      return (await client.query({ name: statementName(sql), text: sql, values: params })).rows as T;
    },
    async $executeRawUnsafe(sql: string, ...params: unknown[]) {
      return (await client.query({ name: statementName(sql), text: sql, values: params })).rowCount ?? 0;
    },
  };
}

/**
 * One statement on the primary straight through pg, named (statementName): the webhook path's reads
 * and writes, each of which Prisma's query engine would otherwise cost a few tenths of a millisecond
 * of the event loop that also answers Unipile. Timestamps go in as ISO text (`$n::timestamptz AT TIME
 * ZONE 'UTC'`) and come out `AT TIME ZONE 'UTC'`: the columns hold UTC without a zone.
 */
export async function pgQuery<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  return (await dbPool().query<R>({ name: statementName(text), text, values })).rows;
}

/**
 * A short transaction on a pg client of Prisma's own pool (no extra connection; on the embedded
 * database the one connection is queued for, so `work` must use `tx` only, never `db`). `lock`: a
 * transaction-scoped advisory lock (two-key form) taken with BEGIN in the same round trip, so the
 * transactions naming the same lock run one at a time.
 */
export async function pgTransaction<T>(work: (tx: Sql) => Promise<T>, opts: { lock?: [number, string] } = {}): Promise<T> {
  const client = await dbPool().connect();
  let broken: Error | undefined;
  try {
    await client.query(opts.lock ? `BEGIN; ${advisoryXactLock(...opts.lock)}` : "BEGIN");
    const result = await work(pgSql(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * The statement taking a transaction-scoped advisory lock (two-key form) on `name` within `space`.
 * Integers only in its text, so it can share a simple query (which takes no parameters) with BEGIN:
 * the name is hashed here (FNV-1a, as a signed 32-bit integer).
 */
export function advisoryXactLock(space: number, name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return `SELECT pg_advisory_xact_lock(${space | 0}, ${h | 0})`;
}

export function dedupeBy<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const it of items) m.set(key(it), it);
  return [...m.values()];
}
