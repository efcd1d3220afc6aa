// One read timed three ways on the same database: through the service (in this process, Prisma),
// through the real HTTP path of the running app (/api/trpc with a session cookie: Next.js, auth,
// the transformer), and as raw SQL with node-postgres: the very statements the service issued, captured
// from the pg driver under Prisma's adapter and replayed in the same order (statements the service
// had in flight together are replayed together, on a pool of their own).
import http from "node:http";
import pg from "pg";
import { deserialize, serialize } from "../src/lib/transformer.ts";

/** `name`: a named statement (prepared once per connection), replayed under its name too. */
type Stmt = { text: string; values: unknown[]; name?: string };
type Capture = Stmt[][]; // batches: statements in flight together

let capturing: { batches: Capture; inFlight: number } | null = null;

// The pg Client under @prisma/adapter-pg (db.ts hands it a pg.Pool) is this package's Client.
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const cap = capturing;
  const first = args[0] as string | { text?: string; values?: unknown[]; name?: string };
  const text = typeof first === "string" ? first : first?.text;
  if (!cap || typeof text !== "string") return original.apply(this, args);
  const values = (typeof first === "string" ? (Array.isArray(args[1]) ? args[1] : []) : (first.values ?? [])) as unknown[];
  if (cap.inFlight === 0 || cap.batches.length === 0) cap.batches.push([]);
  cap.batches.at(-1)!.push({ text, values, ...(typeof first === "object" && first.name ? { name: first.name } : {}) });
  cap.inFlight++;
  const done = () => {
    cap.inFlight--;
  };
  const result = original.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).then(done, done);
  else done();
  return result;
} as typeof pg.Client.prototype.query;

/** The SQL statements `fn` issues, in batches. */
export async function captureSql(fn: () => Promise<unknown>): Promise<Capture> {
  capturing = { batches: [], inFlight: 0 };
  try {
    await fn();
    return capturing.batches;
  } finally {
    capturing = null;
  }
}

/** Replays captured statements over `pool`, batch after batch. */
export async function replay(pool: pg.Pool, batches: Capture): Promise<void> {
  for (const batch of batches) {
    await Promise.all(batch.map((s) => pool.query({ text: s.text, values: s.values, name: s.name, rowMode: "array" })));
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** The route handler's own time of each trpcGet (its Server-Timing header), in ms; the caller empties it. */
export const handlerTimes: number[] = [];

/**
 * A tRPC query over HTTP as the browser's batch link sends it (GET, batch=1, input through our transformer) with
 * the session cookie; resolves to the response's deserialised data, rejects on any error.
 */
export function trpcGet(base: string, cookie: string, proc: string, input: unknown): Promise<unknown> {
  const qs = `batch=1&input=${encodeURIComponent(JSON.stringify({ 0: serialize(input) }))}`;
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/trpc/${proc}?${qs}`, { agent, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const app = /app;dur=([\d.]+)/.exec(String(res.headers["server-timing"] ?? ""));
        if (app) handlerTimes.push(Number(app[1]));
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) return reject(new Error(`${proc}: HTTP ${res.statusCode} ${body.slice(0, 300)}`));
        const [first] = JSON.parse(body) as { result?: { data: Parameters<typeof deserialize>[0] } }[];
        if (!first?.result) return reject(new Error(`${proc}: ${body.slice(0, 300)}`));
        resolve(deserialize(first.result.data));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

export type Stats = { p50: number; p95: number; max: number };

export function stats(times: number[]): Stats {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!.toFixed(2));
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

export type Way = () => Promise<unknown>;

/**
 * Times each way `iterations` times after warm-up, interleaved (service, http, raw, then the next
 * round in another order) so a busy neighbour slows all three alike. A read slower than the budget
 * allows stops after `minIterations` rounds (a slow search at 3M messages would otherwise take the hour).
 */
export async function timeWays(ways: Record<string, Way | null>, o: { iterations: number; minIterations?: number; budgetMs?: number; warmup?: number }) {
  const present = Object.entries(ways).filter((e): e is [string, Way] => e[1] !== null);
  for (let i = 0; i < (o.warmup ?? 3); i++) for (const [, fn] of present) await fn();
  const times: Record<string, number[]> = Object.fromEntries(present.map(([k]) => [k, []]));
  const started = performance.now();
  let rounds = 0;
  while (rounds < o.iterations) {
    const order = rounds % 2 ? [...present].reverse() : present;
    for (const [k, fn] of order) {
      const t = performance.now();
      await fn();
      times[k]!.push(performance.now() - t);
    }
    rounds++;
    if (rounds >= (o.minIterations ?? 10) && performance.now() - started > (o.budgetMs ?? 60_000)) break;
  }
  return { rounds, stats: Object.fromEntries(present.map(([k]) => [k, stats(times[k]!)])) as Record<string, Stats> };
}

export const ratio = (a: Stats | undefined, b: Stats | undefined) => (a && b && b.p50 > 0 ? Number((a.p50 / b.p50).toFixed(2)) : null);
