import { db } from "../db.ts";

type Check = { ok: boolean; latencyMs: number; error?: string };

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const start = performance.now();
  try {
    await fn();
    return { ok: true, latencyMs: Math.round(performance.now() - start) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - start), error: err instanceof Error ? err.message : String(err) };
  }
}

export async function checkHealth() {
  const [database] = await Promise.all([timed(() => db.$queryRaw`SELECT 1`)]);
  return { ok: database.ok, database };
}
