"use client";
// The admin sync page: runs (live progress through the realtime.sync stream, with polling as a
// safety net while a run is active), per-account and per-chat health, and the Resync buttons.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { RefreshCw } from "lucide-react";
import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/lib/error-message";
import { resyncAction } from "@/server/actions/sync";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/trpc/react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { SyncProgress } from "./sync-progress";

type Run = inferRouterOutputs<AppRouter>["sync"]["runs"][number];

export function formatAgo(d: Date | string | null | undefined): string {
  if (!d) return "never";
  const ms = Date.now() - new Date(d).getTime();
  if (ms < 45_000) return "just now";
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return new Date(d).toLocaleDateString();
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const statusVariant = {
  queued: "secondary",
  running: "default",
  succeeded: "outline",
  failed: "destructive",
  cancelled: "secondary",
} as const;

/** A Resync button: calls the server action, toasts the outcome, refreshes the runs. */
export function ResyncButton({
  target,
  label,
  size = "sm",
  onQueued,
}: {
  target: { scope: "all" } | { scope: "account"; accountId: string } | { scope: "chat"; chatId: string };
  label: string;
  size?: "sm" | "default";
  onQueued?: () => void;
}) {
  const [pending, start] = useTransition();
  return (
    <Button
      size={size}
      variant="outline"
      disabled={pending}
      aria-label={label}
      onClick={() =>
        start(async () => {
          const r = await resyncAction(target);
          if (!r.ok) toast.error(errorMessage(r));
          else toast.success(r.data.alreadyRunning ? "A resync is already under way" : "Resync started");
          onQueued?.();
        })
      }
    >
      <RefreshCw className={pending ? "animate-spin" : undefined} aria-hidden />
      {size === "default" ? label : "Resync"}
    </Button>
  );
}

function useSyncRealtime() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useSubscription(
    trpc.realtime.sync.subscriptionOptions(undefined, {
      onData() {
        // A burst of progress events costs one refetch.
        timer.current ??= setTimeout(() => {
          timer.current = null;
          void qc.invalidateQueries({ queryKey: trpc.sync.pathKey() });
        }, 200);
      },
    }),
  );
}

export function SyncAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  useSyncRealtime();
  const [automatic, setAutomatic] = useState(false);
  const runs = useQuery({
    ...trpc.sync.runs.queryOptions({ limit: 20, automatic }),
    // Polling only while something is active: the stream does the work, this is the safety net.
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 2000 : false),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.sync.pathKey() });
  const list = runs.data ?? [];
  const active = list.filter((r) => r.status === "queued" || r.status === "running");
  const past = list.filter((r) => !(r.status === "queued" || r.status === "running"));

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader className="flex flex-row items-start justify-between gap-4">
          <div>
            <CardTitle>Sync</CardTitle>
            <CardDescription>
              History, chats Unipile knows that we do not, and repairs. Incremental on every start; a resync re-walks
              everything in scope.
            </CardDescription>
          </div>
          <ResyncButton target={{ scope: "all" }} label="Resync everything" size="default" onQueued={refresh} />
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {runs.isPending ? (
            <p className="text-sm text-muted-foreground">Loading runs…</p>
          ) : active.length === 0 ? (
            past[0] ? (
              <ActiveRun run={past[0]} />
            ) : (
              <p className="text-sm text-muted-foreground" data-testid="sync-idle">
                No sync has run yet.
              </p>
            )
          ) : (
            active.map((r) => <ActiveRun key={r.id} run={r} />)
          )}
        </CardContent>
      </Card>
      <RunHistory runs={past} automatic={automatic} onAutomatic={setAutomatic} />
      <AccountHealth onQueued={refresh} />
      <ChatHealth onQueued={refresh} />
    </div>
  );
}

function runTitle(r: Run) {
  const kind = r.full ? "Full resync" : "Incremental sync";
  return `${kind} of ${r.scope === "all" ? "everything" : r.target}`;
}

function ActiveRun({ run }: { run: Run }) {
  const phase =
    run.status === "succeeded" || run.status === "failed" || run.status === "cancelled"
      ? `last run ${run.status} ${formatAgo(run.finishedAt ?? run.startedAt)}`
      : run.status === "queued"
      ? "waiting to start"
      : run.phase === "accounts"
        ? "reading accounts"
        : run.phase === "chats"
          ? "listing chats"
          : `syncing messages: ${run.done} of ${run.total} chats`;
  return (
    <div className="flex flex-col gap-2 rounded-md border p-3" data-testid="sync-current-run" data-run-id={run.id} data-status={run.status}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium">{runTitle(run)}</span>
        <span className="text-muted-foreground">{phase}</span>
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

function RunHistory({ runs, automatic, onAutomatic }: { runs: Run[]; automatic: boolean; onAutomatic: (on: boolean) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader className="flex flex-row items-center justify-between gap-4">
        <CardTitle>Past runs</CardTitle>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={automatic} onChange={(e) => onAutomatic(e.target.checked)} />
          Include automatic chat syncs (webhook gap fills)
        </label>
      </CardHeader>
      <CardContent className="overflow-x-auto">
        {runs.length === 0 ? (
          <p className="text-sm text-muted-foreground">No finished runs yet.</p>
        ) : (
          <table className="w-full text-sm" aria-label="Past sync runs">
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
                <RunRowView key={r.id} run={r} open={open === r.id} onToggle={() => setOpen(open === r.id ? null : r.id)} />
              ))}
            </tbody>
          </table>
        )}
      </CardContent>
    </Card>
  );
}

