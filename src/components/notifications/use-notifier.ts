"use client";
// Keeps the tab title and favicon counting unread chats in the watched views, live, and raises a
// desktop notification (and the optional chime) for a new inbound message the server says is worth
// one. Permission is only ever asked for from the settings menu. It rides on the inbox's one
// realtime stream (browsers allow six connections per site over HTTP/1.1: one stream per tab).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef } from "react";
import type { RealtimeEvent } from "@/server/realtime/bus";
import { useTRPC } from "@/trpc/react";
import { chime, setFaviconCount, setTitleCount } from "./tab-badge";

export function useNotifier(openChat: string | null) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const unread = useQuery(trpc.notification.unread.queryOptions());
  const count = unread.data?.count ?? 0;
  const notified = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const open = useRef(openChat);
  open.current = openChat;

  useEffect(() => setTitleCount(count), [count]);
  useEffect(() => void setFaviconCount(count), [count]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const maybeNotify = useCallback(
    async (chatId: string, messageId: string) => {
      if (notified.current.has(messageId)) return;
      notified.current.add(messageId);
      if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
      // The chat in front of the user needs no notification.
      if (chatId === open.current && document.visibilityState === "visible" && document.hasFocus()) return;
      const n = await qc.fetchQuery(trpc.notification.about.queryOptions({ chatId, messageId })).catch(() => null);
      if (!n) return;
      const shown = new Notification(n.title, { body: n.body, tag: messageId });
      shown.onclick = () => {
        window.focus();
        router.push(`/?chat=${encodeURIComponent(n.chatId)}`);
        shown.close();
      };
      if (n.sound) chime();
    },
    [qc, trpc, router],
  );

  const onEvent = useCallback(
    (event: RealtimeEvent) => {
      if (event.type === "message.upserted") void maybeNotify(event.chatId, event.messageId);
      if (event.type === "chat.updated" || event.type === "message.upserted") {
        timer.current ??= setTimeout(() => {
          timer.current = null;
          void qc.invalidateQueries({ queryKey: trpc.notification.unread.queryKey() });
        }, 300);
      }
    },
    [maybeNotify, qc, trpc],
  );
  return { onEvent };
}
