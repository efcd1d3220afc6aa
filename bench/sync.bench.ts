// Messages synced per second: a full first sync from the simulator (zero latency, over HTTP) into a
// fresh database, as `npm start` runs it: the embedded PGlite and the simulator live in another
// process (here a child, there the launcher), the sync in this one. BENCH_DATABASE_URL (a server
// where we may CREATE DATABASE) measures a real PostgreSQL instead. Prints one JSON object.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { createDatabaseOn, openMigratedDatabase } from "../test/support/db.ts";

const quick = process.argv.includes("--quick"); // the small profile of `npm run bench -- --quick`
const CHATS = Number(process.env.BENCH_CHATS ?? (quick ? 40 : 100));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? (quick ? 250 : 500));
const server = process.env.BENCH_DATABASE_URL;

type Services = { dbUrl: string | null; simUrl: string; apiKey: string; expected: number };

if (process.argv.includes("--services")) {
  // The child: simulator (+ embedded database), then its addresses on stdout; lives until stdin closes.
  const { startSimulator } = await import("../simulator/server.ts");
  const { startEmbeddedPostgres } = await import("../src/server/embedded-db.ts");
  // On disk in a temp folder, like npm start's .data/pglite (an in-memory PGlite spends its time growing buffers).
  const dataDir = server ? null : await mkdtemp(path.join(tmpdir(), "parley-bench-"));
  const embedded = dataDir ? await startEmbeddedPostgres({ dataDir }) : null;
  const sim = await startSimulator({ port: 0, seed: 5, demo: false, chats: CHATS, messages: MESSAGES });
  // Chats of accounts that are not OK (the simulator has one in CREDENTIALS) are skipped by sync.
  const ok = [...sim.store.chats.values()].filter((c) => sim.store.account(c.account_id)!.status === "OK");
  const out: Services = { dbUrl: embedded?.url ?? null, simUrl: sim.url, apiKey: sim.apiKey, expected: ok.length * MESSAGES };
  console.log(JSON.stringify(out));
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await sim.close();
    await embedded?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  // Same node flags as this process (e.g. --cpu-prof), so the child can be profiled too.
  const flags = process.execArgv.includes("tsx") ? process.execArgv : [...process.execArgv, "--import", "tsx"];
  const child = spawn(process.execPath, [...flags, new URL(import.meta.url).pathname, "--services", ...(quick ? ["--quick"] : [])], {
    stdio: ["pipe", "pipe", "inherit"],
    env: process.env,
  });
  const services = await new Promise<Services>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`services exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("{")) resolve(JSON.parse(line) as Services);
    });
  });

  let dbUrl = services.dbUrl;
  let drop = async () => {};
  if (server) {
    ({ url: dbUrl, drop } = await createDatabaseOn(server, "parley_bench"));
  }
  process.env.SYNC_HISTORY_DEPTH = "0";
  await openMigratedDatabase(dbUrl!, !server);
  const { db, disconnectDb } = await import("../src/server/db.ts");
  const { createUnipileClient } = await import("../src/server/unipile/client.ts");
  const { enqueueSync, getRun } = await import("../src/server/sync/runs.ts");
  const { startSyncWorker } = await import("../src/server/sync/worker.ts");

  const client = createUnipileClient({ dsn: services.simUrl, apiKey: services.apiKey });
  const load = loadavg()[0]!;
  const started = performance.now();
  const { runId } = await enqueueSync({ scope: "all", reason: "bench" });
  const worker = startSyncWorker({ client, pollMs: 20 });
  await worker.idle();
  await worker.stop();
  const seconds = (performance.now() - started) / 1000;
  const run = await getRun(runId);
  const stored = await db.message.count();
  console.log(
    JSON.stringify({
      bench: "sync",
      what: "messages synced per second, full first sync from the simulator at zero latency",
      database: server ? "postgresql" : "pglite (embedded, on disk, other process)",
      chats: CHATS,
      messages: stored,
      complete: stored === services.expected && run?.status === "succeeded",
      // When not complete: what the run says (a busy machine can time a chat out; sync retries it later).
      expected: services.expected,
      runStatus: run?.status ?? null,
      runError: run?.error ?? null,
      seconds: Number(seconds.toFixed(2)),
      messagesPerSecond: Math.round(stored / seconds),
      target: 5000,
      loadAverageAtStart: Number(load.toFixed(2)),
    }),
  );
  await disconnectDb();
  await drop();
  child.stdin!.end();
  await new Promise((r) => child.once("exit", r));
}
