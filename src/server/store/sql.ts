// The small SQL toolkit the store's raw statements share: ids for raw inserts, UTC times, and one
// interface over Prisma and a pg client of Prisma's own pool.
import { randomBytes } from "node:crypto";
import type pg from "pg";

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

/** The raw calls a batch makes: through Prisma, or straight on a pg client of Prisma's own pool. */
export type Sql = {
  $queryRawUnsafe<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...params: unknown[]): Promise<number>;
};

export function pgSql(client: pg.PoolClient): Sql {
  return {
    async $queryRawUnsafe<T>(sql: string, ...params: unknown[]) {
      return (await client.query(sql, params)).rows as T;
    },
    async $executeRawUnsafe(sql: string, ...params: unknown[]) {
      return (await client.query(sql, params)).rowCount ?? 0;
    },
  };
}


export function dedupeBy<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const it of items) m.set(key(it), it);
  return [...m.values()];
}
