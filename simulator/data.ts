// The simulator's in-memory Unipile: accounts, chats, attendees, messages and attachment bytes,
// stored in Unipile's wire shape (0/1 flags, ISO times). Demo content is hand-written; the scale
// option adds generated chats whose messages are only built when first read, so 100k+ are cheap.
import { makePdf, makePng } from "./assets.ts";
import { createRng, subSeed, type Rng } from "./rng.ts";

export type Provider = "LINKEDIN" | "WHATSAPP" | "INSTAGRAM" | "TELEGRAM" | "MESSENGER";
export const SOURCE_STATUSES = ["OK", "STOPPED", "ERROR", "CREDENTIALS", "PERMISSIONS", "CONNECTING"] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export type SimAccount = {
  id: string;
  name: string;
  type: Provider;
  created_at: string;
  connection_params: { im: Record<string, unknown> };
  status: SourceStatus;
  selfAttendeeId: string;
  /** LinkedIn products (Recruiter, Sales Navigator) whose own status is not OK, by the name given. */
  products?: Record<string, SourceStatus>;
};

export type SimAttendee = {
  id: string;
  account_id: string;
  provider_id: string;
  name: string;
  is_self: 0 | 1;
  hidden: 0;
  profile_url?: string;
  /** An expiring CDN link, as Unipile gives; the bytes come from GET /chat_attendees/{id}/picture. */
  picture_url?: string;
  specifics?: Record<string, unknown>;
};

export type WireAttachment = {
  id: string;
  type: "img" | "file" | "video" | "audio";
  unavailable: boolean;
  mimetype: string;
  file_size: number;
  url: string;
  url_expires_at: number;
  size?: { width: number; height: number };
  sticker?: boolean;
  file_name?: string;
  gif?: boolean;
  voice_note?: boolean;
};

export type SimMessage = {
  id: string;
  provider_id: string;
  chat_id: string;
  chat_provider_id: string;
  account_id: string;
  sender_id: string;
  sender_attendee_id: string;
  text: string | null;
  timestamp: string;
  is_sender: 0 | 1;
  attachments: WireAttachment[];
  reactions: { value: string; sender_id: string; is_sender: boolean }[];
  seen: 0 | 1;
  seen_by: Record<string, string | boolean>;
  hidden: 0;
  deleted: 0 | 1;
  edited: 0 | 1;
  is_event: 0 | 1;
  event_type?: number;
  delivered: 0 | 1;
  behavior: null;
  original: string;
  quoted?: { provider_id: string; sender_id: string; text: string | null; attachments: WireAttachment[] };
  reply_to?: { id: string; provider_id: string; timestamp: string; sender_attendee_id: string; sender_id: string; text: string | null };
};

export type SimChat = {
  id: string;
  account_id: string;
  account_type: Provider;
  provider_id: string;
  attendee_provider_id?: string;
  name: string | null;
  type: 0 | 1 | 2;
  timestamp: string | null;
  unread_count: number;
  archived: 0 | 1;
  muted_until: -1 | string | null;
  read_only: 0 | 1 | 2;
  disabledFeatures?: ("reactions" | "reply")[];
  folder: string[];
  pinned: 0 | 1;
  subject?: string;
  content_type?: "inmail" | "sponsored" | "linkedin_offer";
  /** Attendee ids, self first. Not on the wire. */
  _attendees: string[];
  /** Messages oldest first, or null until a generated chat is first read. */
  _msgs: SimMessage[] | null;
  _gen: ((chat: SimChat) => SimMessage[]) | null;
};

export type StoredFile = { bytes: Uint8Array; mimetype: string; name: string };

export type StoreOptions = {
  seed: number;
  /** Demo content (hand-written chats + a few generated ones). Default true. */
  demo: boolean;
  /** Generated chats (replacing the demo's generated filler) and messages in each. */
  chats?: number;
  messages?: number;
  /** The newest seeded message is a little before this time. */
  baseTime: number;
};

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// Shared assets (one copy in memory, referenced by many attachments)
// ---------------------------------------------------------------------------------------------

