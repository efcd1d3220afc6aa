// The simulator's behaviour: what happens when a message arrives, is sent, read or reacted to, or an
// account changes status. The REST routes, the control routes and live mode all act through here,
// so every path emits the same webhooks.
import { guessMimetype, pngSize } from "./assets.ts";
import { ASSETS, SimStore, type SimAccount, type SimAttendee, type SimChat, type SimMessage, type SourceStatus, type StoreOptions } from "./data.ts";
import { ApiError, badParam, newestFirst, notFound } from "./http.ts";
import { createRng } from "./rng.ts";
import { attendeeRef, messagePayload, WebhookDispatcher } from "./webhooks.ts";

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

export const NO_FAULTS: Faults = {
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

export type InboundInput = {
  chat_id?: string;
  account_id?: string;
  text?: string | null;
  attachments?: ({ asset: keyof typeof ASSETS } | { name: string; type?: string; data_base64: string })[];
  sender_name?: string;
  sender_provider_id?: string;
  quote_id?: string;
};

export type WorldOptions = StoreOptions & { retryDelaysMs: number[]; liveIntervalMs?: number; live?: boolean };

export class World {
  store: SimStore;
  faults: Faults = { ...NO_FAULTS };
  faultRng: ReturnType<typeof createRng>;
  readonly requestStats = new Map<string, number>();
  readonly webhooks: WebhookDispatcher;
  /** Messaging webhooks held back while an account is not OK, delivered when it reconnects. */
  held = new Map<string, [string, Record<string, unknown>][]>();
  live: { enabled: boolean; intervalMs: number; timer?: NodeJS.Timeout };
  private timers = new Set<NodeJS.Timeout>();

  constructor(readonly opts: WorldOptions) {
    this.store = new SimStore(opts);
    this.faultRng = createRng(opts.seed ^ 0xfa17);
    this.live = { enabled: false, intervalMs: opts.liveIntervalMs ?? 5000 };
    this.webhooks = new WebhookDispatcher({
      retryDelaysMs: opts.retryDelaysMs,
      faults: () => ({ duplicates: this.faults.webhookDuplicates, shuffle: this.faults.webhookShuffle, dropRate: this.faults.webhookDropRate }),
      seed: opts.seed,
    });
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  setFaults(f: Partial<Faults>) {
    this.faults = { ...NO_FAULTS, ...f };
    this.faultRng = createRng(this.opts.seed ^ 0xfa17);
  }

  emit(event: string, m: SimMessage, extra: Record<string, unknown> = {}) {
    const payload = messagePayload(this.store, event, m, extra);
    const account = this.store.account(m.account_id)!;
    if (account.status !== "OK") {
      const list = this.held.get(account.id) ?? [];
      list.push([event, payload]);
      this.held.set(account.id, list);
      return;
    }
    this.webhooks.dispatch("messaging", event, payload, account.id);
  }

  requireAccount(id: unknown): SimAccount {
    const a = typeof id === "string" ? this.store.account(id) : undefined;
    if (!a) throw notFound("account");
    return a;
  }
  requireChat(id: unknown): SimChat {
    const c = typeof id === "string" ? this.store.chats.get(id) : undefined;
    if (!c) throw notFound("chat");
    return c;
  }
  requireMessage(id: unknown): SimMessage {
    const m = typeof id === "string" ? this.store.getMessage(id) : undefined;
    if (!m) throw notFound("message");
    return m;
  }

  /** The other party of a chat (the first one in a group): who writes, reacts and reads in it. */
  counterpart(chat: SimChat): SimAttendee {
    const other = this.store.others(chat)[0];
    if (!other) throw badParam("This chat has no attendee besides the account itself.");
    return other;
  }

  /** A message from the other party (a new 1:1 chat when no chat is given). */
  inbound(input: InboundInput) {
    const store = this.store;
    let chat: SimChat;
    let sender: SimAttendee;
    if (input.chat_id) {
      chat = this.requireChat(input.chat_id);
      const others = store.others(chat);
      sender = others.find((o) => o.provider_id === input.sender_provider_id || o.name === input.sender_name) ?? this.counterpart(chat);
    } else {
      const account = input.account_id ? this.requireAccount(input.account_id) : store.accounts.find((a) => a.status === "OK")!;
      const r = store.rng;
      const name = input.sender_name ?? `${r.pick(["Alex", "Sam", "Robin", "Kai", "Noor", "Jules"])} ${r.pick(["Martin", "Silva", "Ito", "Haddad", "Berg"])}`;
      sender = input.sender_provider_id
        ? store.attendeeByProviderId(account, input.sender_provider_id, name)
        : store.attendeeByProviderId(account, this.providerUserId(account), name);
      chat = store.addChat(account, [sender], { name: account.type === "LINKEDIN" ? null : name });
    }
    const attachments = (input.attachments ?? []).map((a) => {
      if ("asset" in a) return store.attach(ASSETS[a.asset]);
      const bytes = Buffer.from(a.data_base64, "base64");
      return store.attach({ bytes, name: a.name, mimetype: guessMimetype(a.name, a.type), size: pngSize(bytes) });
    });
    const quote = input.quote_id ? store.quoteOf(this.requireMessage(input.quote_id)) : {};
    const m = store.pushMessage(chat, sender, { text: input.text ?? (attachments.length ? null : ""), attachments, ...quote });
    chat.unread_count++;
    this.emit("message_received", m);
    return m;
  }

  private providerUserId(account: SimAccount) {
    const r = this.store.rng;
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
  ownSend(chat: SimChat, f: Partial<SimMessage>) {
    const store = this.store;
    const m = store.pushMessage(chat, store.selfOf(store.account(chat.account_id)!), { delivered: 0, seen: 0, ...f });
    // After the HTTP answer, as the echo can arrive before or after it.
    this.later(5, () => this.emit("message_received", m));
    if (this.live.enabled) {
      this.later(1000, () => this.markDelivered(m));
      this.later(3000, () => this.markRead(m));
    }
    return m;
  }

  markDelivered(m: SimMessage) {
    if (m.delivered) return;
    m.delivered = 1;
    this.emit("message_delivered", m, { timestamp: this.store.now() });
  }

  markRead(m: SimMessage) {
    const store = this.store;
    const chat = store.chats.get(m.chat_id)!;
    const reader = this.counterpart(chat);
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
    this.emit("message_read", m, { timestamp: at, read_by: attendeeRef(reader) });
  }

  react(m: SimMessage, b: { from?: unknown; sender_provider_id?: unknown; value?: unknown }) {
    const store = this.store;
    const chat = store.chats.get(m.chat_id)!;
    const account = store.account(chat.account_id)!;
    const others = store.others(chat);
    const reactor = b.from === "me" ? store.selfOf(account) : (others.find((o) => o.provider_id === b.sender_provider_id) ?? this.counterpart(chat));
    const value = typeof b.value === "string" ? b.value : "👍";
    m.reactions = m.reactions.filter((r) => r.sender_id !== reactor.provider_id);
    if (value) m.reactions.push({ value, sender_id: reactor.provider_id, is_sender: reactor.is_self === 1 });
    this.emit("message_reaction", m, { timestamp: store.now(), reaction: value, reaction_sender: attendeeRef(reactor) });
  }

  edit(m: SimMessage, text: string) {
    m.text = text;
    m.edited = 1;
    this.emit("message_edited", m, { timestamp: this.store.now() });
  }

  remove(m: SimMessage) {
    Object.assign(m, { deleted: 1, text: null, attachments: [] });
    this.emit("message_deleted", m, { timestamp: this.store.now() });
  }

  setAccountStatus(account: SimAccount, status: SourceStatus, message?: string) {
    const before = account.status;
    account.status = status;
    // Status webhooks fire on transitions only.
    if (before !== status || message)
      this.webhooks.dispatch("account_status", message ?? status, { AccountStatus: { account_id: account.id, account_type: account.type, message: message ?? status } }, account.id);
    if (status === "OK") {
      const missed = this.held.get(account.id) ?? [];
      this.held.delete(account.id);
      for (const [event, payload] of missed) this.webhooks.dispatch("messaging", event, payload, account.id);
    }
  }

  checkSendable(account: SimAccount) {
    if (this.faults.sendFailStatus) throw ApiError.of(this.faults.sendFailStatus, "Injected send failure.");
    if (account.status !== "OK") throw ApiError.of(401, `The account is ${account.status}; reconnect it.`, "errors/disconnected_account");
  }

  /** The own message a receipt is about: message_id, or the newest own message of chat_id. */
  ownTarget(b: Record<string, unknown>): SimMessage {
    if (b.message_id) return this.requireMessage(b.message_id);
    const chat = this.requireChat(b.chat_id);
    const m = [...this.store.messagesOf(chat)].reverse().find((x) => x.is_sender);
    if (!m) throw notFound("own message in this chat");
    return m;
  }

  setLive(enabled: boolean, intervalMs: number) {
    if (this.live.timer) clearInterval(this.live.timer);
    this.live = { enabled, intervalMs: Math.max(200, intervalMs) };
    if (!enabled) return;
    const r = createRng(this.opts.seed ^ 0x11fe);
    this.live.timer = setInterval(() => {
      const store = this.store;
      const recent = [...store.chats.values()].filter((c) => store.account(c.account_id)!.status === "OK").sort(newestFirst).slice(0, 8);
      const chat = r.next() < 0.15 || recent.length === 0 ? undefined : r.pick(recent);
      const texts = ["Are you around? 🙂", "Just saw this, thanks!", "Quick question about tomorrow", "👍", "Sending it now", "Can you call me later?", "That's hilarious 😂", "Let me know when you're free"];
      this.inbound({ chat_id: chat?.id, account_id: chat ? undefined : r.pick(store.accounts.filter((a) => a.status === "OK")).id, text: r.pick(texts) });
    }, this.live.intervalMs);
    this.live.timer.unref?.();
  }

  /** Drops timers and pending deliveries (reset and close). */
  stop() {
    if (this.live.timer) clearInterval(this.live.timer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.webhooks.cancelAll();
  }

  reset({ clearWebhooks = false } = {}) {
    this.stop();
    if (clearWebhooks) this.webhooks.hooks.clear();
    this.held = new Map();
    this.store = new SimStore(this.opts);
    this.setFaults({});
    this.requestStats.clear();
    this.webhooks.resetStats();
    this.setLive(!!this.opts.live, this.opts.liveIntervalMs ?? 5000);
  }
}
