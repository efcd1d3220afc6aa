"use client";
// Read state of the open chat: opening an unread chat marks it read; the header button and the "u"
// key toggle it. A chat the reader marked unread stays unread while it is open.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import { toast } from "sonner";
import { setChatReadAction } from "@/server/actions/inbox";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/lib/error-message";
import { showError } from "./thread-errors";

type ListData = { pages: { items: { id: string; unreadCount: number }[] }[] };

export function useChatRead(chatId: string, unread: number, refresh: () => void) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const manualUnread = useRef(false);

  const setRead = useCallback(
    async (read: boolean) => {
      // The list reacts at once; the server confirms (and tells Unipile) behind it.
      qc.setQueriesData<ListData>({ queryKey: trpc.chat.list.pathKey() }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({
                ...p,
                items: p.items.map((c) => (c.id === chatId ? { ...c, unreadCount: read ? 0 : Math.max(1, c.unreadCount) } : c)),
              })),
            }
          : data,
      );
      const res = await setChatReadAction(chatId, read);
      if (!res.ok) showError(errorMessage(res));
      else if (!read) toast.success("Marked as unread");
      refresh();
    },
    [qc, trpc, chatId, refresh],
  );

  useEffect(() => {
    if (unread > 0 && !manualUnread.current) void setRead(true);
  }, [unread, setRead]);

  const toggle = useCallback(() => {
    manualUnread.current = unread === 0;
    void setRead(unread > 0);
  }, [unread, setRead]);

  return { unread, toggle };
}
