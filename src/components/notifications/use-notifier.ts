"use client";
// Keeps the tab title and favicon counting unread chats in the watched views, live, and raises a
// desktop notification (and the optional chime) for a new inbound message, or a note mentioning the
// user, that the server says is worth one. Permission is only ever asked for from the settings menu. It rides on the inbox's one
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

  const me = useQuery(trpc.user.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  const meId = useRef<string | null>(null);
  meId.current = me.data?.id ?? null;
  // The settings menu writes its answer into this query, so a change applies at once.
  const prefs = useQuery(trpc.preference.get.queryOptions());
  const wants = useRef(prefs.data);
  wants.current = prefs.data;

  /** Once per message or note: asks the server whether it is worth a notification or the chime, then gives it. */
  const maybeNotify = useCallback(
    async (
      chatId: string,
      key: string,
      about: () => Promise<{ chatId: string; title: string; body: string; desktop: boolean; sound: boolean } | null>,
    ) => {
      if (notified.current.has(key)) return;
      notified.current.add(key);
      const canShow = typeof Notification !== "undefined" && Notification.permission === "granted";
      if (!wants.current || !((wants.current.desktopNotifications && canShow) || wants.current.sound)) return;
      // The chat in front of the user needs no notification.
      if (chatId === open.current && document.visibilityState === "visible" && document.hasFocus()) return;
      const n = await about().catch(() => null);
      if (!n) return;
      if (n.desktop && canShow) {
        const shown = new Notification(n.title, { body: n.body, tag: key });
        shown.onclick = () => {
          window.focus();
          router.push(`/?chat=${encodeURIComponent(n.chatId)}`);
          shown.close();
        };
      }
      if (n.sound) chime();
    },
    [router],
  );

  const onEvent = useCallback(
    (event: RealtimeEvent) => {
      if (event.type === "message.upserted") {
        const { chatId, messageId } = event;
        void maybeNotify(chatId, messageId, () => qc.fetchQuery(trpc.notification.about.queryOptions({ chatId, messageId })));
      }
      if (event.type === "note.mentioned" && event.userId === meId.current) {
        const { chatId, noteId } = event;
        void maybeNotify(chatId, `note:${noteId}`, () => qc.fetchQuery(trpc.notification.aboutMention.queryOptions({ chatId, noteId })));
      }
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
