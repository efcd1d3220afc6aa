"use client";
// Sync health per account and per chat, each with its Resync button. Chats and accounts also change
// outside sync runs (webhooks bring new chats): a slow poll keeps them fresh.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";
import { ResyncButton } from "./resync-button";
import { AdminTable } from "./table";

function LastSynced({ at }: { at: Date | string | null }) {
  return at ? <Time date={at} format="ago" /> : <>never</>;
}

export function AccountHealth({ onQueued }: { onQueued: () => void }) {
  const trpc = useTRPC();
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
          <AdminTable label="Account sync health" columns={["Account", "Status", "Last synced", "Chats", { srOnly: "Actions" }]}>
            {data.map((a) => (
              <tr key={a.id} className="border-t" data-testid={`sync-account-${a.id}`}>
                <td className="py-2 pr-4">
                  <div className="font-medium">{a.name}</div>
                  <div className="text-xs text-muted-foreground">{a.provider}</div>
                </td>
                <td className="py-2 pr-4">
                  <Badge variant={a.status === "OK" ? "outline" : "destructive"}>{a.status}</Badge>
                  {a.products.map((p) => (
                    <div key={p.key} className="mt-1 flex items-center gap-1 text-xs" data-testid={`product-${p.key}`}>
                      <span className="text-muted-foreground">{p.label}</span>
                      <Badge variant={p.status === "OK" ? "outline" : "destructive"}>{p.status}</Badge>
                    </div>
                  ))}
                </td>
                <td className="py-2 pr-4 text-xs"><LastSynced at={a.lastSyncedAt} /></td>
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
          </AdminTable>
        )}
      </CardContent>
    </Card>
  );
}

export function ChatHealth({ onQueued }: { onQueued: () => void }) {
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
            <AdminTable label="Chat sync health" columns={["Chat", "Last synced", "Messages", "Sync errors", { srOnly: "Actions" }]}>
              {data.items.map((c) => (
                <tr key={c.id} className="border-t align-top" data-testid="sync-chat-row" data-chat-id={c.id}>
                  <td className="py-2 pr-4">
                    <div className="font-medium">{c.name ?? "Unnamed chat"}</div>
                    <div className="text-xs text-muted-foreground">{c.account.name}</div>
                  </td>
                  <td className="py-2 pr-4 text-xs">
                    <LastSynced at={c.lastSyncedAt} />
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
            </AdminTable>
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
