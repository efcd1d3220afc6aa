"use client";
// The unified chat list: cursor-paginated infinite scroll, virtualised (only the visible rows are in
// the DOM, so 100k chats scroll like 50), j/k to move and Enter to open; rows can be selected (checkbox,
// shift-click, x, shift+arrows) for the bulk bar.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { AlertTriangle, Archive, Inbox, SearchX } from "lucide-react";
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { Avatar } from "./avatar";
import { ChatStateIcons, ChatStateMenu } from "./chat-state-menu";
import { Time, useTimeText } from "@/lib/time";
import { avatarHue, initials, providerInfo } from "./format";
import { chatListInput, type InboxParams } from "./inbox-params";
import { errorMessage } from "@/lib/error-message";
import { BulkBar } from "./bulk-bar";
import { useChatSelection } from "./use-chat-selection";
import { useTeamActions } from "./use-team-actions";
import { personName, type TeamKey } from "./work-bar";

export type ListHandle = {
  /** Moves the cursor; with `extend`, the rows passed are selected too (shift+arrows). */
  move(delta: number, extend?: boolean): void;
  openActive(): void;
  focus(): void;
  /** x: selects or unselects the row under the cursor. (Search results have no selection.) */
  toggleSelect?(): void;
  /** e / a / s on the selection; false when nothing is selected (the open chat's work bar takes the key). */
  bulk?(key: TeamKey): boolean;
  clearSelection?(): boolean;
};

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
  const selection = useChatSelection(
    chats.map((c) => c.id),
    JSON.stringify(input),
  );
  const team = useTeamActions();
  const [bulkSnooze, setBulkSnooze] = useState(false);
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
    move(delta, extend) {
      if (chats.length === 0) return;
      const next = Math.min(chats.length - 1, Math.max(0, (active < 0 ? -1 : active) + delta));
      if (extend) {
        if (chats[active]) selection.add(chats[active].id);
        selection.add(chats[next]!.id);
      }
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
    toggleSelect() {
      const chat = chats[active] ?? chats.find((c) => c.id === params.chat);
      if (chat) selection.toggle(chat.id);
    },
    bulk(key) {
      const ids = selection.ids;
      if (ids.length === 0) return false;
      if (key === "snooze") setBulkSnooze(true);
      else void (key === "done" ? team.done(ids) : team.assignToMe(ids)).then(selection.clear);
      return true;
    },
    clearSelection() {
      if (selection.ids.length === 0) return false;
      selection.clear();
      return true;
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
    if (params.archived && !(params.unread || params.account || params.provider || params.kind))
      return (
        <div className="m-auto flex flex-col items-center gap-2 p-6 text-center text-muted-foreground" data-testid="inbox-empty">
          <Archive className="size-10" aria-hidden />
          <p className="font-medium text-foreground">No archived chats</p>
          <p className="max-w-xs text-sm">Chats you archive here or in the app itself wait here, out of the inbox.</p>
        </div>
      );
    const filtered = params.unread || params.account || params.provider || params.kind || params.assignee || params.state !== "open";
    return (
      <div className="m-auto flex flex-col items-center gap-2 p-6 text-center text-muted-foreground" data-testid="inbox-empty">
        {filtered ? <SearchX className="size-10" aria-hidden /> : <Inbox className="size-10" aria-hidden />}
        <p className="font-medium text-foreground">{filtered ? "No chats in this view" : "No conversations yet"}</p>
        <p className="max-w-xs text-sm">
          {filtered
            ? "Pick another view or clear a filter to see more."
            : "Chats appear here as soon as your connected accounts sync or receive a message."}
        </p>
      </div>
    );
  }

  return (
    <>
      {selection.ids.length > 0 && (
        <BulkBar
          chatIds={selection.ids}
          onClear={selection.clear}
          snoozeOpen={bulkSnooze}
          onSnoozeOpenChange={setBulkSnooze}
          onMarkedRead={() => void query.refetch()}
        />
      )}
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto" data-testid="chat-list-scroll">
      <ul aria-label="Chats" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((row) => {
          const chat = chats[row.index];
          return (
            <li
              key={chat?.id ?? "loader"}
              data-index={row.index}
              className="group absolute left-0 w-full"
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              {chat ? (
                <>
                  <ChatRow
                    chat={chat}
                    selected={chat.id === params.chat}
                    active={row.index === active}
                    onOpen={onOpen}
                    checked={selection.selected.has(chat.id)}
                    onCheck={(range) => selection.toggle(chat.id, range)}
                  />
                  <ChatStateMenu chat={chat} place="row" />
                </>
              ) : (
                <RowSkeleton />
              )}
            </li>
          );
        })}
      </ul>
    </div>
    </>
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
  pinned: boolean;
  archived: boolean;
  muted: boolean;
  mutedUntil: Date | null;
  readOnly: boolean;
  accountHealthy: boolean;
  account: { provider: string; name: string; status: string; statusMessage: string | null };
  assignee: { id: string; name: string | null; email: string } | null;
  workState: "open" | "done" | "snoozed";
  wokenAt: Date | null;
};

