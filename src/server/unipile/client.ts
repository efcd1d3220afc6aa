// The only code in the app that calls Unipile over HTTP. Every response goes through a zod schema;
// every failure becomes a UnipileError. Retries 429/5xx with backoff, times out, and keeps the
// number of parallel calls per connected account low (LinkedIn answers 429/500 when pushed).
import pLimit, { type LimitFunction } from "p-limit";
import type { z } from "zod";
import { unipileConfig } from "../env.ts";
import { parseDsn } from "./dsn.ts";
import { CLIENT_SLUGS, describeNetworkError, errorFromResponse, UnipileError } from "./errors.ts";
import {
  AccountListSchema,
  AccountSchema,
  AttendeeListSchema,
  AttendeeSchema,
  parseUnipileJson,
  ChatListSchema,
  ChatPatchedSchema,
  ChatSchema,
  ChatStartedSchema,
  MessageActionSchema,
  MessageForwardedSchema,
  MessageListSchema,
  MessageSchema,
  MessageSentSchema,
  WebhookCreatedSchema,
  WebhookDeletedSchema,
  WebhookListSchema,
  type Account,
  type Attendee,
  type Chat,
  type ChatPatched,
  type ChatStarted,
  type CreateWebhookInput,
  type Message,
  type MessageAction,
  type MessageForwarded,
  type MessageSent,
  type Page,
  type Webhook,
  type WebhookCreated,
} from "./schemas.ts";

type UnipileClientOptions = {
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
type CallOptions = { accountId?: string; signal?: AbortSignal; budgetMs?: number };

/** A person is waiting (mark read, send, an attachment or avatar): answer or fail within this. */
export const INTERACTIVE_BUDGET_MS = 10_000;

type Time = string | Date;
type ListChatsFilter = {
  account_id?: string | string[];
  account_type?: string;
  unread?: boolean;
  before?: Time;
  after?: Time;
  limit?: number;
  cursor?: string | null;
};
type ListMessagesFilter = {
  before?: Time;
  after?: Time;
  limit?: number;
  cursor?: string | null;
  sender_id?: string;
};
type ListAllMessagesFilter = ListMessagesFilter & { account_id?: string };
type ListAttendeesFilter = { account_id?: string; limit?: number; cursor?: string | null };
type PageFilter = { limit?: number; cursor?: string | null };

export type OutgoingAttachment = { name: string; type?: string; data: Blob | Uint8Array };
export type SendMessageInput = {
  text?: string;
  attachments?: OutgoingAttachment[];
  /** Unipile id of the message replied to. */
  quote_id?: string;
  /** Unipile refuses the send when the chat is not on this account: a cheap safety check. */
  account_id?: string;
  thread_id?: string;
};
type StartChatInput = {
  account_id: string;
  /** Provider ids; several make one group chat. */
  attendees_ids: string[];
  text?: string;
  subject?: string;
  attachments?: OutgoingAttachment[];
};

type AttachmentDownload = {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: number | null;
};

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

function appendFiles(form: FormData, files: OutgoingAttachment[] | undefined) {
  for (const f of files ?? []) {
    const blob = f.data instanceof Blob ? f.data : new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type ?? "application/octet-stream" });
    form.append("attachments", blob, f.name);
  }
}

type RequestSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, unknown>;
  json?: unknown;
  /** Built per attempt: a FormData body cannot be reused safely across retries. */
  form?: () => FormData;
  /** Sends may already have gone out on a 5xx/timeout: retry them only on 429. */
  retryOnlyRateLimit?: boolean;
} & CallOptions;

