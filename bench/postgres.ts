// The PostgreSQL server the benchmarks measure: BENCH_DATABASE_URL when set (a server where we may
// CREATE DATABASE), else a cluster of our own in .data/bench-pg on BENCH_PG_PORT, kept between runs
// so its generated data sets are reused (bench/dataset.ts), started here and stopped after the run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data/bench-pg");
const port = Number(process.env.BENCH_PG_PORT || 55470);

function pgBin(): string | null {
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  if (onPath) return path.dirname(onPath);
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort().reverse() : [];
  const found = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(path.join(d, "pg_ctl")));
  return found ?? null;
}

/** Runs a PostgreSQL tool, as root through the postgres user (the tools refuse root); its exit status. */
function run(tool: string, args: string[], quiet = false): number | null {
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? "su" : tool;
  const argv = asRoot ? ["postgres", "-c", [tool, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")] : args;
  return spawnSync(cmd, argv, { stdio: ["ignore", "ignore", quiet ? "ignore" : "inherit"] }).status;
}

export type BenchServer = { url: string; own: boolean; stop(): Promise<void> };

/** The server URL (…/postgres) and how to stop it (a no-op for BENCH_DATABASE_URL's). */
export async function benchServer(): Promise<BenchServer> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, own: false, stop: async () => {} };
  const bin = pgBin();
  if (!bin) throw new Error("No BENCH_DATABASE_URL and no PostgreSQL server binaries (apt-get install postgresql postgresql-contrib)");
  const ctl = path.join(bin, "pg_ctl");
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    mkdirSync(dataDir, { recursive: true });
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", dataDir]);
    if (run(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]) !== 0) throw new Error(`initdb ${dataDir} failed`);
  }
  const running = run(ctl, ["-D", dataDir, "status"], true) === 0;
  if (!running) {
    // fsync off: a benchmark cluster holds nothing that cannot be generated again.
    const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=100 -c fsync=off -c shared_buffers=256MB`;
    if (run(ctl, ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-o", opts, "-w", "start"]) !== 0) {
      throw new Error(`PostgreSQL did not start on port ${port}: see ${dataDir}/server.log`);
    }
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    own: true,
    // Left running when it already was (someone else's run, or a server started by hand).
    stop: async () => {
      if (!running) run(ctl, ["-D", dataDir, "-m", "fast", "stop"]);
    },
  };
}