export const ASSETS = {
  photo: { bytes: makePng(64, 48, [40, 110, 200], [250, 190, 90]), mimetype: "image/png", name: "view-from-the-top.png", size: { width: 64, height: 48 } },
  sticker: { bytes: makePng(32, 32, [255, 120, 160], [255, 230, 120]), mimetype: "image/png", name: "sticker.png", size: { width: 32, height: 32 } },
  topo: { bytes: makePdf(["Route topo - north wall", "1. Arete 6a", "2. Crack 6b+", "3. Roof 7a"]), mimetype: "application/pdf", name: "route-topo.pdf" },
  notes: { bytes: Buffer.from("Gear list\n- 12 quickdraws\n- 60 m rope\n- helmet\n- chalk\n", "utf8"), mimetype: "text/plain", name: "gear-list.txt" },
} as const;
type AssetKey = keyof typeof ASSETS;

// ---------------------------------------------------------------------------------------------
// Content banks
// ---------------------------------------------------------------------------------------------

const FIRST = ["Maya", "Jonas", "Léa", "Tomasz", "Priya", "Yusuf", "Noa", "Carlos", "Sofia", "Kenji", "Amara", "Lukas", "Chloé", "Mateo", "Ingrid", "Ravi", "Zoe", "Olu", "Hana", "Marek", "Elif", "Diego", "Aroha", "Sven"];
const LAST = ["Lindqvist", "Brekke", "Moreau", "Wierzbicki", "Raman", "Al-Amin", "Ben-David", "Mendes", "Rossi", "Sato", "Okafor", "Weber", "Dubois", "García", "Nilsen", "Iyer", "Park", "Adeyemi", "Kim", "Novak", "Yılmaz", "Ruiz", "Ngata", "Holm"];
const PHRASES = [
  "Sounds good!",
  "Can we move it to Thursday?",
  "I'll send the details tonight.",
  "Thanks 🙏",
  "Haha yes 😂",
  "On my way",
  "Did you see the forecast? ☀️",
  "Let me check and get back to you.",
  "Perfect, see you then 👋",
  "Could you share the document again?",
  "Running 10 minutes late, sorry!",
  "Great news 🎉",
  "What time works for you?",
  "Agreed 👍",
  "I'm not sure that's right, can you double-check?",
  "Here's what I had in mind: short intro call, then a workshop the week after.",
  "Love it ❤️",
  "Ok",
  "Let's do it 💪",
  "Talk tomorrow?",
  "Busy week, but I'll make time.",
  "Did the invoice arrive?",
  "Happy birthday!! 🎂🎈",
  "Noted, thanks for the heads-up.",
];

// ---------------------------------------------------------------------------------------------
// Store
// ---------------------------------------------------------------------------------------------

export class SimStore {
  accounts: SimAccount[] = [];
  chats = new Map<string, SimChat>();
  attendees = new Map<string, SimAttendee>();
  files = new Map<string, StoredFile>();
  private messages = new Map<string, SimMessage>();
  /** Generated chats: message ids start with the chat id's first 14 characters. */
  private lazyByPrefix = new Map<string, SimChat>();
  private clock: number;
  readonly rng: Rng;

  constructor(readonly opts: StoreOptions) {
    this.rng = createRng(opts.seed);
    this.clock = opts.baseTime;
    seedStore(this);
  }

  /** The wall clock behind now(); a replayed journal feeds back the readings it recorded. */
  wall: () => number = Date.now;

  /** A strictly increasing ISO time, never before the seeded data. */
  now(): string {
    this.clock = Math.max(this.wall(), this.clock + 1);
    return iso(this.clock);
  }

  account(id: string) {
    return this.accounts.find((a) => a.id === id);
  }
  selfOf(account: SimAccount) {
    return this.attendees.get(account.selfAttendeeId)!;
  }
  attendeesOf(chat: SimChat) {
    return chat._attendees.map((id) => this.attendees.get(id)!);
  }
  others(chat: SimChat) {
    return this.attendeesOf(chat).filter((a) => !a.is_self);
  }

  messagesOf(chat: SimChat): SimMessage[] {
    if (!chat._msgs) {
      chat._msgs = chat._gen ? chat._gen(chat) : [];
      chat._gen = null;
      for (const m of chat._msgs) this.messages.set(m.id, m);
    }
    return chat._msgs;
  }

