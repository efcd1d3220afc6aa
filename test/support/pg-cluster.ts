// Replica tests: a throwaway PostgreSQL 15 primary and a streaming replica made from it with
// pg_basebackup -R, on free ports in a temp dir. As root the server binaries run as the postgres user
// (like .ci/run does); PG_BIN overrides where they are.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, chownSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const asRoot = process.getuid?.() === 0;

/** Why these tests cannot run here, or null when they can. */
export function clusterUnavailable(): string | null {
  for (const tool of ["initdb", "pg_ctl", "pg_basebackup"]) {
    if (!existsSync(path.join(BIN, tool))) return `no PostgreSQL server binaries in ${BIN} (${tool} is missing; set PG_BIN or install postgresql)`;
  }
  return null;
}

async function pgTool(tool: string, args: string[]) {
  const cmd = path.join(BIN, tool);
  if (!asRoot) return run(cmd, args);
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return run("su", ["postgres", "-c", quoted]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export type PgCluster = {
  /** Server URLs (database `postgres`); `urlOf` points one at another database. */
  primaryUrl: string;
  replicaUrl: string;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** SQL on the replica as superuser (pg_wal_replay_pause/resume). */
  onReplica(sql: string): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export function urlOf(server: string, database: string): string {
  const u = new URL(server);
  u.pathname = `/${database}`;
  return u.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

export async function startCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-replica-"));
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const [pPort, rPort] = [await freePort(), await freePort()];
  const primary = path.join(dir, "primary");
  const replica = path.join(dir, "replica");
  const serverOpts = (port: number) => `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=100`;
  const start = (data: string, port: number, extra = "") =>
    pgTool("pg_ctl", ["-D", data, "-l", `${data}.log`, "-o", `${serverOpts(port)} ${extra}`, "-w", "-t", "60", "start"]);
  const stopServer = (data: string, mode: "fast" | "immediate") => pgTool("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]).catch(() => {});

  await pgTool("initdb", ["-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  // wal_level=replica is PostgreSQL 15's default; said here because the replica depends on it.
  await start(primary, pPort, "-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=256MB");
  const primaryUrl = `postgresql://postgres@127.0.0.1:${pPort}/postgres`;
  const replicaUrl = `postgresql://postgres@127.0.0.1:${rPort}/postgres`;
  let replicaRunning = false;
  try {
    await pgTool("pg_basebackup", ["-h", "127.0.0.1", "-p", String(pPort), "-U", "postgres", "-D", replica, "-R", "-X", "stream"]);
    await start(replica, rPort, "-c hot_standby=on");
    replicaRunning = true;
  } catch (err) {
    await stopServer(primary, "immediate");
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    primaryUrl,
    replicaUrl,
    async stopReplica() {
      await stopServer(replica, "fast");
      replicaRunning = false;
    },
    async startReplica() {
      await start(replica, rPort, "-c hot_standby=on");
      replicaRunning = true;
    },
    async onReplica(sql) {
      await query(replicaUrl, sql);
    },
    async caughtUp(timeoutMs = 30_000) {
      const [primaryAt] = await query<{ lsn: string }>(primaryUrl, "SELECT pg_current_wal_lsn()::text AS lsn");
      const lsn = primaryAt!.lsn;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [replayed] = await query<{ ok: boolean }>(replicaUrl, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS ok`);
        if (replayed?.ok) return;
        if (Date.now() > deadline) throw new Error(`replica did not replay ${lsn} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (replicaRunning) await stopServer(replica, "immediate");
      await stopServer(primary, "immediate");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
