"use client";
// The thread's messages, notes and activity lines in reading order (timeline.ts). Each day starts with
// its label in the flow (never sticky, so labels cannot pile up or cover text); while scrolling, a
// floating label names the day at the top.
import { Loader2 } from "lucide-react";
import { Fragment, type RefObject, useCallback, useRef, useState } from "react";
import { dayLabel, sameDay } from "@/lib/format";
import { ImageViewer, type ViewerImage } from "./image-viewer";
import { attachmentName, attachmentSrc } from "./message-attachments";
import { MessageItem } from "./message-item";
import type { ThreadRow } from "./timeline";
import { TimelineItem } from "./timeline-items";
import type { ThreadMessage } from "./thread-types";

const pill = "rounded-full border bg-background/95 px-3 py-0.5 text-xs font-medium text-muted-foreground shadow-xs";

/** The floating day label: shown while the reader scrolls and the day's own label is above the pane. */
export function useFloatingDay(scroller: RefObject<HTMLDivElement | null>) {
  const [label, setLabel] = useState<string | null>(null);
  const idle = useRef<number | undefined>(undefined);
  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    el.dataset.scrolling = "yes";
    window.clearTimeout(idle.current);
    idle.current = window.setTimeout(() => {
      setLabel(null);
      requestAnimationFrame(() => delete el.dataset.scrolling);
    }, 900);
    const top = el.getBoundingClientRect().top;
    let current: string | null = null;
    for (const sep of el.querySelectorAll<HTMLElement>("[data-day]")) {
      const r = sep.getBoundingClientRect();
      if (r.top >= top + 40) break; // this day's label is in view (or about to be): no floating copy
      current = r.bottom <= top ? (sep.dataset.day ?? null) : null;
    }
    setLabel(current);
  }, [scroller]);
  return { label, onScroll };
}

export function FloatingDay({ label }: { label: string | null }) {
  if (!label) return null;
  return (
    <div className="pointer-events-none absolute inset-x-0 top-2 z-10 flex justify-center" aria-hidden>
      <span className={pill} data-testid="day-label" suppressHydrationWarning>
        {label}
      </span>
    </div>
  );
}

function galleryOf(items: ThreadMessage[]): ViewerImage[] {
  return items.flatMap((m) =>
    m.deleted ? [] : m.attachments.filter((a) => a.kind === "img" && !a.unavailable).map((a) => ({ src: attachmentSrc(m.id, a.id), name: attachmentName(a) })),
  );
}

export function MessageList({
  rows,
  chatId,
  meId,
  isGroup,
  anchorId,
  hasOlder,
  loadingOlder,
  loadingNewer,
  topSentinel,
  bottomSentinel,
  onReply,
  onRetry,
}: {
  rows: ThreadRow[];
  chatId: string;
  meId: string | null;
  isGroup: boolean;
  anchorId: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  topSentinel: RefObject<HTMLLIElement | null>;
  bottomSentinel: RefObject<HTMLLIElement | null>;
  onReply: (m: ThreadMessage) => void;
  onRetry: (messageId: string) => void;
}) {
  const [viewing, setViewing] = useState<number | null>(null);
  const gallery = galleryOf(rows.flatMap((r) => (r.kind === "message" ? [r.m] : [])));
  return (
    <>
      <ol aria-label="Messages" className="flex flex-col">
        <li ref={topSentinel} aria-hidden className="h-px" />
        {loadingOlder && (
          <li className="flex justify-center py-2" aria-label="Loading older messages">
            <Loader2 className="size-4 animate-spin text-muted-foreground" />
          </li>
        )}
        {!hasOlder && <li className="py-3 text-center text-xs text-muted-foreground">Beginning of the conversation</li>}
        {rows.map((row, i) => {
          const prev = rows[i - 1];
          const newDay = !prev || !sameDay(prev.at, row.at);
          const dayLi = newDay && (
            <li className="my-2 flex justify-center" data-day={dayLabel(row.at)}>
              <span className={pill} data-testid="day-label" suppressHydrationWarning>
                {dayLabel(row.at)}
              </span>
            </li>
          );
          if (row.kind === "entry")
            return (
              <Fragment key={row.key}>
                {dayLi}
                <TimelineItem e={row.e} chatId={chatId} meId={meId} />
              </Fragment>
            );
          const m = row.m;
          // A note or activity line between two messages restarts the sender's run, like a new day.
          const pm = prev?.kind === "message" ? prev.m : undefined;
          const showSender = isGroup && !m.isSender && (newDay || !pm || pm.senderKey !== m.senderKey || pm.isEvent);
          const local = m.id.startsWith("local-");
          return (
            <Fragment key={row.key}>
              {dayLi}
              <MessageItem
                m={m}
                showSender={showSender}
                avatarColumn={isGroup}
                highlighted={m.id === anchorId}
                onReply={local ? undefined : () => onReply(m)}
                onRetry={m.status === "failed" && !local ? () => onRetry(m.id) : undefined}
                onOpenImage={(src) => setViewing(Math.max(0, gallery.findIndex((g) => g.src === src)))}
              />
            </Fragment>
          );
        })}
        {loadingNewer && (
          <li className="flex justify-center py-2">
            <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label="Loading newer messages" />
          </li>
        )}
        <li ref={bottomSentinel} aria-hidden className="h-px" />
      </ol>
      <ImageViewer images={gallery} index={viewing} onIndex={setViewing} onClose={() => setViewing(null)} />
    </>
  );
}
