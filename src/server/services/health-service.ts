// GET /api/health: is our database reachable, and is Unipile (when configured)?
import { db } from "../db.ts";
import { unipileConfig } from "../env.ts";
import { createUnipileClient } from "../unipile/client.ts";

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

function unipileProbe() {
  const { dsn, apiKey } = unipileConfig();
  if (!dsn || !apiKey) return null;
  // A probe of its own: one quick try, no retries, so health answers fast when Unipile is down.
  return createUnipileClient({ dsn, apiKey, timeoutMs: 3000, maxRetries: 0 });
}

export async function checkHealth() {
  const probe = unipileProbe();
  const [database, unipile] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`),
    probe ? timed(() => probe.listAccounts({ limit: 1 })) : Promise.resolve(null),
  ]);
  return {
    ok: database.ok && (unipile?.ok ?? true),
    database,
    unipile: unipile ? { configured: true, ...unipile } : { configured: false },
  };
}