  getMessage(id: string): SimMessage | undefined {
    const m = this.messages.get(id);
    if (m) return m;
    const chat = this.lazyByPrefix.get(id.slice(0, 14));
    if (chat && chat._msgs === null) {
      this.messagesOf(chat);
      return this.messages.get(id);
    }
    return undefined;
  }

  countMessages(): number {
    let n = 0;
    for (const c of this.chats.values()) n += c._msgs ? c._msgs.length : lazyCount.get(c) ?? 0;
    return n;
  }

  addAccount(a: Omit<SimAccount, "selfAttendeeId">, self: { provider_id: string; name: string; profile_url?: string; specifics?: Record<string, unknown> }) {
    const att = this.addAttendee({ account_id: a.id, is_self: 1, ...self });
    const acc: SimAccount = { ...a, selfAttendeeId: att.id };
    this.accounts.push(acc);
    return acc;
  }

  addAttendee(a: Omit<SimAttendee, "id" | "hidden">): SimAttendee {
    const id = this.rng.id();
    // Three people in four have a profile picture.
    const picture = hash(a.provider_id) % 4 !== 0 ? { picture_url: `https://media.unipile.example/pictures/${id}.png?expires=1798761600` } : {};
    const att: SimAttendee = { id, hidden: 0, ...picture, ...a };
    this.attendees.set(att.id, att);
    return att;
  }

  /** An attendee of this account with this provider id, created (named after the id) when unknown. */
  attendeeByProviderId(account: SimAccount, providerId: string, name?: string): SimAttendee {
    for (const a of this.attendees.values()) if (a.account_id === account.id && a.provider_id === providerId) return a;
    return this.addAttendee({ account_id: account.id, provider_id: providerId, name: name ?? providerId, is_self: 0, ...profileFor(account.type, name ?? providerId, providerId) });
  }

  addChat(account: SimAccount, others: SimAttendee[], fields: Partial<SimChat> = {}): SimChat {
    const group = others.length > 1;
    const ids = providerIds(account.type, this.rng);
    const chat: SimChat = {
      id: this.rng.id(),
      account_id: account.id,
      account_type: account.type,
      provider_id: ids.chat(group, others[0]?.provider_id),
      ...(group ? {} : { attendee_provider_id: others[0]!.provider_id }),
      name: group ? "Group" : account.type === "LINKEDIN" ? null : others[0]!.name,
      type: group ? 1 : 0,
      timestamp: null,
      unread_count: 0,
      archived: 0,
      muted_until: null,
      read_only: 0,
      folder: account.type === "LINKEDIN" ? ["INBOX", "INBOX_LINKEDIN_CLASSIC"] : ["INBOX"],
      pinned: 0,
      _attendees: [account.selfAttendeeId, ...others.map((o) => o.id)],
      _msgs: [],
      _gen: null,
      ...fields,
    };
    this.chats.set(chat.id, chat);
    return chat;
  }

  /** Registers a generated chat whose `count` messages are built on first read. */
  addLazyChat(chat: SimChat, count: number, gen: (chat: SimChat) => SimMessage[]) {
    chat._msgs = null;
    chat._gen = gen;
    this.lazyByPrefix.set(chat.id.slice(0, 14), chat);
    lazyCount.set(chat, count);
  }

  /** Replaces a chat's messages (oldest first) and its activity time. */
  setMessages(chat: SimChat, msgs: SimMessage[]) {
    chat._msgs = msgs;
    chat._gen = null;
    for (const m of msgs) this.messages.set(m.id, m);
    chat.timestamp = msgs.length ? msgs[msgs.length - 1]!.timestamp : null;
  }

  /** Builds a message in wire shape (not stored). */
  buildMessage(chat: SimChat, sender: SimAttendee, f: Partial<SimMessage> & { timestamp: string }, id = this.rng.id()): SimMessage {
    return {
      id,
      provider_id: f.provider_id ?? providerIds(chat.account_type, this.rng).message(),
      chat_id: chat.id,
      chat_provider_id: chat.provider_id,
      account_id: chat.account_id,
      sender_id: sender.provider_id,
      sender_attendee_id: sender.id,
      text: null,
      is_sender: sender.is_self,
      attachments: [],
      reactions: [],
      seen: 0,
      seen_by: {},
      hidden: 0,
      deleted: 0,
      edited: 0,
      is_event: 0,
      delivered: 1,
      behavior: null,
      original: "",
      ...f,
    };
  }

