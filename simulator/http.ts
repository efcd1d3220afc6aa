// HTTP plumbing shared by the simulator's routes: Unipile's error bodies, query parsing, cursors and
// pagination, body readers and the answer writer. Nothing here knows about chats or messages.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Unipile's error slug for a status, used for injected and simulated errors. */
const SLUGS: Record<number, [string, string]> = {
  400: ["errors/invalid_parameters", "Invalid parameters"],
  401: ["errors/disconnected_account", "Disconnected account"],
  403: ["errors/insufficient_permissions", "Insufficient permissions"],
  404: ["errors/resource_not_found", "Resource not found."],
  415: ["errors/unsupported_media_type", "Unsupported media type"],
  422: ["errors/cannot_send_message", "Cannot send message"],
  429: ["errors/too_many_requests", "Too many requests"],
  500: ["errors/unexpected_error", "Unexpected error"],
  501: ["errors/feature_not_implemented", "Feature not implemented"],
  503: ["errors/service_unavailable", "Service unavailable"],
  504: ["errors/request_timeout", "Request timeout"],
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(title);
  }
  static of(status: number, detail?: string, type?: string) {
    const [slug, title] = SLUGS[status] ?? [`errors/http_${status}`, `HTTP ${status}`];
    return new ApiError(status, type ?? slug, title, detail);
  }
  get body() {
    return { status: this.status, type: this.type, title: this.title, ...(this.detail ? { detail: this.detail } : {}) };
  }
}
export const notFound = (what: string) => ApiError.of(404, `No ${what} matches the given id.`);
export const badParam = (detail: string) => ApiError.of(400, detail);

export type Reply = { status: number; body: unknown } | { status: number; bytes: Uint8Array; contentType: string };
export type Ctx = { params: string[]; query: URLSearchParams; req: IncomingMessage; body: () => Promise<Buffer> };
export type Route = { method: string; pattern: string; re: RegExp; handler: (ctx: Ctx) => Reply | Promise<Reply> };

export const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** A route table: `:id` segments become params, in order. */
export function routeTable() {
  const routes: Route[] = [];
  const route = (method: string, pattern: string, handler: Route["handler"]) =>
    routes.push({ method, pattern, handler, re: new RegExp(`^${pattern.replace(/:id/g, "([^/]+)")}$`) });
  return { routes, route };
}

export function send(res: ServerResponse, reply: Reply) {
  if ("bytes" in reply) {
    res.writeHead(reply.status, { "content-type": reply.contentType, "content-length": reply.bytes.byteLength });
    res.end(reply.bytes);
    return;
  }
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** The request body, read once however often it is asked for. */
export function bodyReader(req: IncomingMessage) {
  let cached: Buffer | undefined;
  return async () => {
    if (cached) return cached;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    cached = Buffer.concat(chunks);
    return cached;
  };
}

export async function readForm(ctx: Ctx): Promise<FormData> {
  const ct = ctx.req.headers["content-type"] ?? "";
  if (!ct.includes("multipart/form-data") && !ct.includes("application/x-www-form-urlencoded"))
    throw ApiError.of(400, "Expected a multipart/form-data body.", "errors/malformed_request");
  try {
    return await new Request("http://sim/", { method: "POST", headers: { "content-type": ct }, body: new Uint8Array(await ctx.body()) }).formData();
  } catch {
    throw ApiError.of(400, "The multipart body could not be read.", "errors/malformed_request");
  }
}

export async function readJson(ctx: Ctx): Promise<Record<string, unknown>> {
  const raw = (await ctx.body()).toString("utf8");
  try {
    const v = JSON.parse(raw || "{}");
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error();
    return v as Record<string, unknown>;
  } catch {
    throw ApiError.of(400, "The body is not a JSON object.", "errors/malformed_request");
  }
}

// ---------------------------------------------------------------------------------------------
// Query parsing and pagination
// ---------------------------------------------------------------------------------------------

const ISO_MS = /^[1-2]\d{3}-[0-1]\d-[0-3]\dT\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function parseLimit(q: URLSearchParams, fallback = 100): number {
  const raw = q.get("limit");
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 250) throw badParam(`limit must be an integer from 1 to 250, got "${raw}".`);
  return n;
}

export function parseTime(q: URLSearchParams, key: "before" | "after"): number | undefined {
  const raw = q.get(key);
  if (raw === null || raw === "") return undefined;
  const t = Date.parse(raw);
  if (!ISO_MS.test(raw) || Number.isNaN(t) || new Date(t).toISOString() !== raw)
    throw badParam(`${key} must be an ISO 8601 UTC datetime with milliseconds (YYYY-MM-DDTHH:MM:SS.sssZ), got "${raw}".`);
  return t;
}

type CursorState = { last_id: string; last_date?: string };
export type Decoded = Record<string, unknown> & { limit: number; cursor: CursorState };

function encodeCursor(filters: Record<string, unknown>, limit: number, cursor: CursorState) {
  // Standard base64 with padding: the SDK's validator checks exactly that.
  return Buffer.from(JSON.stringify({ ...filters, limit, cursor })).toString("base64");
}

export function decodeCursor(q: URLSearchParams): Decoded | undefined {
  const raw = q.get("cursor");
  if (!raw) return undefined;
  try {
    const d = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as Decoded;
    if (typeof d?.cursor?.last_id !== "string" || typeof d.limit !== "number") throw new Error();
    return d;
  } catch {
    throw badParam("cursor is not a valid cursor.");
  }
}

/**
 * One page of `items` (already filtered and sorted newest first). With `dated`, the cursor holds the
 * last (date, id) and the next page starts strictly after it, so new items never shift a walk.
 */
export function paginate<T>(
  object: string,
  items: T[],
  opts: { limit: number; decoded?: Decoded; filters: Record<string, unknown>; id: (t: T) => string; date?: (t: T) => string | null },
  serialize: (t: T) => unknown,
) {
  let start = 0;
  const c = opts.decoded?.cursor;
  if (c) {
    if (opts.date && c.last_date !== undefined) {
      const lastDate = c.last_date;
      start = items.findIndex((t) => {
        const d = opts.date!(t) ?? "";
        return d < lastDate || (d === lastDate && opts.id(t) < c.last_id);
      });
      if (start === -1) start = items.length;
    } else {
      start = items.findIndex((t) => opts.id(t) === c.last_id) + 1;
    }
  }
  const page = items.slice(start, start + opts.limit);
  const last = page[page.length - 1];
  const more = start + opts.limit < items.length && last !== undefined;
  const cursor = more
    ? encodeCursor(opts.filters, opts.limit, { last_id: opts.id(last), ...(opts.date ? { last_date: opts.date(last) ?? "" } : {}) })
    : null;
  return { object, items: page.map(serialize), cursor };
}

/** Newest first by (timestamp, id); chats without activity last. */
export function newestFirst<T extends { timestamp: string | null; id: string }>(a: T, b: T) {
  const ta = a.timestamp ?? "";
  const tb = b.timestamp ?? "";
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
