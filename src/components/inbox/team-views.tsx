"use client";
// The team views above the list, kept in the URL: whose chats (Mine, Unassigned, All, or — for
// admins — one teammate's) × which state (Open, Snoozed, Done).
import { useQuery } from "@tanstack/react-query";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import type { InboxParams, WorkView } from "./inbox-params";
import { personName } from "./work-bar";

const segment = "h-7 rounded px-2 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring";
const on = "bg-background text-foreground shadow-sm";
const off = "text-muted-foreground hover:text-foreground";

function Segments<T extends string>({
  label,
  value,
  options,
  onPick,
}: {
  label: string;
  value: T | null;
  options: [T, string][];
  onPick: (v: T) => void;
}) {
  return (
    <fieldset aria-label={label} className="flex rounded-md bg-muted p-0.5">
      {options.map(([v, text]) => (
        <button
          key={v}
          type="button"
          aria-pressed={value === v}
          className={cn(segment, value === v ? on : off)}
          onClick={() => onPick(v)}
        >
          {text}
        </button>
      ))}
    </fieldset>
  );
}

export function TeamViews({ params, update }: { params: InboxParams; update: (p: Record<string, string | null>) => void }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.user.me.queryOptions());
  const admin = me.data?.role === "admin";
  const users = useQuery({ ...trpc.user.list.queryOptions(), enabled: admin, staleTime: 60_000 });
  const who = params.assignee === "me" || params.assignee === "none" ? params.assignee : params.assignee ? "user" : "all";
  const teammates = (users.data ?? []).filter((u) => !u.disabled && u.id !== me.data?.id);
  return (
    <div className="flex flex-wrap items-center gap-1.5 border-b px-3 py-2" data-testid="team-views">
      <Segments
        label="Whose chats"
        value={who === "user" ? null : who}
        options={[
          ["me", "Mine"],
          ["none", "Unassigned"],
          ["all", "All"],
        ]}
        onPick={(v) => update({ assignee: v === "all" ? null : v })}
      />
      {admin && teammates.length > 0 && (
        <>
          <label htmlFor="view-teammate" className="sr-only">
            A teammate's chats
          </label>
          <select
            id="view-teammate"
            className={cn(
              "h-8 max-w-32 min-w-0 rounded-md border border-input bg-background px-2 text-xs",
              who === "user" && "border-primary",
            )}
            value={who === "user" ? (params.assignee ?? "") : ""}
            onChange={(e) => update({ assignee: e.target.value || null })}
          >
            <option value="">Teammate…</option>
            {teammates.map((u) => (
              <option key={u.id} value={u.id}>
                {personName(u)}
              </option>
            ))}
          </select>
        </>
      )}
      <Segments<WorkView>
        label="State"
        value={params.state}
        options={[
          ["open", "Open"],
          ["snoozed", "Snoozed"],
          ["done", "Done"],
        ]}
        onPick={(v) => update({ state: v === "open" ? null : v })}
      />
    </div>
  );
}