  /** Appends a new message (timestamp now) and moves the chat's activity time. */
  pushMessage(chat: SimChat, sender: SimAttendee, f: Partial<SimMessage> = {}): SimMessage {
    const msgs = this.messagesOf(chat);
    const m = this.buildMessage(chat, sender, { timestamp: this.now(), ...f });
    msgs.push(m);
    this.messages.set(m.id, m);
    chat.timestamp = m.timestamp;
    return m;
  }

  /** An attachment in wire shape with its bytes registered for download. */
  attach(file: StoredFile & { size?: { width: number; height: number } }, opts: { sticker?: boolean; id?: string } = {}): WireAttachment {
    const id = opts.id ?? this.rng.id();
    this.files.set(id, file);
    const base = {
      id,
      unavailable: false,
      mimetype: file.mimetype,
      file_size: file.bytes.byteLength,
      url: `att://${Buffer.from(`sim:${id}`).toString("base64")}`,
      url_expires_at: this.opts.baseTime + 24 * 60 * MIN,
    };
    if (file.mimetype.startsWith("image/")) return { ...base, type: "img", size: file.size ?? { width: 0, height: 0 }, sticker: !!opts.sticker };
    if (file.mimetype.startsWith("video/")) return { ...base, type: "video", size: file.size ?? { width: 0, height: 0 }, gif: false };
    if (file.mimetype.startsWith("audio/")) return { ...base, type: "audio", voice_note: false };
    return { ...base, type: "file", file_name: file.name };
  }

  quoteOf(q: SimMessage): Pick<SimMessage, "quoted" | "reply_to"> {
    return {
      quoted: { provider_id: q.provider_id, sender_id: q.sender_id, text: q.text, attachments: q.attachments },
      reply_to: { id: q.id, provider_id: q.provider_id, timestamp: q.timestamp, sender_attendee_id: q.sender_attendee_id, sender_id: q.sender_id, text: q.text },
    };
  }
}

const lazyCount = new WeakMap<SimChat, number>();

// ---------------------------------------------------------------------------------------------
// Provider-shaped ids and profiles
// ---------------------------------------------------------------------------------------------

function providerIds(type: Provider, rng: Rng) {
  const b64 = (n: number) => Buffer.from(rng.chars("abcdef0123456789-", n)).toString("base64");
  switch (type) {
    case "LINKEDIN":
      return { user: () => `ACoAA${rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 34)}`, chat: () => `2-${b64(40)}`, message: () => `2-${b64(48)}` };
    case "WHATSAPP":
      return { user: () => `${rng.digits(11)}@s.whatsapp.net`, chat: (group: boolean, other?: string) => (group ? `${rng.digits(18)}@g.us` : other ?? `${rng.digits(11)}@s.whatsapp.net`), message: () => `3EB0${rng.hex(16)}` };
    case "INSTAGRAM":
      return { user: () => rng.digits(11), chat: () => rng.digits(16), message: () => `aWdfZAG1${rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40)}` };
    case "TELEGRAM":
      return { user: () => rng.digits(10), chat: (group: boolean, other?: string) => (group ? `-100${rng.digits(10)}` : other ?? rng.digits(10)), message: () => String(rng.int(900000) + 1000) };
    case "MESSENGER":
      return { user: () => rng.digits(16), chat: () => rng.digits(16), message: () => `m_${rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 40)}` };
  }
}

function slug(name: string) {
  return name
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "-");
}

function profileFor(type: Provider, name: string, providerId: string, occupation?: string): Pick<SimAttendee, "profile_url" | "specifics"> {
  if (type === "LINKEDIN")
    return {
      profile_url: `https://www.linkedin.com/in/${providerId}`,
      specifics: { provider: "LINKEDIN", member_urn: `urn:li:member:${100000000 + (hash(providerId) % 800000000)}`, network_distance: "DISTANCE_2", ...(occupation ? { occupation, headline: occupation } : {}) },
    };
  if (type === "INSTAGRAM") return { profile_url: `https://www.instagram.com/${slug(name).replace(/-/g, ".")}` };
  return {};
}

