"use client";
// One conversation: header, messages (older pages load on scroll up with the position kept, or a
// window around a search hit), the composer with optimistic sends, and read/unread.
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, ArrowDown, ArrowLeft, Loader2, MailOpen, Mail } from "lucide-react";
import Link from "next/link";
import { Fragment, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/lib/error-message";
import { retryMessageAction, sendMessageAction, setChatReadAction } from "@/server/actions/inbox";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import { ChatSyncHealth } from "./chat-sync-health";
import { Avatar } from "./avatar";
import { Composer, type ComposerHandle, type Draft } from "./composer";
import { dayLabel, providerInfo, sameDay } from "./format";
import { MessageItem, type ThreadMessage } from "./message-item";

export type ThreadHandle = { reply(): void; toggleUnread(): void };

type LocalSend = ThreadMessage & { clientTxnId: string };

function newTxnId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function Thread({
  chatId,
  anchorId,
  maxUploadBytes,
  onJumpToLatest,
  ref,
}: {
  chatId: string;
  anchorId: string | null;
  maxUploadBytes: number;
  onJumpToLatest: () => void;
  ref?: Ref<ThreadHandle>;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const chat = useQuery(trpc.chat.get.queryOptions({ chatId }));
  const messages = useInfiniteQuery(
    trpc.message.list.infiniteQueryOptions(
      { chatId, limit: 50, ...(anchorId ? { anchorId } : {}) },
      {
        getNextPageParam: (last) => (last.older ? { dir: "older" as const, at: last.older } : undefined),
        getPreviousPageParam: (first) => (first.newer ? { dir: "newer" as const, at: first.newer } : undefined),
      },
    ),
  );
  const [outbox, setOutbox] = useState<LocalSend[]>([]);
  const [replyTo, setReplyTo] = useState<ThreadMessage | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLLIElement>(null);
  const bottomSentinel = useRef<HTMLLIElement>(null);
  const restore = useRef<{ height: number; top: number } | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const atBottomRef = useRef(true);
  const manualUnread = useRef(false);

  const pages = messages.data?.pages ?? [];
  const server = [...pages].reverse().flatMap((p) => p.items) as ThreadMessage[];
  const atLatest = !messages.hasPreviousPage;
  const confirmed = new Set(server.map((m) => m.clientTxnId).filter(Boolean));
  const pendingLocal = atLatest ? outbox.filter((o) => !confirmed.has(o.clientTxnId)) : [];
  const items = [...server, ...pendingLocal];
  const isGroup = chat.data ? chat.data.type !== "single" : false;

  const invalidate = useCallback(() => {
    void qc.invalidateQueries({ queryKey: trpc.message.list.infiniteQueryKey({ chatId }) });
    void qc.invalidateQueries({ queryKey: trpc.chat.get.queryKey({ chatId }) });
    void qc.invalidateQueries({ queryKey: trpc.chat.list.pathKey() });
  }, [qc, trpc, chatId]);

  // Forget local sends once the server rows carry them.
  useEffect(() => {
    if (outbox.some((o) => confirmed.has(o.clientTxnId))) setOutbox((list) => list.filter((o) => !confirmed.has(o.clientTxnId)));
  }, [outbox, confirmed]);

  // --- read state ------------------------------------------------------------------------------
  const setRead = useCallback(
    async (read: boolean) => {
      // The list reacts at once; the server confirms (and tells Unipile) behind it.
      qc.setQueriesData<{ pages: { items: { id: string; unreadCount: number }[] }[] }>({ queryKey: trpc.chat.list.pathKey() }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({
                ...p,
                items: p.items.map((c) => (c.id === chatId ? { ...c, unreadCount: read ? 0 : Math.max(1, c.unreadCount) } : c)),
              })),
            }
          : data,
      );
      const res = await setChatReadAction(chatId, read);
      if (!res.ok) toast.error(errorMessage(res));
      else if (!read) toast.success("Marked as unread");
      invalidate();
    },
    [qc, trpc, chatId, invalidate],
  );
  const unread = chat.data?.unreadCount ?? 0;
  useEffect(() => {
    manualUnread.current = false;
  }, [chatId]);
  useEffect(() => {
    if (unread > 0 && !manualUnread.current) void setRead(true);
  }, [unread, setRead]);

  useImperativeHandle(ref, () => ({
    reply() {
      const last = [...server].reverse().find((m) => !m.isSender && !m.isEvent && !m.deleted);
      if (last) setReplyTo(last);
      composer.current?.focus();
    },
    toggleUnread() {
      if ((chat.data?.unreadCount ?? 0) > 0) {
        manualUnread.current = false;
        void setRead(true);
      } else {
        manualUnread.current = true;
        void setRead(false);
      }
    },
  }));

  // --- scrolling -------------------------------------------------------------------------------
  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);
  const firstId = items[0]?.id;
  const lastId = items.at(-1)?.id;
  const initialised = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !messages.data) return;
    const key = `${chatId}:${anchorId ?? ""}`;
    if (initialised.current !== key) {
      initialised.current = key;
      if (anchorId) el.querySelector(`[data-message-id="${CSS.escape(anchorId)}"]`)?.scrollIntoView({ block: "center" });
      else scrollToBottom();
      return;
    }
    if (restore.current) {
      // Older messages were added above: keep what the reader was looking at in place.
      el.scrollTop = restore.current.top + (el.scrollHeight - restore.current.height);
      restore.current = null;
    } else if (atBottomRef.current && atLatest) {
      scrollToBottom();
    }
  }, [firstId, lastId, chatId, anchorId, messages.data, atLatest, scrollToBottom]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage, hasPreviousPage, isFetchingPreviousPage, fetchPreviousPage } = messages;
  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          if (e.target === topSentinel.current && hasNextPage && !isFetchingNextPage && initialised.current) {
            restore.current = { height: root.scrollHeight, top: root.scrollTop };
            void fetchNextPage();
          }
          if (e.target === bottomSentinel.current && hasPreviousPage && !isFetchingPreviousPage && initialised.current) {
            void fetchPreviousPage();
          }
        }
      },
      { root, rootMargin: "300px 0px" },
    );
    if (topSentinel.current) io.observe(topSentinel.current);
    if (bottomSentinel.current) io.observe(bottomSentinel.current);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, hasPreviousPage, isFetchingPreviousPage, fetchPreviousPage]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    atBottomRef.current = bottom;
    if (bottom !== atBottom) setAtBottom(bottom);
  }

  // --- sending ---------------------------------------------------------------------------------
  async function send(draft: Draft) {
    const clientTxnId = newTxnId();
    const quote = replyTo;
    setReplyTo(null);
    const local: LocalSend = {
      id: `local-${clientTxnId}`,
      clientTxnId,
      text: draft.text.trim() || null,
      originalText: null,
      edited: false,
      deleted: false,
      sentAt: new Date(),
      isSender: true,
      status: "pending",
      statusError: null,
      isEvent: false,
      eventType: null,
      senderName: "You",
      senderKey: "me",
      senderAvatarUrl: null,
      quoted: quote ? { text: quote.text, senderName: quote.senderName } : null,
      reactions: [],
      attachments: [],
      localFiles: draft.files.map((f) => f.name),
    };
    setOutbox((o) => [...o, local]);
    atBottomRef.current = true;
    if (anchorId) onJumpToLatest();
    const form = new FormData();
    form.set("chatId", chatId);
    form.set("clientTxnId", clientTxnId);
    form.set("text", draft.text);
    if (quote) form.set("quoteId", quote.id);
    for (const f of draft.files) form.append("files", f);
    let res: Awaited<ReturnType<typeof sendMessageAction>>;
    try {
      res = await sendMessageAction(form);
    } catch {
      res = { ok: false, code: "INTERNAL", error: "Could not reach Parley. Check your connection and send again." };
    }
    if (!res.ok) {
      // Nothing was stored: take the message back into the composer.
      setOutbox((o) => o.filter((x) => x.clientTxnId !== clientTxnId));
      toast.error(errorMessage(res));
      composer.current?.setText(draft.text);
    } else if (res.data.status === "failed") {
      toast.error(`Not sent. ${errorMessage(res.data.statusError, "Unipile refused the message.")}`, { description: "Use Retry on the message." });
    }
    invalidate();
  }

  async function retry(messageId: string) {
    const res = await retryMessageAction(messageId);
    if (!res.ok) toast.error(errorMessage(res));
    else if (res.data.status === "failed") toast.error(`Still not sent. ${errorMessage(res.data.statusError, "Unipile refused the message.")}`);
    invalidate();
  }

  // --- render ----------------------------------------------------------------------------------
  if (chat.isError)
    return (
      <div role="alert" className="m-auto flex flex-col items-center gap-2 p-6 text-center">
        <AlertTriangle className="size-8 text-destructive" aria-hidden />
        <p className="font-medium">{chat.error.data?.code === "NOT_FOUND" ? "This chat does not exist" : errorMessage(chat.error)}</p>
        <Button asChild variant="outline" size="sm">
          <Link href="/">Back to the inbox</Link>
        </Button>
      </div>
    );

  const c = chat.data;
  return (
    <section className="flex min-h-0 min-w-0 flex-1 flex-col" aria-label={c ? `Conversation with ${c.displayName}` : "Conversation"}>
      <header className="flex h-14 shrink-0 items-center gap-3 border-b px-3">
        <Button asChild variant="ghost" size="icon" className="md:hidden">
          <Link href="/" aria-label="Back to chats">
            <ArrowLeft />
          </Link>
        </Button>
        {c ? (
          <>
            <Avatar name={c.displayName} provider={c.account.provider} group={c.type !== "single"} src={c.avatarUrl} className="size-9" />
            <div className="min-w-0 flex-1">
              <h1 className="truncate font-semibold" dir="auto" data-testid="thread-title">
                {c.displayName}
              </h1>
              <p className="truncate text-xs text-muted-foreground">
                {providerInfo(c.account.provider).label} · {c.account.name}
                {c.type !== "single" && ` · ${c.memberCount} members`}
                {!c.accountHealthy && (
                  <span className="ml-1 text-amber-600 dark:text-amber-400">
                    · account {c.account.status.toLowerCase()}
                    {c.account.statusMessage ? `: ${c.account.statusMessage}` : ""}
                  </span>
                )}
              </p>
            </div>
            <div className="hidden lg:block">
              <ChatSyncHealth chatId={c.id} />
            </div>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                if (c.unreadCount > 0) {
                  manualUnread.current = false;
                  void setRead(true);
                } else {
                  manualUnread.current = true;
                  void setRead(false);
                }
              }}
              title="Toggle read (u)"
            >
              {c.unreadCount > 0 ? <MailOpen /> : <Mail />}
              <span className="hidden sm:inline">{c.unreadCount > 0 ? "Mark as read" : "Mark as unread"}</span>
            </Button>
          </>
        ) : (
          <div className="h-5 w-40 animate-pulse rounded bg-muted" />
        )}
      </header>

      <div className="relative min-h-0 flex-1">
        <div ref={scroller} onScroll={onScroll} className="h-full overflow-y-auto py-3" data-testid="thread-scroll">
          {messages.isPending ? (
            <ThreadSkeleton />
          ) : messages.isError ? (
            <p role="alert" className="p-6 text-center text-sm text-destructive">
              Could not load messages. {errorMessage(messages.error)}
            </p>
          ) : items.length === 0 ? (
            <p className="p-10 text-center text-sm text-muted-foreground">No messages yet. Say hello below.</p>
          ) : (
            <ol aria-label="Messages" className="flex flex-col">
              <li ref={topSentinel} aria-hidden className="h-px" />
              {isFetchingNextPage && (
                <li className="flex justify-center py-2" aria-label="Loading older messages">
                  <Loader2 className="size-4 animate-spin text-muted-foreground" />
                </li>
              )}
              {!hasNextPage && <li className="py-3 text-center text-xs text-muted-foreground">Beginning of the conversation</li>}
              {items.map((m, i) => {
                const prev = items[i - 1];
                const newDay = !prev || !sameDay(prev.sentAt, m.sentAt);
                const showSender = isGroup && !m.isSender && (newDay || !prev || prev.senderKey !== m.senderKey || prev.isEvent);
                return (
                  <Fragment key={m.clientTxnId ? `txn-${m.clientTxnId}` : m.id}>
                    {newDay && (
                      <li className="sticky top-0 z-10 my-2 flex justify-center" aria-label={dayLabel(m.sentAt)}>
                        <span className="rounded-full border bg-background/90 px-3 py-0.5 text-xs font-medium text-muted-foreground shadow-xs backdrop-blur" suppressHydrationWarning>
                          {dayLabel(m.sentAt)}
                        </span>
                      </li>
                    )}
                    <MessageItem
                      m={m}
                      showSender={showSender || (newDay && isGroup && !m.isSender)}
                      avatarColumn={isGroup}
                      highlighted={m.id === anchorId}
                      onReply={m.id.startsWith("local-") ? undefined : () => {
                        setReplyTo(m);
                        composer.current?.focus();
                      }}
                      onRetry={m.status === "failed" && !m.id.startsWith("local-") ? () => void retry(m.id) : undefined}
                    />
                  </Fragment>
                );
              })}
              {isFetchingPreviousPage && (
                <li className="flex justify-center py-2">
                  <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label="Loading newer messages" />
                </li>
              )}
              <li ref={bottomSentinel} aria-hidden className="h-px" />
            </ol>
          )}
        </div>
        {(!atBottom || !atLatest) && items.length > 0 && (
          <Button
            size="sm"
            variant="secondary"
            className="absolute right-4 bottom-3 rounded-full shadow-md"
            onClick={() => {
              atBottomRef.current = true;
              if (!atLatest || anchorId) onJumpToLatest();
              else scrollToBottom();
            }}
          >
            <ArrowDown /> Jump to latest
          </Button>
        )}
      </div>

      <Composer
        ref={composer}
        maxBytes={maxUploadBytes}
        disabled={c?.readOnly}
        disabledReason="This chat is read-only"
        replyTo={replyTo ? { senderName: replyTo.senderName, text: replyTo.text } : null}
        onCancelReply={() => setReplyTo(null)}
        onSend={(d) => void send(d)}
      />
    </section>
  );
}

function ThreadSkeleton() {
  return (
    <div className="flex flex-col gap-3 px-4" aria-busy="true" aria-label="Loading messages">
      {[40, 65, 30, 55, 45].map((w, i) => (
        <div key={w} className={i % 2 ? "flex justify-end" : "flex"}>
          <div className="h-10 animate-pulse rounded-2xl bg-muted" style={{ width: `${w}%` }} />
        </div>
      ))}
    </div>
  );
}
