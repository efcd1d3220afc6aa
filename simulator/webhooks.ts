// Webhook registrations and deliveries, the way Unipile v1 does them: flat JSON bodies labelled as
// form data unless a content type was registered, the custom headers given at registration, success means exactly 200,
// anything else is retried with growing delays. Faults can duplicate, drop or reorder deliveries.
import { hash, type SimAttendee, type SimMessage, type SimStore, type WireAttachment } from "./data.ts";
import { createRng, type Rng, subSeed } from "./rng.ts";
import { payloadOut } from "./whatsapp-forms.ts";

export type SimWebhook = {
  id: string;
  request_url: string;
  source: string;
  name?: string;
  format: "json" | "form";
  headers: { key: string; value: string }[];
  events?: string[];
  account_ids: string[];
  enabled: boolean;
  data: { key: string; name: string }[];
};

/** Every account-status event, lowercase, as registered. */
const ACCOUNT_STATUS_EVENTS = ["creation_success", "creation_fail", "deleted", "reconnected", "sync_success", "stopped", "ok", "connecting", "error", "credentials", "permissions"];

/**
 * What a hook registered without `events` gets: a messaging hook message_received only (API.md); an
 * account-status hook every status "except for CONNECTING, OK and STOPPED" (REFERENCE.md §3.1).
 */
const DEFAULT_EVENTS: Record<"messaging" | "account_status", string[]> = {
  messaging: ["message_received"],
  account_status: ACCOUNT_STATUS_EVENTS.filter((e) => !["ok", "connecting", "stopped"].includes(e)),
};

export type DeliveryFaults = { duplicates: number; shuffle: boolean; dropRate: number; dropChatIds: string[]; mislabel: boolean };

export type DeliveryLogEntry = { webhook_id: string; event: string; attempt: number; status: number | string; at: string };

type Job = { hook: SimWebhook; event: string; body: Record<string, unknown>; attempt: number };

export class WebhookDispatcher {
  hooks = new Map<string, SimWebhook>();
  stats = { attempts: 0, delivered: 0, failedAttempts: 0, dropped: 0, gaveUp: 0 };
  log: DeliveryLogEntry[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<AbortController>();
  private shuffleBuffer: Job[] = [];
  private rng: Rng;
  private pendingCount = 0;
  /** Bumped by cancelAll: deliveries of an older epoch finish silently. */
  private epoch = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private opts: { retryDelaysMs: number[]; faults: () => DeliveryFaults; seed: number; timeoutMs?: number },
  ) {
    this.rng = createRng(opts.seed ^ 0x5eed);
  }

  /** Sends `payload` to every enabled hook of `source` that covers this account and event. */
  dispatch(source: "messaging" | "account_status", event: string, payload: Record<string, unknown>, accountId: string) {
    const faults = this.opts.faults();
    for (const hook of this.hooks.values()) {
      if (!hook.enabled || hook.source !== source) continue;
      if (hook.account_ids.length && !hook.account_ids.includes(accountId)) continue;
      const events = hook.events ?? DEFAULT_EVENTS[source];
      const key = source === "messaging" ? event : event.toLowerCase();
      if (events && !events.includes(key)) continue;
      const droppedChat = typeof payload.chat_id === "string" && faults.dropChatIds.includes(payload.chat_id);
      if (droppedChat || (faults.dropRate > 0 && this.rng.next() < faults.dropRate)) {
        this.stats.dropped++;
        continue;
      }
      const named = source === "messaging" && "webhook_name" in payload ? { ...payload, webhook_name: hook.name ?? "" } : payload;
      const body = hook.data.length ? Object.fromEntries(hook.data.map((d) => [d.name, named[d.key]])) : named;
      for (let i = 0; i < Math.max(1, faults.duplicates); i++) this.enqueue({ hook, event, body, attempt: 0 }, faults.shuffle);
    }
  }

