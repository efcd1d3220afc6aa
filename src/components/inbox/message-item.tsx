"use client";
// One message in a thread. Text goes through React text nodes only (links via linkify), so a body
// like <img onerror=…> shows as the characters it is.
import { AlertCircle, Check, CheckCheck, Clock, Download, FileText, ImageOff, Reply, RotateCw } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/error-message";
import { cn } from "@/lib/utils";
import { Avatar } from "./avatar";
import { clockTime, formatBytes, fullTime, linkify } from "./format";

export type ThreadMessage = {
  id: string;
  text: string | null;
  originalText: string | null;
  edited: boolean;
  deleted: boolean;
  sentAt: Date;
  isSender: boolean;
  status: "pending" | "sent" | "delivered" | "seen" | "failed";
  statusError: string | null;
  clientTxnId: string | null;
  isEvent: boolean;
  eventType: number | null;
  senderName: string;
  senderKey: string;
  senderAvatarUrl: string | null;
  quoted: { text: string | null; senderName: string | null } | null;
  reactions: { value: string; count: number; mine: boolean; by: string[] }[];
  attachments: {
    id: string;
    kind: string;
    mimeType: string | null;
    size: number | null;
    name: string | null;
    width: number | null;
    height: number | null;
    duration: number | null;
    unavailable: boolean;
  }[];
  /** Files still on their way (optimistic rows only). */
  localFiles?: string[];
};

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

function Attachments({ m }: { m: ThreadMessage }) {
  if (m.attachments.length === 0 && !m.localFiles?.length) return null;
  return (
    <div className="mt-1 flex flex-col gap-1.5">
      {m.localFiles?.map((name) => (
        <span key={name} className="flex items-center gap-2 rounded-md bg-background/40 px-2 py-1 text-xs">
          <FileText className="size-4" aria-hidden /> {name}
        </span>
      ))}
      {m.attachments.map((a) => {
        const src = `/api/attachments/${encodeURIComponent(m.id)}/${encodeURIComponent(a.id)}`;
        const name = a.name ?? (a.kind === "img" ? "Image" : a.kind === "video" ? "Video" : a.kind === "audio" ? "Audio" : "File");
        if (a.unavailable)
          return (
            <span key={a.id} className="flex items-center gap-2 rounded-md border border-dashed px-2 py-1.5 text-xs opacity-80" data-testid="attachment-unavailable">
              <ImageOff className="size-4" aria-hidden /> {name} is no longer available
            </span>
          );
        if (a.kind === "img")
          return (
            <a key={a.id} href={src} target="_blank" rel="noopener noreferrer" className="block">
              {/* biome-ignore lint/performance/noImgElement: streamed through our auth-checked route */}
              <img
                src={src}
                alt={a.name ?? "Image"}
                loading="lazy"
                width={a.width ?? undefined}
                height={a.height ?? undefined}
                className="max-h-72 w-auto max-w-full rounded-md bg-muted object-contain"
                style={a.width && a.height ? { aspectRatio: `${a.width} / ${a.height}` } : undefined}
              />
            </a>
          );
        if (a.kind === "video")
          // biome-ignore lint/a11y/useMediaCaption: user media without captions
          return <video key={a.id} src={src} controls preload="metadata" className="max-h-72 max-w-full rounded-md" aria-label={name} />;
        if (a.kind === "audio")
          // biome-ignore lint/a11y/useMediaCaption: user media without captions
          return <audio key={a.id} src={src} controls preload="none" className="max-w-full" aria-label={name} />;
        return (
          <a
            key={a.id}
            href={src}
            download={a.name ?? undefined}
            className="flex items-center gap-2 rounded-md bg-background/40 px-2 py-1.5 text-sm underline-offset-2 hover:underline"
          >
            <Download className="size-4 shrink-0" aria-hidden />
            <span className="truncate">{name}</span>
            {a.size != null && <span className="shrink-0 text-xs opacity-70">{formatBytes(a.size)}</span>}
          </a>
        );
      })}
    </div>
  );
}

export function MessageItem({
  m,
  showSender,
  avatarColumn,
  highlighted,
  onReply,
  onRetry,
}: {
  m: ThreadMessage;
  showSender: boolean;
  /** Group chats: others' messages get a column with the sender's avatar on the first of a run. */
  avatarColumn?: boolean;
  highlighted?: boolean;
  onReply?: () => void;
  onRetry?: () => void;
}) {
  const [showOriginal, setShowOriginal] = useState(false);
  if (m.isEvent)
    return (
      <li className="my-2 flex justify-center" data-testid="message" data-message-id={m.id}>
        <span className="rounded-full bg-muted px-3 py-1 text-xs text-muted-foreground" dir="auto">
          {m.text || "System event"}
        </span>
      </li>
    );
  const mine = m.isSender;
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
            mine ? "rounded-br-md bg-primary text-primary-foreground" : "rounded-bl-md bg-muted",
            m.deleted && "bg-transparent text-muted-foreground italic shadow-none ring-1 ring-border",
            m.status === "pending" && "opacity-70",
            highlighted && "ring-2 ring-amber-400",
          )}
        >
          {m.quoted && (
            <div
              className={cn("mb-1 border-l-2 pl-2 text-xs", mine ? "border-primary-foreground/60 opacity-85" : "border-primary/60 text-muted-foreground")}
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
          ) : (
            m.text && (
              <p className="whitespace-pre-wrap break-words" dir="auto" data-testid="message-text">
                <MessageText text={m.text} />
              </p>
            )
          )}
          {!m.deleted && <Attachments m={m} />}
          {showOriginal && m.originalText !== null && (
            <p className="mt-1 border-t border-current/20 pt-1 text-xs whitespace-pre-wrap opacity-80" dir="auto" data-testid="original-text">
              <span className="font-medium">Original: </span>
              {m.originalText}
            </p>
          )}
          <div className={cn("mt-0.5 flex items-center justify-end gap-1.5 text-[11px]", mine ? "text-primary-foreground/75" : "text-muted-foreground")}>
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
            {mine && m.status !== "failed" && <Ticks m={m} />}
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
      </div>
      {m.reactions.length > 0 && (
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
      {mine && m.status === "failed" && (
        <div className="mt-0.5">
          <Ticks m={m} onRetry={onRetry} />
        </div>
      )}
    </li>
  );
}
