"use client";
// Search results in four groups (People, Chats, Messages, Files), one keyboard path through all of
// them: arrows move across groups, Enter opens. Snippets are text segments (<mark> around hits), never
// HTML. The previous results stay while the next query loads; a superseded request is aborted.
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { FileText, ImageIcon, Loader2, SearchX } from "lucide-react";
import { type KeyboardEvent, type ReactNode, type Ref, useImperativeHandle, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { parseSearchQuery } from "@/lib/search-query";
import { Time } from "@/lib/time";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/lib/error-message";
import { ProviderBadge } from "./avatar";
import type { ListHandle } from "./chat-list";
import type { InboxParams } from "./use-inbox-params";

type Segment = { text: string; hit: boolean };
type Update = (p: Record<string, string | null>, opts?: { push?: boolean }) => void;

function Highlight({ segments }: { segments: Segment[] }) {
  return segments.map((s, j) =>
    s.hit ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
      <mark key={j} className="rounded-sm bg-yellow-200 px-0.5 text-inherit dark:bg-yellow-500/40">
        {s.text}
      </mark>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
      <span key={j}>{s.text}</span>
    ),
  );
}

function Group({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  if (count === 0) return null;
  const id = `search-group-${title.toLowerCase()}`;
  return (
    <section aria-labelledby={id} data-testid={id}>
      <h2
        id={id}
        className="sticky top-0 z-10 border-b bg-background/95 px-3 py-1 text-[11px] font-semibold tracking-wide text-muted-foreground uppercase backdrop-blur"
      >
        {title}
      </h2>
      <ul>{children}</ul>
    </section>
  );
}

const itemClass =
  "flex w-full flex-col gap-1 border-b px-3 py-2.5 text-left outline-none hover:bg-accent/60 focus-visible:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset";

/** What the results pane asks for with these params; `enabled` when the query is worth sending. */
export function searchRequest(params: InboxParams) {
  const problems = parseSearchQuery(params.q).problems;
  const input = {
    query: params.q.trim(),
    limit: 30,
    ...(params.account ? { accountId: params.account } : {}),
    ...(params.inChat && params.chat ? { chatId: params.chat } : {}),
    ...(params.from ? { from: new Date(`${params.from}T00:00:00`) } : {}),
    ...(params.to ? { to: new Date(new Date(`${params.to}T00:00:00`).getTime() + 86_400_000) } : {}),
  };
  return { input, problems, enabled: input.query.length > 0 && problems.length === 0 };
}

/** search.all's query, shared by the pane and the box (which starts it before the pane renders). */
export function searchAllOptions(trpc: ReturnType<typeof useTRPC>, input: ReturnType<typeof searchRequest>["input"]) {
  return trpc.search.all.queryOptions(input, { staleTime: 5_000, trpc: { abortOnUnmount: true } });
}

export function SearchResults({
  params,
  update,
  onOpen,
  onLeaveTop,
  ref,
}: {
  params: InboxParams;
  update: Update;
  onOpen: (chatId: string, messageId: string) => void;
  /** Arrow up from the first result: back to the box. */
  onLeaveTop?: () => void;
  ref?: Ref<ListHandle>;
}) {
  const trpc = useTRPC();
  const { input, problems, enabled } = searchRequest(params);
  const query = useQuery({ ...searchAllOptions(trpc, input), enabled, placeholderData: keepPreviousData });
  const first = query.data?.messages;
  const [wantMore, setWantMore] = useState<string | null>(null);
  const more = useInfiniteQuery(
    trpc.search.messages.infiniteQueryOptions(
      { ...input, limit: 30 },
      {
        initialCursor: first?.nextCursor ?? 0,
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        enabled: enabled && wantMore === input.query && !!first?.nextCursor,
        trpc: { abortOnUnmount: true },
      },
    ),
  );
  const data = query.data;
  const extra = wantMore === input.query ? (more.data?.pages.flatMap((p) => p.hits) ?? []) : [];
  const messages = [...(data?.messages.hits ?? []), ...extra];
  const hasMore = wantMore === input.query ? more.hasNextPage || more.isPending : !!first?.nextCursor;

  // One list of everything openable, in screen order, for the keyboard.
  const items: { key: string; open: () => void }[] = [
    ...(data?.people ?? []).map((p) => ({
      key: `p:${p.attendeeId}`,
      open: () => update({ chat: p.chatId, msg: null, panel: p.direct ? null : "contact" }, { push: true }),
    })),
    ...(data?.chats ?? []).map((c) => ({
      key: `c:${c.chatId}`,
      open: () => update({ chat: c.chatId, msg: null }, { push: true }),
    })),
    ...messages.map((m) => ({ key: `m:${m.messageId}`, open: () => onOpen(m.chatId, m.messageId) })),
    ...(data?.files ?? []).map((f) => ({ key: `f:${f.attachmentId}`, open: () => onOpen(f.chatId, f.messageId) })),
  ];
  const indexOf = new Map(items.map((it, i) => [it.key, i]));
  // The highlighted item is kept with the query it belongs to, so a new query starts at the top.
  const [cursor, setCursor] = useState({ q: params.q, index: 0 });
  const active = cursor.q === params.q ? Math.min(cursor.index, Math.max(0, items.length - 1)) : 0;
  const rootRef = useRef<HTMLElement>(null);
  const focusItem = (i: number) => rootRef.current?.querySelector<HTMLElement>(`[data-search-index="${i}"]`)?.focus();
  const move = (delta: number) => {
    if (delta < 0 && active === 0) return onLeaveTop?.();
    const next = Math.min(items.length - 1, Math.max(0, active + delta));
    setCursor({ q: params.q, index: next });
    focusItem(next);
  };

  useImperativeHandle(ref, () => ({
    move,
    openActive() {
      items[active]?.open();
    },
    focus() {
      focusItem(active);
    },
  }));

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    move(e.key === "ArrowDown" ? 1 : -1);
  }

  const itemProps = (key: string) => {
    const i = indexOf.get(key) ?? 0;
    return {
      type: "button" as const,
      "data-search-index": i,
      onFocus: () => setCursor({ q: params.q, index: i }),
      onClick: () => items[i]?.open(),
      className: cn(itemClass, i === active && "bg-accent/40"),
    };
  };

  const total = items.length;
  // The query the results on screen answer ("" while the first answer loads or the previous one is
  // shown): what a test or a screen reader can wait for.
  const answered = problems.length > 0 ? input.query : query.isSuccess && !query.isPlaceholderData ? input.query : "";
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="search-pane" data-query={answered} aria-busy={answered !== input.query}>
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
        {query.isFetching && !query.isPending && (
          <Loader2 className="ml-auto size-3.5 animate-spin text-muted-foreground" aria-label="Updating results" />
        )}
      </fieldset>
      {problems.length > 0 ? (
        <p role="status" className="p-4 text-sm text-muted-foreground" data-testid="search-problem">
          {problems.join(" · ")}
        </p>
      ) : query.isPending ? (
        <div className="flex items-center gap-2 p-4 text-sm text-muted-foreground" aria-busy="true">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Searching…
        </div>
      ) : query.isError ? (
        <p role="alert" className="p-4 text-sm text-destructive">
          Search failed. {errorMessage(query.error)}
        </p>
      ) : total === 0 ? (
        <div className="m-auto flex flex-col items-center gap-2 p-6 text-center text-muted-foreground" data-testid="search-empty">
          <SearchX className="size-8" aria-hidden />
          <p className="font-medium text-foreground">Nothing matches “{params.q}”</p>
          <p className="text-sm">
            Try part of a word or a name, or narrow with <code>from:</code> <code>in:</code> <code>has:image</code>{" "}
            <code>is:unread</code> <code>after:2025-01-31</code>.
          </p>
        </div>
      ) : (
        // Arrow keys move between the result buttons inside.
        <section ref={rootRef} onKeyDown={onKeyDown} aria-label="Search results" className="min-h-0 flex-1 overflow-y-auto">
          <Group title="People" count={data?.people.length ?? 0}>
            {data?.people.map((p) => (
              <li key={p.attendeeId}>
                <button {...itemProps(`p:${p.attendeeId}`)} data-testid="search-person">
                  <span className="flex items-center gap-2 text-sm">
                    <ProviderBadge provider={p.provider} />
                    <span className="truncate font-medium" dir="auto">
                      <Highlight segments={p.name} />
                    </span>
                    <span className="ml-auto shrink-0 truncate text-xs text-muted-foreground">{p.accountName}</span>
                  </span>
                  {p.detail && <span className="truncate text-xs text-muted-foreground">{p.detail}</span>}
                </button>
              </li>
            ))}
          </Group>
          <Group title="Chats" count={data?.chats.length ?? 0}>
            {data?.chats.map((c) => (
              <li key={c.chatId}>
                <button {...itemProps(`c:${c.chatId}`)} data-testid="search-chat">
                  <span className="flex items-center gap-2 text-sm">
                    <ProviderBadge provider={c.provider} />
                    <span className="truncate font-medium" dir="auto">
                      <Highlight segments={c.name} />
                    </span>
                    {c.lastMessageAt && (
                      <Time date={c.lastMessageAt} format="list" className="ml-auto shrink-0 text-xs text-muted-foreground" />
                    )}
                  </span>
                  {c.subject && (
                    <span className="truncate text-xs text-muted-foreground" dir="auto">
                      Subject: <Highlight segments={c.subject} />
                    </span>
                  )}
                </button>
              </li>
            ))}
          </Group>
          <Group title="Messages" count={messages.length}>
            {messages.map((hit) => (
              <li key={hit.messageId}>
                <button
                  {...itemProps(`m:${hit.messageId}`)}
                  data-testid="search-hit"
                  aria-current={params.msg === hit.messageId ? "true" : undefined}
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
                    {hit.snippet.length > 0 ? (
                      <Highlight segments={hit.snippet} />
                    ) : (
                      <span className="italic text-muted-foreground">Attachment</span>
                    )}
                  </span>
                </button>
              </li>
            ))}
            {hasMore && (
              <li className="p-2 text-center">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => (wantMore === input.query ? more.fetchNextPage() : setWantMore(input.query))}
                  disabled={more.isFetching}
                >
                  {more.isFetching ? "Loading…" : "More messages"}
                </Button>
              </li>
            )}
          </Group>
          <Group title="Files" count={data?.files.length ?? 0}>
            {data?.files.map((f) => (
              <li key={f.attachmentId}>
                <button {...itemProps(`f:${f.attachmentId}`)} data-testid="search-file">
                  <span className="flex items-center gap-2 text-sm">
                    {f.kind === "img" ? (
                      <ImageIcon className="size-4 shrink-0" aria-hidden />
                    ) : (
                      <FileText className="size-4 shrink-0" aria-hidden />
                    )}
                    <span className="truncate font-medium" dir="auto">
                      <Highlight segments={f.name} />
                    </span>
                    <Time date={f.sentAt} format="list" className="ml-auto shrink-0 text-xs text-muted-foreground" />
                  </span>
                  <span className="flex items-center gap-2 truncate text-xs text-muted-foreground" dir="auto">
                    <ProviderBadge provider={f.provider} /> {f.chatName}
                  </span>
                </button>
              </li>
            ))}
          </Group>
        </section>
      )}
    </div>
  );
}
