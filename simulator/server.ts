// A Unipile v1 stand-in: the REST API under /api/v1 (same paths, shapes, errors and cursors as
// Unipile), webhooks to registered URLs, and a control API under /_sim/ for tests and demos.
// Run in-process with startSimulator(), or as a CLI with `npm run simulator`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { guessMimetype, makePortrait, pngSize } from "./assets.ts";
import { ASSETS, hash, SimStore, SOURCE_STATUSES, type SimAccount, type SimAttendee, type SimChat, type SimMessage, type SourceStatus } from "./data.ts";
import { createRng } from "./rng.ts";
import { attendeeRef, messagePayload, WebhookDispatcher, type SimWebhook } from "./webhooks.ts";

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
};

export type Faults = {
  /** Added before every /api/v1 answer. */
  latencyMs: number;
  /** Share (0–1) of /api/v1 requests answered with errorStatus. */
  errorRate: number;
  errorStatus: number;
  /** The next N /api/v1 requests fail with errorStatus (deterministic, for tests). */
  failNext: number;
  /** Seconds for a Retry-After header on injected errors (v1 does not document one; off by default). */
  retryAfterSec: number | null;
  /** Share (0–1) of /api/v1 requests that never get an answer. */
  hangRate: number;
  /** Every webhook is delivered this many times. */
  webhookDuplicates: number;
  /** Webhooks emitted close together are delivered in random order. */
  webhookShuffle: boolean;
  /** Share (0–1) of webhooks never sent. */
  webhookDropRate: number;
  /** Sends (POST /chats/:id/messages, POST /chats) fail with this status. */
  sendFailStatus: number | null;
  /** Sends answer `message_id: null` (the echo webhook still carries the id). */
  nullMessageIds: boolean;
  /** Message listing of these chats always fails with 500. */
  failingChatIds: string[];
};

const NO_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  failNext: 0,
  retryAfterSec: null,
  hangRate: 0,
  webhookDuplicates: 1,
  webhookShuffle: false,
  webhookDropRate: 0,
  sendFailStatus: null,
  nullMessageIds: false,
  failingChatIds: [],
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

class ApiError extends Error {
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
const notFound = (what: string) => ApiError.of(404, `No ${what} matches the given id.`);
const badParam = (detail: string) => ApiError.of(400, detail);

type Reply = { status: number; body: unknown } | { status: number; bytes: Uint8Array; contentType: string };
type Ctx = { params: string[]; query: URLSearchParams; req: IncomingMessage; body: () => Promise<Buffer> };
type Route = { method: string; pattern: string; re: RegExp; handler: (ctx: Ctx) => Reply | Promise<Reply> };

const MESSAGING_TYPES = ["WHATSAPP", "LINKEDIN", "SLACK", "TWITTER", "MESSENGER", "INSTAGRAM", "TELEGRAM"];
const ISO_MS = /^[1-2]\d{3}-[0-1]\d-[0-3]\dT\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---------------------------------------------------------------------------------------------
// Query parsing and pagination
// ---------------------------------------------------------------------------------------------

function parseLimit(q: URLSearchParams, fallback = 100): number {
  const raw = q.get("limit");
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 250) throw badParam(`limit must be an integer from 1 to 250, got "${raw}".`);
  return n;
}

function parseTime(q: URLSearchParams, key: "before" | "after"): number | undefined {
  const raw = q.get(key);
  if (raw === null || raw === "") return undefined;
  const t = Date.parse(raw);
  if (!ISO_MS.test(raw) || Number.isNaN(t) || new Date(t).toISOString() !== raw)
    throw badParam(`${key} must be an ISO 8601 UTC datetime with milliseconds (YYYY-MM-DDTHH:MM:SS.sssZ), got "${raw}".`);
  return t;
}

type CursorState = { last_id: string; last_date?: string };
type Decoded = Record<string, unknown> & { limit: number; cursor: CursorState };

function encodeCursor(filters: Record<string, unknown>, limit: number, cursor: CursorState) {
  // Standard base64 with padding: the SDK's validator checks exactly that.
  return Buffer.from(JSON.stringify({ ...filters, limit, cursor })).toString("base64");
}

