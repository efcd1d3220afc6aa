"use client";
// One conversation: header, messages (older pages load on scroll up with the position kept, or a
// window around a search hit), the composer with optimistic sends and a kept draft, and read/unread.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, ArrowDown } from "lucide-react";
import Link from "next/link";
import { type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";
import type { UploadLimits } from "@/lib/upload-rules";
import { useTRPC } from "@/trpc/react";
import { Composer, type ComposerHandle } from "./composer";
import { loadDraft, saveDraft, useDraftOwner } from "./drafts";
import { MessageActionsProvider } from "./message-actions";
import { FloatingDay, MessageList, useFloatingDay } from "./message-list";
import { ThreadHeader } from "./thread-header";
import { TypingLine } from "@/components/presence/presence-bar";
import { usePresence } from "@/components/presence/use-presence";
import type { ChatDetail, ReplyTarget, ThreadMessage, TimelineEntry } from "./thread-types";
import { threadRows } from "./timeline";
import { useChatRead } from "./use-chat-read";
import { useChatStateKeys } from "./use-chat-state";
import { useMessageActions } from "./use-message-actions";
import { useThreadScroll } from "./use-thread-scroll";
import { useThreadSend } from "./use-thread-send";

export type ThreadHandle = {
  reply(): void;
  toggleUnread(): void;
  toggleState(action: "pin" | "mute" | "archive"): void;
  toggleNote(): void;
  openLabels(): void;
};

/** A missing chat or a chat without a grant will not appear by asking again: show it at once. */
const retryUnlessFinal = (count: number, err: { data?: { code?: string } | null }) =>
  !["NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "BAD_REQUEST"].includes(err.data?.code ?? "") && count < 3;

/** Why this chat cannot be answered from here, said before anything is typed; null when it can. */
function replyBlocker(c: ChatDetail | undefined): string | null {
  if (!c) return null;
  if (c.readOnly) return "This chat is read-only";
  if (!c.accountHealthy)
    return c.account.status === "CONNECTING"
      ? "This account is still connecting to Unipile; try again in a moment"
      : "Reconnect this account in Unipile to reply";
  if (c.productIssue) return c.productIssue.sentence;
  return null;
}

export function Thread({
  chatId,
  anchorId,
  uploadLimits,
  onJumpToLatest,
  ref,
}: {
  chatId: string;
  anchorId: string | null;
  uploadLimits: UploadLimits;
  onJumpToLatest: () => void;
  ref?: Ref<ThreadHandle>;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const chat = useQuery(trpc.chat.get.queryOptions({ chatId }, { retry: retryUnlessFinal }));
  const messages = useInfiniteQuery(
    trpc.message.list.infiniteQueryOptions(
      { chatId, limit: 50, ...(anchorId ? { anchorId } : {}) },
      {
        retry: retryUnlessFinal,
        getNextPageParam: (last) => (last.older ? { dir: "older" as const, at: last.older } : undefined),
        getPreviousPageParam: (first) => (first.newer ? { dir: "newer" as const, at: first.newer } : undefined),
      },
    ),
  );
  const composer = useRef<ComposerHandle>(null);
  const me = useQuery(trpc.user.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  const addNote = useMutation(trpc.note.add.mutationOptions());

  const refresh = useCallback(() => {
    void qc.invalidateQueries({ queryKey: trpc.message.list.infiniteQueryKey({ chatId }) });
    void qc.invalidateQueries({ queryKey: trpc.chat.get.queryKey({ chatId }) });
    void qc.invalidateQueries({ queryKey: trpc.chat.list.pathKey() });
  }, [qc, trpc, chatId]);

  // --- the draft: restored after mount (storage is the browser's), saved on every change ----------
  const owner = useDraftOwner();
  const [replyTo, setReplyToState] = useState<ReplyTarget | null>(null);
  const draftText = useRef("");
  const draftReply = useRef<ReplyTarget | null>(null);
  const persist = useCallback(() => {
    if (owner) saveDraft(owner, chatId, { text: draftText.current, replyTo: draftReply.current });
  }, [owner, chatId]);
  const setReplyTo = useCallback(
    (m: ReplyTarget | null) => {
      const target = m && { id: m.id, senderName: m.senderName, text: m.text };
      draftReply.current = target;
      setReplyToState(target);
      persist();
    },
    [persist],
  );
  useEffect(() => {
    const d = owner ? loadDraft(owner, chatId) : null;
    if (!d) return;
    draftText.current = d.text;
    draftReply.current = d.replyTo;
    composer.current?.setText(d.text);
    setReplyToState(d.replyTo);
  }, [owner, chatId]);

  // --- messages on screen ------------------------------------------------------------------------
  const server = [...(messages.data?.pages ?? [])].reverse().flatMap((p): ThreadMessage[] => p.items);
  const atLatest = !messages.hasPreviousPage;
  const sending = useThreadSend({ chatId, server, atLatest, refresh, onRestore: (text) => composer.current?.setText(text) });
  const items = [...server, ...sending.pending];
  const entries = [...(messages.data?.pages ?? [])].reverse().flatMap((p): TimelineEntry[] => p.timeline);
  const rows = threadRows(items, entries);

  const scroll = useThreadScroll({
    chatId,
    anchorId,
    loaded: !!messages.data,
    firstId: rows[0]?.key,
    lastId: rows.at(-1)?.key,
    atLatest,
    pages: messages,
  });
  const floating = useFloatingDay(scroll.scroller);
  const read = useChatRead(chatId, chat.data?.unreadCount ?? 0, refresh);
  const toggleState = useChatStateKeys();
  const messageActions = useMessageActions({ chatId, refresh });
  const blocker = replyBlocker(chat.data);

  const reply = (m: ReplyTarget) => {
    setReplyTo(m);
    composer.current?.focus();
  };

  const [labelsOpen, setLabelsOpen] = useState(false);
  useImperativeHandle(ref, () => ({
    reply() {
      const last = [...server].reverse().find((m) => !m.isSender && !m.isEvent && !m.deleted);
      if (last) setReplyTo(last);
      composer.current?.focus();
    },
    toggleUnread: read.toggle,
    openLabels: () => setLabelsOpen(true),
    toggleState: (action) => toggleState(chat.data, action),
    toggleNote: () => composer.current?.toggleNote(),
  }));

  // Before the early return below: hooks run on every render.
  const presence = usePresence(chatId, chat.isSuccess);
  const saveNote = async (note: { text: string; mentionIds: string[] }) => {
    scroll.stickToBottom();
    try {
      await addNote.mutateAsync({ chatId, ...note });
      await qc.invalidateQueries({ queryKey: trpc.message.list.infiniteQueryKey({ chatId }) });
      return true;
    } catch (err) {
      toast.error(errorMessage(err));
      return false;
    }
  };

  // --- render ------------------------------------------------------------------------------------
  const failure = chat.error ?? (messages.error?.data?.code === "NOT_FOUND" && !anchorId ? messages.error : null);
  if (failure)
    return (
      <div role="alert" className="m-auto flex flex-col items-center gap-2 p-6 text-center">
        <AlertTriangle className="size-8 text-destructive" aria-hidden />
        <p className="font-medium">{failure.data?.code === "NOT_FOUND" ? "This chat does not exist" : errorMessage(failure)}</p>
        <Button asChild variant="outline" size="sm">
          <Link href="/">Back to the inbox</Link>
        </Button>
      </div>
    );

  const c = chat.data;
  return (
    <section
      className="flex min-h-0 min-w-0 flex-1 flex-col"
      aria-label={c ? `Conversation with ${c.displayName}` : "Conversation"}
    >
      <ThreadHeader chat={c} onToggleRead={read.toggle} labelsOpen={labelsOpen} onLabelsOpenChange={setLabelsOpen} others={presence.others} />

      <div className="relative min-h-0 flex-1">
        <FloatingDay label={floating.label} />
        <div
          ref={scroll.scroller}
          onScroll={() => {
            scroll.onScroll();
            floating.onScroll();
          }}
          className="relative h-full overflow-y-auto overscroll-contain py-3"
          data-testid="thread-scroll"
        >
          {messages.isPending ? (
            <ThreadSkeleton />
          ) : messages.isError ? (
            <p role="alert" className="p-6 text-center text-sm text-destructive">
              Could not load messages. {errorMessage(messages.error)}
            </p>
          ) : rows.length === 0 ? (
            <p className="p-10 text-center text-sm text-muted-foreground">No messages yet. Say hello below.</p>
          ) : (
            <MessageActionsProvider chat={c} actions={messageActions}>
              <MessageList
                rows={rows}
                chatId={chatId}
                meId={me.data?.id ?? null}
                isGroup={c ? c.type !== "single" : false}
                anchorId={anchorId}
                hasOlder={messages.hasNextPage}
                loadingOlder={messages.isFetchingNextPage}
                loadingNewer={messages.isFetchingPreviousPage}
                topSentinel={scroll.topSentinel}
                bottomSentinel={scroll.bottomSentinel}
                onReply={reply}
                onRetry={(id) => void sending.retry(id)}
              />
            </MessageActionsProvider>
          )}
        </div>
        {(!scroll.atBottom || !atLatest) && rows.length > 0 && (
          <Button
            size="sm"
            variant="secondary"
            className="absolute right-4 bottom-3 rounded-full shadow-md"
            onClick={() => {
              scroll.stickToBottom();
              if (!atLatest || anchorId) onJumpToLatest();
              else scroll.scrollToBottom();
            }}
          >
            <ArrowDown /> Jump to latest
          </Button>
        )}
      </div>

      <TypingLine others={presence.others} />
      {/* Only keys typed here signal "replying"/"writing a note" (a restored draft does not: setText fires no input event).
          The composer's own region says which mode it is in. */}
      <div
        className="contents"
        onInput={(e) => presence.typed((e.target as HTMLElement).closest('[aria-label="Team note"]') ? "note" : "replying")}
      >
      <Composer
        ref={composer}
        chatId={chatId}
        meId={me.data?.id ?? null}
        context={c && me.data ? { contactName: c.displayName, meName: me.data.name?.trim() || me.data.email.split("@")[0]!, accountName: c.account.name } : null}
        onNote={saveNote}
        limits={uploadLimits}
        disabledReason={blocker}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onTextChange={(text) => {
          draftText.current = text;
          persist();
        }}
        onSend={(d) => {
          const quote = replyTo;
          setReplyTo(null);
          scroll.stickToBottom();
          if (anchorId) onJumpToLatest();
          void sending.send(d, quote);
        }}
      />
      </div>
    </section>
  );
}

function ThreadSkeleton() {
  return (
    <div role="status" className="flex flex-col gap-3 px-4" aria-busy="true" aria-label="Loading messages">
      {[40, 65, 30, 55, 45].map((w, i) => (
        <div key={w} className={i % 2 ? "flex justify-end" : "flex"}>
          <div className="h-10 animate-pulse rounded-2xl bg-muted" style={{ width: `${w}%` }} />
        </div>
      ))}
    </div>
  );
}
