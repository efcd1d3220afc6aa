// GET /api/health. Anyone gets liveness: the process answers, with no database or Unipile call and
// nothing about the network behind it. Admins get details: the database, and whether Unipile is
// reachable, cached briefly so a page refresh (or a script hammering it) costs no Unipile requests.
import { db } from "../db.ts";
import { unipileConfig } from "../env.ts";
import { createUnipileClient } from "../unipile/client.ts";

type Check = { ok: boolean; latencyMs: number; error?: string };

const UNIPILE_HEALTH_TTL_MS = 30_000;

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const start = performance.now();
  try {
    await fn();
    return { ok: true, latencyMs: Math.round(performance.now() - start) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - start), error: err instanceof Error ? err.message : String(err) };
  }
}

export function liveness() {
  return { ok: true, status: "live" as const };
}

let unipileCache: { key: string; at: number; check: Promise<Check & { checkedAt: string }> } | null = null;

function unipileCheck(now = Date.now()) {
  const { dsn, apiKey } = unipileConfig();
  if (!dsn || !apiKey) return null;
  const key = `${dsn}\n${apiKey}`;
  if (unipileCache && unipileCache.key === key && now - unipileCache.at < UNIPILE_HEALTH_TTL_MS) return unipileCache.check;
  // A probe of its own: one quick try, no retries, so health answers fast when Unipile is down.
  const probe = createUnipileClient({ dsn, apiKey, timeoutMs: 3000, maxRetries: 0 });
  const check = timed(() => probe.listAccounts({ limit: 1 })).then((c) => ({ ...c, checkedAt: new Date(now).toISOString() }));
  unipileCache = { key, at: now, check };
  return check;
}

/** For admins only: the answer names internal hosts when something is down. */
export async function checkHealth() {
  const [database, unipile] = await Promise.all([timed(() => db.$queryRaw`SELECT 1`), unipileCheck()]);
  return {
    ok: database.ok && (unipile?.ok ?? true),
    database,
    unipile: unipile ? { configured: true, ...unipile } : { configured: false },
  };
}

export function resetHealthCacheForTests() {
  unipileCache = null;
}
