// Integration tests: a private, migrated PostgreSQL per test file. TEST_DATABASE_URL (a server
// where we may CREATE DATABASE) selects the real server; otherwise an in-memory PGlite. Each starts
// as a copy of a template migrated once per migration version (a database on the server, a PGlite
// dump in .data/test-templates), so a test file does not load the schema engine and migrate again.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/server/embedded-db.ts";
import { applyMigrations } from "@/server/migrations.ts";
import { disconnectDb } from "@/server/db.ts";
import { stopListening } from "@/server/realtime/fanout.ts";
import { closeChatLocks } from "@/server/webhooks/chat-locks.ts";
import { resetEnvForTests } from "@/server/env.ts";

export type TestDatabase = { url: string; embedded: boolean; close(): Promise<void> };

const root = path.resolve(import.meta.dirname, "../..");

/** Runs `work` on one connection to the database at `url`. */
export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** The URL of database `name` on the server of `server` (…/postgres). */
export const databaseUrl = (server: string, name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();

/** A fresh database on a PostgreSQL server where we may CREATE DATABASE (tests, benchmarks): empty, or a copy of `template`. */
export async function createDatabaseOn(server: string, prefix: string, template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await withClient(server, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`));
  return { url: databaseUrl(server, name), drop: () => withClient(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}) };
}

/** What a migrated database depends on: every migration and the code that applies them. */
async function migrationsVersion(): Promise<string> {
  const h = createHash("sha256");
  const dir = path.join(root, "prisma/migrations");
  for (const name of (await readdir(dir)).sort()) {
    h.update(name);
    h.update(await readFile(path.join(dir, name, "migration.sql")).catch(() => Buffer.alloc(0)));
  }
  h.update(await readFile(path.join(root, "src/server/migrations.ts")));
  return h.digest("hex").slice(0, 12);
}

/**
 * The migrated template database on `server`, made once per migration version: built under another
 * name and renamed when complete, under an advisory lock (test files start side by side), with the
 * templates of older versions dropped.
 */
async function serverTemplate(server: string): Promise<string> {
  const name = `parley_template_${await migrationsVersion()}`;
  return withClient(server, async (c) => {
    await c.query("SELECT pg_advisory_lock(hashtext('parley_template'))");
    try {
      if ((await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount) return name;
      const stale = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'parley\\_template\\_%'");
      for (const { datname } of stale.rows) {
        await c.query(`ALTER DATABASE ${datname} IS_TEMPLATE false`).catch(() => {});
        await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      const building = `${name}_building`;
      await c.query(`CREATE DATABASE ${building}`);
      await applyMigrations(databaseUrl(server, building));
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      await c.query(`ALTER DATABASE ${name} IS_TEMPLATE true`);
      return name;
    } finally {
      await c.query("SELECT pg_advisory_unlock(hashtext('parley_template'))");
    }
  });
}

/** The migrated PGlite template: a dump in .data/test-templates, made once per migration version. */
async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(root, ".data/test-templates", `pglite-${await migrationsVersion()}.tar`);
  const saved = await readFile(file).catch(() => null);
  if (saved) return new Blob([saved]);
  const fresh = await startEmbeddedPostgres();
  try {
    await applyMigrations(fresh.url);
    const dump = await fresh.dump();
    await mkdir(path.dirname(file), { recursive: true });
    // Two test files may make it at once: each writes its own file and renames it into place.
    const tmp = `${file}.${process.pid}.${randomBytes(3).toString("hex")}`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
    // Dumps of older migration versions are never read again.
    for (const f of await readdir(path.dirname(file))) {
      if (f.startsWith("pglite-") && f.endsWith(".tar") && f !== path.basename(file)) await rm(path.join(path.dirname(file), f), { force: true });
    }
    return dump;
  } finally {
    await fresh.close();
  }
}

/** Migrates the database at `url` and points this process at it (no workers: the caller starts what it needs). */
export async function openMigratedDatabase(url: string, embedded: boolean): Promise<void> {
  await applyMigrations(url);
  await pointAt(url, embedded);
}

/** Points this process at the (migrated) database at `url`. */
async function pointAt(url: string, embedded: boolean) {
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
    ({ url, drop } = await createDatabaseOn(server, "parley_test", await serverTemplate(server)));
  } else {
    const embedded = await startEmbeddedPostgres({ load: await pgliteTemplate() });
    url = embedded.url;
    drop = () => embedded.close();
  }
  await pointAt(url, !server);
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