/** "You" for our own last message; in a group, the first name of whoever wrote it; else nothing. */
function previewAuthor(chat: Pick<Chat, "type" | "lastSender">): string | null {
  const s = chat.lastSender;
  if (!s) return null;
  if (s.self) return "You";
  if (chat.type === "single") return null;
  return s.name?.trim().split(/\s+/)[0] || null;
}

type RowProps = { chat: Chat; selected: boolean; active: boolean; onOpen: (id: string) => void; checked: boolean; onCheck: (range: boolean) => void };

function ChatRow({ chat, selected, active, onOpen, checked, onCheck }: RowProps) {
  const unread = chat.unreadCount > 0;
  const provider = providerInfo(chat.account.provider);
  const time = useTimeText(chat.lastMessageAt, "list");
  const woken = chat.workState === "open" && chat.wokenAt !== null;
  return (
    <div className={cn("flex h-full border-b", checked && "bg-primary/10")}>
      {/* Outside the link: a checkbox inside an <a> would be invalid and would open the chat. */}
      <label className="flex shrink-0 cursor-pointer items-center ps-3 pe-1">
        <span className="sr-only">Select {chat.displayName}</span>
        <input
          type="checkbox"
          data-testid="chat-select"
          className="size-4 accent-primary"
          checked={checked}
          onChange={(e) => onCheck("shiftKey" in e.nativeEvent && (e.nativeEvent as MouseEvent).shiftKey)}
        />
      </label>
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
        "flex h-full min-w-0 flex-1 items-center gap-3 ps-2 pe-3 outline-none hover:bg-accent/60 focus-visible:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
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
          <ChatStateIcons chat={chat} />
          {woken && (
            <span className="shrink-0 rounded-full bg-amber-100 px-1.5 text-[11px] font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-100" data-testid="woken-badge">
              Woken
            </span>
          )}
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
          {chat.assignee && (
            <span
              data-testid="row-assignee"
              title={`Assigned to ${personName(chat.assignee)}`}
              className="ml-auto flex size-5 shrink-0 items-center justify-center rounded-full text-[10px] font-semibold text-white"
              style={{ backgroundColor: `oklch(0.52 0.13 ${avatarHue(chat.assignee.email)})` }}
              aria-hidden
            >
              {initials(personName(chat.assignee))}
            </span>
          )}
          {unread && (
            <span
              className={cn("shrink-0 rounded-full bg-primary px-1.5 text-xs font-medium text-primary-foreground", !chat.assignee && "ml-auto")}
              data-testid="unread-badge"
            >
              {chat.unreadCount > 99 ? "99+" : chat.unreadCount}
            </span>
          )}
        </div>
      </div>
    </a>
    </div>
  );
}

/** What a screen reader says for a row: what the row shows (the avatar and icons are hidden). */
function rowLabel(chat: Chat, provider: string, time: string) {
  return [
    chat.displayName,
    provider,
    chat.pinned && "pinned",
    chat.muted && "muted",
    chat.unreadCount > 0 && `${chat.unreadCount} unread`,
    chat.assignee && `assigned to ${personName(chat.assignee)}`,
    chat.workState === "open" && chat.wokenAt && "woken from snooze",
    !chat.accountHealthy && `account ${chat.account.name} needs attention`,
    chat.lastMessagePreview ? `${previewAuthor(chat) ? `${previewAuthor(chat)}: ` : ""}${chat.lastMessagePreview}` : "No messages yet",
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
