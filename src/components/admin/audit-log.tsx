"use client";
// The admin audit log: who did what, when, from which address, newest first, filterable by kind.
import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { FilterButtons, FilterSelect, LogPage } from "./log-list";
import { AdminTable } from "./table";

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
    <LogPage
      title="Audit log"
      description="Sign-ins, user and access changes, resyncs and replays: who, what, when and from where."
      filters={
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
          <FilterSelect id="audit-kind" name="kind" label="Kind" values={KINDS} show={(k) => (k.endsWith(".") ? `${k}*` : k)} />
          <FilterButtons list={list} />
        </form>
      }
      list={list}
      count={items.length}
      failed="Could not load the audit log."
      empty={<p className="text-sm text-muted-foreground">No events{kind ? " of this kind" : " yet"}.</p>}
    >
      <AdminTable label="Audit events" columns={["When", "What", "Who", "About", "Address", "Details"]}>
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
      </AdminTable>
    </LogPage>
  );
}
