"use client";
// The admin audit log: who did what, when, from which address, newest first, filterable by kind.
import { useInfiniteQuery } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/trpc/react";

const KINDS = ["auth.", "auth.sign_in_failed", "auth.sign_in_throttled", "user.", "sync.resync", "webhook.replay"];

function detailText(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") || "—" : String(v)}`)
    .join(" · ");
}

export function AuditLog() {
  const trpc = useTRPC();
  const [kind, setKind] = useState<string | undefined>(undefined);
  const list = useInfiniteQuery(
    trpc.security.audit.infiniteQueryOptions(kind ? { kind } : {}, { getNextPageParam: (last) => last.nextCursor }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setKind(String(new FormData(e.currentTarget).get("kind") ?? "") || undefined);
  }

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Audit log</CardTitle>
          <CardDescription>Sign-ins, user and access changes, resyncs and replays: who, what, when and from where.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
            <div className="flex flex-col gap-1">
              <Label htmlFor="audit-kind">Kind</Label>
              <select id="audit-kind" name="kind" className="h-9 rounded-md border bg-background px-2 text-sm" defaultValue="">
                <option value="">any</option>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k.endsWith(".") ? `${k}*` : k}
                  </option>
                ))}
              </select>
            </div>
            <div className="flex gap-2">
              <Button type="submit">Filter</Button>
              <Button type="button" variant="outline" size="icon" aria-label="Refresh" onClick={() => void list.refetch()}>
                <RefreshCw className={list.isFetching ? "animate-spin" : undefined} />
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>

      <Card>
        <CardContent className="overflow-x-auto pt-6">
          {list.isError ? (
            <p className="text-sm text-destructive">Could not load the audit log. {errorMessage(list.error)}</p>
          ) : items.length === 0 && !list.isPending ? (
            <p className="text-sm text-muted-foreground">No events{kind ? " of this kind" : " yet"}.</p>
          ) : (
            <table className="w-full text-sm" aria-label="Audit events">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 pr-3 font-medium">When</th>
                  <th className="py-2 pr-3 font-medium">What</th>
                  <th className="py-2 pr-3 font-medium">Who</th>
                  <th className="py-2 pr-3 font-medium">About</th>
                  <th className="py-2 pr-3 font-medium">Address</th>
                  <th className="py-2 font-medium">Details</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id} className="border-t align-top">
                    <td className="whitespace-nowrap py-2 pr-3 tabular-nums">{new Date(e.at).toLocaleString()}</td>
                    <td className="py-2 pr-3 font-mono text-xs">{e.kind}</td>
                    <td className="py-2 pr-3 break-all">{e.actorEmail ?? "—"}</td>
                    <td className="max-w-xs py-2 pr-3 break-all">{e.target ?? "—"}</td>
                    <td className="py-2 pr-3 font-mono text-xs">{e.address ?? "—"}</td>
                    <td className="max-w-sm py-2 text-xs break-words text-muted-foreground">{detailText(e.details)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {list.hasNextPage && (
            <Button variant="outline" className="mt-4" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? "Loading…" : "Older events"}
            </Button>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
