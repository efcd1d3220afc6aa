// Helpers for tests that drive the simulator: its control API and a real HTTP webhook receiver.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** POST/GET on the simulator's /_sim control API; throws on a non-2xx answer. */
export async function simControl<T = Record<string, unknown>>(baseUrl: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/_sim/${path.replace(/^\/+/, "")}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`simControl ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export type ReceivedWebhook = { headers: IncomingHttpHeaders; raw: string; json: unknown; status: number };

/**
 * A local endpoint that records every webhook delivery. `respond` picks the status for each one
 * (default 200), so tests can make deliveries fail and watch the retries.
 */
export async function startWebhookReceiver(respond: (n: number, body: unknown) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = Object.fromEntries(new URLSearchParams(raw));
    }
    const status = respond(received.length, json);
    received.push({ headers: req.headers, raw, json, status });
    res.writeHead(status).end();
    for (const w of waiters.filter((w) => received.length >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    /** Resolves once at least `n` deliveries arrived (rejects after `timeoutMs`). */
    waitFor(n: number, timeoutMs = 5000) {
      if (received.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`waited for ${n} webhooks, got ${received.length}`)), timeoutMs);
        waiters.push({ n, resolve: () => {
          clearTimeout(t);
          resolve();
        } });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
