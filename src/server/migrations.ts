// Applies and creates Prisma migrations with Prisma's own schema engine compiled to wasm
// (@prisma/schema-engine-wasm), so installing Parley downloads no native engine binary (postinstall
// runs `prisma generate` with PRISMA_SCHEMA_ENGINE_BINARY=/bin/false).
import { readFile, readdir, writeFile, mkdir, copyFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { startEmbeddedPostgres } from "./embedded-db.ts";

const root = path.resolve(import.meta.dirname, "../..");
const schemaPath = path.join(root, "prisma/schema.prisma");
const migrationsDir = path.join(root, "prisma/migrations");
const filters = { externalTables: [], externalEnums: [] };

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout?: string }>;
  free(): void;
};


let wasmReady: Promise<{ SchemaEngine: { new: (...a: unknown[]) => Promise<Engine> } }> | undefined;

function loadWasm() {
  wasmReady ??= (async () => {
    const dir = path.join(root, "node_modules/@prisma/schema-engine-wasm");
    const bg = await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href);
    const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg;
  })();
  return wasmReady;
}

/** adapter-pg splits scripts on ";", which breaks plpgsql bodies: send the whole script at once. */
function adapterFactory(connectionString: string, opened: { dispose(): Promise<void> }[]) {
  const factory = new PrismaPg({ connectionString, max: 1 });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    adapter.executeScript = async (script: string) => {
      await (adapter.underlyingDriver() as import("pg").Pool).query(script);
    };
    return adapter;
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}

/** The engine never closes its connection pool itself (and PGlite serves only two): `close` does. */
async function newEngine(connectionString: string) {
  const { SchemaEngine } = await loadWasm();
  const opened: { dispose(): Promise<void> }[] = [];
  const content = await readFile(schemaPath, "utf8");
  const log = (msg: string) => {
    if (process.env.PARLEY_MIGRATE_DEBUG) console.error(msg);
  };
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, content]] }, log, adapterFactory(connectionString, opened));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}

async function migrationFolders() {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Applies every committed migration not yet recorded in `_prisma_migrations`. Returns the names applied. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const { engine, close } = await newEngine(connectionString);
  try {
    const dirs = await migrationFolders();
    const migrationDirectories = await Promise.all(
      dirs.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok", value: await readFile(path.join(migrationsDir, dir, "migration.sql"), "utf8") },
        },
      })),
    );
    const lockPath = path.join(migrationsDir, "migration_lock.toml");
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8") },
        shadowDbInitScript: "",
        migrationDirectories,
      },
      filters,
    });
    return appliedMigrationNames;
  } finally {
    await close();
  }
}

/** SQL that turns the schema of the latest migration into the current schema.prisma ("" when equal). */
export async function diffSinceLastMigration(): Promise<string> {
  const dirs = await migrationFolders();
  const last = dirs.at(-1);
  const from = last
    ? {
        tag: "schemaDatamodel",
        files: [
          {
            path: "schema.prisma",
            content: await readFile(path.join(migrationsDir, last, "schema.prisma"), "utf8"),
          },
        ],
      }
    : { tag: "empty" };
  // The engine connects on start even for a schema-to-schema diff: give it a throwaway in-memory database.
  const scratch = await startEmbeddedPostgres();
  const { engine, close } = await newEngine(scratch.url);
  let out = "";
  const origWrite = process.stdout.write.bind(process.stdout);
  // The engine prints the script through its stdout callback: capture it.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    const to = { tag: "schemaDatamodel", files: [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }] };
    const res = await engine.diff({ from, to, script: true, exitCode: null, shadowDatabaseUrl: null, filters });
    out += res.stdout ?? "";
  } finally {
    process.stdout.write = origWrite;
    await close();
    await scratch.close();
  }
  return out.trim() === "-- This is an empty migration." ? "" : out.trim();
}

/** Writes prisma/migrations/<timestamp>_<name>/ with the SQL and a copy of the schema it was made from. */
export async function createMigration(name: string, extraSql = ""): Promise<string | null> {
  const sql = await diffSinceLastMigration();
  if (!sql && !extraSql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name.replace(/[^a-z0-9_]+/gi, "_")}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), `${[sql, extraSql].filter(Boolean).join("\n\n")}\n`);
  await copyFile(schemaPath, path.join(dir, "schema.prisma"));
  const lock = path.join(migrationsDir, "migration_lock.toml");
  await writeFile(lock, 'provider = "postgresql"\n');
  return dir;
}
