// `npm start` / `npm run dev`: with no configuration, starts the embedded PostgreSQL (PGlite in .data/)
// and the Unipile simulator, applies migrations, seeds a demo admin, then runs Next.js.
// With DATABASE_URL / UNIPILE_DSN set, uses those instead and seeds nothing unless --seed.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { checkEnvOrExit } from "../src/server/env.ts";
import { firstPortInUse, portErrorMessage, type PortSetting } from "./ports.ts";
import { log } from "../src/server/log.ts";

try {
  process.loadEnvFile();
} catch {}

// Before anything starts or builds: a bad setting stops here with one line per variable.
// The database URL and the session secret may be unset: the launcher provides them.
const config = checkEnvOrExit("Parley cannot start", ["DATABASE_URL", "AUTH_SECRET"]);

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(root, config.PARLEY_DATA_DIR);
const dev = process.argv.includes("--dev");
const seed = process.argv.includes("--seed") || config.PARLEY_SEED_DEMO;
const port = config.PORT;
const host = process.env.HOSTNAME ?? "0.0.0.0";
const embedded = !config.DATABASE_URL;
const simulated = !config.UNIPILE_DSN && existsSync(path.join(root, "simulator/server.ts"));
const ports: PortSetting[] = [
  { variable: "PORT", port, host },
  ...(simulated ? [{ variable: "SIMULATOR_PORT" as const, port: config.SIMULATOR_PORT, host: "127.0.0.1" }] : []),
  ...(embedded ? [{ variable: "PGLITE_PORT" as const, port: config.PGLITE_PORT, host: "127.0.0.1" }] : []),
];
const cleanups: (() => Promise<void>)[] = [];

/** A secret kept in .data/ so sessions and webhook registration survive restarts. */
function persistentSecret(name: string) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function main() {
  const busy = await firstPortInUse(ports);
  if (busy) {
    log.error(busy);
    process.exit(1);
  }
  if (embedded) {
    const { claimEmbedded, embeddedDataDir } = await import("./embedded-lock.ts");
    cleanups.push(claimEmbedded());
    const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
    const pg = await startEmbeddedPostgres({
      dataDir: embeddedDataDir,
      port: config.PGLITE_PORT,
    });
    cleanups.push(() => pg.close());
    process.env.DATABASE_URL = pg.url;
    process.env.PARLEY_EMBEDDED_DB = "1";
    log.info(`• Embedded PostgreSQL (PGlite) in ${path.relative(root, dataDir) || "."}/pglite`);
  }
  // `||=`: an empty variable counts as unset, as in env.ts.
  process.env.AUTH_SECRET ||= persistentSecret("auth-secret");
  process.env.UNIPILE_WEBHOOK_SECRET ||= persistentSecret("webhook-secret");
  process.env.PUBLIC_URL ||= `http://127.0.0.1:${port}`;

  if (simulated) {
    // Imported by path so the app starts (without Unipile) in a tree that has no simulator.
    const simulator = "../simulator/server.ts";
    const { startSimulator } = (await import(simulator)) as typeof import("../simulator/server.ts");
    const sim = await startSimulator({ port: config.SIMULATOR_PORT, demo: true, dataDir: path.join(dataDir, "simulator") });
    cleanups.push(() => sim.close());
    process.env.UNIPILE_DSN = sim.url;
    process.env.UNIPILE_API_KEY = sim.apiKey;
    log.info(`• Unipile simulator on ${sim.url} (demo data)`);
  } else if (!config.UNIPILE_DSN) {
    log.info("• No UNIPILE_DSN: starting without Unipile");
  }

  const { applyMigrations } = await import("../src/server/migrations.ts");
  const applied = await applyMigrations(process.env.DATABASE_URL!);
  log.info(applied.length ? `• Migrations applied: ${applied.join(", ")}` : "• Database schema is up to date");

  let login = "";
  if (embedded || seed) {
    const { seedDemoAdmin, DEMO_ADMIN } = await import("../src/server/services/seed-service.ts");
    const { disconnectDb } = await import("../src/server/db.ts");
    const created = await seedDemoAdmin();
    await disconnectDb(); // the app process needs the connection (PGlite serves only two)
    if (created || embedded) login = `${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`;
    if (login) log.info(`• Demo login: ${login}${created ? " (created)" : ""}`);
  }

  const next = path.join(root, "node_modules/next/dist/bin/next");
  if (!dev && needsBuild()) {
    log.info("• Building the app (first start or changed sources)…");
    const build = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const child = spawn(process.execPath, [next, dev ? "dev" : "start", "-p", String(port), "-H", host], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    // PARLEY_LAUNCHER_PID: the app exits when this launcher is gone (src/server/jobs/launcher-watch.ts), since the embedded
    // database and the simulator went with it.
    env: {
      ...process.env,
      NODE_ENV: dev ? "development" : "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PARLEY_LAUNCHER_PID: String(process.pid),
    },
  });
  cleanups.unshift(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // Not unref'd: this launcher must not end before its app has.
        const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  );
  child.on("exit", (code) => {
    if (!stopping) void stop(code ?? 1);
  });
  log.info(`\n  Parley is starting on http://localhost:${port}\n`);
  // Said again once the app answers, so the URL and the login do not scroll away above the build log.
  if (await answers(`http://127.0.0.1:${port}/api/health`, child)) {
    log.info(`\n  Parley is ready: http://localhost:${port}${login ? `  ·  demo login ${login}` : ""}\n`);
  }
}

/** Polls until the URL answers at all (health may say 503 while Unipile is unreachable); false if the app exits first. */
async function answers(url: string, child: ChildProcess): Promise<boolean> {
  while (child.exitCode === null && !stopping) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return false;
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
  for (const c of cleanups) await c().catch((e) => log.error("cleanup failed:", e));
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

main().catch(async (err) => {
  log.error(portErrorMessage(err, ports) ?? (err instanceof Error ? err.message : err));
  await stop(1);
});
