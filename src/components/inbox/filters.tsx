"use client";
// List filters, combinable, kept in the URL; the team views (whose chats × which state) sit above them.
import { useQuery } from "@tanstack/react-query";
import { Archive, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { providerInfo } from "./format";
import { TeamViews } from "./team-views";
import type { InboxParams } from "./use-inbox-params";

const selectClass =
  "h-8 min-w-0 rounded-md border border-input bg-background px-2 text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

export function Filters({ params, update }: { params: InboxParams; update: (p: Record<string, string | null>) => void }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.account.list.queryOptions());
  const providers = [...new Set((accounts.data ?? []).map((a) => a.provider))].sort();
  const any = params.unread || params.account || params.provider || params.kind;
  return (
    <>
    <TeamViews params={params} update={update} />
    <fieldset aria-label="Filters" className="flex min-w-0 flex-wrap items-center gap-1.5 border-b px-3 py-2">
      <Button
        size="sm"
        variant={params.unread ? "default" : "outline"}
        aria-pressed={params.unread}
        onClick={() => update({ unread: params.unread ? null : "1" })}
        className="h-8"
      >
        Unread
      </Button>
      <Button
        size="sm"
        variant={params.archived ? "default" : "outline"}
        aria-pressed={params.archived}
        onClick={() => update({ archived: params.archived ? null : "1" })}
        className="h-8"
        data-testid="archived-view"
      >
        <Archive aria-hidden />
        Archived
      </Button>
      <label className="sr-only" htmlFor="filter-account">
        Account
      </label>
      <select
        id="filter-account"
        className={cn(selectClass, "max-w-36")}
        value={params.account ?? ""}
        onChange={(e) => update({ account: e.target.value || null })}
      >
        <option value="">All accounts</option>
        {(accounts.data ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
            {a.status !== "OK" ? ` (${a.status.toLowerCase()})` : ""}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-provider">
        Provider
      </label>
      <select
        id="filter-provider"
        className={selectClass}
        value={params.provider ?? ""}
        onChange={(e) => update({ provider: e.target.value || null })}
      >
        <option value="">All apps</option>
        {providers.map((p) => (
          <option key={p} value={p}>
            {providerInfo(p).label}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-kind">
        Chat type
      </label>
      <select
        id="filter-kind"
        className={selectClass}
        value={params.kind ?? ""}
        onChange={(e) => update({ kind: e.target.value || null })}
      >
        <option value="">1:1 and groups</option>
        <option value="single">1:1 only</option>
        <option value="group">Groups only</option>
      </select>
      {any && (
        <Button
          size="sm"
          variant="ghost"
          className="h-8 px-2"
          onClick={() => update({ unread: null, account: null, provider: null, kind: null })}
          aria-label="Clear filters"
        >
          <X />
        </Button>
      )}
    </fieldset>
    </>
  );
}
