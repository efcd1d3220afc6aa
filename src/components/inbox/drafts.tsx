"use client";
// Unsent drafts (text and the message being answered), kept per user and chat in the browser's
// storage so switching chats or reloading loses nothing; sign-out removes them all.
import { createContext, useContext } from "react";
import type { ReplyTarget } from "./thread-types";

export type StoredDraft = { text: string; replyTo: ReplyTarget | null };

const PREFIX = "parley:draft:";
const DraftOwner = createContext<string | null>(null);

/** Names whose drafts the thread reads and writes (the signed-in user). */
export function DraftOwnerProvider({ userId, children }: { userId: string; children: React.ReactNode }) {
  return <DraftOwner value={userId}>{children}</DraftOwner>;
}

export function useDraftOwner() {
  return useContext(DraftOwner);
}

const keyOf = (userId: string, chatId: string) => `${PREFIX}${userId}:${chatId}`;

export function loadDraft(userId: string, chatId: string): StoredDraft | null {
  try {
    const raw = localStorage.getItem(keyOf(userId, chatId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<StoredDraft>;
    return { text: typeof d.text === "string" ? d.text : "", replyTo: d.replyTo && typeof d.replyTo.id === "string" ? d.replyTo : null };
  } catch {
    return null; // storage blocked or a stale format: start empty
  }
}

export function saveDraft(userId: string, chatId: string, draft: StoredDraft) {
  try {
    if (!draft.text.trim() && !draft.replyTo) localStorage.removeItem(keyOf(userId, chatId));
    else localStorage.setItem(keyOf(userId, chatId), JSON.stringify(draft));
  } catch {
    // Full or blocked storage: the draft lives as long as the page, as before.
  }
}

/** Forgets every stored draft in this browser (called on sign-out). */
export function clearDrafts() {
  try {
    for (const k of Object.keys(localStorage)) if (k.startsWith(PREFIX)) localStorage.removeItem(k);
  } catch {}
}
