// The one Prisma client. On the embedded PGlite (a single-user PostgreSQL) every socket shares one
// backend, so the pool is a single connection there; on a real server it is DATABASE_POOL_MAX.
// With DATABASE_REPLICA_URL a second, read-only client talks to a streaming replica; which reads may
// use it, and when, is db-read.ts's decision alone.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client.ts";
import { env } from "./env.ts";
import { log } from "./log.ts";

type Db = InstanceType<typeof PrismaClient>;

// On globalThis like the client itself: Next.js may load this module more than once in a process
// (route handlers, instrumentation), and every copy must find the pool of the one shared client.
const g = globalThis as { __parleyDb?: Db; __parleyReplicaDb?: Db; __parleyPools?: WeakMap<Db, pg.Pool> };
g.__parleyPools ??= new WeakMap<Db, pg.Pool>();
const pools = g.__parleyPools;

function createPrisma(connectionString: string, max: number, extra: pg.PoolConfig = {}): Db {
  const pool = new pg.Pool({ connectionString, max, ...extra });
  // An idle connection the server ends (a restart, pg_terminate_backend, a dropped database) is an
  // 'error' on the pool, which without a listener would crash the process; the pool replaces it.
  pool.on("error", (err) => log.warn(`database connection lost: ${err.message}`));
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

// PGlite is one session for every socket: named statements outlive the connection that prepared them,
// and a new connection's driver, which knows none, would prepare them again ("already exists").
const embeddedPool: pg.PoolConfig = {
  idleTimeoutMillis: 0,
  onConnect: async (client: pg.ClientBase) => void (await client.query("DEALLOCATE ALL")),
};

function instance(): Db {
  g.__parleyDb ??= createPrisma(env.DATABASE_URL, env.PARLEY_EMBEDDED_DB ? 1 : env.DATABASE_POOL_MAX, env.PARLEY_EMBEDDED_DB ? embeddedPool : {});
  return g.__parleyDb;
}

/**
 * The pg pool under the Prisma client (the same connections: none extra on PGlite). Only for bulk
 * statements with large JSON parameters, which Prisma forwards several times slower (store/message-batch.ts).
 */
export function dbPool(): pg.Pool {
  return pools.get(instance())!;
}

/**
 * The replica's client, or null without DATABASE_REPLICA_URL (or on the embedded PGlite, which has no
 * replicas). A replica that is down must cost a read little: connecting gives up after a second (the
 * read then runs on the primary, see db-read.ts), and a dropped idle connection is only logged (as on the primary).
 */
export function replicaDb(): Db | null {
  if (!env.DATABASE_REPLICA_URL || env.PARLEY_EMBEDDED_DB) return null;
  if (!g.__parleyReplicaDb) {
    const client = createPrisma(env.DATABASE_REPLICA_URL, env.DATABASE_POOL_MAX, {
      connectionTimeoutMillis: 1_000,
      application_name: "parley-replica-reads",
    });
    g.__parleyReplicaDb = client;
  }
  return g.__parleyReplicaDb;
}

/** The pg pool under the replica's client (health probes). */
export function replicaPool(): pg.Pool | null {
  const client = replicaDb();
  return client ? pools.get(client)! : null;
}

/** Created on first use, so importing this module needs no database. */
export const db: Db = new Proxy({} as Db, {
  get(_t, key) {
    const client = instance();
    const value = Reflect.get(client, key, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** Tests: drop the client so the next use connects to the current DATABASE_URL. */
export async function disconnectDb() {
  const clients = [g.__parleyDb, g.__parleyReplicaDb];
  g.__parleyDb = undefined;
  g.__parleyReplicaDb = undefined;
  await Promise.all(clients.map((c) => c?.$disconnect()));
}
