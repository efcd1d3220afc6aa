// `npm start` / `npm run dev`: with no configuration, starts the embedded PostgreSQL (PGlite in .data/)
// and the Unipile simulator, applies migrations, seeds a demo admin, then runs Next.js.
// With DATABASE_URL / UNIPILE_DSN set, uses those instead and seeds nothing unless --seed.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

try {
  process.loadEnvFile();
} catch {}

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(root, process.env.PARLEY_DATA_DIR ?? ".data");
const dev = process.argv.includes("--dev");
const seed = process.argv.includes("--seed") || process.env.PARLEY_SEED_DEMO === "1";
const port = Number(process.env.PORT ?? 3000);
const cleanups: (() => Promise<void>)[] = [];

/** A secret kept in .data/ so sessions and webhook registration survive restarts. */
function persistentSecret(name: string) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function main() {
  const embedded = !process.env.DATABASE_URL;
  if (embedded) {
    const { claimEmbedded, embeddedDataDir } = await import("./embedded-lock.ts");
    cleanups.push(claimEmbedded());
    const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
    const pg = await startEmbeddedPostgres({
      dataDir: embeddedDataDir,
      port: Number(process.env.PGLITE_PORT ?? 0),
    });
    cleanups.push(() => pg.close());
    process.env.DATABASE_URL = pg.url;
    process.env.PARLEY_EMBEDDED_DB = "1";
    console.log(`• Embedded PostgreSQL (PGlite) in ${path.relative(root, dataDir) || "."}/pglite`);
  }
  process.env.AUTH_SECRET ??= persistentSecret("auth-secret");
  process.env.UNIPILE_WEBHOOK_SECRET ??= persistentSecret("webhook-secret");
  process.env.PUBLIC_URL ??= `http://127.0.0.1:${port}`;

  if (!process.env.UNIPILE_DSN && existsSync(path.join(root, "simulator/server.ts"))) {
    // Imported by path so the app starts (without Unipile) in a tree that has no simulator.
    const simulator = "../simulator/server.ts";
    const { startSimulator } = (await import(simulator)) as typeof import("../simulator/server.ts");
    const sim = await startSimulator({ port: Number(process.env.SIMULATOR_PORT ?? 3100), demo: true, dataDir: path.join(dataDir, "simulator") });
    cleanups.push(() => sim.close());
    process.env.UNIPILE_DSN = sim.url;
    process.env.UNIPILE_API_KEY = sim.apiKey;
    console.log(`• Unipile simulator on ${sim.url} (demo data)`);
  } else if (!process.env.UNIPILE_DSN) {
    console.log("• No UNIPILE_DSN: starting without Unipile");
  }

  const { applyMigrations } = await import("../src/server/migrations.ts");
  const applied = await applyMigrations(process.env.DATABASE_URL!);
  console.log(applied.length ? `• Migrations applied: ${applied.join(", ")}` : "• Database schema is up to date");

  let demo = false;
  if (embedded || seed) {
    const { seedDemoAdmin, DEMO_ADMIN } = await import("../src/server/services/seed-service.ts");
    const { disconnectDb } = await import("../src/server/db.ts");
    demo = await seedDemoAdmin();
    await disconnectDb(); // the app process needs the connection (PGlite serves only two)
    if (demo || embedded) console.log(`• Demo login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}${demo ? " (created)" : ""}`);
  }

  const next = path.join(root, "node_modules/next/dist/bin/next");
  if (!dev && needsBuild()) {
    console.log("• Building the app (first start or changed sources)…");
    const build = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const child = spawn(process.execPath, [next, dev ? "dev" : "start", "-p", String(port), "-H", process.env.HOSTNAME ?? "0.0.0.0"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: dev ? "development" : "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  cleanups.unshift(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  );
  child.on("exit", (code) => {
    if (!stopping) void stop(code ?? 1);
  });
  console.log(`\n  Parley is starting on http://localhost:${port}\n`);
}

/** Build when there is no build yet or a source file is newer than it. */
function needsBuild() {
  const stamp = path.join(root, ".next/BUILD_ID");
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newer = (p: string): boolean => {
    const s = statSync(p);
    if (s.isDirectory()) return readdirSync(p).some((f) => newer(path.join(p, f)));
    return s.mtimeMs > built;
  };
  return ["src", "public", "next.config.mjs", "package.json", "prisma/schema.prisma"].some((p) => {
    const full = path.join(root, p);
    return existsSync(full) && newer(full);
  });
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of cleanups) await c().catch((e) => console.error(e));
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

main().catch(async (err) => {
  console.error(err instanceof Error ? err.message : err);
  await stop(1);
});