export function hash(s: string) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

function seedStore(store: SimStore) {
  const { rng, opts } = store;
  const created = (days: number) => iso(opts.baseTime - days * 24 * 60 * MIN);
  const mk = (type: Provider, name: string, im: (pid: string) => Record<string, unknown>, status: SourceStatus, days: number, selfName: string) => {
    const pid = providerIds(type, rng).user();
    const id = rng.id();
    return store.addAccount(
      { id, name, type, created_at: created(days), connection_params: { im: im(pid) }, status },
      { provider_id: pid, name: selfName, ...(type === "LINKEDIN" ? { profile_url: `https://www.linkedin.com/in/aiko-tanabe-4b1d2e`, specifics: { provider: "LINKEDIN", member_urn: "urn:li:member:738204915" } } : {}) },
    );
  };
  const li = mk("LINKEDIN", "Aiko Tanabe", (id) => ({ id, username: "Aiko Tanabe", publicIdentifier: "aiko-tanabe-4b1d2e", premiumId: null, premiumContractId: null, premiumFeatures: [], organizations: [] }), "OK", 80, "Aiko Tanabe");
  const wa = mk("WHATSAPP", "33698120455", () => ({ phone_number: "33698120455" }), "OK", 60, "Aiko Tanabe");
  // The WhatsApp self id follows the phone number, as on the real provider.
  store.selfOf(wa).provider_id = "33698120455@s.whatsapp.net";
  const ig = mk("INSTAGRAM", "aiko.climbs", (id) => ({ id, username: "aiko.climbs" }), "OK", 40, "aiko.climbs");
  const tg = mk("TELEGRAM", "aiko_t", (id) => ({ user_id: id, username: "aiko_t" }), "OK", 30, "Aiko T.");
  const ms = mk("MESSENGER", "Aiko Tanabe", (id) => ({ id, username: "aiko.tanabe" }), "CREDENTIALS", 20, "Aiko Tanabe");
  const accounts = [li, wa, ig, tg, ms];

  let slot = 0; // chats end at staggered times so the inbox has an order
  const endOf = () => opts.baseTime - 3 * MIN - slot++ * 47 * MIN;

  if (opts.demo) seedDemo(store, { li, wa, ig, tg, ms }, endOf);

  const n = opts.chats ?? (opts.demo ? 20 : 0);
  for (let i = 0; i < n; i++) {
    const account = accounts[i % accounts.length]!;
    const count = opts.messages ?? 4 + createRng(subSeed(opts.seed, i)).int(20);
    addGeneratedChat(store, account, i, count, opts.chats ? opts.baseTime - 60 * MIN - i * 13 * MIN : endOf());
  }
}

/** One generated chat; its messages (3 min apart, ending at `end`) are built lazily from their own seed. */
function addGeneratedChat(store: SimStore, account: SimAccount, i: number, count: number, end: number) {
  const r = createRng(subSeed(store.opts.seed, 1_000_000 + i));
  const group = i % 9 === 4;
  const ids = providerIds(account.type, r);
  const mkPerson = () => {
    const name = `${r.pick(FIRST)} ${r.pick(LAST)}`;
    const pid = ids.user();
    return store.addAttendee({ account_id: account.id, provider_id: pid, name, is_self: 0, ...profileFor(account.type, name, pid) });
  };
  const others = group ? [mkPerson(), mkPerson(), mkPerson()] : [mkPerson()];
  const chat = store.addChat(account, others, {
    id: r.id(),
    ...(group ? { name: `${r.pick(["Book club", "Project", "Trip", "Team", "Family", "Climbing"])} ${r.pick(["📚", "🚀", "🏔️", "", "🌿", ""])}`.trim() } : {}),
    timestamp: count > 0 ? iso(end) : null,
    unread_count: i % 4 === 0 && count > 0 ? 1 + (i % 3) : 0,
  });
  const self = store.selfOf(account);
  const unread = chat.unread_count;
  store.addLazyChat(chat, count, (c) => {
    const g = createRng(subSeed(store.opts.seed, 2_000_000 + i));
    const prefix = c.id.slice(0, 14);
    const out: SimMessage[] = [];
    for (let k = count - 1; k >= 0; k--) {
      const newestIndex = k; // 0 = newest
      const mine = newestIndex >= unread && g.next() < 0.45;
      const sender = mine ? self : others[g.int(others.length)]!;
      const id = prefix + newestIndex.toString(36).padStart(8, "0");
      const ts = iso(end - newestIndex * 3 * MIN);
      // Provider id derived, not drawn: materialising must not consume the store's shared generator.
      const m = store.buildMessage(c, sender, { timestamp: ts, text: g.pick(PHRASES), seen: newestIndex < unread && !mine ? 0 : 1, provider_id: `${c.provider_id}:${newestIndex}` }, id);
      if (mine) m.seen_by = Object.fromEntries(others.map((o) => [o.provider_id, ts]));
      if (g.next() < 0.04) m.attachments = [store.attach(ASSETS.photo, { id: `${id}a` })];
      out.push(m);
    }
    return out;
  });
}

