"use client";
// One message in a thread. Text goes through React text nodes only (links via linkify), so a body
// like <img onerror=…> shows as the characters it is. Its actions (react, edit, delete, forward) are
// in message-actions.tsx: a menu beside the bubble, also opened by a long press or right click on it.
import { AlertCircle, Check, CheckCheck, Clock, Reply, RotateCw } from "lucide-react";
import { type MouseEvent, type PointerEvent, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";
import { cn } from "@/lib/utils";
import { Avatar } from "./avatar";
import { clockTime, fullTime } from "@/lib/format";
import { linkify } from "./format";
import { InlineEditor, MessageActionMenu, useMessageActionsContext } from "./message-actions";
import { Attachments } from "./message-attachments";
import { systemEventText } from "./system-event";
import type { ThreadMessage } from "./thread-types";

export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((p, i) =>
        p.type === "link" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional parts
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer nofollow" className="underline underline-offset-2 break-all">
            {p.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional parts
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

function Ticks({ m, onRetry }: { m: ThreadMessage; onRetry?: () => void }) {
  if (m.status === "failed")
    return (
      <span className="flex flex-wrap items-center justify-end gap-1.5 text-xs text-destructive" role="status">
        <AlertCircle className="size-3.5" aria-hidden />
        <span data-testid="message-status">Failed</span>
        {m.statusError && <span className="max-w-64 text-muted-foreground">{errorMessage(m.statusError, "Unipile refused the message.")}</span>}
        {onRetry && (
          <Button size="sm" variant="outline" className="h-6 px-2 text-xs" onClick={onRetry}>
            <RotateCw aria-hidden /> Retry
          </Button>
        )}
      </span>
    );
  const label = { pending: "Sending", sent: "Sent", delivered: "Delivered", seen: "Seen" }[m.status];
  const Icon = m.status === "pending" ? Clock : m.status === "sent" ? Check : CheckCheck;
  return (
    <span className="inline-flex items-center" title={label}>
      <Icon className={cn("size-3.5", m.status === "seen" ? "text-sky-500" : "opacity-70")} aria-hidden />
      <span className="sr-only" data-testid="message-status">
        {label}
      </span>
    </span>
  );
}

export function MessageItem({
  m,
  showSender,
  avatarColumn,
  highlighted,
  onReply,
  onRetry,
  onOpenImage,
}: {
  m: ThreadMessage;
  showSender: boolean;
  /** Group chats: others' messages get a column with the sender's avatar on the first of a run. */
  avatarColumn?: boolean;
  highlighted?: boolean;
  onReply?: () => void;
  onRetry?: () => void;
  onOpenImage?: (src: string) => void;
}) {
  const [showOriginal, setShowOriginal] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const press = useRef<number | undefined>(undefined);
  const actions = useMessageActionsContext();
  if (m.isEvent)
    return (
      <li className="my-2 flex justify-center" data-testid="message" data-message-id={m.id}>
        <span className="rounded-full bg-muted px-3 py-1 text-xs text-muted-foreground" dir="auto" data-testid="system-event">
          {systemEventText(m)}
        </span>
      </li>
    );
  const mine = m.isSender;
  const failed = m.status === "failed";
  const onPrimary = mine && !failed && !m.deleted;
  const editing = actions?.editingId === m.id && !m.deleted;
  const endPress = () => window.clearTimeout(press.current);
  // A long press on a touch screen (or a right click) opens the action menu, as phones' chat apps do.
  const pressHandlers = actions
    ? {
        onPointerDown: (e: PointerEvent) => {
          if (e.pointerType !== "touch") return;
          endPress();
          press.current = window.setTimeout(() => setMenuOpen(true), 500);
        },
        onPointerUp: endPress,
        onPointerCancel: endPress,
        onPointerMove: endPress,
        onContextMenu: (e: MouseEvent) => {
          if (m.deleted || editing || (e.target as HTMLElement).closest("a")) return;
          e.preventDefault();
          setMenuOpen(true);
        },
      }
    : {};
  return (
    <li
      className={cn("group flex flex-col px-4 py-0.5", mine ? "items-end" : "items-start", showSender && "mt-2")}
      data-testid="message"
      data-message-id={m.id}
      data-client-txn={m.clientTxnId ?? undefined}
    >
      {showSender && !mine && (
        <span className={cn("mb-0.5 px-1 text-xs font-medium text-muted-foreground", avatarColumn && "ml-9")} dir="auto">
          {m.senderName}
        </span>
      )}
      <div className={cn("flex max-w-[85%] items-end gap-1 md:max-w-[70%]", mine && "flex-row-reverse")}>
        {avatarColumn && !mine && (
          <span className="mr-1 w-8 shrink-0 self-start">
            {showSender && <Avatar name={m.senderName} src={m.senderAvatarUrl} className="size-8" />}
          </span>
        )}
        <div
          className={cn(
            "min-w-0 rounded-2xl px-3 py-1.5 text-sm shadow-xs transition-colors",
            mine ? "rounded-br-md" : "rounded-bl-md bg-muted",
            // A failed send must not look sent: no primary blue, a red outline instead.
            mine && (failed ? "bg-destructive/10 text-foreground ring-1 ring-destructive/60" : "bg-primary text-primary-foreground"),
            m.deleted && "bg-transparent text-muted-foreground italic shadow-none ring-1 ring-border",
            m.status === "pending" && "opacity-70",
            highlighted && "ring-2 ring-amber-400",
            editing && "bg-muted text-foreground",
          )}
          data-testid="bubble"
          {...pressHandlers}
        >
          {m.quoted && (
            <div
              className={cn("mb-1 border-l-2 pl-2 text-xs", onPrimary ? "border-primary-foreground/60 opacity-85" : "border-primary/60 text-muted-foreground")}
              data-testid="quoted"
            >
              {m.quoted.senderName && <div className="font-medium">{m.quoted.senderName}</div>}
              <div className="line-clamp-2 whitespace-pre-wrap break-words" dir="auto">
                {m.quoted.text ?? "Attachment"}
              </div>
            </div>
          )}
          {m.deleted ? (
            <span data-testid="message-deleted">This message was deleted</span>
          ) : editing && actions ? (
            <InlineEditor
              m={m}
              onCancel={() => actions.setEditingId(null)}
              onSave={(text) => {
                actions.setEditingId(null);
                actions.actions.edit(m, text);
              }}
            />
          ) : (
            m.text && (
              <p className="whitespace-pre-wrap break-words" dir="auto" data-testid="message-text">
                <MessageText text={m.text} />
              </p>
            )
          )}
          {!m.deleted && <Attachments m={m} onOpenImage={onOpenImage} />}
          {showOriginal && m.originalText !== null && (
            <p className="mt-1 border-t border-current/20 pt-1 text-xs whitespace-pre-wrap opacity-80" dir="auto" data-testid="original-text">
              <span className="font-medium">Original: </span>
              {m.originalText}
            </p>
          )}
          <div className={cn("mt-0.5 flex items-center justify-end gap-1.5 text-[11px]", onPrimary ? "text-primary-foreground/75" : "text-muted-foreground")}>
            {m.edited && !m.deleted && (
              <button
                type="button"
                className="underline-offset-2 hover:underline disabled:no-underline"
                disabled={m.originalText === null}
                onClick={() => setShowOriginal((v) => !v)}
                aria-expanded={showOriginal}
                title={m.originalText === null ? undefined : "Show the original text"}
              >
                edited
              </button>
            )}
            <time dateTime={m.sentAt.toISOString()} title={fullTime(m.sentAt)} suppressHydrationWarning>
              {clockTime(m.sentAt)}
            </time>
            {mine && !failed && <Ticks m={m} />}
          </div>
        </div>
        {onReply && !m.deleted && m.status !== "pending" && m.status !== "failed" && (
          <button
            type="button"
            onClick={onReply}
            aria-label={`Reply to ${m.senderName}`}
            className="mb-1 rounded-full p-1 text-muted-foreground opacity-0 group-hover:opacity-100 hover:bg-accent focus-visible:opacity-100"
          >
            <Reply className="size-4" />
          </button>
        )}
        {!editing && <MessageActionMenu m={m} open={menuOpen} onOpenChange={setMenuOpen} align={mine ? "end" : "start"} />}
      </div>
      {m.reactions.length > 0 && !m.deleted && (
        <ul className={cn("-mt-1 flex gap-1", mine ? "mr-2" : "ml-2")} aria-label="Reactions">
          {m.reactions.map((r) => (
            <li
              key={r.value}
              title={r.by.join(", ")}
              className={cn("rounded-full border bg-background px-1.5 text-xs shadow-xs", r.mine && "border-primary")}
              data-testid="reaction"
            >
              {r.value}
              {r.count > 1 && <span className="ml-0.5 text-muted-foreground">{r.count}</span>}
            </li>
          ))}
        </ul>
      )}
      {mine && failed && (
        <div className="mt-0.5">
          <Ticks m={m} onRetry={onRetry} />
        </div>
      )}
    </li>
  );
}
