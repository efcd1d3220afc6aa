// Chat actions beyond mark read: archive, mute and pin through PATCH /chats/{id} {action, value}.
// REFERENCE.md §2.4/§8 rates them only likely (third-party summaries of the current v1 reference),
// so every detail here is a guess kept in one place: the action names (with the spellings seen),
// the values, which provider allows what, and the errors. v1 sends no webhook for any of them: a
// client learns of a change made elsewhere only from the chat's fields (`archived`, `muted_until`, `pinned`).
import type { Provider, SimChat } from "./data.ts";
import { ApiError, badParam } from "./http.ts";

export type ChatStateChange = { archived?: 0 | 1; muted_until?: -1 | string | null; pinned?: 0 | 1 };
export type ChatStateOp = { op: "chatState"; chat_id: string } & ChatStateChange;

type Field = keyof ChatStateChange;

/** Action names → the chat field they set. "setPinStatus"/"setArchivedStatus" are tolerated spellings. */
const ACTIONS: Record<string, Field> = {
  setArchiveStatus: "archived",
  setArchivedStatus: "archived",
  setMuteStatus: "muted_until",
  setPinnedStatus: "pinned",
  setPinStatus: "pinned",
};

/** What each provider lets Unipile change (the app's src/lib/capabilities.ts holds the same table). */
const SUPPORT: Record<Provider, { archived: boolean; pinned: boolean; muted_until: "timed" | "forever" }> = {
  WHATSAPP: { archived: true, pinned: true, muted_until: "timed" },
  TELEGRAM: { archived: true, pinned: true, muted_until: "timed" },
  LINKEDIN: { archived: true, pinned: true, muted_until: "forever" },
  INSTAGRAM: { archived: false, pinned: true, muted_until: "timed" },
  MESSENGER: { archived: true, pinned: false, muted_until: "timed" },
};

const notSupported = (what: string, provider: string) =>
  ApiError.of(501, `${provider} does not support ${what} through Unipile.`, "errors/feature_not_implemented");

function flagValue(v: unknown): 0 | 1 {
  if (v === true || v === 1 || v === "true" || v === "1") return 1;
  if (v === false || v === 0 || v === "false" || v === "0") return 0;
  throw badParam("value must be a boolean.");
}

/**
 * Mute values: true (or -1) mutes with no end, false (or null) unmutes, an ISO time in the future
 * mutes until then (where the provider has timed mutes).
 */
function muteValue(v: unknown, provider: Provider, now: number): -1 | string | null {
  if (v === true || v === -1 || v === "-1" || v === "true") return -1;
  if (v === false || v === null || v === "false") return null;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v))) {
    if (SUPPORT[provider].muted_until !== "timed") throw notSupported("muting for a set time", provider);
    if (Date.parse(v) <= now) throw badParam("value must be a time in the future.");
    return new Date(Date.parse(v)).toISOString();
  }
  throw badParam("value must be true, false or an ISO 8601 time.");
}

/** A PATCH body other than setReadStatus, checked and turned into an operation (nothing changed yet). */
export function chatStateOp(chat: SimChat, body: Record<string, unknown>, now: number): ChatStateOp {
  const field = typeof body.action === "string" ? ACTIONS[body.action] : undefined;
  if (!field) throw badParam(`Unsupported action "${String(body.action)}".`);
  const provider = chat.account_type;
  if (field === "muted_until") return { op: "chatState", chat_id: chat.id, muted_until: muteValue(body.value, provider, now) };
  if (!SUPPORT[provider][field]) throw notSupported(field === "archived" ? "archiving chats" : "pinning chats", provider);
  return { op: "chatState", chat_id: chat.id, [field]: flagValue(body.value) };
}

/** The control API's "changed on the phone": any of the three fields, unchecked against providers. */
export function phoneChatStateOp(chat: SimChat, b: Record<string, unknown>): ChatStateOp {
  const op: ChatStateOp = { op: "chatState", chat_id: chat.id };
  if ("archived" in b) op.archived = flagValue(b.archived);
  if ("pinned" in b) op.pinned = flagValue(b.pinned);
  if ("muted_until" in b) {
    const v = b.muted_until;
    if (v === -1 || v === null) op.muted_until = v;
    else if (typeof v === "string" && Number.isFinite(Date.parse(v))) op.muted_until = new Date(Date.parse(v)).toISOString();
    else throw badParam("muted_until must be -1, null or an ISO 8601 time.");
  }
  if (Object.keys(op).length === 2) throw badParam("Give archived, pinned or muted_until.");
  return op;
}

export function applyChatState(chat: SimChat, op: ChatStateOp): SimChat {
  if (op.archived !== undefined) chat.archived = op.archived;
  if (op.pinned !== undefined) chat.pinned = op.pinned;
  if (op.muted_until !== undefined) chat.muted_until = op.muted_until;
  return chat;
}
