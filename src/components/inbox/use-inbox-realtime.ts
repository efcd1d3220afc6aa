"use client";
// Live inbox: one SSE stream (realtime.chatList) for everything the user may see. Events mark the
// matching react-query caches stale, batched so a burst (a sync, a busy group) costs one refetch.
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import type { RealtimeEvent } from "@/server/realtime/bus";
import { useTRPC } from "@/trpc/react";

/** `onEvent` also hears every event (the tab title and desktop notifications use it). */
export function useInboxRealtime(onEvent?: (event: RealtimeEvent) => void) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const pending = useRef({ list: false, accounts: false, mentions: false, chats: new Set<string>() });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  function flush() {
    timer.current = null;
    const p = pending.current;
    pending.current = { list: false, accounts: false, mentions: false, chats: new Set() };
    if (p.list) void qc.invalidateQueries({ queryKey: trpc.chat.list.pathKey() });
    if (p.accounts) void qc.invalidateQueries({ queryKey: trpc.account.list.queryKey() });
    if (p.mentions) void qc.invalidateQueries({ queryKey: trpc.note.mentions.pathKey() });
    for (const chatId of p.chats) {
      void qc.invalidateQueries({ queryKey: trpc.message.list.infiniteQueryKey({ chatId }) });
      void qc.invalidateQueries({ queryKey: trpc.chat.get.queryKey({ chatId }) });
    }
  }

  return useSubscription(
    trpc.realtime.chatList.subscriptionOptions(undefined, {
      // The stream replays nothing on its first start: whatever was stored between the page's first
      // reads and the moment the stream listens is fetched again once, now that it listens. An open
      // chat only if it was read (one that does not exist is not asked for again).
      onStarted() {
        for (const queryKey of [trpc.chat.list.pathKey(), trpc.account.list.queryKey(), trpc.note.mentions.pathKey()])
          void qc.invalidateQueries({ queryKey });
        for (const queryKey of [trpc.chat.get.pathKey(), trpc.message.list.pathKey()])
          void qc.invalidateQueries({ queryKey, predicate: (q) => q.state.status === "success" });
      },
      onData(tracked) {
        const event = tracked.data;
        onEvent?.(event);
        const p = pending.current;
        p.list = true;
        if (event.type === "account.updated") p.accounts = true;
        if (event.type === "note.mentioned") p.mentions = true;
        if ("chatId" in event && event.chatId) p.chats.add(event.chatId);
        timer.current ??= setTimeout(flush, 150);
      },
    }),
  );
}
