// Which database a signed-in user's reads (chat list, thread, search) go to: the streaming replica
// (DATABASE_REPLICA_URL) when it is up, close behind, and has replayed everything this user must see;
// else the primary. Writes, access checks, the webhook log and realtime always use the primary (`db`).
//
// - Read-your-writes: after a user's mutation or server action we remember the primary's WAL position
//   (pg_current_wal_lsn) for that user; their reads go to the primary until the replica has replayed
//   past it (pg_last_wal_replay_lsn, probed at most every PROBE_MS while reads come in).
// - Realtime: publish() stamps each event with the primary's WAL position after the write it
//   announces; a stream that delivers it to a user remembers it the same way, so the refetch the event
//   triggers reads from the primary rather than waiting for the replica (no added latency, no stale view).
// - Health: a replica that fails a probe or a read is left out, and tried again after RETRY_MS (doubling
//   up to a minute); one more than DATABASE_REPLICA_MAX_LAG_S behind is left out until it catches up.
//
// All of this is per process, in memory: several app instances behind a load balancer keep
// read-your-writes only when a user's requests stay on one instance (sticky sessions).
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import { db, dbPool, replicaDb, replicaPool } from "./db.ts";
import { env } from "./env.ts";
import { log } from "./log.ts";
import { statementName } from "./store/sql.ts";

type Db = typeof db;
type Target = "primary" | "replica";
/** One procedure call: who reads, and (once decided) where all of its reads go. */
type Scope = { userId: string; target?: Target };

/** Timings; tests shorten them. */
const config = { probeMs: 1_000, waitingProbeMs: 100, staleMs: 5_000, retryMs: 5_000, maxRetryMs: 60_000, maxLagMs: 0 };

type Health = {
  state: "unknown" | "up" | "down";
  checkedAt: number;
  /** What the replica had replayed at the last probe. */
  replayed: bigint;
  /** When the oldest primary position the replica had not replayed was seen (null: caught up). */
  behindSince: number | null;
  retryAt: number;
  retryMs: number;
  reason: string;
};

type State = {
  scopes: AsyncLocalStorage<Scope>;
  health: Health;
  /** Primary positions seen by probes that the replica had not replayed yet, oldest first. */
  behind: { at: number; lsn: bigint }[];
  /** Per user: the WAL position their next reads must see, and until when we hold them to it. */
  required: Map<string, { lsn: bigint; until: number }>;
  probing: Promise<void> | null;
  counts: { replica: number; primary: number };
};

// On globalThis like db.ts's client: Next.js may load this module more than once in a process (route
// handlers, server actions, instrumentation), and a write noted by one copy must hold the reads of all.
const g = globalThis as { __parleyReadRouting?: State };
g.__parleyReadRouting ??= {
  scopes: new AsyncLocalStorage<Scope>(),
  health: freshHealth(),
  behind: [],
  required: new Map(),
  probing: null,
  counts: { replica: 0, primary: 0 },
};
const st: State = g.__parleyReadRouting;
const { scopes, required, counts } = st;

function freshHealth(): Health {
  return { state: "unknown", checkedAt: 0, replayed: 0n, behindSince: null, retryAt: 0, retryMs: config.retryMs, reason: "not probed yet" };
}

const maxLagMs = () => config.maxLagMs || env.DATABASE_REPLICA_MAX_LAG_S * 1000;
/** Past this, a write the replica has not replayed means it lags beyond the bound anyway. */
const requiredTtlMs = () => Math.max(60_000, 2 * maxLagMs());

/** "16/B374D848" → a number that orders like the WAL. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text.trim());
  if (!m) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** Whether reads may go to a replica at all (DATABASE_REPLICA_URL on a real server). */
export function replicaConfigured(): boolean {
  return replicaDb() !== null;
}

/**
 * The client for a list, thread or search read. Inside a user's tRPC query the first call decides
 * for the whole call (so one page never mixes both servers); anywhere else it is the primary.
 */
export function readDb(): Db {
  const scope = scopes.getStore();
  const replica = replicaDb();
  if (!scope || !replica) return db;
  scope.target ??= choose(scope.userId);
  return scope.target === "replica" ? replica : db;
}

/**
 * A read written as one hand-made statement (chat-rows.ts, message-rows.ts), on readDb()'s choice of
 * server, as a named statement (statementName).
 */
export async function namedRead<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
  const pool = readDb() === db ? dbPool() : (replicaPool() ?? dbPool());
  return (await pool.query<R>({ name: statementName(text), text, values })).rows;
}

function choose(userId: string): Target {
  const now = Date.now();
  const need = required.get(userId);
  if (need && need.until <= now) required.delete(userId);
  const waiting = need !== undefined && need.until > now && need.lsn > st.health.replayed;
  if (now >= st.health.retryAt && now - st.health.checkedAt >= (waiting ? config.waitingProbeMs : config.probeMs)) void probe();
  const lagging = st.health.behindSince !== null && now - st.health.behindSince > maxLagMs();
  const target: Target = st.health.state !== "up" || now - st.health.checkedAt > config.staleMs || lagging || waiting ? "primary" : "replica";
  counts[target] += 1;
  return target;
}

