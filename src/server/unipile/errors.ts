// The one error type for anything that goes wrong talking to Unipile: an HTTP error with Unipile's
// body, a network failure, a timeout, or a response that does not match our schemas.
import { ErrorBodySchema } from "./schemas.ts";

/** Slugs for failures that never got a Unipile answer (status 0) or got an unusable one. */
export const CLIENT_SLUGS = {
  network: "client/network_error",
  timeout: "client/timeout",
  invalidResponse: "client/invalid_response",
  invalidRequest: "client/invalid_request",
} as const;

/**
 * Text that may reach a person (a failed send's reason, an admin page) must not name our network:
 * hosts with ports, IP addresses and URLs become "[address]". Unipile's own titles pass unchanged.
 */
export function scrubAddresses(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, "[address]")
    .replace(/\[[0-9a-f:]*:[0-9a-f:]+\](:\d+)?/gi, "[address]")
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, "[address]")
    .replace(/\b(?:[a-z0-9-]+\.)*[a-z0-9-]+:\d{2,5}\b/gi, "[address]");
}

/** A network failure in words a person can read, without the address it failed to reach. */
export function describeNetworkError(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const code = (cause as { code?: unknown } | null)?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host name lookup failed",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    UND_ERR_SOCKET: "connection closed",
    UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  };
  if (typeof code === "string" && known[code]) return known[code];
  return scrubAddresses(cause instanceof Error ? cause.message : String(cause));
}

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
    const title = scrubAddresses(init.title);
    const detail = init.detail === undefined ? undefined : scrubAddresses(init.detail);
    super(`Unipile ${init.status || "request"} ${init.slug}: ${title}${detail ? ` (${detail})` : ""}`, {
      cause: init.cause,
    });
    this.name = "UnipileError";
    this.status = init.status;
    this.slug = init.slug;
    this.title = title;
    this.detail = detail;
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

function isRetryableStatus(status: number): boolean {
  // 501 feature_not_implemented: the provider does not offer it, and asking again will not change that.
  return status === 0 || status === 429 || (status >= 500 && status !== 501);
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
