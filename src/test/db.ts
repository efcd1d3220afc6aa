// Integration tests: a private, migrated PostgreSQL per test file. TEST_DATABASE_URL (a server
// where we may CREATE DATABASE) selects the real server; otherwise an in-memory PGlite.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "@/server/embedded-db.ts";
import { applyMigrations } from "@/server/migrations.ts";
import { disconnectDb } from "@/server/db.ts";
import { resetEnvForTests } from "@/server/env.ts";

export type TestDatabase = { url: string; embedded: boolean; close(): Promise<void> };

export async function setupTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  let url: string;
  let drop: () => Promise<void>;
  if (server) {
    const name = `parley_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const embedded = await startEmbeddedPostgres();
    url = embedded.url;
    drop = () => embedded.close();
  }
  await applyMigrations(url);
  Object.assign(process.env, {
    DATABASE_URL: url,
    PARLEY_EMBEDDED_DB: server ? "0" : "1",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "test-secret-test-secret-test-secret",
    PARLEY_WORKERS: "0",
    PARLEY_SYNC_ON_START: "0",
  });
  resetEnvForTests();
  await disconnectDb();
  return {
    url,
    embedded: !server,
    async close() {
      await disconnectDb();
      await drop();
    },
  };
}
