"use client";
// What can be done to the selected chats at once: assign (to a teammate who can see all of them),
// mark done, snooze, mark read. e / a / s act on the selection while there is one.
import { useQuery } from "@tanstack/react-query";
import { Check, MailOpen, X } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";
import { setChatReadAction } from "@/server/actions/inbox";
import { useTRPC } from "@/trpc/react";
import { SnoozeMenu } from "./snooze-menu";
import { showError } from "./thread-errors";
import { useTeamActions } from "./use-team-actions";
import { personName } from "./work-bar";

export function BulkBar({
  chatIds,
  onClear,
  snoozeOpen,
  onSnoozeOpenChange,
  onMarkedRead,
}: {
  chatIds: string[];
  onClear: () => void;
  snoozeOpen: boolean;
  onSnoozeOpenChange: (open: boolean) => void;
  onMarkedRead: () => void;
}) {
  const trpc = useTRPC();
  const team = useTeamActions();
  const [reading, setReading] = useState(false);
  const assignees = useQuery(trpc.team.assignees.queryOptions({ chatIds }, { staleTime: 30_000 }));
  const after = (p: Promise<unknown>) => void p.then(onClear);

  // Read state is Unipile's: each chat is marked read there, as the thread does (with read receipts).
  const markRead = async () => {
    setReading(true);
    const results = await Promise.all(chatIds.map((id) => setChatReadAction(id, true)));
    setReading(false);
    const failed = results.find((r) => !r.ok);
    if (failed) showError(errorMessage(failed));
    onMarkedRead();
    onClear();
  };

  return (
    <section
      aria-label="Selected chats"
      className="flex flex-wrap items-center gap-1.5 border-b bg-accent/50 px-3 py-1.5"
      data-testid="bulk-bar"
    >
      <span className="text-xs font-medium" data-testid="bulk-count" aria-live="polite">
        {chatIds.length} selected
      </span>
      <label htmlFor="bulk-assignee" className="sr-only">
        Assign the selected chats
      </label>
      <select
        id="bulk-assignee"
        className="h-8 max-w-36 min-w-0 rounded-md border border-input bg-background px-2 text-xs"
        value=""
        disabled={team.busy}
        onChange={(e) => {
          if (e.target.value) after(team.assign(chatIds, e.target.value === "none" ? null : e.target.value));
        }}
      >
        <option value="">Assign…</option>
        <option value="none">Unassign</option>
        {(assignees.data ?? []).map((u) => (
          <option key={u.id} value={u.id}>
            {u.id === team.meId ? `${personName(u)} (you)` : personName(u)}
          </option>
        ))}
      </select>
      <Button variant="ghost" size="sm" disabled={team.busy} onClick={() => after(team.done(chatIds))} title="Mark done (e)">
        <Check />
        Done
      </Button>
      <SnoozeMenu
        compact
        open={snoozeOpen}
        onOpenChange={onSnoozeOpenChange}
        disabled={team.busy}
        onSnooze={(s) => after(team.snooze(chatIds, s))}
      />
      <Button
        variant="ghost"
        size="sm"
        disabled={reading}
        onClick={() => void markRead()}
        title="Mark read"
        aria-label="Mark read"
      >
        <MailOpen />
      </Button>
      {/* Labels: the labels helper adds its bulk "Label…" control here. */}
      <Button variant="ghost" size="icon" className="ms-auto size-8" onClick={onClear} aria-label="Clear selection">
        <X />
      </Button>
    </section>
  );
}
