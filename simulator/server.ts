// A Unipile v1 stand-in: the REST API under /api/v1 (same paths, shapes, errors and cursors as
// Unipile), webhooks to registered URLs, and a control API under /_sim/ for tests and demos.
// Run in-process with startSimulator(), or as a CLI with `npm run simulator`. This file is the HTTP
// server; the routes are in rest-routes.ts and control-routes.ts, the behaviour in world.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { controlRoutes } from "./control-routes.ts";
import type { SimStore } from "./data.ts";
import { ApiError, bodyReader, send } from "./http.ts";
import { Journal } from "./journal.ts";
import { restRoutes } from "./rest-routes.ts";
import type { WebhookDispatcher } from "./webhooks.ts";
import { type Faults, NO_FAULTS } from "./faults.ts";
import { World } from "./world.ts";

export type { Faults } from "./faults.ts";
export const DEFAULT_API_KEY = "sim_dev_key_parley";
export const DEFAULT_PORT = 3100;

export type SimulatorOptions = {
  /** 0 = any free port. Default 3100. */
  port?: number;
  host?: string;
  /** Default: SIMULATOR_API_KEY, else DEFAULT_API_KEY. */
  apiKey?: string;
  seed?: number;
  /** Generated chats (and messages in each), for load tests. */
  chats?: number;
  messages?: number;
  /** Hand-written demo chats. Default true. */
  demo?: boolean;
  /** Delays before each webhook retry; their count is the number of retries. Default 2, 4, 8, 16, 32 s. */
  webhookRetryDelaysMs?: number[];
  /** An inbound message every few seconds. */
  live?: boolean;
  liveIntervalMs?: number;
  /** Seeded data ends shortly before this time (ms). Default: now, to the minute. */
  baseTime?: number;
  /** Log each API request to stdout. */
  log?: boolean;
  /**
   * Keep the world in this folder across restarts (same chats, ids, times and files; every change
   * replayed). Without it the world lives in memory and each start is fresh.
   */
  dataDir?: string;
};

export type Simulator = {
  url: string;
  port: number;
  apiKey: string;
  /** The current data (replaced by reset). */
  readonly store: SimStore;
  readonly webhooks: WebhookDispatcher;
  faults: Faults;
  reset(opts?: { clearWebhooks?: boolean }): void;
  close(): Promise<void>;
};

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  // The env fallback lets the launcher (which passes no key) honour SIMULATOR_API_KEY.
  const apiKey = opts.apiKey ?? (process.env.SIMULATOR_API_KEY || DEFAULT_API_KEY);
  const world = new World({
    seed: opts.seed ?? 1,
    demo: opts.demo ?? true,
    chats: opts.chats,
    messages: opts.messages,
    baseTime: opts.baseTime ?? Math.floor(Date.now() / 60_000) * 60_000,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [2000, 4000, 8000, 16000, 32000],
    live: opts.live,
    liveIntervalMs: opts.liveIntervalMs,
  }, opts.dataDir ? new Journal(opts.dataDir) : undefined);
  const routes = restRoutes(world);
  const control = controlRoutes(world, { apiKey, reset: (o) => world.reset(o) });
  const hanging = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sim");
    const method = req.method ?? "GET";
    const body = bodyReader(req);

    if (url.pathname.startsWith("/_sim/")) {
      const fn = control[`${method} ${url.pathname}`];
      if (!fn) return send(res, { status: 404, body: { error: `No control route ${method} ${url.pathname}` } });
      try {
        const raw = method === "POST" ? (await body()).toString("utf8") : "";
        const input = raw ? JSON.parse(raw) : {};
        return send(res, { status: 200, body: (await fn(input)) ?? { ok: true } });
      } catch (e) {
        if (e instanceof ApiError) return send(res, { status: e.status, body: { error: e.detail ?? e.title, ...e.body } });
        return send(res, { status: 400, body: { error: e instanceof Error ? e.message : String(e) } });
      }
    }

    const match = routes.find((r) => r.method === method && r.re.test(url.pathname)) ?? null;
    const params = match ? [...url.pathname.match(match.re)!].slice(1).map(decodeURIComponent) : [];
    const key = `${method} ${match?.pattern ?? "(unmatched)"}`;
    world.requestStats.set(key, (world.requestStats.get(key) ?? 0) + 1);
    if (opts.log) console.log(`[sim] ${method} ${url.pathname}${url.search}`);

    const faults = world.faults;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.hangRate > 0 && world.faultRng.next() < faults.hangRate) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return; // never answered: the client's timeout has to fire
    }
    try {
      if (req.headers["x-api-key"] !== apiKey) throw new ApiError(401, "errors/missing_credentials", "Missing credentials");
      if (faults.failNext > 0 || (faults.errorRate > 0 && world.faultRng.next() < faults.errorRate)) {
        if (faults.failNext > 0) faults.failNext--;
        const err = ApiError.of(faults.errorStatus, "Injected failure.");
        const headers: Record<string, string> = faults.retryAfterSec !== null ? { "retry-after": String(faults.retryAfterSec) } : {};
        res.writeHead(err.status, { "content-type": "application/json; charset=utf-8", ...headers });
        return res.end(JSON.stringify(err.body));
      }
      if (!match) throw ApiError.of(404, `No route ${method} ${url.pathname}.`);
      send(res, await match.handler({ params, query: url.searchParams, req, body }));
    } catch (e) {
      if (e instanceof ApiError) return send(res, { status: e.status, body: e.body });
      console.error("[sim] handler error", e);
      send(res, { status: 500, body: ApiError.of(500, e instanceof Error ? e.message : String(e)).body });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error("[sim]", e);
      if (!res.headersSent) send(res, { status: 500, body: ApiError.of(500).body });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? DEFAULT_PORT, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (opts.live) world.setLive(true, world.live.intervalMs);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey,
    get store() {
      return world.store;
    },
    webhooks: world.webhooks,
    get faults() {
      return world.faults;
    },
    set faults(f: Faults) {
      world.faults = { ...NO_FAULTS, ...f };
    },
    reset: (o = {}) => world.reset(o),
    async close() {
      world.stop();
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