export function createUnipileClient(options: UnipileClientOptions) {
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
      try {
        res = await doFetch(url, { method: spec.method, headers, body, signal: controller.signal });
      } catch (e) {
        throw wrapFetchError(e, timedOut, spec.signal, waitMs);
      }
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

  function wrapFetchError(e: unknown, timedOut: boolean, callerSignal: AbortSignal | undefined, waitMs: number): unknown {
    if (callerSignal?.aborted) return e; // the caller gave up: not a Unipile failure
    if (timedOut)
      return new UnipileError({ status: 0, slug: CLIENT_SLUGS.timeout, title: `No answer within ${Math.round(waitMs / 1000)} s`, cause: e });
    return new UnipileError({ status: 0, slug: CLIENT_SLUGS.network, title: "Network error", detail: describeNetworkError(e), cause: e });
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

  /** Bytes, streamed: the body is handed on as it arrives. */
  function download(spec: RequestSpec): Promise<AttachmentDownload> {
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
  }

  async function json<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.infer<S>> {
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

  /** One path segment. `encodeURIComponent` leaves `.` and `..` as they are, and URLs resolve them
   * into another endpoint (`/chats/../webhooks`), so such ids are refused instead of sent. */
  const enc = (id: string) => {
    if (id === "" || id === "." || id === "..") {
      throw new UnipileError({ status: 0, slug: CLIENT_SLUGS.invalidRequest, title: "Invalid id", detail: JSON.stringify(id) });
    }
    return encodeURIComponent(id);
  };
  const interactive = (o: CallOptions): CallOptions => ({ budgetMs: INTERACTIVE_BUDGET_MS, ...o });
  const single = (id: string | string[] | undefined) => (typeof id === "string" ? id : undefined);

  /** Walks cursor pages; the same filters are sent with each cursor, as Unipile's docs advise. */
  async function* pages<T, F extends { cursor?: string | null }>(filter: F, fetchPage: (f: F) => Promise<Page<T>>) {
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

  const client = {
    baseUrl: base,

    listAccounts(f: PageFilter = {}, o: CallOptions = {}): Promise<Page<Account>> {
      return json({ method: "GET", path: "/accounts", query: f, ...o }, AccountListSchema);
    },
    getAccount(id: string, o: CallOptions = {}): Promise<Account> {
      return json({ method: "GET", path: `/accounts/${enc(id)}`, accountId: id, ...o }, AccountSchema);
    },

    listChats(f: ListChatsFilter = {}, o: CallOptions = {}): Promise<Page<Chat>> {
      return json({ method: "GET", path: "/chats", query: f, accountId: single(f.account_id), ...o }, ChatListSchema);
    },
    iterateChats(f: ListChatsFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Chat>> {
      return pages(f, (g) => client.listChats(g, o));
    },
    /** `chatId` may be a provider chat id when `account_id` is given. */
    getChat(chatId: string, q: { account_id?: string } = {}, o: CallOptions = {}): Promise<Chat> {
      return json({ method: "GET", path: `/chats/${enc(chatId)}`, query: q, accountId: q.account_id, ...o }, ChatSchema);
    },
    setChatReadStatus(chatId: string, read: boolean, o: CallOptions = {}): Promise<ChatPatched> {
      return json({ method: "PATCH", path: `/chats/${enc(chatId)}`, json: { action: "setReadStatus", value: read }, ...interactive(o) }, ChatPatchedSchema);
    },

    listChatMessages(chatId: string, f: ListMessagesFilter = {}, o: CallOptions = {}): Promise<Page<Message>> {
      return json({ method: "GET", path: `/chats/${enc(chatId)}/messages`, query: f, ...o }, MessageListSchema);
    },
    iterateChatMessages(chatId: string, f: ListMessagesFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Message>> {
      return pages(f, (g) => client.listChatMessages(chatId, g, o));
    },
    /** Messages across chats (catch-up polling). */
    listMessages(f: ListAllMessagesFilter = {}, o: CallOptions = {}): Promise<Page<Message>> {
      return json({ method: "GET", path: "/messages", query: f, accountId: f.account_id, ...o }, MessageListSchema);
    },
    iterateMessages(f: ListAllMessagesFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Message>> {
      return pages(f, (g) => client.listMessages(g, o));
    },
    getMessage(messageId: string, o: CallOptions = {}): Promise<Message> {
      return json({ method: "GET", path: `/messages/${enc(messageId)}`, ...o }, MessageSchema);
    },

    /** 201 MessageSent; `message_id` may be null (the echo webhook brings it). Retried only on 429. */
    sendMessage(chatId: string, input: SendMessageInput, o: CallOptions = {}): Promise<MessageSent> {
      const form = () => {
        const fd = new FormData();
        // Always sent: an absent text is rejected or sent literally by some paths (see REFERENCE 2.9).
        fd.append("text", input.text ?? "");
        appendFiles(fd, input.attachments);
        if (input.quote_id) fd.append("quote_id", input.quote_id);
        if (input.account_id) fd.append("account_id", input.account_id);
        if (input.thread_id) fd.append("thread_id", input.thread_id);
        return fd;
      };
      return json(
        { method: "POST", path: `/chats/${enc(chatId)}/messages`, form, retryOnlyRateLimit: true, accountId: input.account_id, ...interactive(o) },
        MessageSentSchema,
      );
    },
    /** 201 ChatStarted; both ids may be null (the chat then arrives by webhook). Retried only on 429. */
    startChat(input: StartChatInput, o: CallOptions = {}): Promise<ChatStarted> {
      const form = () => {
        const fd = new FormData();
        fd.append("account_id", input.account_id);
        for (const id of input.attendees_ids) fd.append("attendees_ids", id);
        if (input.text !== undefined) fd.append("text", input.text);
        if (input.subject) fd.append("subject", input.subject);
        appendFiles(fd, input.attachments);
        return fd;
      };
      return json({ method: "POST", path: "/chats", form, retryOnlyRateLimit: true, accountId: input.account_id, ...interactive(o) }, ChatStartedSchema);
    },

    // Message actions (REFERENCE.md §8 rates their details only likely; every guess is named here).
    /** `POST /messages/{id}/reaction` `{reaction}` → MessageReactionAdded. Sets our reaction (a retry sets the same one). */
    addReaction(messageId: string, reaction: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "POST", path: `/messages/${enc(messageId)}/reaction`, json: { reaction }, ...interactive(o) }, MessageActionSchema);
    },
    /** Guess: removal is the same endpoint with an empty reaction (the webhook says a removal the same way). */
    removeReaction(messageId: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "POST", path: `/messages/${enc(messageId)}/reaction`, json: { reaction: "" }, ...interactive(o) }, MessageActionSchema);
    },
    /** Guess: `PATCH /messages/{id}` `{text}` ("Edit a message" in the reference's list). */
    editMessage(messageId: string, text: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "PATCH", path: `/messages/${enc(messageId)}`, json: { text }, ...interactive(o) }, MessageActionSchema);
    },
    /** `DELETE /messages/{id}`: our own message (LinkedIn: within 60 minutes of sending). */
    deleteMessage(messageId: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "DELETE", path: `/messages/${enc(messageId)}`, ...interactive(o) }, MessageActionSchema);
    },
    /**
     * `POST /messages/{id}/forward` `{chat_id}` (WhatsApp, REFERENCE.md §5; the body is a guess). Like a
     * send it may have gone out on a 5xx or timeout, so it is retried only on 429.
     */
    forwardMessage(messageId: string, toChatId: string, o: CallOptions = {}): Promise<MessageForwarded> {
      return json(
        { method: "POST", path: `/messages/${enc(messageId)}/forward`, json: { chat_id: toChatId }, retryOnlyRateLimit: true, ...interactive(o) },
        MessageForwardedSchema,
      );
    },

    listChatAttendees(chatId: string, o: CallOptions = {}): Promise<Page<Attendee>> {
      return json({ method: "GET", path: `/chats/${enc(chatId)}/attendees`, ...o }, AttendeeListSchema);
    },
    listAttendees(f: ListAttendeesFilter = {}, o: CallOptions = {}): Promise<Page<Attendee>> {
      return json({ method: "GET", path: "/chat_attendees", query: f, accountId: f.account_id, ...o }, AttendeeListSchema);
    },
    iterateAttendees(f: ListAttendeesFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Attendee>> {
      return pages(f, (g) => client.listAttendees(g, o));
    },
    getAttendee(attendeeId: string, o: CallOptions = {}): Promise<Attendee> {
      return json({ method: "GET", path: `/chat_attendees/${enc(attendeeId)}`, ...o }, AttendeeSchema);
    },

    /** Streams the file; the timeout covers the wait for headers only, not the transfer. */
    downloadAttachment(messageId: string, attachmentId: string, o: CallOptions = {}): Promise<AttachmentDownload> {
      return download({ method: "GET", path: `/messages/${enc(messageId)}/attachments/${enc(attachmentId)}`, ...interactive(o) });
    },
    /** A person's profile picture (an attendee id) or a group's (a chat id). */
    downloadPicture(attendeeOrChatId: string, o: CallOptions = {}): Promise<AttachmentDownload> {
      return download({ method: "GET", path: `/chat_attendees/${enc(attendeeOrChatId)}/picture`, ...interactive(o) });
    },

    listWebhooks(f: PageFilter = {}, o: CallOptions = {}): Promise<Page<Webhook>> {
      return json({ method: "GET", path: "/webhooks", query: f, ...o }, WebhookListSchema);
    },
    createWebhook(input: CreateWebhookInput, o: CallOptions = {}): Promise<WebhookCreated> {
      return json({ method: "POST", path: "/webhooks", json: input, ...o }, WebhookCreatedSchema);
    },
    async deleteWebhook(id: string, o: CallOptions = {}): Promise<void> {
      await json({ method: "DELETE", path: `/webhooks/${enc(id)}`, ...o }, WebhookDeletedSchema);
    },
  };
  return client;
}

export type UnipileClient = ReturnType<typeof createUnipileClient>;

let singleton: UnipileClient | undefined;

/** The app's client, configured from UNIPILE_DSN and UNIPILE_API_KEY (the launcher sets both for the simulator). */
export function getUnipile(): UnipileClient {
  if (singleton) return singleton;
  const { dsn, apiKey } = unipileConfig();
  if (!dsn || !apiKey) {
    throw new Error(
      "Unipile is not configured: set UNIPILE_DSN (e.g. api8.unipile.com:13851 or http://127.0.0.1:3100) and UNIPILE_API_KEY",
    );
  }
  singleton = createUnipileClient({ dsn, apiKey });
  return singleton;
}

/** For tests that change the environment between cases. */
export function resetUnipileForTests() {
  singleton = undefined;
}
