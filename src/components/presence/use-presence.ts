"use client";
// Collision for one open chat: tells teammates we are here (a heartbeat) and when we type, and keeps
// who else is here from their signals. Everything expires: a closed tab that never said "left" is
// gone within VIEWING_TTL_MS, a teammate who stopped typing within TYPING_TTL_MS.
import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/trpc/react";

const HEARTBEAT_MS = 4_000;
const VIEWING_TTL_MS = 10_000;
const TYPING_TTL_MS = 4_000;
/** The server drops more than one typing signal per 2 s anyway; do not send them. */
const TYPING_EVERY_MS = 2_000;

export type Teammate = { userId: string; name: string; seenAt: number; typing: "replying" | "note" | null; typedAt: number };

/** `enabled`: only once the chat loaded (a chat we may not see gets no heartbeats and no stream). */
export function usePresence(chatId: string, enabled = true) {
  const trpc = useTRPC();
  const { mutate } = useMutation(trpc.presence.signal.mutationOptions());
  const [others, setOthers] = useState<Map<string, Teammate>>(new Map());
  const lastTyped = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const beat = () => mutate({ chatId, state: "viewing" });
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    const leave = () => mutate({ chatId, state: "left" });
    // A page being left cancels ordinary requests: keepalive lets "left" reach the server anyway.
    const unload = () =>
      void fetch("/api/trpc/presence.signal", {
        method: "POST",
        keepalive: true,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { chatId, state: "left" } }),
      }).catch(() => {});
    window.addEventListener("pagehide", unload);
    return () => {
      clearInterval(timer);
      window.removeEventListener("pagehide", unload);
      leave();
      setOthers(new Map());
    };
  }, [chatId, mutate, enabled]);

  // Expire the silent ones.
  useEffect(() => {
    const timer = setInterval(() => {
      setOthers((prev) => {
        const now = Date.now();
        let changed = false;
        const next = new Map<string, Teammate>();
        for (const [id, t] of prev) {
          if (now - t.seenAt > VIEWING_TTL_MS) {
            changed = true;
            continue;
          }
          if (t.typing && now - t.typedAt > TYPING_TTL_MS) {
            changed = true;
            next.set(id, { ...t, typing: null });
          } else next.set(id, t);
        }
        return changed ? next : prev;
      });
    }, 1_000);
    return () => clearInterval(timer);
  }, []);

  useSubscription(
    trpc.presence.chat.subscriptionOptions(
      { chatId },
      {
        onData(s) {
          setOthers((prev) => {
            const next = new Map(prev);
            if (s.state === "left") next.delete(s.userId);
            else {
              const now = Date.now();
              const was = prev.get(s.userId);
              const typing = s.state === "viewing" ? (was?.typing ?? null) : s.state;
              next.set(s.userId, { userId: s.userId, name: s.name, seenAt: now, typing, typedAt: s.state === "viewing" ? (was?.typedAt ?? 0) : now });
            }
            return next;
          });
        },
        enabled,
      },
    ),
  );

  const typed = useCallback(
    (kind: "replying" | "note") => {
      const now = Date.now();
      if (!enabled || now - lastTyped.current < TYPING_EVERY_MS) return;
      lastTyped.current = now;
      mutate({ chatId, state: kind });
    },
    [chatId, mutate, enabled],
  );

  return { others: [...others.values()].sort((a, b) => a.name.localeCompare(b.name)), typed };
}
