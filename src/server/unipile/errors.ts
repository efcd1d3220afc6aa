// The one error type for anything that goes wrong talking to Unipile: an HTTP error with Unipile's
// body, a network failure, a timeout, or a response that does not match our schemas.
import { ErrorBodySchema } from "./schemas.ts";

/** Slugs for failures that never got a Unipile answer (status 0) or got an unusable one. */
export const CLIENT_SLUGS = {
  network: "client/network_error",
  timeout: "client/timeout",
  invalidResponse: "client/invalid_response",
} as const;

export class UnipileError extends Error {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** Unipile's `type`, e.g. `errors/resource_not_found`, or one of CLIENT_SLUGS. */
  readonly slug: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** 429, 5xx (incl. 504) and network errors/timeouts are worth retrying; other 4xx are final. */
  readonly retryable: boolean;
  /** Retry-After in ms when the server sent one. */
  readonly retryAfterMs: number | undefined;
  readonly body: unknown;

  constructor(init: {
    status: number;
    slug: string;
    title: string;
    detail?: string;
    retryAfterMs?: number;
    body?: unknown;
    cause?: unknown;
  }) {
    super(`Unipile ${init.status || "request"} ${init.slug}: ${init.title}${init.detail ? ` (${init.detail})` : ""}`, {
      cause: init.cause,
    });
    this.name = "UnipileError";
    this.status = init.status;
    this.slug = init.slug;
    this.title = init.title;
    this.detail = init.detail;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
    this.retryable = isRetryableStatus(init.status);
  }

  /** True when our API key is wrong (as opposed to a connected account needing reconnection). */
  get isAuthError() {
    return this.status === 401 && this.slug === "errors/missing_credentials";
  }
  get isNotFound() {
    return this.status === 404;
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** Retry-After as seconds or an HTTP date → ms (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Builds the error from an HTTP status and whatever body came with it (JSON error body or not). */
export function errorFromResponse(status: number, body: unknown, headers?: Headers): UnipileError {
  const parsed = ErrorBodySchema.safeParse(body);
  const retryAfterMs = parseRetryAfter(headers?.get("retry-after"));
  if (parsed.success) {
    return new UnipileError({
      status,
      slug: parsed.data.type,
      title: parsed.data.title ?? parsed.data.type,
      detail: parsed.data.detail ?? undefined,
      retryAfterMs,
      body,
    });
  }
  // Unknown body (a proxy's HTML page, empty): fall back to the status alone.
  return new UnipileError({
    status,
    slug: `http/${status}`,
    title: `HTTP ${status}`,
    detail: typeof body === "string" && body ? body.slice(0, 200) : undefined,
    retryAfterMs,
    body,
  });
}
