// GET /api/metrics: this process's metrics in Prometheus text format, for a scraper holding
// METRICS_TOKEN. Gauges shared by every instance (webhook backlog, active sync runs) are read from the
// database here, at scrape time, so any instance reports the same values for them.
import { createHash, timingSafeEqual } from "node:crypto";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { metrics } from "./registry.ts";

const PLAIN = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
const BACKLOG = ["received", "deferred", "failed"] as const;
const ACTIVE_RUNS = ["queued", "running"] as const;

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

async function readDatabaseGauges() {
  const m = metrics();
  const [events, runs] = await Promise.all([
    db.webhookEvent.groupBy({ by: ["status"], where: { status: { in: [...BACKLOG] } }, _count: { _all: true } }),
    db.syncRun.groupBy({ by: ["status"], where: { status: { in: [...ACTIVE_RUNS] } }, _count: { _all: true } }),
  ]);
  for (const s of BACKLOG) m.webhookBacklog.set({ status: s }, events.find((e) => e.status === s)?._count._all ?? 0);
  for (const s of ACTIVE_RUNS) m.syncRunsActive.set({ status: s }, runs.find((r) => r.status === s)?._count._all ?? 0);
}

export async function handleMetricsGet(req: Request): Promise<Response> {
  const expected = env.METRICS_TOKEN;
  if (!expected) return new Response("Metrics are off: set METRICS_TOKEN to serve them.\n", { status: 404, headers: PLAIN });
  const header = req.headers.get("authorization") ?? "";
  const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!given || !sameToken(given, expected)) {
    return new Response("Missing or wrong metrics token: send Authorization: Bearer <METRICS_TOKEN>.\n", {
      status: 401,
      headers: { ...PLAIN, "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const { registry } = metrics();
  try {
    await readDatabaseGauges();
  } catch (err) {
    // The process metrics are still worth serving when the database is down; the gauges keep their last value.
    log.warn("metrics: could not read the database gauges:", err instanceof Error ? err.message : String(err));
  }
  return new Response(await registry.metrics(), { headers: { ...PLAIN, "content-type": registry.contentType } });
}
