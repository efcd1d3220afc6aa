// How the client talks HTTP to Unipile: one attempt with its timeout, retries with backoff, the
// per-account concurrency limit, zod-checked JSON, streamed downloads and cursor pages. Every
// failure becomes a UnipileError. The endpoints themselves are listed in client.ts.
import pLimit, { type LimitFunction } from "p-limit";
import type { z } from "zod";
import { parseDsn } from "./dsn.ts";
import { CLIENT_SLUGS, describeNetworkError, errorFromResponse, UnipileError } from "./errors.ts";
import { parseUnipileJson, type Page } from "./schemas.ts";
import { endpointClass, metrics, secondsSince } from "../metrics/registry.ts";

export type UnipileClientOptions = {
  /** `api8.unipile.com:13851` (https assumed) or a full URL such as `http://127.0.0.1:3100`. */
  dsn: string;
  apiKey: string;
  /** Per attempt, until the response body is read (for downloads: until headers arrive). Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures. Default 3. */
  maxRetries?: number;
  /** Parallel requests per connected account. Default 4. */
  perAccountConcurrency?: number;
  fetch?: typeof globalThis.fetch;
  /** First backoff delay; doubles each retry, with jitter. Default 500 ms. */
  retryBaseMs?: number;
  /** Longest single wait. A Retry-After beyond it is not waited for: the error is thrown. Default 30 s. */
  retryMaxMs?: number;
  /** How the client waits between attempts (tests pass one that records the waits instead of the clock). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/**
 * Per call: the account the call is about (for the concurrency limit), a caller's abort signal, and
 * the whole time the call may take, retries included (interactive calls default to INTERACTIVE_BUDGET_MS).
 */
export type CallOptions = { accountId?: string; signal?: AbortSignal; budgetMs?: number };

export type AttachmentDownload = {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: number | null;
};

export type RequestSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, unknown>;
  json?: unknown;
  /** Built per attempt: a FormData body cannot be reused safely across retries. */
  form?: () => FormData;
  /** Sends may already have gone out on a 5xx/timeout: retry them only on 429. */
  retryOnlyRateLimit?: boolean;
} & CallOptions;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function toQuery(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    if (v instanceof Date) q.set(k, v.toISOString());
    else if (Array.isArray(v)) q.set(k, v.join(","));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** One path segment. `encodeURIComponent` leaves `.` and `..` as they are, and URLs resolve them
 * into another endpoint (`/chats/../webhooks`), so such ids are refused instead of sent. */
export function enc(id: string): string {
  if (id === "" || id === "." || id === "..") {
    throw new UnipileError({ status: 0, slug: CLIENT_SLUGS.invalidRequest, title: "Invalid id", detail: JSON.stringify(id) });
  }
  return encodeURIComponent(id);
}

function wrapFetchError(e: unknown, timedOut: boolean, callerSignal: AbortSignal | undefined, waitMs: number): unknown {
  if (callerSignal?.aborted) return e; // the caller gave up: not a Unipile failure
  if (timedOut)
    return new UnipileError({ status: 0, slug: CLIENT_SLUGS.timeout, title: `No answer within ${Math.round(waitMs / 1000)} s`, cause: e });
  return new UnipileError({ status: 0, slug: CLIENT_SLUGS.network, title: "Network error", detail: describeNetworkError(e), cause: e });
}

function invalid(status: number, spec: RequestSpec, detail: string, body?: unknown) {
  return new UnipileError({
    status,
    slug: CLIENT_SLUGS.invalidResponse,
    title: `Unexpected response from ${spec.method} ${spec.path}`,
    detail,
    body,
  });
}

/** Walks cursor pages; the same filters are sent with each cursor, as Unipile's docs advise. */
export async function* pages<T, F extends { cursor?: string | null }>(filter: F, fetchPage: (f: F) => Promise<Page<T>>) {
  let cursor = filter.cursor ?? null;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage({ ...filter, cursor });
    yield page;
    if (!page.cursor) return;
    if (seen.has(page.cursor)) throw new UnipileError({ status: 200, slug: CLIENT_SLUGS.invalidResponse, title: "Cursor loop" });
    seen.add(page.cursor);
    cursor = page.cursor;
  }
}

