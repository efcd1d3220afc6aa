"use client";
// The unified chat list: cursor-paginated infinite scroll, virtualised (only the visible rows are in
// the DOM, so 100k chats scroll like 50), j/k to move and Enter to open.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { AlertTriangle, Inbox, SearchX } from "lucide-react";
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { type ChipLabel, LabelChips } from "@/components/labels/label-chips";
import { Avatar } from "./avatar";
import { Time, useTimeText } from "@/lib/time";
import { providerInfo } from "./format";
import { chatListInput, type InboxParams } from "./inbox-params";
import { errorMessage } from "@/lib/error-message";

export type ListHandle = { move(delta: number): void; openActive(): void; focus(): void };

const ROW = 72;

export function ChatList({
  params,
  onOpen,
  ref,
}: {
  params: InboxParams;
  onOpen: (chatId: string) => void;
  ref?: Ref<ListHandle>;
}) {
  const trpc = useTRPC();
  const input = chatListInput(params);
  const query = useInfiniteQuery(
    trpc.chat.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const chats = query.data?.pages.flatMap((p) => p.items) ?? [];
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);
  const virtualizer = useVirtualizer({
    count: query.hasNextPage ? chats.length + 1 : chats.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (lastIndex >= chats.length - 5 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [lastIndex, chats.length, query.hasNextPage, query.isFetchingNextPage, query]);

  // Keep the keyboard cursor on the open chat when it is in view.
  useEffect(() => {
    if (!params.chat) return;
    const i = chats.findIndex((c) => c.id === params.chat);
    if (i >= 0) setActive(i);
  }, [params.chat, chats]);

  useImperativeHandle(ref, () => ({
    move(delta) {
      if (chats.length === 0) return;
      const next = Math.min(chats.length - 1, Math.max(0, (active < 0 ? -1 : active) + delta));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: "auto" });
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] a`)?.focus());
    },
    openActive() {
      const chat = chats[active];
      if (chat) onOpen(chat.id);
    },
    focus() {
      scrollRef.current?.querySelector<HTMLElement>("a[aria-current='true'], a")?.focus();
    },
  }));

  if (query.isPending) return <ChatListSkeleton />;
  if (query.isError)
    return (
      <div role="alert" className="m-auto flex flex-col items-center gap-2 p-6 text-center text-sm">
        <AlertTriangle className="size-6 text-destructive" aria-hidden />
        <p>Could not load chats. {errorMessage(query.error)}</p>
        <Button size="sm" variant="outline" onClick={() => query.refetch()}>
          Try again
        </Button>
      </div>
    );
  if (chats.length === 0) {
    const filtered = params.unread || params.account || params.provider || params.kind || params.label;
    return (
      <div className="m-auto flex flex-col items-center gap-2 p-6 text-center text-muted-foreground" data-testid="inbox-empty">
        {filtered ? <SearchX className="size-10" aria-hidden /> : <Inbox className="size-10" aria-hidden />}
        <p className="font-medium text-foreground">{filtered ? "No chats match these filters" : "No conversations yet"}</p>
        <p className="max-w-xs text-sm">
          {filtered
            ? "Clear a filter to see more."
            : "Chats appear here as soon as your connected accounts sync or receive a message."}
        </p>
      </div>
    );
  }

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto" data-testid="chat-list-scroll">
      <ul aria-label="Chats" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((row) => {
          const chat = chats[row.index];
          return (
            <li
              key={chat?.id ?? "loader"}
              data-index={row.index}
              className="absolute left-0 w-full"
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              {chat ? (
                <ChatRow chat={chat} selected={chat.id === params.chat} active={row.index === active} onOpen={onOpen} />
              ) : (
                <RowSkeleton />
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

type Chat = {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  type: "single" | "group" | "channel";
  lastMessageAt: Date | null;
  lastMessagePreview: string | null;
  /** Who wrote the newest message: "You: " for our own, the first name in groups. */
  lastSender: { self: boolean; name: string | null } | null;
  unreadCount: number;
  accountHealthy: boolean;
  account: { provider: string; name: string; status: string; statusMessage: string | null };
  labels: ChipLabel[];
};

/** "You" for our own last message; in a group, the first name of whoever wrote it; else nothing. */
function previewAuthor(chat: Pick<Chat, "type" | "lastSender">): string | null {
  const s = chat.lastSender;
  if (!s) return null;
  if (s.self) return "You";
  if (chat.type === "single") return null;
  return s.name?.trim().split(/\s+/)[0] || null;
}

function ChatRow({
  chat,
  selected,
  active,
  onOpen,
}: {
  chat: Chat;
  selected: boolean;
  active: boolean;
  onOpen: (id: string) => void;
}) {
  const unread = chat.unreadCount > 0;
  const provider = providerInfo(chat.account.provider);
  const time = useTimeText(chat.lastMessageAt, "list");
  return (
    <a
      href={`?chat=${encodeURIComponent(chat.id)}`}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        onOpen(chat.id);
      }}
      aria-current={selected ? "true" : undefined}
      aria-label={rowLabel(chat, provider.label, time)}
      data-testid="chat-row"
      data-chat-id={chat.id}
      className={cn(
        "flex h-full items-center gap-3 border-b px-3 outline-none hover:bg-accent/60 focus-visible:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
        selected && "bg-accent",
        active && !selected && "bg-accent/40",
      )}
    >
      <Avatar name={chat.displayName} provider={chat.account.provider} group={chat.type !== "single"} src={chat.avatarUrl} />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          <span className={cn("truncate", unread ? "font-semibold" : "font-medium")} dir="auto" data-testid="chat-name">
            {chat.displayName}
          </span>
          {!chat.accountHealthy && (
            <span title={`${chat.account.name}: ${chat.account.statusMessage ?? chat.account.status}`} className="shrink-0">
              <AlertTriangle className="size-3.5 text-amber-500" aria-label={`Account ${chat.account.name} needs attention`} />
            </span>
          )}
          {chat.lastMessageAt && (
            <Time
              date={chat.lastMessageAt}
              format="list"
              className={cn("ml-auto shrink-0 text-xs", unread ? "font-medium text-primary" : "text-muted-foreground")}
            />
          )}
        </div>
        <div className="flex items-center gap-2">
          <p className={cn("truncate text-sm", unread ? "text-foreground" : "text-muted-foreground")} dir="auto">
            {chat.lastMessagePreview ? (
              <>
                {previewAuthor(chat) && <span data-testid="preview-author">{previewAuthor(chat)}: </span>}
                {chat.lastMessagePreview}
              </>
            ) : (
              <span className="italic">No messages yet</span>
            )}
          </p>
          <LabelChips labels={chat.labels} className="ml-auto shrink-0" />
          {unread && (
            <span
              className={cn(
                chat.labels.length > 0 ? "ms-1" : "ml-auto",
                "shrink-0 rounded-full bg-primary px-1.5 text-xs font-medium text-primary-foreground",
              )}
              data-testid="unread-badge"
            >
              {chat.unreadCount > 99 ? "99+" : chat.unreadCount}
            </span>
          )}
        </div>
      </div>
    </a>
  );
}

/** What a screen reader says for a row: what the row shows (the avatar and icons are hidden). */
function rowLabel(chat: Chat, provider: string, time: string) {
  return [
    chat.displayName,
    provider,
    chat.unreadCount > 0 && `${chat.unreadCount} unread`,
    chat.labels.length > 0 && `labels ${chat.labels.map((l) => l.name).join(", ")}`,
    !chat.accountHealthy && `account ${chat.account.name} needs attention`,
    chat.lastMessagePreview
      ? `${previewAuthor(chat) ? `${previewAuthor(chat)}: ` : ""}${chat.lastMessagePreview}`
      : "No messages yet",
    time,
  ]
    .filter(Boolean)
    .join(", ");
}

function RowSkeleton() {
  return (
    <div className="flex h-full animate-pulse items-center gap-3 border-b px-3" aria-hidden>
      <div className="size-10 rounded-full bg-muted" />
      <div className="flex-1 space-y-2">
        <div className="h-3 w-1/2 rounded bg-muted" />
        <div className="h-3 w-3/4 rounded bg-muted" />
      </div>
    </div>
  );
}

export function ChatListSkeleton() {
  return (
    <div aria-busy="true" className="flex-1">
      <p className="sr-only">Loading chats</p>
      {Array.from({ length: 8 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: eight identical placeholders that never reorder
        <div key={i} style={{ height: ROW }}>
          <RowSkeleton />
        </div>
      ))}
    </div>
  );
}
