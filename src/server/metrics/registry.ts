// This process's Prometheus metrics (prom-client). One registry per process, kept on globalThis because
// Next bundles route handlers and server code into separate module graphs that must count into the same
// place. Each instance serves only its own counters; DB-derived gauges are read at scrape time (scrape.ts).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "parley_" });
  const registers = [registry];
  return {
    registry,
    webhookDeliveries: new Counter({
      name: "parley_webhook_deliveries_total",
      help: "Webhook deliveries and what became of them: received, duplicate, rejected (at the door); applied, deferred, failed (when applied)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    webhookApplyLag: new Histogram({
      name: "parley_webhook_apply_lag_seconds",
      help: "Time from a webhook being received to its event being applied",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers,
    }),
    webhookBacklog: new Gauge({
      name: "parley_webhook_backlog",
      help: "Webhook events waiting to be applied, by status (read from the database at scrape time)",
      labelNames: ["status"] as const,
      registers,
    }),
    syncRunsActive: new Gauge({
      name: "parley_sync_runs_active",
      help: "Sync runs queued or running, across instances (read from the database at scrape time)",
      labelNames: ["status"] as const,
      registers,
    }),
    syncRuns: new Counter({
      name: "parley_sync_runs_total",
      help: "Sync runs finished in this process, by status",
      labelNames: ["status"] as const,
      registers,
    }),
    syncMessages: new Counter({
      name: "parley_sync_messages_total",
      help: "Messages stored by sync runs, new or updated",
      labelNames: ["kind"] as const,
      registers,
    }),
    syncErrors: new Counter({ name: "parley_sync_errors_total", help: "Errors counted by sync runs (chats or accounts that could not be synced)", registers }),
    sseClients: new Gauge({ name: "parley_sse_clients", help: "Open realtime (SSE) streams in this process", registers }),
    unipileCalls: new Counter({
      name: "parley_unipile_requests_total",
      help: "HTTP attempts to Unipile, by endpoint class and status (0: timeout or network error)",
      labelNames: ["endpoint", "status"] as const,
      registers,
    }),
    unipileLatency: new Histogram({
      name: "parley_unipile_request_duration_seconds",
      help: "Time of one HTTP attempt to Unipile until its headers arrive",
      labelNames: ["endpoint"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    requestLatency: new Histogram({
      name: "parley_request_duration_seconds",
      help: "Server time of tRPC procedures and the webhook route",
      labelNames: ["route", "outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof create>;
const holder = globalThis as { __parleyMetrics?: Metrics };

export function metrics(): Metrics {
  holder.__parleyMetrics ??= create();
  return holder.__parleyMetrics;
}

/** "GET /chats/:id/messages": ids (every second path segment) never become label values. */
export function endpointClass(method: string, path: string): string {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  return `${method} /${segments.map((s, i) => (i % 2 === 1 || !/^[a-z_]+$/.test(s) ? ":id" : s)).join("/")}`;
}

/** Seconds since `start` (from performance.now()). */
export const secondsSince = (start: number) => (performance.now() - start) / 1000;