export function createTransport(options: UnipileClientOptions) {
  const base = parseDsn(options.dsn);
  const apiKey = options.apiKey;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const wait = options.sleep ?? sleep;
  const concurrency = options.perAccountConcurrency ?? 4;
  const limiters = new Map<string, LimitFunction>();

  function limiterFor(accountId: string | undefined) {
    const key = accountId ?? "";
    let l = limiters.get(key);
    if (!l) {
      l = pLimit(concurrency);
      limiters.set(key, l);
    }
    return l;
  }

  /** One attempt: fetch, then `consume` the response while the timeout still runs. */
  async function attempt<T>(spec: RequestSpec, consume: (res: Response) => Promise<T>, keepTimerAfterHeaders: boolean, deadline: number): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const waitMs = Math.max(1, Math.min(timeoutMs, deadline - Date.now()));
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("timeout"));
    }, waitMs);
    const onCallerAbort = () => controller.abort(spec.signal!.reason);
    spec.signal?.addEventListener("abort", onCallerAbort, { once: true });
    const url = base + spec.path + toQuery(spec.query ?? {});
    const headers: Record<string, string> = { "X-API-KEY": apiKey, accept: "application/json" };
    let body: BodyInit | undefined;
    if (spec.form) body = spec.form();
    else if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(spec.json);
    }
    try {
      let res: Response;
      const endpoint = endpointClass(spec.method, spec.path);
      const started = performance.now();
      try {
        res = await doFetch(url, { method: spec.method, headers, body, signal: controller.signal });
      } catch (e) {
        if (!spec.signal?.aborted) metrics().unipileCalls.inc({ endpoint, status: "0" }); // timeout or network error
        throw wrapFetchError(e, timedOut, spec.signal, waitMs);
      } finally {
        metrics().unipileLatency.observe({ endpoint }, secondsSince(started));
      }
      metrics().unipileCalls.inc({ endpoint, status: String(res.status) });
      if (!keepTimerAfterHeaders && res.ok) clearTimeout(timer);
      if (!res.ok) {
        const text = await res.text().catch(() => "");
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        throw errorFromResponse(res.status, parsed, res.headers);
      }
      try {
        return await consume(res);
      } catch (e) {
        throw e instanceof UnipileError ? e : wrapFetchError(e, timedOut, spec.signal, waitMs);
      }
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  async function withRetries<T>(spec: RequestSpec, consume: (res: Response) => Promise<T>, keepTimer = true): Promise<T> {
    const limit = limiterFor(spec.accountId);
    const deadline = spec.budgetMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + spec.budgetMs;
    for (let n = 0; ; n++) {
      try {
        // The wait between attempts happens outside the limiter so other calls keep flowing.
        return await limit(() => {
          if (Date.now() >= deadline) throw new UnipileError({ status: 0, slug: CLIENT_SLUGS.timeout, title: "No answer in time (busy)" });
          return attempt(spec, consume, keepTimer, deadline);
        });
      } catch (e) {
        if (!(e instanceof UnipileError) || !e.retryable || n >= maxRetries) throw e;
        if (spec.retryOnlyRateLimit && e.status !== 429) throw e;
        if (e.retryAfterMs !== undefined && e.retryAfterMs > retryMaxMs) throw e;
        const backoff = Math.min(retryMaxMs, retryBaseMs * 2 ** n);
        const delay = e.retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2);
        // A retry that could not finish within the budget only makes the person wait longer.
        if (Date.now() + delay + 250 >= deadline) throw e;
        await wait(delay, spec.signal);
      }
    }
  }

  return {
    base,

    /** A JSON answer, checked by `schema`. */
    json<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.infer<S>> {
      return withRetries(spec, async (res) => {
        const text = await res.text();
        let data: unknown;
        try {
          data = text ? parseUnipileJson(text) : undefined;
        } catch {
          throw invalid(res.status, spec, "body is not JSON");
        }
        const parsed = schema.safeParse(data);
        if (!parsed.success) {
          const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
          throw invalid(res.status, spec, issues.join("; "), data);
        }
        return parsed.data;
      });
    },

    /** Bytes, streamed: the body is handed on as it arrives. */
    download(spec: RequestSpec): Promise<AttachmentDownload> {
      return withRetries(
        spec,
        async (res) => {
          if (!res.body) throw invalid(res.status, spec, "no body");
          const len = res.headers.get("content-length");
          return {
            body: res.body,
            contentType: res.headers.get("content-type") ?? "application/octet-stream",
            contentLength: len === null ? null : Number(len),
          };
        },
        false,
      );
    },
  };
}