function decodeCursor(q: URLSearchParams): Decoded | undefined {
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
function paginate<T>(
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
function newestFirst<T extends { timestamp: string | null; id: string }>(a: T, b: T) {
  const ta = a.timestamp ?? "";
  const tb = b.timestamp ?? "";
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Serialisation (wire shapes)
// ---------------------------------------------------------------------------------------------

function wireChat(c: SimChat) {
  const out: Record<string, unknown> = { object: "Chat" };
  for (const [k, v] of Object.entries(c)) if (!k.startsWith("_") && v !== undefined) out[k] = v;
  out.unread = c.unread_count > 0 ? 1 : 0;
  return out;
}
const wireMessage = (m: SimMessage) => ({ object: "Message", ...m });
const wireAttendee = (a: SimAttendee) => ({ object: "ChatAttendee", ...a });
const wireAccount = (a: SimAccount) => ({
  object: "Account",
  id: a.id,
  name: a.name,
  type: a.type,
  created_at: a.created_at,
  connection_params: a.connection_params,
  groups: [],
  sources: [{ id: `${a.id}_MESSAGING`, status: a.status }],
});
const wireWebhook = (store: SimStore) => (h: SimWebhook) => ({
  object: "Webhook",
  id: h.id,
  type: "AUTO",
  source: h.source,
  name: h.name,
  request_url: h.request_url,
  format: h.format,
  enabled: h.enabled,
  headers: h.headers,
  data: h.data,
  ...(h.events ? { events: h.events } : {}),
  account_ids: h.account_ids.map((id) => {
    const a = store.account(id);
    return { id, ...(a ? { name: a.name, type: a.type } : { type: "LINKEDIN" }) };
  }),
});

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  // The env fallback lets the launcher (which passes no key) honour SIMULATOR_API_KEY.
  const apiKey = opts.apiKey ?? (process.env.SIMULATOR_API_KEY || DEFAULT_API_KEY);
  const seed = opts.seed ?? 1;
  const baseTime = opts.baseTime ?? Math.floor(Date.now() / 60_000) * 60_000;
  const makeStore = () => new SimStore({ seed, demo: opts.demo ?? true, chats: opts.chats, messages: opts.messages, baseTime });

  let store = makeStore();
  let faults: Faults = { ...NO_FAULTS };
  let faultRng = createRng(seed ^ 0xfa17);
  const requestStats = new Map<string, number>();
  /** Messaging webhooks held back while an account is not OK, delivered when it reconnects. */
  let held = new Map<string, [string, Record<string, unknown>][]>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  let live: { enabled: boolean; intervalMs: number; timer?: NodeJS.Timeout } = { enabled: false, intervalMs: opts.liveIntervalMs ?? 5000 };

  const webhooks = new WebhookDispatcher({
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [2000, 4000, 8000, 16000, 32000],
    faults: () => ({ duplicates: faults.webhookDuplicates, shuffle: faults.webhookShuffle, dropRate: faults.webhookDropRate }),
    seed,
  });

  function emit(event: string, m: SimMessage, extra: Record<string, unknown> = {}) {
    const payload = messagePayload(store, event, m, extra);
    const account = store.account(m.account_id)!;
    if (account.status !== "OK") {
      const list = held.get(account.id) ?? [];
      list.push([event, payload]);
      held.set(account.id, list);
      return;
    }
    webhooks.dispatch("messaging", event, payload, account.id);
  }

  // -------------------------------------------------------------------------------------------
  // Shared operations (used by the API, the control API and live mode)
  // -------------------------------------------------------------------------------------------

  function requireAccount(id: unknown): SimAccount {
    const a = typeof id === "string" ? store.account(id) : undefined;
    if (!a) throw notFound("account");
    return a;
  }
  function requireChat(id: unknown): SimChat {
    const c = typeof id === "string" ? store.chats.get(id) : undefined;
    if (!c) throw notFound("chat");
    return c;
  }
  function requireMessage(id: unknown): SimMessage {
    const m = typeof id === "string" ? store.getMessage(id) : undefined;
    if (!m) throw notFound("message");
    return m;
  }

  /** A message from the other party (a new 1:1 chat when no chat is given). */
  function inbound(input: {
    chat_id?: string;
    account_id?: string;
    text?: string | null;
    attachments?: ({ asset: keyof typeof ASSETS } | { name: string; type?: string; data_base64: string })[];
    sender_name?: string;
    sender_provider_id?: string;
    quote_id?: string;
  }) {
    let chat: SimChat;
    let sender: SimAttendee;
    if (input.chat_id) {
      chat = requireChat(input.chat_id);
      const others = store.others(chat);
      sender = others.find((o) => o.provider_id === input.sender_provider_id || o.name === input.sender_name) ?? others[0]!;
    } else {
      const account = input.account_id ? requireAccount(input.account_id) : store.accounts.find((a) => a.status === "OK")!;
      const r = store.rng;
      const name = input.sender_name ?? `${r.pick(["Alex", "Sam", "Robin", "Kai", "Noor", "Jules"])} ${r.pick(["Martin", "Silva", "Ito", "Haddad", "Berg"])}`;
      sender = input.sender_provider_id
        ? store.attendeeByProviderId(account, input.sender_provider_id, name)
        : store.attendeeByProviderId(account, providerUserId(account), name);
      chat = store.addChat(account, [sender], { name: account.type === "LINKEDIN" ? null : name });
    }
    const attachments = (input.attachments ?? []).map((a) =>
      "asset" in a
        ? store.attach(ASSETS[a.asset])
        : (() => {
            const bytes = Buffer.from(a.data_base64, "base64");
            return store.attach({ bytes, name: a.name, mimetype: guessMimetype(a.name, a.type), size: pngSize(bytes) });
          })(),
    );
    const quote = input.quote_id ? store.quoteOf(requireMessage(input.quote_id)) : {};
    const m = store.pushMessage(chat, sender, { text: input.text ?? (attachments.length ? null : ""), attachments, ...quote });
    chat.unread_count++;
    emit("message_received", m);
    return m;
  }

  function providerUserId(account: SimAccount) {
    const r = store.rng;
    switch (account.type) {
      case "WHATSAPP":
        return `${r.digits(11)}@s.whatsapp.net`;
      case "LINKEDIN":
        return "ACoAA" + r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 34);
      default:
        return r.digits(12);
    }
  }

  /** Our own message; its echo arrives as message_received with is_sender true. */
  function ownSend(chat: SimChat, f: Partial<SimMessage>) {
    const m = store.pushMessage(chat, store.selfOf(store.account(chat.account_id)!), { delivered: 0, seen: 0, ...f });
    // After the HTTP answer, as the echo can arrive before or after it.
    later(5, () => emit("message_received", m));
    if (live.enabled) {
      later(1000, () => markDelivered(m));
      later(3000, () => markRead(m));
    }
    return m;
  }

  function markDelivered(m: SimMessage) {
    if (m.delivered) return;
    m.delivered = 1;
    emit("message_delivered", m, { timestamp: store.now() });
  }

  function markRead(m: SimMessage) {
    const chat = store.chats.get(m.chat_id)!;
    const reader = store.others(chat)[0]!;
    const at = store.now();
    // Reading a message reads everything of ours before it too.
    for (const x of store.messagesOf(chat)) {
      if (x.timestamp > m.timestamp) break;
      if (x.is_sender && x.seen_by[reader.provider_id] === undefined) {
        x.seen = 1;
        x.delivered = 1;
        x.seen_by[reader.provider_id] = at;
      }
    }
    emit("message_read", m, { timestamp: at, read_by: attendeeRef(reader) });
  }

  function setAccountStatus(account: SimAccount, status: SourceStatus, message?: string) {
    const before = account.status;
    account.status = status;
    // Status webhooks fire on transitions only.
    if (before !== status || message)
      webhooks.dispatch("account_status", message ?? status, { AccountStatus: { account_id: account.id, account_type: account.type, message: message ?? status } }, account.id);
    if (status === "OK") {
      const missed = held.get(account.id) ?? [];
      held.delete(account.id);
      for (const [event, payload] of missed) webhooks.dispatch("messaging", event, payload, account.id);
    }
  }

  async function readForm(ctx: Ctx): Promise<FormData> {
    const ct = ctx.req.headers["content-type"] ?? "";
    if (!ct.includes("multipart/form-data") && !ct.includes("application/x-www-form-urlencoded"))
      throw ApiError.of(400, "Expected a multipart/form-data body.", "errors/malformed_request");
    try {
      return await new Request("http://sim/", { method: "POST", headers: { "content-type": ct }, body: new Uint8Array(await ctx.body()) }).formData();
    } catch {
      throw ApiError.of(400, "The multipart body could not be read.", "errors/malformed_request");
    }
  }

  async function readJson(ctx: Ctx): Promise<Record<string, unknown>> {
    const raw = (await ctx.body()).toString("utf8");
    try {
      const v = JSON.parse(raw || "{}");
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error();
      return v as Record<string, unknown>;
    } catch {
      throw ApiError.of(400, "The body is not a JSON object.", "errors/malformed_request");
    }
  }

  async function filesOf(form: FormData) {
    const out = [];
    for (const v of form.getAll("attachments")) {
      if (typeof v === "string") continue;
      const bytes = new Uint8Array(await v.arrayBuffer());
      out.push(store.attach({ bytes, name: v.name || "file", mimetype: guessMimetype(v.name || "", v.type), size: pngSize(bytes) }));
    }
    return out;
  }

  function checkSendable(account: SimAccount) {
    if (faults.sendFailStatus) throw ApiError.of(faults.sendFailStatus, "Injected send failure.");
    if (account.status !== "OK") throw ApiError.of(401, `The account is ${account.status}; reconnect it.`, "errors/disconnected_account");
  }

  // -------------------------------------------------------------------------------------------
  // /api/v1 routes
  // -------------------------------------------------------------------------------------------

  const routes: Route[] = [];
  const route = (method: string, pattern: string, handler: Route["handler"]) =>
    routes.push({ method, pattern, handler, re: new RegExp("^" + pattern.replace(/:id/g, "([^/]+)") + "$") });
  const ok = (body: unknown, status = 200): Reply => ({ status, body });

  route("GET", "/api/v1/accounts", ({ query }) => {
    const decoded = decodeCursor(query);
    return ok(paginate("AccountList", store.accounts, { limit: parseLimit(query, decoded?.limit), decoded, filters: {}, id: (a) => a.id }, wireAccount));
  });
  route("GET", "/api/v1/accounts/:id", ({ params }) => ok(wireAccount(requireAccount(params[0]))));

  route("GET", "/api/v1/chats", ({ query }) => {
    const decoded = decodeCursor(query);
    // With a cursor, the filters it carries win over the query (Unipile's cursor holds them).
    const src = decoded ?? Object.fromEntries(query);
    const before = decoded ? (src.before as string | undefined) : query.get("before") || undefined;
    const after = decoded ? (src.after as string | undefined) : query.get("after") || undefined;
    const f = {
      account_id: decoded ? (src.account_id as string[] | undefined) : query.get("account_id")?.split(",").filter(Boolean),
      account_type: (src.account_type as string | undefined) || undefined,
      unread: decoded ? (src.unread as boolean | undefined) : query.has("unread") ? (query.get("unread") as unknown as boolean) : undefined,
      before,
      after,
    };
    if (!decoded) {
      parseTime(query, "before");
      parseTime(query, "after");
      const u = query.get("unread");
      if (u !== null && u !== "true" && u !== "false") throw badParam("unread must be true or false.");
      f.unread = u === null ? undefined : u === "true";
    }
    if (f.account_type && !MESSAGING_TYPES.includes(f.account_type)) throw badParam(`account_type must be one of ${MESSAGING_TYPES.join(", ")}.`);
    const accounts = f.account_id?.length ? new Set(f.account_id) : undefined;
    const afterMs = after ? Date.parse(after) : undefined;
    const beforeMs = before ? Date.parse(before) : undefined;
    const items = [...store.chats.values()]
      .filter((c) => {
        if (accounts && !accounts.has(c.account_id)) return false;
        if (f.account_type && c.account_type !== f.account_type) return false;
        if (f.unread === true && c.unread_count === 0) return false;
        if (f.unread === false && c.unread_count > 0) return false;
        const t = c.timestamp ? Date.parse(c.timestamp) : undefined;
        if (afterMs !== undefined && (t === undefined || t <= afterMs)) return false;
        if (beforeMs !== undefined && (t === undefined || t >= beforeMs)) return false;
        return true;
      })
      .sort(newestFirst);
    const filters = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
    return ok(paginate("ChatList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters, id: (c) => c.id, date: (c) => c.timestamp }, wireChat));
  });

  route("GET", "/api/v1/chats/:id", ({ params, query }) => {
    const accountId = query.get("account_id");
    const chat = store.chats.get(params[0]!) ?? (accountId ? [...store.chats.values()].find((c) => c.account_id === accountId && c.provider_id === params[0]) : undefined);
    if (!chat) throw notFound("chat");
    const msgs = store.messagesOf(chat);
    const last = msgs[msgs.length - 1];
    return ok({ ...wireChat(chat), lastMessage: last ?? null });
  });

  route("PATCH", "/api/v1/chats/:id", async (ctx) => {
    const chat = requireChat(ctx.params[0]);
    const body = await readJson(ctx);
    if (body.action !== "setReadStatus") throw badParam(`Unsupported action "${String(body.action)}".`);
    if (typeof body.value !== "boolean") throw badParam("value must be a boolean.");
    if (body.value) {
      chat.unread_count = 0;
      for (const m of store.messagesOf(chat)) if (!m.is_sender) m.seen = 1;
    } else chat.unread_count = Math.max(1, chat.unread_count);
    return ok({ object: "ChatPatched" });
  });

  const listMessages = (msgs: SimMessage[], query: URLSearchParams, extraFilters: Record<string, unknown> = {}) => {
    const decoded = decodeCursor(query);
    if (!decoded) {
      parseTime(query, "before");
      parseTime(query, "after");
    }
    const f = {
      before: (decoded ? decoded.before : query.get("before")) as string | undefined,
      after: (decoded ? decoded.after : query.get("after")) as string | undefined,
      sender_id: (decoded ? decoded.sender_id : query.get("sender_id")) as string | undefined,
    };
    const afterMs = f.after ? Date.parse(f.after) : undefined;
    const beforeMs = f.before ? Date.parse(f.before) : undefined;
    const items = msgs
      .filter((m) => {
        const t = Date.parse(m.timestamp);
        if (afterMs !== undefined && t <= afterMs) return false;
        if (beforeMs !== undefined && t >= beforeMs) return false;
        if (f.sender_id && m.sender_id !== f.sender_id) return false;
        return true;
      })
      .sort(newestFirst);
    const filters = { ...extraFilters, ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)) };
    return ok(paginate("MessageList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters, id: (m) => m.id, date: (m) => m.timestamp }, wireMessage));
  };

  route("GET", "/api/v1/chats/:id/messages", ({ params, query }) => {
    const chat = requireChat(params[0]);
    if (faults.failingChatIds.includes(chat.id)) throw ApiError.of(500, "Injected failure for this chat.");
    return listMessages(store.messagesOf(chat), query);
  });

  route("POST", "/api/v1/chats/:id/messages", async (ctx) => {
    const chat = requireChat(ctx.params[0]);
    const form = await readForm(ctx);
    const account = store.account(chat.account_id)!;
    const accountId = form.get("account_id");
    if (typeof accountId === "string" && accountId && accountId !== chat.account_id)
      throw ApiError.of(403, "The chat does not belong to this account.", "errors/account_mismatch");
    checkSendable(account);
    if (chat.read_only) throw ApiError.of(422, "This chat is read-only.");
    const text = form.get("text");
    const attachments = await filesOf(form);
    if ((typeof text !== "string" || text === "") && attachments.length === 0) throw ApiError.of(400, "text or attachments is required.", "errors/missing_parameters");
    const quoteId = form.get("quote_id");
    let quote = {};
    if (typeof quoteId === "string" && quoteId) {
      const q = store.getMessage(quoteId);
      if (!q || q.chat_id !== chat.id) throw badParam("quote_id does not match a message of this chat.");
      quote = store.quoteOf(q);
    }
    const m = ownSend(chat, { text: typeof text === "string" && text !== "" ? text : null, attachments, ...quote });
    return ok({ object: "MessageSent", message_id: faults.nullMessageIds ? null : m.id }, 201);
  });

  route("POST", "/api/v1/chats", async (ctx) => {
    const form = await readForm(ctx);
    const account = requireAccount(form.get("account_id"));
    const ids = form.getAll("attendees_ids").filter((v): v is string => typeof v === "string" && v !== "");
    if (ids.length === 0) throw ApiError.of(400, "attendees_ids is required.", "errors/missing_parameters");
    checkSendable(account);
    const text = form.get("text");
    const subject = form.get("subject");
    const attachments = await filesOf(form);
    const people = ids.map((id) => store.attendeeByProviderId(account, id));
    let chat =
      people.length === 1 ? [...store.chats.values()].find((c) => c.account_id === account.id && c.type === 0 && c.attendee_provider_id === ids[0]) : undefined;
    chat ??= store.addChat(account, people, {
      ...(people.length > 1 ? { name: typeof subject === "string" && subject ? subject : people.map((p) => p.name).join(", ") } : {}),
      ...(typeof subject === "string" && subject ? { subject } : {}),
    });
    const hasText = typeof text === "string" && text !== "";
    const m = hasText || attachments.length ? ownSend(chat, { text: hasText ? text : null, attachments }) : undefined;
    return ok({ object: "ChatStarted", chat_id: chat.id, message_id: m && !faults.nullMessageIds ? m.id : null }, 201);
  });

  route("GET", "/api/v1/chats/:id/attendees", ({ params }) => {
    const chat = requireChat(params[0]);
    // No cursor on this list (as in the SDK's schema): clients must treat a missing cursor as the end.
    return ok({ object: "ChatAttendeeList", items: store.attendeesOf(chat).map(wireAttendee) });
  });

  route("GET", "/api/v1/chat_attendees", ({ query }) => {
    const decoded = decodeCursor(query);
    const accountId = (decoded?.account_id as string | undefined) ?? query.get("account_id") ?? undefined;
    const items = [...store.attendees.values()].filter((a) => !accountId || a.account_id === accountId);
    return ok(paginate("ChatAttendeeList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters: accountId ? { account_id: accountId } : {}, id: (a) => a.id }, wireAttendee));
  });
  route("GET", "/api/v1/chat_attendees/:id", ({ params }) => {
    const a = store.attendees.get(params[0]!);
    if (!a) throw notFound("attendee");
    return ok(wireAttendee(a));
  });
  route("GET", "/api/v1/chat_attendees/:id/picture", ({ params }) => {
    const a = store.attendees.get(params[0]!);
    // Group chats (a chat id) have no picture here, nor do people without one.
    if (!a?.picture_url) throw notFound(store.chats.has(params[0]!) ? "chat picture" : "attendee picture");
    return { status: 200, bytes: makePortrait(hash(a.provider_id) % 360), contentType: "image/png" };
  });

  route("GET", "/api/v1/messages", ({ query }) => {
    const decoded = decodeCursor(query);
    const accountId = (decoded?.account_id as string | undefined) ?? query.get("account_id") ?? undefined;
    const all: SimMessage[] = [];
    for (const c of store.chats.values()) if (!accountId || c.account_id === accountId) all.push(...store.messagesOf(c));
    return listMessages(all, query, accountId ? { account_id: accountId } : {});
  });
  route("GET", "/api/v1/messages/:id", ({ params }) => ok(wireMessage(requireMessage(params[0]))));
  route("GET", "/api/v1/messages/:id/attachments/:id", ({ params }) => {
    const m = requireMessage(params[0]);
    const att = m.attachments.find((a) => a.id === params[1]);
    const file = att && store.files.get(att.id);
    if (!file) throw notFound("attachment");
    return { status: 200, bytes: file.bytes, contentType: file.mimetype };
  });

  route("GET", "/api/v1/webhooks", ({ query }) => {
    const decoded = decodeCursor(query);
    const items = [...webhooks.hooks.values()];
    return ok(paginate("WebhookList", items, { limit: parseLimit(query, decoded?.limit), decoded, filters: {}, id: (h) => h.id }, wireWebhook(store)));
  });
  route("POST", "/api/v1/webhooks", async (ctx) => {
    const b = await readJson(ctx);
    if (typeof b.request_url !== "string" || !/^https?:\/\//.test(b.request_url)) throw badParam("request_url must be an http(s) URL.");
    if (!["messaging", "account_status", "email", "email_tracking", "users"].includes(String(b.source))) throw badParam("source is invalid.");
    const headers = Array.isArray(b.headers) ? b.headers : [];
    if (!headers.every((h) => h && typeof h.key === "string" && typeof h.value === "string")) throw badParam("headers must be [{key, value}].");
    const hook: SimWebhook = {
      id: store.rng.id(),
      request_url: b.request_url,
      source: String(b.source),
      name: typeof b.name === "string" ? b.name : undefined,
      format: b.format === "form" ? "form" : "json",
      headers,
      events: Array.isArray(b.events) ? b.events.map(String) : undefined,
      account_ids: Array.isArray(b.account_ids) ? b.account_ids.map(String) : [],
      enabled: b.enabled !== false,
      data: Array.isArray(b.data) ? b.data : [],
    };
    webhooks.hooks.set(hook.id, hook);
    return ok({ object: "WebhookCreated", webhook_id: hook.id }, 201);
  });
  route("DELETE", "/api/v1/webhooks/:id", ({ params }) => {
    if (!webhooks.hooks.delete(params[0]!)) throw notFound("webhook");
    return ok({ object: "WebhookDeleted" });
  });

  // -------------------------------------------------------------------------------------------
  // /_sim control API
  // -------------------------------------------------------------------------------------------

  const control: Record<string, (body: Record<string, unknown>) => unknown> = {
    "POST /_sim/inbound": (b) => {
      const m = inbound(b as Parameters<typeof inbound>[0]);
      return { chat_id: m.chat_id, message_id: m.id };
    },
    "POST /_sim/reaction": (b) => {
      const m = requireMessage(b.message_id);
      const chat = store.chats.get(m.chat_id)!;
      const account = store.account(chat.account_id)!;
      const reactor = b.from === "me" ? store.selfOf(account) : (store.others(chat).find((o) => o.provider_id === b.sender_provider_id) ?? store.others(chat)[0]!);
      const value = typeof b.value === "string" ? b.value : "👍";
      m.reactions = m.reactions.filter((r) => r.sender_id !== reactor.provider_id);
      if (value) m.reactions.push({ value, sender_id: reactor.provider_id, is_sender: reactor.is_self === 1 });
      emit("message_reaction", m, { timestamp: store.now(), reaction: value, reaction_sender: attendeeRef(reactor) });
      return { message_id: m.id, reactions: m.reactions };
    },
    "POST /_sim/edit": (b) => {
      const m = requireMessage(b.message_id);
      if (typeof b.text !== "string") throw badParam("text is required");
      m.text = b.text;
      m.edited = 1;
      emit("message_edited", m, { timestamp: store.now() });
      return { message_id: m.id };
    },
    "POST /_sim/delete": (b) => {
      const m = requireMessage(b.message_id);
      Object.assign(m, { deleted: 1, text: null, attachments: [] });
      emit("message_deleted", m, { timestamp: store.now() });
      return { message_id: m.id };
    },
    "POST /_sim/read": (b) => {
      const m = ownTarget(b);
      markRead(m);
      return { message_id: m.id };
    },
    "POST /_sim/delivered": (b) => {
      const m = ownTarget(b);
      markDelivered(m);
      return { message_id: m.id };
    },
    "POST /_sim/account-status": (b) => {
      const account = requireAccount(b.account_id);
      if (!SOURCE_STATUSES.includes(b.status as SourceStatus)) throw badParam(`status must be one of ${SOURCE_STATUSES.join(", ")}`);
      setAccountStatus(account, b.status as SourceStatus, typeof b.message === "string" ? b.message : undefined);
      return { account_id: account.id, status: account.status };
    },
    "GET /_sim/faults": () => faults,
    "POST /_sim/faults": (b) => {
      const next = { ...NO_FAULTS };
      for (const [k, v] of Object.entries(b)) {
        if (!(k in NO_FAULTS)) throw badParam(`unknown fault "${k}"`);
        (next as Record<string, unknown>)[k] = v;
      }
      faults = next;
      faultRng = createRng(seed ^ 0xfa17);
      return faults;
    },
    "POST /_sim/reset": (b) => {
      sim.reset({ clearWebhooks: b.clearWebhooks === true });
      return { ok: true };
    },
    "GET /_sim/stats": () => ({
      requests: Object.fromEntries([...requestStats].sort()),
      webhooks: { ...webhooks.stats, pending: webhooks.pending },
    }),
    "POST /_sim/stats/reset": () => {
      requestStats.clear();
      webhooks.resetStats();
      return { ok: true };
    },
    "GET /_sim/deliveries": () => webhooks.log,
    "GET /_sim/state": () => ({
      apiKey,
      seed,
      accounts: store.accounts.map((a) => ({
        id: a.id,
        type: a.type,
        name: a.name,
        status: a.status,
        chats: [...store.chats.values()].filter((c) => c.account_id === a.id).length,
        heldWebhooks: held.get(a.id)?.length ?? 0,
      })),
      chats: store.chats.size,
      messages: store.countMessages(),
      webhooks: [...webhooks.hooks.values()].map(wireWebhook(store)),
      faults,
      live: { enabled: live.enabled, intervalMs: live.intervalMs },
    }),
    "POST /_sim/live": (b) => {
      setLive(b.enabled !== false, typeof b.intervalMs === "number" ? b.intervalMs : live.intervalMs);
      return { enabled: live.enabled, intervalMs: live.intervalMs };
    },
  };

  /** The own message a receipt is about: message_id, or the newest own message of chat_id. */
  function ownTarget(b: Record<string, unknown>): SimMessage {
    if (b.message_id) return requireMessage(b.message_id);
    const chat = requireChat(b.chat_id);
    const m = [...store.messagesOf(chat)].reverse().find((x) => x.is_sender);
    if (!m) throw notFound("own message in this chat");
    return m;
  }

  function setLive(enabled: boolean, intervalMs: number) {
    if (live.timer) clearInterval(live.timer);
    live = { enabled, intervalMs: Math.max(200, intervalMs) };
    if (!enabled) return;
    const r = createRng(seed ^ 0x11fe);
    live.timer = setInterval(() => {
      const recent = [...store.chats.values()].filter((c) => store.account(c.account_id)!.status === "OK").sort(newestFirst).slice(0, 8);
      const chat = r.next() < 0.15 || recent.length === 0 ? undefined : r.pick(recent);
      const texts = ["Are you around? 🙂", "Just saw this, thanks!", "Quick question about tomorrow", "👍", "Sending it now", "Can you call me later?", "That's hilarious 😂", "Let me know when you're free"];
      inbound({ chat_id: chat?.id, account_id: chat ? undefined : r.pick(store.accounts.filter((a) => a.status === "OK")).id, text: r.pick(texts) });
    }, live.intervalMs);
    live.timer.unref?.();
  }

  // -------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------

  const hanging = new Set<ServerResponse>();

  function send(res: ServerResponse, reply: Reply) {
    if ("bytes" in reply) {
      res.writeHead(reply.status, { "content-type": reply.contentType, "content-length": reply.bytes.byteLength });
      res.end(reply.bytes);
      return;
    }
    const body = JSON.stringify(reply.body);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sim");
    const method = req.method ?? "GET";
    let cached: Buffer | undefined;
    const body = async () => {
      if (cached) return cached;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      return (cached = Buffer.concat(chunks));
    };

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
    requestStats.set(key, (requestStats.get(key) ?? 0) + 1);
    if (opts.log) console.log(`[sim] ${method} ${url.pathname}${url.search}`);

    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.hangRate > 0 && faultRng.next() < faults.hangRate) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return; // never answered: the client's timeout has to fire
    }
    try {
      if (req.headers["x-api-key"] !== apiKey)
        throw new ApiError(401, "errors/missing_credentials", "Missing credentials");
      if (faults.failNext > 0 || (faults.errorRate > 0 && faultRng.next() < faults.errorRate)) {
        if (faults.failNext > 0) faults.failNext--;
        const err = ApiError.of(faults.errorStatus, "Injected failure.");
        const headers: Record<string, string> = faults.retryAfterSec !== null ? { "retry-after": String(faults.retryAfterSec) } : {};
        const text = JSON.stringify(err.body);
        res.writeHead(err.status, { "content-type": "application/json; charset=utf-8", ...headers });
        return res.end(text);
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
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (opts.live) setLive(true, live.intervalMs);

  const sim: Simulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey,
    get store() {
      return store;
    },
    webhooks,
    get faults() {
      return faults;
    },
    set faults(f: Faults) {
      faults = { ...NO_FAULTS, ...f };
    },
    reset({ clearWebhooks = false } = {}) {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      webhooks.cancelAll();
      if (clearWebhooks) webhooks.hooks.clear();
      held = new Map();
      store = makeStore();
      faults = { ...NO_FAULTS };
      faultRng = createRng(seed ^ 0xfa17);
      requestStats.clear();
      webhooks.resetStats();
      setLive(!!opts.live, opts.liveIntervalMs ?? 5000);
    },
    async close() {
      setLive(false, live.intervalMs);
      for (const t of timers) clearTimeout(t);
      webhooks.cancelAll();
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return sim;
}
