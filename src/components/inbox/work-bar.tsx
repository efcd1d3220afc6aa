"use client";
// The open chat's team controls, under its header: who it is assigned to (only teammates with access
// are offered), its state (open, woken, snoozed, done), Done / Reopen and the snooze menu. The
// inbox's keys e / a / s reach it through `workBarKeys` (it lives inside the thread header).
import { useQuery } from "@tanstack/react-query";
import { Check, RotateCcw } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { SnoozeMenu } from "./snooze-menu";
import type { ChatDetail } from "./thread-types";
import { useTeamActions } from "./use-team-actions";

export type TeamKey = "done" | "assign-me" | "snooze";
/** The inbox's keyboard shortcuts for the open chat, heard by its work bar. */
export const workBarKeys = new EventTarget();

const when = (d: Date) =>
  new Date(d).toLocaleString(undefined, { weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function personName(u: { name: string | null; email: string }) {
  return u.name?.trim() || u.email;
}

/** What the chat's work state says in words ("Snoozed until Tue 9:00", "Done"…); null when simply open. */
export function workStateText(c: Pick<ChatDetail, "workState" | "snoozedUntil" | "snoozeUntilReply" | "wokenAt">): string | null {
  if (c.workState === "done") return "Done";
  if (c.workState === "snoozed") {
    if (c.snoozedUntil && c.snoozeUntilReply) return `Snoozed until ${when(c.snoozedUntil)} or a reply`;
    return c.snoozedUntil ? `Snoozed until ${when(c.snoozedUntil)}` : "Snoozed until they reply";
  }
  return c.wokenAt ? "Woken from snooze" : null;
}

export function WorkBar({ chat }: { chat: ChatDetail }) {
  const trpc = useTRPC();
  const team = useTeamActions();
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const assignees = useQuery(trpc.team.assignees.queryOptions({ chatIds: [chat.id] }, { staleTime: 60_000 }));
  const ids = [chat.id];
  const closed = chat.workState !== "open";

  useEffect(() => {
    const on = (e: Event) => {
      const key = e.type as TeamKey;
      if (key === "done") void (chat.workState === "done" ? team.reopen(ids) : team.done(ids));
      else if (key === "assign-me") void team.assignToMe(ids);
      else setSnoozeOpen(true);
    };
    const keys: TeamKey[] = ["done", "assign-me", "snooze"];
    for (const k of keys) workBarKeys.addEventListener(k, on);
    return () => {
      for (const k of keys) workBarKeys.removeEventListener(k, on);
    };
  });

  // The current assignee stays listed even if they lost access meanwhile (the server clears that soon).
  const options = [...(assignees.data ?? [])];
  if (chat.assignee && !options.some((u) => u.id === chat.assignee?.id)) options.unshift({ ...chat.assignee });
  const state = workStateText(chat);

  return (
    <div className="flex shrink-0 flex-wrap items-center gap-2 border-b px-3 py-1.5" data-testid="work-bar">
      <label htmlFor="assignee" className="sr-only">
        Assignee
      </label>
      <select
        id="assignee"
        data-testid="assignee-select"
        className="h-8 max-w-44 min-w-0 rounded-md border border-input bg-background px-2 text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        value={chat.assignee?.id ?? ""}
        disabled={team.busy}
        onChange={(e) => void team.assign(ids, e.target.value || null)}
      >
        <option value="">Unassigned</option>
        {options.map((u) => (
          <option key={u.id} value={u.id}>
            {u.id === team.meId ? `${personName(u)} (you)` : personName(u)}
          </option>
        ))}
      </select>
      {state && (
        <span
          data-testid="work-state"
          className={cn(
            "truncate rounded-full px-2 py-0.5 text-xs font-medium",
            chat.workState === "open"
              ? "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
              : "bg-muted text-foreground",
          )}
        >
          {state}
        </span>
      )}
      <div className="ms-auto flex items-center gap-1">
        {closed ? (
          <Button variant="ghost" size="sm" onClick={() => void team.reopen(ids)} disabled={team.busy} title="Reopen (e)">
            <RotateCcw />
            Reopen
          </Button>
        ) : (
          <Button variant="ghost" size="sm" onClick={() => void team.done(ids)} disabled={team.busy} title="Mark done (e)">
            <Check />
            Done
          </Button>
        )}
        <SnoozeMenu
          open={snoozeOpen}
          onOpenChange={setSnoozeOpen}
          disabled={team.busy}
          onSnooze={(s) => void team.snooze(ids, s)}
        />
      </div>
    </div>
  );
}
