"use client";
// The sync page's "last sweep" line: when the periodic sweep for missed webhooks last ran and what it
// repaired. Refreshed with the rest of sync.* when the worker reports progress.
import { useQuery } from "@tanstack/react-query";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function LastSweep() {
  const trpc = useTRPC();
  const { data, isPending } = useQuery(trpc.sync.lastSweep.queryOptions());
  if (isPending) return null;
  if (!data) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="last-sweep">
        No sweep for missed webhooks has run yet.
      </p>
    );
  }
  const { messages, chats, refreshed } = data.repaired;
  const repairs = [
    messages > 0 && plural(messages, "missing message", "missing messages"),
    chats > 0 && plural(chats, "new chat", "new chats"),
    refreshed > 0 && plural(refreshed, "chat refreshed", "chats refreshed"),
  ].filter(Boolean);
  return (
    <p className="text-sm text-muted-foreground" data-testid="last-sweep">
      Last sweep for missed webhooks {data.status === "failed" ? "failed " : ""}
      {data.finishedAt ? <Time date={data.finishedAt} format="ago" /> : null}
      {data.status === "failed" ? "." : `: ${repairs.length ? repairs.join(", ") : "nothing to repair"}.`}
    </p>
  );
}
