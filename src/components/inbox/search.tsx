"use client";
// Message search: box, filters (account from the list filters, this chat, dates) and ranked results
// with highlighted snippets rendered as text nodes. Enter or a click opens the chat at the message.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Loader2, Search, SearchX, X } from "lucide-react";
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { Time } from "@/lib/time";
import { useTRPC } from "@/trpc/react";
import { ProviderBadge } from "./avatar";
import type { ListHandle } from "./chat-list";
import type { InboxParams } from "./use-inbox-params";
import { errorMessage } from "@/lib/error-message";

export function SearchBox({
  params,
  update,
  onEnter,
  onEscape,
  ref,
}: {
  params: InboxParams;
  update: (p: Record<string, string | null>) => void;
  onEnter: () => void;
  onEscape: () => void;
  ref?: Ref<HTMLInputElement>;
}) {
  const [value, setValue] = useState(params.q);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Follow the URL when it changes from elsewhere (back button, clearing).
  useEffect(() => setValue(params.q), [params.q]);
  function change(v: string) {
    setValue(v);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => update({ q: v.trim() ? v : null }), 250);
  }
  return (
    <div className="relative px-3 pt-3 pb-2">
      <Search className="pointer-events-none absolute top-1/2 left-5.5 mt-0.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
      <input
        ref={ref}
        type="search"
        aria-label="Search messages"
        placeholder="Search messages  ( / )"
        value={value}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            if (timer.current) clearTimeout(timer.current);
            if (value.trim() !== params.q) update({ q: value.trim() || null });
            else onEnter();
          } else if (e.key === "Escape") {
            change("");
            onEscape();
          } else if (e.key === "ArrowDown") {
            e.preventDefault();
            onEnter();
          }
        }}
        className="h-9 w-full rounded-md border border-input bg-background pr-8 pl-8 text-sm placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-search-cancel-button]:hidden"
      />
      {value && (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            change("");
            onEscape();
          }}
          className="absolute top-1/2 right-4.5 mt-0.5 -translate-y-1/2 rounded p-1 text-muted-foreground hover:text-foreground"
        >
          <X className="size-4" />
        </button>
      )}
    </div>
  );
}

export function SearchResults({
  params,
  update,
  onOpen,
  ref,
}: {
  params: InboxParams;
  update: (p: Record<string, string | null>) => void;
  onOpen: (chatId: string, messageId: string) => void;
  ref?: Ref<ListHandle>;
}) {
  const trpc = useTRPC();
  const input = {
    query: params.q.trim(),
    limit: 30,
    ...(params.account ? { accountId: params.account } : {}),
    ...(params.inChat && params.chat ? { chatId: params.chat } : {}),
    ...(params.from ? { from: new Date(`${params.from}T00:00:00`) } : {}),
    ...(params.to ? { to: new Date(new Date(`${params.to}T00:00:00`).getTime() + 86_400_000) } : {}),
  };
  const query = useInfiniteQuery(
    trpc.search.messages.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      enabled: input.query.length > 0,
      staleTime: 5_000,
    }),
  );
  const hits = query.data?.pages.flatMap((p) => p.hits) ?? [];
  // The highlighted hit is kept with the query it belongs to, so a new query starts at the top.
  const [cursor, setCursor] = useState({ q: params.q, index: 0 });
  const active = cursor.q === params.q ? cursor.index : 0;
  const setActive = (index: number) => setCursor({ q: params.q, index });
  const listRef = useRef<HTMLUListElement>(null);

  useImperativeHandle(ref, () => ({
    move(delta) {
      const next = Math.min(hits.length - 1, Math.max(0, active + delta));
      setActive(next);
      listRef.current?.querySelectorAll<HTMLElement>("[data-testid='search-hit']")[next]?.focus();
    },
    openActive() {
      const hit = hits[active];
      if (hit) onOpen(hit.chatId, hit.messageId);
    },
    focus() {
      listRef.current?.querySelectorAll<HTMLElement>("[data-testid='search-hit']")[active]?.focus();
    },
  }));

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <fieldset aria-label="Search filters" className="flex min-w-0 flex-wrap items-center gap-1.5 border-b px-3 pb-2 text-xs">
        <label className="flex items-center gap-1">
          <span className="text-muted-foreground">From</span>
          <input
            type="date"
            value={params.from ?? ""}
            onChange={(e) => update({ from: e.target.value || null })}
            className="h-7 rounded border border-input bg-background px-1"
          />
        </label>
        <label className="flex items-center gap-1">
          <span className="text-muted-foreground">to</span>
          <input
            type="date"
            value={params.to ?? ""}
            onChange={(e) => update({ to: e.target.value || null })}
            className="h-7 rounded border border-input bg-background px-1"
          />
        </label>
        {params.chat && (
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={params.inChat} onChange={(e) => update({ in: e.target.checked ? "chat" : null })} />
            This chat only
          </label>
        )}
      </fieldset>
      {query.isPending ? (
        <div className="flex items-center gap-2 p-4 text-sm text-muted-foreground" aria-busy="true">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Searching…
        </div>
      ) : query.isError ? (
        <p role="alert" className="p-4 text-sm text-destructive">
          Search failed. {errorMessage(query.error)}
        </p>
      ) : hits.length === 0 ? (
        <div className="m-auto flex flex-col items-center gap-2 p-6 text-center text-muted-foreground" data-testid="search-empty">
          <SearchX className="size-8" aria-hidden />
          <p className="font-medium text-foreground">No messages match “{params.q}”</p>
          <p className="text-sm">Try another word or a part of one, or widen the dates.</p>
        </div>
      ) : (
        <ul ref={listRef} aria-label="Search results" className="min-h-0 flex-1 overflow-y-auto">
          {hits.map((hit, i) => (
            <li key={hit.messageId}>
              <button
                type="button"
                data-testid="search-hit"
                onClick={() => onOpen(hit.chatId, hit.messageId)}
                onFocus={() => setActive(i)}
                className={cn(
                  "flex w-full flex-col gap-1 border-b px-3 py-2.5 text-left outline-none hover:bg-accent/60 focus-visible:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
                  params.msg === hit.messageId && "bg-accent",
                  i === active && "bg-accent/40",
                )}
              >
                <span className="flex items-center gap-2 text-xs">
                  <ProviderBadge provider={hit.provider} />
                  <span className="truncate font-medium" dir="auto">
                    {hit.chatName}
                  </span>
                  <Time date={hit.sentAt} format="list" className="ml-auto shrink-0 text-muted-foreground" />
                </span>
                <span className="line-clamp-3 text-sm break-words" dir="auto">
                  <span className="text-muted-foreground">{hit.senderName}: </span>
                  {hit.snippet.map((s, j) =>
                    s.hit ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
                      <mark key={j} className="rounded-sm bg-yellow-200 px-0.5 text-inherit dark:bg-yellow-500/40">
                        {s.text}
                      </mark>
                    ) : (
                      // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
                      <span key={j}>{s.text}</span>
                    ),
                  )}
                </span>
              </button>
            </li>
          ))}
          {query.hasNextPage && (
            <li className="p-2 text-center">
              <Button size="sm" variant="ghost" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? "Loading…" : "More results"}
              </Button>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
