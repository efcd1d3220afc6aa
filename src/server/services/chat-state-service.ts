// Archive, pin and mute a chat from Parley. Unipile first, then our row: its state is the truth both
// ways (v1 tells us of changes made on the phone only through the chat's fields, which sync and the
// sweep read into our row), so a refusal or a fault leaves everything stored as it was and the
// browser rolls its optimistic change back. Only what capabilities.ts allows is asked for.
import { type ChatAction, can, providerRules } from "@/lib/capabilities.ts";
import { errorMessage } from "@/lib/error-message.ts";
import type { CheckedChat } from "../access.ts";
import { db } from "../db.ts";
import { AppError } from "../errors.ts";
import { publish } from "../realtime/bus.ts";
import type { ChatStatusChange } from "../unipile/schemas.ts";

/** `mute` with `until` null mutes with no end; `value: false` unmutes. */
export type ChatStateChange =
  | { action: "archive"; value: boolean }
  | { action: "pin"; value: boolean }
  | { action: "mute"; value: boolean; until?: Date | null };

/** Unipile's PATCH /chats/{id} for a change: injected so tests and the server action share this code. */
export type ChatStatusRemote = (chatUnipileId: string, change: ChatStatusChange) => Promise<unknown>;

export type ChatState = { archived: boolean; pinned: boolean; muted: boolean; mutedUntil: Date | null };

/** Muted now: with no end, or until a time still ahead (a timed mute ends by itself). */
export function mutedNow(c: { muted: boolean; mutedUntil: Date | null }, now = Date.now()): boolean {
  return c.mutedUntil ? c.mutedUntil.getTime() > now : c.muted;
}

const MAX_MUTE_MS = 366 * 24 * 3_600_000;

const WORDS: Record<ChatStateChange["action"], { verb: string; undo: string; done: string }> = {
  archive: { verb: "archive", undo: "unarchive", done: "archived" },
  pin: { verb: "pin", undo: "unpin", done: "pinned" },
  mute: { verb: "mute", undo: "unmute", done: "muted" },
};

function toRemote(change: ChatStateChange): ChatStatusChange {
  if (change.action === "archive") return { action: "setArchiveStatus", value: change.value };
  if (change.action === "pin") return { action: "setPinnedStatus", value: change.value };
  return { action: "setMuteStatus", value: change.value ? (change.until ? change.until.toISOString() : true) : false };
}

function toColumns(change: ChatStateChange): Partial<ChatState> {
  if (change.action === "archive") return { archived: change.value };
  if (change.action === "pin") return { pinned: change.value };
  return change.value ? { muted: true, mutedUntil: change.until ?? null } : { muted: false, mutedUntil: null };
}

export async function setChatState(checked: CheckedChat, change: ChatStateChange, remote: ChatStatusRemote): Promise<ChatState> {
  const chat = await db.chat.findUniqueOrThrow({
    where: { id: checked.id },
    select: { unipileId: true, readOnly: true, raw: true, account: { select: { provider: true, status: true } } },
  });
  const provider = chat.account.provider;
  const words = WORDS[change.action];
  const verb = change.value ? words.verb : words.undo;
  const action: ChatAction = change.action;
  const raw = chat.raw as { disabledFeatures?: string[] } | null;
  if (
    !can(action, {
      provider,
      readOnly: chat.readOnly,
      disabledFeatures: raw?.disabledFeatures,
      accountStatus: chat.account.status,
    })
  ) {
    throw new AppError(
      "BAD_REQUEST",
      chat.account.status !== "OK" && providerRules(provider)[action]
        ? `This account is ${chat.account.status.toLowerCase()}: reconnect it in Unipile to ${verb} this chat.`
        : `Chats of this app cannot be ${words.done} through Unipile.`,
    );
  }
  if (change.action === "mute" && change.value && change.until) {
    if (!providerRules(provider).timedMute)
      throw new AppError("BAD_REQUEST", 'This app mutes a chat until you unmute it: choose "Until I unmute".');
    const ms = change.until.getTime() - Date.now();
    if (ms <= 0 || ms > MAX_MUTE_MS) throw new AppError("BAD_REQUEST", "Choose a mute end between now and a year from now.");
  }
  try {
    await remote(chat.unipileId, toRemote(change));
  } catch (err) {
    throw new AppError("UPSTREAM", `Could not ${verb} this chat. ${errorMessage(err)}`, { cause: err });
  }
  const row = await db.chat.update({
    where: { id: checked.id },
    data: toColumns(change),
    select: { archived: true, pinned: true, muted: true, mutedUntil: true },
  });
  await publish({ type: "chat.updated", accountId: checked.accountId, chatId: checked.id });
  return { ...row, muted: mutedNow(row) };
}