  private enqueue(job: Job, shuffle: boolean) {
    this.pendingCount++;
    if (!shuffle) return void this.deliver(job);
    // Collect what is emitted within a short window, then send it in random order.
    this.shuffleBuffer.push(job);
    if (this.shuffleBuffer.length === 1)
      this.later(100, () => {
        const jobs = this.shuffleBuffer.splice(0);
        for (let i = jobs.length - 1; i > 0; i--) {
          const j = this.rng.int(i + 1);
          [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
        }
        for (const j of jobs) void this.deliver(j);
      });
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async deliver(job: Job) {
    const { hook } = job;
    const epoch = this.epoch;
    const headers: Record<string, string> = {};
    let body: Uint8Array<ArrayBuffer>;
    const form = "application/x-www-form-urlencoded";
    // Unipile delivers with axios, and labels a JSON body as form data unless a type was registered
    // (REFERENCE.md §8); the mislabel fault does so even when one was.
    const mislabel = this.opts.faults().mislabel;
    const registered = hook.headers.some((h) => h.key.toLowerCase() === "content-type");
    headers["user-agent"] = "axios/1.7.7";
    if (hook.format === "form") {
      const fields = new URLSearchParams();
      for (const [k, v] of Object.entries(job.body)) fields.set(k, typeof v === "string" ? v : JSON.stringify(v ?? null));
      body = new Uint8Array(Buffer.from(fields.toString()));
      headers["content-type"] = form;
    } else {
      body = new Uint8Array(Buffer.from(JSON.stringify(job.body)));
      if (!registered) headers["content-type"] = form;
    }
    for (const h of hook.headers) if (!(mislabel && h.key.toLowerCase() === "content-type")) headers[h.key] = h.value;
    if (mislabel) headers["content-type"] = form;
    const ac = new AbortController();
    this.inFlight.add(ac);
    const timer = setTimeout(() => ac.abort(), this.opts.timeoutMs ?? 30_000);
    let status: number | string;
    this.stats.attempts++;
    try {
      const res = await fetch(hook.request_url, { method: "POST", headers, body, signal: ac.signal });
      status = res.status;
      await res.body?.cancel().catch(() => {});
    } catch (e) {
      status = ac.signal.aborted ? "timeout" : e instanceof Error ? (e.cause as Error | undefined)?.message ?? e.message : "error";
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(ac);
    }
    if (epoch !== this.epoch) return;
    this.log.push({ webhook_id: hook.id, event: job.event, attempt: job.attempt, status, at: new Date().toISOString() });
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    if (status === 200) {
      this.stats.delivered++;
      return this.done();
    }
    this.stats.failedAttempts++;
    const delay = this.opts.retryDelaysMs[job.attempt];
    if (delay === undefined || !this.hooks.has(hook.id)) {
      this.stats.gaveUp++;
      return this.done();
    }
    this.later(delay, () => void this.deliver({ ...job, attempt: job.attempt + 1 }));
  }

  private done() {
    this.pendingCount--;
    if (this.pendingCount === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Deliveries queued, in flight or waiting for a retry. */
  get pending() {
    return this.pendingCount;
  }

  /** Resolves when nothing is left to deliver (retries included). */
  idle(): Promise<void> {
    return this.pendingCount === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops everything queued or waiting for a retry (reset/close). */
  cancelAll() {
    this.epoch++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const ac of this.inFlight) ac.abort();
    this.shuffleBuffer = [];
    this.pendingCount = 0;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  resetStats() {
    this.stats = { attempts: 0, delivered: 0, failedAttempts: 0, dropped: 0, gaveUp: 0 };
    this.log = [];
  }
}

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

export function attendeeRef(a: SimAttendee) {
  return {
    attendee_id: a.id,
    attendee_name: a.name,
    attendee_provider_id: a.provider_id,
    attendee_profile_url: a.profile_url ?? null,
    ...(a.specifics ? { attendee_specifics: a.specifics } : {}),
  };
}

const webhookAttachment = (a: WireAttachment) => a;

/**
 * The flat messaging payload Unipile sends for `event` about message `m`. A deterministic share of
 * payloads (by event and message id) comes in the sparser form seen live (REFERENCE.md §8): WhatsApp's
 * `account_info` with only `type` and `phone_number`, `message_type` null, no `event_type` or
 * `reply_to` keys, the time in whole seconds.
 */
export function messagePayload(store: SimStore, event: string, m: SimMessage, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const chat = store.chats.get(m.chat_id)!;
  const account = store.account(m.account_id)!;
  const sender = store.attendees.get(m.sender_attendee_id)!;
  const sparse = isSparse(event, m.id);
  const payload: Record<string, unknown> = {
    event,
    account_id: account.id,
    account_type: account.type,
    // Seen on LinkedIn captures; WhatsApp's has only the type and the phone number; others leave it out.
    ...(account.type === "LINKEDIN" || account.type === "INSTAGRAM"
      ? { account_info: { type: account.type, feature: account.type === "LINKEDIN" ? "classic" : "messaging", user_id: store.selfOf(account).provider_id } }
      : account.type === "WHATSAPP" && sparse
        ? { account_info: { type: account.type, phone_number: String(account.connection_params.im.phone_number ?? account.name) } }
        : {}),
    webhook_name: "",
    chat_id: chat.id,
    timestamp: m.timestamp,
    message_id: m.id,
    message: m.text,
    sender: attendeeRef(sender),
    attendees: store.others(chat).map(attendeeRef),
    attachments: m.attachments.map(webhookAttachment),
    subject: chat.subject ?? null,
    is_sender: m.is_sender === 1,
    provider_chat_id: chat.provider_id,
    provider_message_id: m.provider_id,
    is_event: m.is_event,
    chat_pinned: chat.pinned,
    quoted: m.reply_to ? { id: m.reply_to.id, provider_id: m.reply_to.provider_id, text: m.reply_to.text } : null,
    reply_to: null,
    is_forwarded: null,
    chat_content_type: chat.content_type ?? null,
    message_type: sparse ? null : "MESSAGE",
    is_group: chat.type !== 0,
    folder: chat.folder,
    event_type: m.event_type ?? null,
    ...extra,
  };
  if (sparse) {
    delete payload.event_type;
    delete payload.reply_to;
    if (typeof payload.timestamp === "string") payload.timestamp = payload.timestamp.replace(/\.\d{3}Z$/, ".000Z");
  }
  return payloadOut(store, chat, event, m, payload);
}

/** One payload in three is sparse, always the same ones for the same seed. */
export function isSparse(event: string, messageId: string) {
  return subSeed(hash(`${event}:${messageId}`), 0) % 3 === 0;
}
