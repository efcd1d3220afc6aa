// The simulator's behaviour: what happens when a message arrives, is sent, read or reacted to, or an
// account changes status. The REST routes, the control routes and live mode validate their input,
// then change the world only through apply(), which the journal (when there is one) records.
import { guessMimetype, pngSize } from "./assets.ts";
import { applyChatState } from "./chat-actions.ts";
import { ASSETS, SimStore, type SimAccount, type SimAttendee, type SimChat, type SimMessage, type SourceStatus, type StoreOptions } from "./data.ts";
import { type Faults, NO_FAULTS } from "./faults.ts";
import { ApiError, badParam, newestFirst, notFound } from "./http.ts";
import { type FileInput, JOURNAL_VERSION, type Journal, type Op } from "./journal.ts";
import { directoryName } from "./directory.ts";
import { forwardOp } from "./message-routes.ts";
import { createRng } from "./rng.ts";
import { setProductStatus } from "./products.ts";
import { attendeeRef, messagePayload, WebhookDispatcher } from "./webhooks.ts";

/** The control API's inbound message (attachments as assets or base64). */
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
type Result = { message?: SimMessage; chat?: SimChat; hookId?: string };

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
  /** While replaying a journal: rebuild state, send nothing, schedule nothing. */
  private replaying = false;

  constructor(
    readonly opts: WorldOptions,
    private journal?: Journal,
  ) {
    this.faultRng = createRng(opts.seed ^ 0xfa17);
    this.live = { enabled: false, intervalMs: opts.liveIntervalMs ?? 5000 };
    this.webhooks = new WebhookDispatcher({
      retryDelaysMs: opts.retryDelaysMs,
      faults: () => ({
        duplicates: this.faults.webhookDuplicates,
        shuffle: this.faults.webhookShuffle,
        dropRate: this.faults.webhookDropRate,
        dropChatIds: this.faults.webhookDropChatIds,
        mislabel: this.faults.webhookMislabel,
      }),
      seed: opts.seed,
    });
    this.store = this.restore() ?? this.fresh();
  }

  /** The journal's world, replayed; undefined when there is none (or it no longer replays). */
  private restore(): SimStore | undefined {
    const { seed, demo, chats, messages } = this.opts;
    const stored = this.journal?.load({ seed, demo, chats, messages });
    if (!stored) return undefined;
    this.opts.baseTime = stored.meta.baseTime;
    this.store = new SimStore(this.opts);
    this.replaying = true;
    try {
      for (const { op, clock } of stored.entries) {
        const readings = [...clock];
        this.store.wall = () => readings.shift() ?? Date.now();
        this.exec(op);
      }
      return this.store;
    } catch (e) {
      console.warn(`[sim] the saved world in ${this.journal!.dir} does not replay (${e instanceof Error ? e.message : e}); starting fresh`);
      this.webhooks.hooks.clear();
      this.held = new Map();
      return undefined;
    } finally {
      this.store.wall = Date.now;
      this.replaying = false;
    }
  }

  private fresh(): SimStore {
    const { seed, demo, chats, messages, baseTime } = this.opts;
    this.journal?.begin({ version: JOURNAL_VERSION, seed, demo, chats, messages, baseTime });
    for (const hook of this.webhooks.hooks.values()) this.journal?.append({ op: { op: "hookRestore", hook }, clock: [] });
    return new SimStore(this.opts);
  }

  /** Makes one change, recorded with the clock readings it made so that it replays identically. */
  apply(op: Op): Result {
    const clock: number[] = [];
    this.store.wall = () => {
      const t = Date.now();
      clock.push(t);
      return t;
    };
    try {
      const result = this.exec(op);
      this.journal?.append({ op, clock });
      return result;
    } finally {
      this.store.wall = Date.now;
    }
  }

  private exec(op: Op): Result {
    const store = this.store;
    switch (op.op) {
      case "inbound":
        return { message: this.inbound(op) };
      case "send": {
        const chat = this.requireChat(op.chat_id);
        const attachments = op.attachments.map((a) => this.attachFile(a));
        const quote = op.quote_id ? store.quoteOf(this.requireMessage(op.quote_id)) : {};
        return { message: this.ownSend(chat, { text: op.text, attachments, ...quote }) };
      }
      case "start": {
        const account = this.requireAccount(op.account_id);
        const attachments = op.attachments.map((a) => this.attachFile(a));
        const people = op.attendees_ids.map((id) => store.attendeeByProviderId(account, id, directoryName(id)));
        // An InMail opens its own thread; a classic message goes to the chat you already have with them.
        let chat =
          people.length === 1 && !op.inmail
            ? [...store.chats.values()].find((c) => c.account_id === account.id && c.type === 0 && c.attendee_provider_id === op.attendees_ids[0] && !c.content_type)
            : undefined;
        chat ??= store.addChat(account, people, {
          ...(people.length > 1 ? { name: op.subject || people.map((p) => p.name).join(", ") } : {}),
          ...(op.subject ? { subject: op.subject } : {}),
          ...(op.inmail ? { content_type: "inmail" as const } : {}),
        });
        const message = op.text !== null || attachments.length ? this.ownSend(chat, { text: op.text, attachments }) : undefined;
        return { chat, message };
      }
      case "readStatus": {
        const chat = this.requireChat(op.chat_id);
        if (op.value) {
          chat.unread_count = 0;
          for (const m of store.messagesOf(chat)) if (!m.is_sender) m.seen = 1;
        } else chat.unread_count = Math.max(1, chat.unread_count);
        return { chat };
      }
      case "chatState":
        return { chat: applyChatState(this.requireChat(op.chat_id), op) };
      case "reaction":
        return { message: this.react(this.requireMessage(op.message_id), op) };
      case "edit": {
        const m = this.requireMessage(op.message_id);
        m.text = op.text;
        m.edited = 1;
        this.emit("message_edited", m, { timestamp: store.now() });
        return { message: m };
      }
      case "delete": {
        const m = this.requireMessage(op.message_id);
        Object.assign(m, { deleted: 1, text: null, attachments: [] });
        this.emit("message_deleted", m, { timestamp: store.now() });
        return { message: m };
      }
      case "forward":
        return { message: forwardOp(this, op) };
      case "read":
        return { message: this.markRead(this.requireMessage(op.message_id)) };
      case "delivered":
        return { message: this.markDelivered(this.requireMessage(op.message_id)) };
      case "accountStatus":
        this.setAccountStatus(this.requireAccount(op.account_id), op.status, op.message, op.product);
        return {};
      case "hookCreate": {
        const id = store.rng.id();
        this.webhooks.hooks.set(id, { ...op.hook, id });
        return { hookId: id };
      }
      case "hookRestore":
        this.webhooks.hooks.set(op.hook.id, op.hook);
        return { hookId: op.hook.id };
      case "hookDelete":
        this.webhooks.hooks.delete(op.id);
        return {};
    }
  }

  private later(ms: number, fn: () => void) {
    if (this.replaying) return;
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }
  setFaults(f: Partial<Faults>) {
    this.faults = { ...NO_FAULTS, ...f };
    this.faultRng = createRng(this.opts.seed ^ 0xfa17);
  }

  private emit(event: string, m: SimMessage, extra: Record<string, unknown> = {}) {
    const payload = messagePayload(this.store, event, m, extra);
    const account = this.store.account(m.account_id)!;
    if (account.status !== "OK") {
      const list = this.held.get(account.id) ?? [];
      list.push([event, payload]);
      this.held.set(account.id, list);
      return;
    }
    if (!this.replaying) this.webhooks.dispatch("messaging", event, payload, account.id);
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

  /** Checks a control API inbound message and turns it into an operation. */
  inboundOp(input: InboundInput): Op & { op: "inbound" } {
    if (input.chat_id) this.counterpart(this.requireChat(input.chat_id));
    else if (input.account_id) this.requireAccount(input.account_id);
    if (input.quote_id) this.requireMessage(input.quote_id);
    const attachments = (input.attachments ?? []).map((a): FileInput => {
      if ("asset" in a) {
        if (!(a.asset in ASSETS)) throw badParam(`asset must be one of ${Object.keys(ASSETS).join(", ")}`);
        return { asset: a.asset };
      }
      return { name: a.name, mimetype: guessMimetype(a.name, a.type), bytes: new Uint8Array(Buffer.from(a.data_base64, "base64")) };
    });
    const { chat_id, account_id, text, sender_name, sender_provider_id, quote_id } = input;
    return { op: "inbound", chat_id, account_id, text, attachments, sender_name, sender_provider_id, quote_id };
  }

  /** A message from the other party (a new 1:1 chat when no chat is given). */
  private inbound(input: Op & { op: "inbound" }) {
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
    const attachments = input.attachments.map((a) => this.attachFile(a));
    const quote = input.quote_id ? store.quoteOf(this.requireMessage(input.quote_id)) : {};
    const m = store.pushMessage(chat, sender, { text: input.text ?? (attachments.length ? null : ""), attachments, ...quote });
    chat.unread_count++;
    this.emit("message_received", m);
    return m;
  }
  private attachFile(a: FileInput) {
    if ("asset" in a) return this.store.attach(ASSETS[a.asset]);
    return this.store.attach({ bytes: a.bytes, name: a.name, mimetype: a.mimetype, size: pngSize(a.bytes) });
  }

  private providerUserId(account: SimAccount) {
    const r = this.store.rng;
    switch (account.type) {
      case "WHATSAPP":
        return `${r.digits(11)}@s.whatsapp.net`;
      case "LINKEDIN":
        return `ACoAA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 34)}`;
      default:
        return r.digits(12);
    }
  }

  /** Our own message; its echo arrives as message_received with is_sender true (plus `extra` keys). */
  ownSend(chat: SimChat, f: Partial<SimMessage>, extra: Record<string, unknown> = {}) {
    const store = this.store;
    const m = store.pushMessage(chat, store.selfOf(store.account(chat.account_id)!), { delivered: 0, seen: 0, ...f });
    // After the HTTP answer, as the echo can arrive before or after it.
    this.later(5, () => this.emit("message_received", m, extra));
    if (this.live.enabled) {
      this.later(1000, () => this.apply({ op: "delivered", message_id: m.id }));
      this.later(3000, () => this.apply({ op: "read", message_id: m.id }));
    }
    return m;
  }

  private markDelivered(m: SimMessage) {
    if (m.delivered) return m;
    m.delivered = 1;
    this.emit("message_delivered", m, { timestamp: this.store.now() });
    return m;
  }

  private markRead(m: SimMessage) {
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
    return m;
  }

  private react(m: SimMessage, op: { from_me: boolean; sender_provider_id?: string; value: string }) {
    const store = this.store;
    const chat = store.chats.get(m.chat_id)!;
    const reactor = op.from_me ? store.selfOf(store.account(chat.account_id)!) : (store.others(chat).find((o) => o.provider_id === op.sender_provider_id) ?? this.counterpart(chat));
    m.reactions = m.reactions.filter((r) => r.sender_id !== reactor.provider_id);
    if (op.value) m.reactions.push({ value: op.value, sender_id: reactor.provider_id, is_sender: reactor.is_self === 1 });
    this.emit("message_reaction", m, { timestamp: store.now(), reaction: op.value, reaction_sender: attendeeRef(reactor) });
    return m;
  }

  private setAccountStatus(account: SimAccount, status: SourceStatus, message?: string, product?: string) {
    if (product) return setProductStatus(account, product, status, message, this.replaying ? undefined : this.webhooks);
    const before = account.status;
    account.status = status;
    if (this.replaying) {
      if (status === "OK") this.held.delete(account.id);
      return;
    }
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
      const account_id = chat ? undefined : r.pick(store.accounts.filter((a) => a.status === "OK")).id;
      this.apply(this.inboundOp({ chat_id: chat?.id, account_id, text: r.pick(texts) }));
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

  /** Back to the seeded world (and an empty journal); registrations are kept unless cleared. */
  reset({ clearWebhooks = false } = {}) {
    this.stop();
    if (clearWebhooks) this.webhooks.hooks.clear();
    this.held = new Map();
    this.store = this.fresh();
    this.setFaults({});
    this.requestStats.clear();
    this.webhooks.resetStats();
    this.setLive(!!this.opts.live, this.opts.liveIntervalMs ?? 5000);
  }
}
