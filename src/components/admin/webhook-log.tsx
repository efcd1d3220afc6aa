"use client";
// The admin webhook log: what Unipile sent, newest first, with what became of it (applied,
// duplicate, rejected, failed + error, deferred), filters, the payload of one event and Replay.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";
import { FilterButtons, FilterSelect, LogPage } from "./log-list";
import { AdminTable } from "./table";
import { WebhookEventDetail } from "./webhook-event-detail";

const WEBHOOK_STATUSES = ["applied", "duplicate", "deferred", "received", "failed", "rejected"] as const;
type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
const EVENTS = [
  "message_received",
  "message_reaction",
  "message_read",
  "message_delivered",
  "message_edited",
  "message_deleted",
  "account_status",
];

const statusVariant: Record<WebhookStatus, "default" | "secondary" | "destructive" | "outline"> = {
  applied: "outline",
  duplicate: "secondary",
  deferred: "secondary",
  received: "default",
  failed: "destructive",
  rejected: "destructive",
};

type Filters = { status?: WebhookStatus; event?: string; accountId?: string; chatId?: string };

function clean(f: Filters): Filters {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== "")) as Filters;
}

export function WebhookLog() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery(
    trpc.webhook.list.infiniteQueryOptions(
      { limit: 50, ...filters },
      { getNextPageParam: (last) => last.nextCursor, refetchInterval: 5_000 },
    ),
  );
  const counts = useQuery(trpc.webhook.counts.queryOptions(undefined, { refetchInterval: 5_000 }));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim() || undefined;
    setFilters(
      clean({
        status: (text("status") as WebhookStatus | undefined) ?? undefined,
        event: text("event"),
        accountId: text("accountId"),
        chatId: text("chatId"),
      }),
    );
    setOpen(null);
  }

  return (
    <LogPage
      title="Webhooks"
      description={
        <>
          Every delivery from Unipile is logged before it is acknowledged, then applied. Last 24 hours:{" "}
          <span data-testid="webhook-counts">
            {WEBHOOK_STATUSES.filter((s) => counts.data?.[s])
              .map((s) => `${counts.data?.[s]} ${s}`)
              .join(" · ") || "nothing yet"}
          </span>
        </>
      }
      filters={
        <form onSubmit={apply} className="grid gap-3 sm:grid-cols-5 sm:items-end" aria-label="Filter webhook events">
          <FilterSelect id="wh-status" name="status" label="Status" values={WEBHOOK_STATUSES} />
          <FilterSelect id="wh-event" name="event" label="Event" values={EVENTS} />
          <div className="flex flex-col gap-1">
            <Label htmlFor="wh-account">Account id</Label>
            <Input id="wh-account" name="accountId" placeholder="any" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="wh-chat">Chat id</Label>
            <Input id="wh-chat" name="chatId" placeholder="ours or Unipile's" />
          </div>
          <FilterButtons list={list} />
        </form>
      }
      list={list}
      count={items.length}
      failed="Could not load the log."
      empty={
        <p className="text-sm text-muted-foreground" data-testid="webhook-empty">
          No webhook events{Object.keys(filters).length ? " match these filters" : " yet"}.
        </p>
      }
    >
      <AdminTable label="Webhook events" columns={["Received", "Event", "Status", "Account · chat · message", "Note"]}>
        {items.map((e) => (
          <WebhookRow key={e.id} event={e} open={open === e.id} onToggle={() => setOpen(open === e.id ? null : e.id)} />
        ))}
      </AdminTable>
    </LogPage>
  );
}

type Row = {
  id: string;
  receivedAt: Date;
  event: string | null;
  accountId: string | null;
  chatId: string | null;
  messageId: string | null;
  status: WebhookStatus;
  attempts: number;
  error: string | null;
};

function WebhookRow({ event: e, open, onToggle }: { event: Row; open: boolean; onToggle: () => void }) {
  return (
    <>
      <tr className="cursor-pointer border-t align-top hover:bg-accent/50" data-testid={`webhook-row-${e.id}`} onClick={onToggle}>
        <td className="whitespace-nowrap py-2 pr-3 tabular-nums">
          <button type="button" className="text-left underline-offset-2 hover:underline" aria-expanded={open} aria-label={`Event ${e.id}`}>
            <Time date={e.receivedAt} format="seconds" />
          </button>
          <div className="text-xs text-muted-foreground">#{e.id}</div>
        </td>
        <td className="py-2 pr-3 font-mono text-xs">{e.event ?? "—"}</td>
        <td className="py-2 pr-3">
          <Badge variant={statusVariant[e.status]}>{e.status}</Badge>
          {e.attempts > 1 && <div className="text-xs text-muted-foreground">{e.attempts} tries</div>}
        </td>
        <td className="max-w-xs py-2 pr-3 font-mono text-xs break-all text-muted-foreground">
          {[e.accountId, e.chatId, e.messageId].filter(Boolean).join(" · ") || "—"}
        </td>
        <td className={`max-w-sm py-2 text-xs break-words ${e.status === "failed" || e.status === "rejected" ? "text-destructive" : "text-muted-foreground"}`}>
          {e.error}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5} className="pb-4">
            <WebhookEventDetail id={e.id} />
          </td>
        </tr>
      )}
    </>
  );
}