/**
 * Runs one tRPC query with its reads routed for `userId`. A query that failed on the replica runs again
 * on the primary (queries only read, so twice is safe): a replica going down, a query cancelled by
 * replay, or a row the replica does not have yet cost a slower answer, never an error. The replica is
 * probed at once, so a dead one is left out from the next read on.
 */
export async function routeReads<R extends { ok: boolean }>(userId: string, run: () => Promise<R>): Promise<R> {
  if (!replicaConfigured()) return run();
  const scope: Scope = { userId };
  const result = await scopes.run(scope, run);
  if (result.ok || scope.target !== "replica") return result;
  void probeAfterFailure();
  return scopes.run({ userId, target: "primary" }, run);
}

async function probeAfterFailure() {
  // A probe already running may have started before the failure: wait for it, then probe again.
  await st.probing;
  await probe(true);
}

/** After a user's write: their reads stay on the primary until the replica has replayed it. */
export async function noteWrite(userId: string): Promise<void> {
  if (!replicaConfigured()) return;
  try {
    const { rows } = await dbPool().query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    holdUntilReplayed(userId, parseLsn(rows[0]!.lsn));
  } catch (err) {
    // Not knowing where the write landed, hold the user to the primary for the whole window.
    log.warn(`replica routing: could not read the primary's WAL position (${(err as Error).message})`);
    holdUntilReplayed(userId, 2n ** 64n - 1n);
  }
}

/** A realtime event was delivered to this user: the refetch it triggers must see its write. */
export function noteEventSeen(userId: string, lsn: string | undefined): void {
  if (!lsn || !replicaConfigured()) return;
  try {
    holdUntilReplayed(userId, parseLsn(lsn));
  } catch {
    // A malformed stamp cannot come from publish(); nothing to hold the user to.
  }
}

function holdUntilReplayed(userId: string, lsn: bigint) {
  const now = Date.now();
  const until = now + requiredTtlMs();
  const prev = required.get(userId);
  required.set(userId, { lsn: prev && prev.until > now && prev.lsn > lsn ? prev.lsn : lsn, until });
  if (required.size > 10_000) for (const [id, r] of required) if (r.until <= now) required.delete(id);
}

/**
 * One probe at a time: the replica's replay position (and that it is a standby at all) and the
 * primary's current position, which says how far behind the replica is. `force` ignores the retry wait.
 */
function probe(force = false): Promise<void> {
  if (st.probing) return st.probing;
  if (!force && Date.now() < st.health.retryAt) return Promise.resolve();
  st.probing = runProbe()
    .catch((err) => log.warn(`replica probe failed: ${(err as Error).message}`))
    .finally(() => {
      st.probing = null;
    });
  return st.probing;
}

async function runProbe() {
  const replica = replicaPool();
  if (!replica) return;
  const started = Date.now();
  const [r, p] = await Promise.allSettled([
    replica.query<{ standby: boolean; lsn: string | null }>("SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn"),
    dbPool().query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn"),
  ]);
  const now = Date.now();
  if (r.status === "rejected" || !r.value.rows[0]?.standby) {
    const reason = r.status === "rejected" ? `does not answer (${(r.reason as Error).message})` : "is not a standby (pg_is_in_recovery() is false)";
    const retryMs = st.health.state === "down" ? Math.min(st.health.retryMs * 2, config.maxRetryMs) : config.retryMs;
    if (st.health.state !== "down") log.warn(`read replica ${reason}: reads use the primary, trying it again in ${retryMs / 1000} s`);
    st.health = { ...st.health, state: "down", checkedAt: now, retryAt: now + retryMs, retryMs, reason };
    return;
  }
  if (st.health.state === "down") log.info("read replica answers again: reads use it");
  const replayed = r.value.rows[0].lsn ? parseLsn(r.value.rows[0].lsn) : 0n;
  if (p.status === "fulfilled" && p.value.rows[0]) {
    const lsn = parseLsn(p.value.rows[0].lsn);
    if (lsn > (st.behind.at(-1)?.lsn ?? 0n)) st.behind.push({ at: started, lsn });
  }
  st.behind = st.behind.filter((s) => s.lsn > replayed);
  // Only the oldest sample sets the lag; the middle ones can go once there are many.
  if (st.behind.length > 64) st.behind.splice(1, st.behind.length - 32);
  st.health = { state: "up", checkedAt: now, replayed, behindSince: st.behind[0]?.at ?? null, retryAt: 0, retryMs: config.retryMs, reason: "" };
}

/** For Admin screens, logs and tests: where reads went and what the last probe found. */
export function replicaStatus() {
  const now = Date.now();
  return {
    configured: replicaConfigured(),
    state: st.health.state,
    reason: st.health.reason,
    lagMs: st.health.behindSince === null ? 0 : now - st.health.behindSince,
    checkedAgoMs: st.health.checkedAt ? now - st.health.checkedAt : null,
    reads: { ...counts },
  };
}

/** Tests: shorter timings, and a clean slate (a new replica, a new database). */
export function configureReadRoutingForTests(o: Partial<typeof config> = {}) {
  Object.assign(config, o);
  st.health = freshHealth();
  st.behind = [];
  required.clear();
  counts.replica = 0;
  counts.primary = 0;
}
