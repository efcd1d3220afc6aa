"use client";
// The inbox screen: list (or search results) on the left, the open chat on the right; on a phone
// one pane at a time. Keyboard shortcuts live here because they span both panes.
import { MessagesSquare } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { UploadLimits } from "@/lib/upload-rules";
import { cn } from "@/lib/utils";
import { ChatList, type ListHandle } from "./chat-list";
import { ContactPanel } from "./contact-panel";
import { PaneErrorBoundary } from "./error-boundary";
import { Filters } from "./filters";
import { SearchBox, SearchResults } from "./search";
import { ShortcutsDialog } from "./shortcuts";
import { NewConversationButton, StartChatDialog } from "./start-chat-dialog";
import { Thread, type ThreadHandle } from "./thread";
import { useInboxParams } from "./use-inbox-params";
import { useInboxRealtime } from "./use-inbox-realtime";
import { useNotifier } from "@/components/notifications/use-notifier";
import { type TeamKey, workBarKeys } from "./work-bar";

function typing(target: EventTarget | null) {
  const el = target as HTMLElement | null;
  // A row's checkbox is not a text field: x, j/k and e/a/s keep working after one was clicked.
  if (el instanceof HTMLInputElement && el.type === "checkbox") return false;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function InboxView({ uploadLimits }: { uploadLimits: UploadLimits }) {
  const { params, update } = useInboxParams();
  const list = useRef<ListHandle>(null);
  const thread = useRef<ThreadHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  const [starting, setStarting] = useState(false);
  const notifier = useNotifier(params.chat);
  const live = useInboxRealtime(notifier.onEvent);
  const searching = params.q.trim().length > 0;
  // Read by the key handler without re-binding it on every navigation.
  const panelOpen = useRef(params.panel);
  const panelChat = useRef(params.chat);
  panelOpen.current = params.panel;
  panelChat.current = params.chat;

  const openChat = (chatId: string) => update({ chat: chatId, msg: null }, { push: true });
  const openHit = (chatId: string, messageId: string) => update({ chat: chatId, msg: messageId }, { push: true });

  useEffect(() => {
    // e / a / s act on the selected rows when there are some, else on the open chat (its work bar).
    const team = (key: TeamKey) => {
      if (!list.current?.bulk?.(key)) workBarKeys.dispatchEvent(new Event(key));
    };
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey || typing(e.target) || help || starting) return;
      switch (e.key) {
        case "j":
          list.current?.move(1);
          break;
        case "k":
          list.current?.move(-1);
          break;
        case "J":
        case "ArrowDown":
          if (!e.shiftKey) return;
          list.current?.move(1, true);
          break;
        case "K":
        case "ArrowUp":
          if (!e.shiftKey) return;
          list.current?.move(-1, true);
          break;
        case "x":
          list.current?.toggleSelect?.();
          break;
        case "e":
          team("done");
          break;
        case "a":
          team("assign-me");
          break;
        case "s":
          team("snooze");
          break;
        case "Escape":
          if (!list.current?.clearSelection?.()) return;
          break;
        case "Enter":
          if ((e.target as HTMLElement | null)?.closest("a,button")) return;
          list.current?.openActive();
          break;
        case "/":
          searchInput.current?.focus();
          break;
        case "u":
          thread.current?.toggleUnread();
          break;
        case "r":
          thread.current?.reply();
          break;
        case "l":
          thread.current?.openLabels();
          break;
        case "i":
          if (panelChat.current) update({ panel: panelOpen.current ? null : "contact" });
          break;
        case "p":
          thread.current?.toggleState("pin");
          break;
        case "m":
          thread.current?.toggleState("mute");
          break;
        case "y":
          thread.current?.toggleState("archive");
          break;
        case "c":
          document.getElementById("composer")?.focus();
          break;
        case "n":
          thread.current?.toggleNote();
          break;
        case "N":
          setStarting(true);
          break;
        case "?":
          setHelp(true);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [help, starting, update]);

  return (
    <main id="content" tabIndex={-1} className="flex min-h-0 flex-1 outline-none">
      {/* An open chat's name is the page's h1 (in the thread header); otherwise the page is the inbox. */}
      {!params.chat && <h1 className="sr-only">Inbox</h1>}
      <aside
        aria-label="Chat list"
        className={cn("flex min-h-0 w-full flex-col border-r md:w-96 md:shrink-0", params.chat && "hidden md:flex")}
      >
        <div className="flex items-center pr-3">
          <div className="min-w-0 flex-1">
            <SearchBox
              ref={searchInput}
              params={params}
              onEnter={() => list.current?.focus()}
              onEscape={() => {
                update({ q: null, from: null, to: null, in: null });
                searchInput.current?.blur();
              }}
            />
          </div>
          <NewConversationButton onClick={() => setStarting(true)} />
        </div>
        {searching ? (
          <PaneErrorBoundary label="search results">
            <SearchResults
              ref={list}
              params={params}
              update={update}
              onOpen={openHit}
              onLeaveTop={() => searchInput.current?.focus()}
            />
          </PaneErrorBoundary>
        ) : (
          <>
            <Filters params={params} update={update} />
            <PaneErrorBoundary label="chat list">
              <ChatList ref={list} params={params} onOpen={openChat} />
            </PaneErrorBoundary>
          </>
        )}
        <p className="flex items-center gap-1.5 border-t px-3 py-1.5 text-[11px] text-muted-foreground" aria-live="polite">
          <span
            className={cn(
              "size-2 rounded-full",
              live.status === "pending" ? "bg-emerald-500" : live.status === "error" ? "bg-destructive" : "bg-amber-400",
            )}
            aria-hidden
          />
          <span data-testid="live-status">
            {live.status === "pending" ? "Live" : live.status === "error" ? "Live updates interrupted — retrying" : "Connecting…"}
          </span>
          {/* Keyboard shortcuts mean nothing on a touch screen without a keyboard. */}
          <button
            type="button"
            className="ml-auto underline-offset-2 hover:underline pointer-coarse:hidden"
            onClick={() => setHelp(true)}
          >
            Shortcuts <kbd className="font-mono">?</kbd>
          </button>
        </p>
      </aside>
      <div className={cn("min-w-0 flex-1 flex-col", params.chat ? "flex" : "hidden md:flex")}>
        {params.chat ? (
          <PaneErrorBoundary key={params.chat} label="conversation">
            <Thread
              key={params.chat}
              ref={thread}
              chatId={params.chat}
              anchorId={params.msg}
              uploadLimits={uploadLimits}
              onJumpToLatest={() => update({ msg: null })}
            />
          </PaneErrorBoundary>
        ) : (
          <div className="m-auto flex flex-col items-center gap-2 text-center text-muted-foreground">
            <MessagesSquare className="size-10" aria-hidden />
            <p className="font-medium text-foreground">Pick a conversation</p>
            <p className="text-sm">
              Use <kbd className="rounded border px-1 font-mono text-xs">j</kbd>/
              <kbd className="rounded border px-1 font-mono text-xs">k</kbd> and{" "}
              <kbd className="rounded border px-1 font-mono text-xs">Enter</kbd>, or{" "}
              <kbd className="rounded border px-1 font-mono text-xs">/</kbd> to search.
            </p>
          </div>
        )}
      </div>
      {params.chat && params.panel && (
        <ContactPanel key={params.chat} chatId={params.chat} onClose={() => update({ panel: null })} onOpenChat={openChat} />
      )}
      <ShortcutsDialog open={help} onOpenChange={setHelp} />
      <StartChatDialog
        open={starting}
        onOpenChange={setStarting}
        uploadLimits={uploadLimits}
        onOpenChat={(chatId, replace) => update({ chat: chatId, msg: null }, { push: !replace })}
      />
    </main>
  );
}
