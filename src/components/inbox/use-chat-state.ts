"use client";
// Archive, pin and mute from the header, the row menu and the keys: the list and the header change
// at once (an archived chat leaves the default list, a pinned one moves up), the server asks Unipile,
// and a refusal puts every cache back as it was with the server's sentence in a toast.
import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { toast } from "sonner";
import { can } from "@/lib/capabilities";
import { errorMessage } from "@/lib/error-message";
import { setChatStateAction } from "@/server/actions/chat-state";
import { useTRPC } from "@/trpc/react";
import { showError } from "./thread-errors";

export type ChatStateChange =
  | { action: "archive"; value: boolean }
  | { action: "pin"; value: boolean }
  | { action: "mute"; value: boolean; until?: Date | null };

type Flags = {
  id: string;
  pinned: boolean;
  archived: boolean;
  muted: boolean;
  mutedUntil: Date | null;
  lastMessageAt: Date | null;
};
type ListData = { pages: { items: Flags[] }[] };

function withChange<T extends Flags>(c: T, change: ChatStateChange): T {
  if (change.action === "archive") return { ...c, archived: change.value };
  if (change.action === "pin") return { ...c, pinned: change.value };
  return { ...c, muted: change.value, mutedUntil: change.value ? (change.until ?? null) : null };
}

/** The list's order (chat-service.listChats): pinned first, then newest activity, empty chats last. */
function listOrder(a: Flags, b: Flags) {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const ta = a.lastMessageAt ? new Date(a.lastMessageAt).getTime() : -1;
  const tb = b.lastMessageAt ? new Date(b.lastMessageAt).getTime() : -1;
  return tb - ta || (a.id < b.id ? 1 : -1);
}

/** One list query's pages after the change: the row changed, gone if it left this view, re-sorted. */
function changeList(data: ListData, key: QueryKey, chatId: string, change: ChatStateChange): ListData {
  const archivedView = (key[1] as { input?: { archived?: boolean } } | undefined)?.input?.archived === true;
  const sizes = data.pages.map((p) => p.items.length);
  const all = data.pages
    .flatMap((p) => p.items)
    .map((c) => (c.id === chatId ? withChange(c, change) : c))
    .filter((c) => c.archived === archivedView)
    .sort(listOrder);
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  return { ...data, pages: data.pages.map((p, i) => ({ ...p, items: all.slice(starts[i], starts[i]! + sizes[i]!) })) };
}

/** A mute end still in the future, for undoing an unmute; otherwise the mute had no end. */
const stillAhead = (d: Date | null | undefined) => (d && new Date(d).getTime() > Date.now() ? new Date(d) : null);

const DONE: Record<ChatStateChange["action"], [string, string]> = {
  archive: ["Chat archived", "Chat moved back to the inbox"],
  pin: ["Chat pinned", "Chat unpinned"],
  mute: ["Chat muted", "Chat unmuted"],
};

export function useChatState() {
  const trpc = useTRPC();
  const qc = useQueryClient();

  const apply = useCallback(
    async (chatId: string, change: ChatStateChange) => {
      const listKey = trpc.chat.list.pathKey();
      const chatKey = trpc.chat.get.queryKey({ chatId });
      await Promise.all([qc.cancelQueries({ queryKey: listKey }), qc.cancelQueries({ queryKey: chatKey })]);
      const lists = qc.getQueriesData<ListData>({ queryKey: listKey });
      const detail = qc.getQueryData(chatKey);
      const before = detail ?? lists.flatMap(([, d]) => d?.pages.flatMap((p) => p.items) ?? []).find((c) => c.id === chatId);
      for (const [key, data] of lists) if (data?.pages) qc.setQueryData(key, changeList(data, key, chatId, change));
      if (detail) qc.setQueryData(chatKey, withChange(detail, change));

      const res = await setChatStateAction(chatId, change);
      if (!res.ok) {
        for (const [key, data] of lists) qc.setQueryData(key, data);
        if (detail) qc.setQueryData(chatKey, detail);
        showError(errorMessage(res));
      } else {
        const [done, undone] = DONE[change.action];
        const undo: ChatStateChange =
          change.action === "mute"
            ? { action: "mute", value: !change.value, until: change.value ? null : stillAhead(before?.mutedUntil) }
            : { ...change, value: !change.value };
        toast.success(change.value ? done : undone, { action: { label: "Undo", onClick: () => void apply(chatId, undo) } });
      }
      void qc.invalidateQueries({ queryKey: listKey });
      void qc.invalidateQueries({ queryKey: chatKey });
      return res.ok;
    },
    [qc, trpc],
  );

  return apply;
}

type Toggleable = Flags & { readOnly: boolean; account: { provider: string; status: string } };

/** The keys p, m and y: the opposite of the chat's state (a mute from the keyboard has no end). */
export function useChatStateKeys() {
  const apply = useChatState();
  return useCallback(
    (chat: Toggleable | undefined, action: ChatStateChange["action"]) => {
      if (!chat) return;
      if (!can(action, { provider: chat.account.provider, readOnly: chat.readOnly, accountStatus: chat.account.status })) {
        showError(`This chat cannot be ${action === "archive" ? "archived" : action === "pin" ? "pinned" : "muted"} here.`);
        return;
      }
      const value = !(action === "archive" ? chat.archived : action === "pin" ? chat.pinned : chat.muted);
      void apply(chat.id, action === "mute" ? { action, value, until: null } : { action, value });
    },
    [apply],
  );
}
