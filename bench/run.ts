// `npm run bench`: every bench/*.bench.ts in turn, each in its own process, on one PostgreSQL server
// (BENCH_DATABASE_URL, else bench/postgres.ts's own, started once for the run), and prints ONE JSON
// document: { profile, seconds, benches: { reads: {…}, webhooks: {…}, … } }.
//   npm run bench -- --quick        the small data set (a few minutes)
//   npm run bench -- reads sync     only the benchmarks whose file name contains one of these words
// The sync benchmark runs twice: on PostgreSQL and on the embedded PGlite (as `npm start` runs).
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseBenchOutput } from "./output.ts";
import { benchServer } from "./postgres.ts";
import { benchProfile } from "./profile.ts";

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const filter = args.filter((a, i) => !a.startsWith("-") && !args[i - 1]?.match(/^--(chats|messages|attachments|people|iterations)$/));
const flags = args.filter((a) => !filter.includes(a));
const files = (await readdir(dir))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();

const started = Date.now();
const server = await benchServer();
const runs: { file: string; key: string; env: Record<string, string> }[] = files.flatMap((file) => {
  const key = file.replace(/\.bench\.ts$/, "");
  const pgEnv = { BENCH_DATABASE_URL: server.url };
  return key === "sync"
    ? [
        { file, key: "syncPostgres", env: pgEnv },
        { file, key: "syncPglite", env: { BENCH_DATABASE_URL: "" } },
      ]
    : [{ file, key, env: pgEnv }];
});

const benches: Record<string, unknown> = {};
for (const r of runs) {
  const t = Date.now();
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    let stdout = "";
    const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, r.file), ...flags], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...r.env },
    });
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
  const parsed = parseBenchOutput(out.stdout);
  const seconds = Number(((Date.now() - t) / 1000).toFixed(1));
  benches[r.key] =
    out.code !== 0 || parsed.length === 0
      ? { error: `exited with ${out.code}`, seconds }
      : { ...(parsed.length === 1 ? (parsed[0] as object) : { results: parsed }), seconds };
  console.error(`bench: ${r.key} done in ${seconds} s`);
}
await server.stop();
const { profile, params } = benchProfile(flags);
console.log(JSON.stringify({ profile, params, startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), benches }, null, 2));
