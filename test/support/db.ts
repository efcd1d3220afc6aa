// Integration tests: a private, migrated PostgreSQL per test file. TEST_DATABASE_URL (a server
// where we may CREATE DATABASE) selects the real server; otherwise an in-memory PGlite.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "@/server/embedded-db.ts";
import { applyMigrations } from "@/server/migrations.ts";
import { disconnectDb } from "@/server/db.ts";
import { stopListening } from "@/server/realtime/fanout.ts";
import { closeChatLocks } from "@/server/webhooks/chat-locks.ts";
import { resetEnvForTests } from "@/server/env.ts";

export type TestDatabase = { url: string; embedded: boolean; close(): Promise<void> };

/** A fresh, empty database on a PostgreSQL server where we may CREATE DATABASE (tests, benchmarks). */
export async function createDatabaseOn(server: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const query = async (sql: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await query(`CREATE DATABASE ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Migrates the database at `url` and points this process at it (no workers: the caller starts what it needs). */
export async function openMigratedDatabase(url: string, embedded: boolean): Promise<void> {
  await applyMigrations(url);
  Object.assign(process.env, {
    DATABASE_URL: url,
    PARLEY_EMBEDDED_DB: embedded ? "1" : "0",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "test-secret-test-secret-test-secret",
    PARLEY_WORKERS: "0",
    PARLEY_SYNC_ON_START: "0",
  });
  resetEnvForTests();
  await disconnectDb();
}

export async function setupTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  let url: string;
  let drop: () => Promise<void>;
  if (server) {
    ({ url, drop } = await createDatabaseOn(server, "parley_test"));
  } else {
    const embedded = await startEmbeddedPostgres();
    url = embedded.url;
    drop = () => embedded.close();
  }
  await openMigratedDatabase(url, !server);
  return {
    url,
    embedded: !server,
    async close() {
      await stopListening();
      await closeChatLocks();
      await disconnectDb();
      await drop();
    },
  };
}
