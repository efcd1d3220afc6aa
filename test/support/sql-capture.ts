// Integration tests: the SQL statements a piece of code sends through the pg driver under Prisma
// (each one a round trip), with their parameters, to count them or EXPLAIN them.
import pg from "pg";

export type Statement = { text: string; values: unknown[] };

export async function statementsOf(fn: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === "string" ? first : first?.text;
    const values = typeof first === "string" ? (Array.isArray(args[1]) ? args[1] : []) : (first?.values ?? []);
    if (text) seen.push({ text, values });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}
