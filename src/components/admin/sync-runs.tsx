"use client";
// Sync runs: the current (or last) run with its progress and counters, and the history table.
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDuration } from "@/lib/format";
import { Time } from "@/lib/time";
import { SyncProgress } from "./sync-progress";
import type { Run } from "./use-sync-runs";
import { cn } from "@/lib/utils";
import { stackOnPhone } from "./table";

const statusVariant = {
  queued: "secondary",
  running: "default",
  succeeded: "outline",
  failed: "destructive",
  cancelled: "secondary",
} as const;

function runTitle(r: Run) {
  const kind = r.full ? "Full resync" : "Incremental sync";
  return `${kind} of ${r.scope === "all" ? "everything" : r.target}`;
}

function phaseOf(run: Run) {
  if (run.status === "queued") return "waiting to start";
  if (run.phase === "accounts") return "reading accounts";
  if (run.phase === "chats") return "listing chats";
  return `syncing messages: ${run.done} of ${run.total} chats`;
}

export function CurrentRun({ run }: { run: Run }) {
  const finished = run.status === "succeeded" || run.status === "failed" || run.status === "cancelled";
  return (
    <div className="flex flex-col gap-2 rounded-md border p-3" data-testid="sync-current-run" data-run-id={run.id} data-status={run.status}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium">{runTitle(run)}</span>
        <span className="text-muted-foreground">
          {finished ? (
            <>
              last run {run.status} <Time date={run.finishedAt ?? run.startedAt} format="ago" />
            </>
          ) : (
            phaseOf(run)
          )}
        </span>
      </div>
      <SyncProgress percent={run.percent} label={`Progress of ${runTitle(run)}`} />
      <Counters run={run} />
    </div>
  );
}

function Counters({ run }: { run: Run }) {
  const c = run.counters;
  const items: [string, number | string][] = [
    ["accounts", c.accounts],
    ["new chats", c.chatsNew],
    ["updated chats", c.chatsUpdated],
    ["skipped chats", c.chatsSkipped],
    ["new messages", c.messagesNew],
    ["updated messages", c.messagesUpdated],
    ["errors", c.errors],
    ["duration", formatDuration(c.durationMs)],
  ];
  if (c.accountsSkipped) items.splice(1, 0, ["accounts skipped", c.accountsSkipped]);
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4" data-testid="sync-counters">
      {items.map(([k, v]) => (
        <div key={k} className="flex justify-between gap-2">
          <dt className="text-muted-foreground">{k}</dt>
          <dd className="font-mono tabular-nums" data-counter={k}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function RunHistory({ runs, automatic, onAutomatic }: { runs: Run[]; automatic: boolean; onAutomatic: (on: boolean) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <CardTitle>Past runs</CardTitle>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={automatic} onChange={(e) => onAutomatic(e.target.checked)} />
          Include automatic chat syncs (webhook gap fills)
        </label>
      </CardHeader>
      <CardContent>
        {runs.length === 0 ? (
          <p className="text-sm text-muted-foreground">No finished runs yet.</p>
        ) : (
          <div className="overflow-x-auto" data-testid="table-scroll">
            <table className={cn("w-full text-sm", stackOnPhone)} aria-label="Past sync runs">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 pr-4 font-medium">Run</th>
                  <th className="py-2 pr-4 font-medium">Status</th>
                  <th className="py-2 pr-4 font-medium">Chats</th>
                  <th className="py-2 pr-4 font-medium">Messages</th>
                  <th className="py-2 pr-4 font-medium">Errors</th>
                  <th className="py-2 font-medium">Duration</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <RunRow key={r.id} run={r} open={open === r.id} onToggle={() => setOpen(open === r.id ? null : r.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function RunRow({ run: r, open, onToggle }: { run: Run; open: boolean; onToggle: () => void }) {
  const c = r.counters;
  return (
    <>
      <tr className="border-t align-top" data-testid="sync-run-row" data-run-id={r.id}>
        <td className="py-2 pr-4">
          <div className="font-medium">{runTitle(r)}</div>
          <div className="text-xs text-muted-foreground">
            <Time date={r.startedAt} format="ago" />
            {r.requestedBy ? ` · by ${r.requestedBy}` : r.reason ? ` · ${r.reason}` : ""}
          </div>
        </td>
        <td className="py-2 pr-4">
          <Badge variant={statusVariant[r.status]}>{r.status}</Badge>
        </td>
        <td className="py-2 pr-4 text-xs tabular-nums">
          {c.chatsNew} new · {c.chatsUpdated} updated · {c.chatsSkipped} skipped
        </td>
        <td className="py-2 pr-4 text-xs tabular-nums">
          {c.messagesNew} new · {c.messagesUpdated} updated
        </td>
        <td className="py-2 pr-4">
          {c.errors + (r.error ? 1 : 0) > 0 ? (
            <button type="button" className="text-xs text-destructive underline" onClick={onToggle} aria-expanded={open}>
              {c.errors || 1} error{(c.errors || 1) > 1 ? "s" : ""}
            </button>
          ) : c.lastErrors.length > 0 ? (
            <button type="button" className="text-xs text-muted-foreground underline" onClick={onToggle} aria-expanded={open}>
              {c.accountsSkipped} account{c.accountsSkipped === 1 ? "" : "s"} skipped
            </button>
          ) : (
            <span className="text-xs text-muted-foreground">none</span>
          )}
        </td>
        <td className="py-2 text-xs tabular-nums">{formatDuration(c.durationMs)}</td>
      </tr>
      {open && (
        <tr>
          <td colSpan={6} className="pb-3">
            <ul className="flex flex-col gap-1 rounded-md bg-muted p-2 text-xs">
              {r.error && <li className="text-destructive">{r.error}</li>}
              {c.lastErrors.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the error list is positional and never reordered
                <li key={i} className={e.skipped ? "break-words text-muted-foreground" : "break-words"}>
                  <Time date={e.at} format="seconds" className="text-muted-foreground" /> {e.message}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}
