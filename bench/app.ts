// The running app for the HTTP and browser benchmarks: `npm start`'s launcher (scripts/launch.ts:
// `next build` when sources changed, then `next start`) on the bench database, with the simulator
// beside it and no sync at start; a signed-in session cookie made as next-auth makes one (a Session
// row + its JWT); and peak RSS (VmHWM) of the launcher and of the app process.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
export const APP_PORT = Number(process.env.BENCH_APP_PORT || 4240);
const COOKIE = "authjs.session-token"; // next-auth's name on plain http
const SESSION_S = 30 * 24 * 3600;

export type App = { url: string; pid: number; secret: string; alive(): boolean; stop(): Promise<void> };

/**
 * `dbUrl` "": the embedded defaults as a newcomer's `npm start` runs them (PGlite in `dataDir`, the
 * simulator's demo data, the first sync at start); otherwise that database with no sync at start.
 */
export async function startApp(dbUrl: string, log: (line: string) => void, opts: { dataDir?: string } = {}): Promise<App> {
  const secret = process.env.AUTH_SECRET || "bench-secret-bench-secret-bench-secret";
  const url = `http://127.0.0.1:${APP_PORT}`;
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/launch.ts")], {
    cwd: root,
    // Build output and start-up lines to stderr: stdout carries this benchmark's JSON.
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      PORT: String(APP_PORT),
      HOSTNAME: "127.0.0.1",
      SIMULATOR_PORT: String(APP_PORT + 1),
      PARLEY_DATA_DIR: opts.dataDir ?? ".data/bench-app",
      DATABASE_URL: dbUrl,
      UNIPILE_DSN: "",
      AUTH_SECRET: secret,
      PARLEY_SYNC_ON_START: dbUrl ? "0" : "1",
      PARLEY_WORKERS: "1",
      PUBLIC_URL: url,
    },
  });
  child.stdout!.on("data", (d: Buffer) => process.stderr.write(d));
  // A benchmark that ends early (error, Ctrl-C) takes the app with it (the launcher stops Next.js and the simulator).
  const orphan = () => child.kill("SIGTERM");
  process.once("exit", orphan);
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the app exited with ${code}`))));
  exited.catch(() => {});
  for (;;) {
    const up = fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
      () => true,
      () => false,
    );
    if (await Promise.race([up, exited])) break;
    await Promise.race([new Promise((r) => setTimeout(r, 500)), exited]);
  }
  log(`bench app: answering on ${url} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    url,
    pid: child.pid!,
    secret,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

/** A session of `userId` as a browser holds it after signing in: its row, and the cookie naming it. */
export async function sessionCookie(dbUrl: string, userId: string, secret: string): Promise<string> {
  const { encode } = await import("next-auth/jwt");
  const sid = randomBytes(24).toString("base64url");
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, $2, now() + interval '30 days')`, [sid, userId]);
  } finally {
    await c.end();
  }
  const jwt = await encode({ token: { sub: userId, uid: userId, sid }, secret, salt: COOKIE, maxAge: SESSION_S });
  return `${COOKIE}=${jwt}`;
}

/** Peak resident memory of a process in MB (Linux VmHWM), or null when it is gone / not Linux. */
export function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** Every process below `pid` (children, their children, …). */
export function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)) if (task) kids.push(Number(task));
  } catch {}
  kids = kids.flatMap((k) => [k, ...descendants(k)]);
  return kids;
}

/** Peak RSS of the launcher and of the app (the largest process below it: the Next.js server). */
export function appMemory(launcherPid: number) {
  const below = descendants(launcherPid).map((p) => peakRssMb(p) ?? 0);
  return { launcherPeakRssMb: peakRssMb(launcherPid), appPeakRssMb: below.length ? Math.max(...below) : null };
}
