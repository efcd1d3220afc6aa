// What a user can do in a chat: one table per provider (what Unipile v1 offers there, REFERENCE.md §8),
// combined with the chat's own flags (`read_only`, `disabledFeatures`) and the account's status. The
// server refuses what this says is impossible; the UI offers only what it allows. Shared by both.

export type ChatAction =
  | "send"
  | "attach"
  | "react"
  | "unreact"
  | "edit"
  | "delete"
  | "forward"
  | "archive"
  | "mute"
  | "pin"
  | "markRead"
  | "startChat"
  | "inmail";

type ProviderRules = Partial<Record<ChatAction, boolean>> & {
  /** Own messages can be deleted only this long after sending (LinkedIn: 60 minutes). */
  deleteWithinMinutes?: number;
  /** A mute can end at a set time (`muted_until`); without it a mute lasts until unmuted. */
  timedMute?: boolean;
};

const ALL_CHAT: ProviderRules = {
  send: true,
  attach: true,
  markRead: true,
  archive: true,
  mute: true,
  pin: true,
  startChat: true,
};

// Forwarding is Unipile's `POST /messages/{id}/forward`, which REFERENCE.md §5 lists as WhatsApp only.
const PROVIDERS: Record<string, ProviderRules> = {
  // Archive/mute/pin per provider are guesses from each app's own features (REFERENCE.md §8 rates the
  // actions only likely): Instagram has no archived chats, Messenger no pinned ones, LinkedIn mutes
  // without an end. The simulator's chat-actions.ts refuses the same.
  LINKEDIN: { ...ALL_CHAT, react: true, delete: true, edit: true, inmail: true, deleteWithinMinutes: 60 },
  WHATSAPP: { ...ALL_CHAT, react: true, unreact: true, delete: true, edit: true, forward: true, timedMute: true },
  INSTAGRAM: { ...ALL_CHAT, react: true, delete: true, archive: false, timedMute: true },
  MESSENGER: { ...ALL_CHAT, react: true, delete: true, pin: false, timedMute: true },
  TELEGRAM: { ...ALL_CHAT, react: true, unreact: true, delete: true, edit: true, timedMute: true },
};

/** Unipile's `disabledFeatures` names, for the actions they switch off. */
const FEATURE_OF: Partial<Record<ChatAction, string>> = {
  send: "reply",
  attach: "reply",
  react: "reactions",
  unreact: "reactions",
  edit: "edit",
  delete: "delete",
  forward: "forward",
};

/** Actions that write to the chat or its messages: blocked while the chat is read-only. */
const WRITES: ReadonlySet<ChatAction> = new Set(["send", "attach", "react", "unreact", "edit", "delete", "forward"]);

export type CapabilityContext = {
  provider: string;
  readOnly?: boolean;
  disabledFeatures?: readonly string[] | null;
  /** The account's status as Parley stores it ("OK", "CREDENTIALS", "STOPPED", …). */
  accountStatus?: string | null;
  /** The status of the LinkedIn product the chat goes through (Recruiter, Sales Navigator), when one is stored. */
  productStatus?: string | null;
};

export function providerRules(provider: string): ProviderRules {
  return PROVIDERS[provider.toUpperCase()] ?? ALL_CHAT;
}

export function can(action: ChatAction, ctx: CapabilityContext): boolean {
  if (!providerRules(ctx.provider)[action]) return false;
  if (ctx.accountStatus && ctx.accountStatus !== "OK" && action !== "markRead") return false;
  if (ctx.productStatus && ctx.productStatus !== "OK" && action !== "markRead") return false;
  if (ctx.readOnly && WRITES.has(action)) return false;
  const feature = FEATURE_OF[action];
  return !(feature && ctx.disabledFeatures?.includes(feature));
}

/** Whether an own message sent at `sentAt` may still be deleted (`can("delete", …)` aside). */
export function deletableUntil(provider: string, sentAt: Date): Date | null {
  const minutes = providerRules(provider).deleteWithinMinutes;
  return minutes === undefined ? null : new Date(sentAt.getTime() + minutes * 60_000);
}