function RunRowView({ run: r, open, onToggle }: { run: Run; open: boolean; onToggle: () => void }) {
  const c = r.counters;
  return (
    <>
      <tr className="border-t align-top" data-testid="sync-run-row" data-run-id={r.id}>
        <td className="py-2 pr-4">
          <div className="font-medium">{runTitle(r)}</div>
          <div className="text-xs text-muted-foreground">
            {formatAgo(r.startedAt)}
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
                <li key={i} className={e.skipped ? "break-words text-muted-foreground" : "break-words"}>
                  <span className="text-muted-foreground">{new Date(e.at).toLocaleTimeString()}</span> {e.message}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

function AccountHealth({ onQueued }: { onQueued: () => void }) {
  const trpc = useTRPC();
  // Chats and accounts also change outside sync runs (webhooks bring new chats): a slow poll keeps them fresh.
  const { data, isPending } = useQuery({ ...trpc.sync.accounts.queryOptions(), refetchInterval: 5000 });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Accounts</CardTitle>
        <CardDescription>An account that is not OK in Unipile is skipped until it reconnects.</CardDescription>
      </CardHeader>
      <CardContent className="overflow-x-auto">
        {isPending ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : !data?.length ? (
          <p className="text-sm text-muted-foreground">No accounts synced yet.</p>
        ) : (
          <table className="w-full text-sm" aria-label="Account sync health">
            <thead className="text-left text-muted-foreground">
              <tr>
                <th className="py-2 pr-4 font-medium">Account</th>
                <th className="py-2 pr-4 font-medium">Status</th>
                <th className="py-2 pr-4 font-medium">Last synced</th>
                <th className="py-2 pr-4 font-medium">Chats</th>
                <th className="py-2 font-medium" />
              </tr>
            </thead>
            <tbody>
              {data.map((a) => (
                <tr key={a.id} className="border-t" data-testid={`sync-account-${a.id}`}>
                  <td className="py-2 pr-4">
                    <div className="font-medium">{a.name}</div>
                    <div className="text-xs text-muted-foreground">{a.provider}</div>
                  </td>
                  <td className="py-2 pr-4">
                    <Badge variant={a.status === "OK" ? "outline" : "destructive"}>{a.status}</Badge>
                  </td>
                  <td className="py-2 pr-4 text-xs">{formatAgo(a.lastSyncedAt)}</td>
                  <td className="py-2 pr-4 text-xs tabular-nums">
                    {a.chats}
                    {a.failing > 0 && <span className="text-destructive"> · {a.failing} failing</span>}
                    {a.neverSynced > 0 && <span className="text-muted-foreground"> · {a.neverSynced} not synced yet</span>}
                  </td>
                  <td className="py-2 text-right">
                    <ResyncButton target={{ scope: "account", accountId: a.id }} label={`Resync ${a.name}`} onQueued={onQueued} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CardContent>
    </Card>
  );
}

function ChatHealth({ onQueued }: { onQueued: () => void }) {
  const trpc = useTRPC();
  const [failingOnly, setFailingOnly] = useState(false);
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  const limit = 25;
  const { data, isPending } = useQuery({
    ...trpc.sync.chats.queryOptions({ failingOnly, query: query.trim() || undefined, limit, offset: page * limit }),
    placeholderData: (prev) => prev,
    refetchInterval: 5000,
  });
  const pages = data ? Math.max(1, Math.ceil(data.total / limit)) : 1;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Chats</CardTitle>
        <CardDescription>Failing chats first. A failed chat is retried by the next run, from where it stopped.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <Input
            className="max-w-xs"
            placeholder="Find a chat by name"
            aria-label="Find a chat by name"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setPage(0);
            }}
          />
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={failingOnly}
              onChange={(e) => {
                setFailingOnly(e.target.checked);
                setPage(0);
              }}
            />
            Only failing chats
          </label>
        </div>
        {isPending ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : !data?.items.length ? (
          <p className="text-sm text-muted-foreground">No chats match.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" aria-label="Chat sync health">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 pr-4 font-medium">Chat</th>
                  <th className="py-2 pr-4 font-medium">Last synced</th>
                  <th className="py-2 pr-4 font-medium">Messages</th>
                  <th className="py-2 pr-4 font-medium">Sync errors</th>
                  <th className="py-2 font-medium" />
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id} className="border-t align-top" data-testid="sync-chat-row" data-chat-id={c.id}>
                    <td className="py-2 pr-4">
                      <div className="font-medium">{c.name ?? "Unnamed chat"}</div>
                      <div className="text-xs text-muted-foreground">{c.account.name}</div>
                    </td>
                    <td className="py-2 pr-4 text-xs">
                      {formatAgo(c.lastSyncedAt)}
                      {c.pending && <span className="text-muted-foreground"> · pending</span>}
                    </td>
                    <td className="py-2 pr-4 text-xs tabular-nums">{c.messages}</td>
                    <td className="py-2 pr-4 text-xs">
                      {c.syncErrorCount > 0 ? (
                        <span className="text-destructive" title={c.syncLastError ?? undefined}>
                          {c.syncErrorCount} · {c.syncLastError}
                        </span>
                      ) : (
                        <span className="text-muted-foreground">none</span>
                      )}
                    </td>
                    <td className="py-2 text-right">
                      <ResyncButton target={{ scope: "chat", chatId: c.id }} label={`Resync ${c.name ?? "chat"}`} onQueued={onQueued} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && data.total > limit && (
          <div className="flex items-center justify-end gap-2 text-sm">
            <Button size="sm" variant="outline" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <span className="text-muted-foreground">
              {page + 1} / {pages}
            </span>
            <Button size="sm" variant="outline" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next
            </Button>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