type Step = {
  /** "me", an index into the chat's others, or "event" (a system message). */
  from: "me" | number | "event";
  text?: string | null;
  file?: AssetKey;
  /** Minutes before the next step (default 6). */
  gap?: number;
  react?: [who: "me" | number, emoji: string][];
  /** Quotes the message this many steps earlier. */
  quote?: number;
  edited?: boolean;
  deleted?: boolean;
  event_type?: number;
  /** Events: the index of the person the event is about (default the first). */
  by?: number;
};

function seedDemo(store: SimStore, a: Record<"li" | "wa" | "ig" | "tg" | "ms", SimAccount>, endOf: () => number) {
  const person = (account: SimAccount, name: string, occupation?: string) => {
    const pid = providerIds(account.type, store.rng).user();
    return store.addAttendee({ account_id: account.id, provider_id: pid, name, is_self: 0, ...profileFor(account.type, name, pid, occupation) });
  };
  const chat = (account: SimAccount, others: SimAttendee[], steps: Step[], fields: Partial<SimChat> = {}) => {
    const c = store.addChat(account, others, fields);
    writeSteps(store, c, steps, endOf());
    return c;
  };

  // WhatsApp -------------------------------------------------------------------------------
  const maya = person(a.wa, "Maya Lindqvist");
  const jonas = person(a.wa, "Jonas Brekke");
  const lea = person(a.wa, "Léa Moreau");
  chat(a.wa, [maya], [
    { from: 0, text: "Here's the topo for Saturday", file: "topo" },
    { from: "me", text: "View from the top last time", file: "photo", react: [[0, "❤️"]] },
    { from: 0, text: "Ugh, wrong chat, ignore that", deleted: true },
    { from: "event", event_type: 8 },
    { from: 0, text: "Could we meet a bit later, say 10:30?", edited: true, react: [["me", "👍"]] },
    { from: "me", text: "How about 10:30 at the north entrance?", gap: 3 },
    { from: 0, text: "Perfect, 10:30 works. See you there!", quote: 1 },
  ], { unread_count: 1, name: "Maya Lindqvist" });
  chat(a.wa, [jonas, lea, maya], [
    { from: "event", event_type: 3, text: null },
    { from: "event", event_type: 5, text: null, by: 1 },
    { from: 0, text: "Welcome Léa! 🎉" },
    { from: 1, text: "Merci ! Hâte de grimper avec vous 🧗‍♀️" },
    { from: "me", text: "Who's in for Saturday? Forecast looks dry", file: "photo", react: [[0, "🔥"], [1, "🔥"], [2, "👍"]] },
    { from: 2, text: "In!" },
    { from: 0, text: "I'll bring the rope", gap: 2 },
    { from: 1, text: "Moi aussi 🙋‍♀️", quote: 2 },
  ], { name: "Saturday climbing crew", pinned: 1, muted_until: -1 });
  // The long thread: 320 messages, a few minutes apart.
  const long: Step[] = [];
  const r = createRng(subSeed(store.opts.seed, 77));
  for (let i = 0; i < 320; i++) long.push({ from: r.next() < 0.5 ? "me" : 0, text: `${r.pick(PHRASES)}${i % 50 === 0 ? ` (#${i})` : ""}`, gap: 2 + r.int(9) });
  chat(a.wa, [jonas], long, { name: "Jonas Brekke", unread_count: 0 });

  // LinkedIn -------------------------------------------------------------------------------
  const tomasz = person(a.li, "Tomasz Wierzbicki", "Head of Partnerships at Northwind Robotics");
  const priya = person(a.li, "Priya Raman", "Senior Technical Recruiter");
  const kenji = person(a.li, "Kenji Sato", "CTO at Hikari Labs");
  chat(a.li, [tomasz], [
    { from: 0, text: "Hi Aiko, I enjoyed your talk on warehouse robotics. Would you be open to exploring a partnership between our teams?" },
    { from: "me", text: "Thanks Tomasz! Happy to talk. What do you have in mind?", gap: 40 },
    { from: 0, text: "Thanks Aiko! Does Thursday 3pm CET work for a quick call?" },
  ], { subject: "Partnership idea", content_type: "inmail", unread_count: 1 });
  // Through LinkedIn Recruiter (its mailbox in `folder`): a Recruiter status blocks this chat only.
  chat(a.li, [priya], [
    { from: 0, text: LONG_TEXT },
    { from: "me", text: "Thank you for the detailed note, Priya. I'm not looking right now, but let's stay in touch." },
    { from: 0, text: "Completely understand. I'll reach out again in the spring 🌸" },
  ], { folder: ["INBOX", "INBOX_LINKEDIN_RECRUITER"] });
  chat(a.li, [kenji, tomasz], [
    { from: 0, text: "Creating this thread so we can plan the meetup." },
    { from: 1, text: "Great idea. I can host in Kraków in May." },
    { from: "me", text: "Count me in. I can give a 20 minute talk." },
  ], { name: "Robotics meetup organisers" });

  // Instagram ------------------------------------------------------------------------------
  const lena = person(a.ig, "lena.bouldering");
  const gym = person(a.ig, "Kyoto Climbing Gym");
  chat(a.ig, [lena], [
    { from: 0, text: "😍😍😍 that send!!" },
    { from: "me", text: "Haha thanks 🙈 took me 12 tries" },
    { from: 0, text: null, file: "photo" },
    { from: 0, text: "🧗‍♀️🔥💯", react: [["me", "😂"]] },
    { from: "me", text: "👀👀 next weekend? 🏔️" },
    { from: 0, text: "👍🏽👍🏽", gap: 1 },
  ], { unread_count: 1 });
  chat(a.ig, [gym], [
    { from: "me", text: "Hi! Do you have a schedule for the beginner classes?" },
    { from: 0, text: "Hello! Here is our schedule for December. Classes are Tue/Thu 19:00.", file: "notes" },
  ]);

  // Telegram (RTL) -------------------------------------------------------------------------
  const yusuf = person(a.tg, "يوسف الأمين");
  const noa = person(a.tg, "נועה בן דוד");
  const runners = [person(a.tg, "Sofia Rossi"), person(a.tg, "Olu Adeyemi"), yusuf];
  chat(a.tg, [yusuf], [
    { from: 0, text: "مرحبا آيكو! كيف حالك؟" },
    { from: "me", text: "أهلاً يوسف، أنا بخير، شكراً! وأنت؟" },
    { from: 0, text: "الحمد لله. هل نلتقي يوم الجمعة في المقهى؟ ☕" },
    { from: "me", text: "Yes! Friday 5pm works — الجمعة الساعة الخامسة 👍", react: [[0, "❤️"]] },
  ], { unread_count: 0 });
  chat(a.tg, [noa], [
    { from: 0, text: "שלום! ראית את ההודעה שלי על הפרויקט?" },
    { from: "me", text: "כן, תודה! I'll review the draft tonight." },
    { from: 0, text: "מעולה 🙏 תעדכני אותי" },
  ], { unread_count: 1 });
  chat(a.tg, runners, [
    { from: "event", event_type: 3, text: null },
    { from: 0, text: "Route for Sunday: 18 km along the river, start 7:00 🏃" },
    { from: 1, text: LONG_TEXT.slice(0, 900) },
    { from: "me", text: "I'm in, will bring snacks 🍌" },
  ], { name: "Trail runners 🏃" });

  // Messenger (account in CREDENTIALS state: data is stale, sends are refused) ------------
  const carlos = person(a.ms, "Carlos Mendes");
  const sue = person(a.ms, "Sue Tanabe");
  chat(a.ms, [carlos], [
    { from: 0, text: "Hey, are you coming to the barbecue?" },
    { from: "me", text: "Wouldn't miss it!" },
  ]);
  chat(a.ms, [sue], [{ from: 0, text: "Call me when you can, sweetie ❤️" }], { unread_count: 1 });
}

/** Writes scripted steps so that the last one lands at `end`. */
function writeSteps(store: SimStore, chat: SimChat, steps: Step[], end: number) {
  const others = store.others(chat);
  const self = store.attendeesOf(chat)[0]!;
  const msgs: SimMessage[] = [];
  let t = end;
  const times: number[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    times[i] = t;
    t -= (steps[i - 1]?.gap ?? 6) * MIN + store.rng.int(50_000);
  }
  const unreadFrom = steps.length - chat.unread_count;
  steps.forEach((s, i) => {
    const sender = s.from === "me" ? self : s.from === "event" ? others[s.by ?? 0]! : others[s.from]!;
    const ts = iso(times[i]!);
    const mine = sender.is_self === 1;
    const m = store.buildMessage(chat, sender, {
      timestamp: ts,
      text: s.text === undefined ? null : s.text,
      is_event: s.from === "event" ? 1 : 0,
      ...(s.event_type !== undefined ? { event_type: s.event_type } : {}),
      seen: mine || i < unreadFrom ? 1 : 0,
    });
    if (s.file) m.attachments = [store.attach(ASSETS[s.file], { sticker: false })];
    if (mine) {
      // The last own message of a chat is delivered but not yet seen: the inbox shows both states.
      const last = i === steps.length - 1;
      m.seen = last ? 0 : 1;
      m.seen_by = last ? {} : Object.fromEntries(others.map((o) => [o.provider_id, iso(times[i]! + 60_000)]));
    }
    if (s.quote !== undefined) Object.assign(m, store.quoteOf(msgs[i - s.quote]!));
    if (s.react)
      m.reactions = s.react.map(([who, value]) => {
        const r = who === "me" ? self : others[who]!;
        return { value, sender_id: r.provider_id, is_sender: r.is_self === 1 };
      });
    if (s.edited) m.edited = 1;
    if (s.deleted) Object.assign(m, { deleted: 1, text: null, attachments: [] });
    msgs.push(m);
  });
  store.setMessages(chat, msgs);
}

const LONG_TEXT = `Hi Aiko,

I hope this message finds you well. I'm reaching out because your background in warehouse robotics and your recent talk on fleet coordination caught the attention of our engineering leadership. We're building a team that designs the control layer for autonomous mobile robots in large fulfilment centres, and we believe your experience would be a great fit.

A few things about the role:
• You would lead a group of six engineers working on path planning and multi-agent scheduling.
• The team is distributed across Kraków, Lyon and Kyoto, with a flexible hybrid policy.
• We invest heavily in simulation: every change is validated against a digital twin of three real warehouses before it ships.
• Compensation is competitive, with equity, and a yearly learning budget.

I know timing is everything, so no pressure at all. If you're curious, I'd love to set up a 20-minute call to share more and hear what you're looking for next. If now isn't the right moment, I'd still be glad to stay in touch and send you the occasional update about what we're building.

Thanks for reading this far, and congratulations again on the talk — the section on deadlock avoidance was the clearest explanation I've heard.

Best regards,
Priya

P.S. In case it helps you decide whether a call is worth your time, here is a little more context. The team started as a research group three years ago and now runs in production at eleven sites. We publish most of our simulation tooling as open source, and two of our engineers speak regularly at robotics conferences. The hiring process is short: one conversation with me, a technical discussion with two future peers about a problem you choose, and a final chat with our VP of Engineering. No take-home assignments, no whiteboard puzzles.`;
