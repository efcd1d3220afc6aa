"use client";
// Scrolling of the thread pane: open at the newest message (or centred on a search hit), keep the
// reader's place when older pages load above, follow new messages only when already at the bottom.
// Only the pane scrolls: scrollIntoView would also scroll the window and the app header away.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

type Pages = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  hasPreviousPage: boolean;
  isFetchingPreviousPage: boolean;
  fetchPreviousPage: () => unknown;
};

/** Puts `target` in the middle of `scroller`, moving nothing else on the page. */
function centreIn(scroller: HTMLElement, target: HTMLElement) {
  const offset = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  scroller.scrollTop = offset - (scroller.clientHeight - target.offsetHeight) / 2;
}

export function useThreadScroll({
  chatId,
  anchorId,
  loaded,
  firstId,
  lastId,
  atLatest,
  pages,
}: {
  chatId: string;
  anchorId: string | null;
  loaded: boolean;
  firstId: string | undefined;
  lastId: string | undefined;
  atLatest: boolean;
  pages: Pages;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLLIElement>(null);
  const bottomSentinel = useRef<HTMLLIElement>(null);
  const restore = useRef<{ height: number; top: number } | null>(null);
  const initialised = useRef<string | null>(null);
  const atBottomRef = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: firstId/lastId are the triggers (rows added at either end)
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !loaded) return;
    const key = `${chatId}:${anchorId ?? ""}`;
    if (initialised.current !== key) {
      initialised.current = key;
      const target = anchorId ? el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(anchorId)}"]`) : null;
      if (target) centreIn(el, target);
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
  }, [firstId, lastId, chatId, anchorId, loaded, atLatest, scrollToBottom]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage, hasPreviousPage, isFetchingPreviousPage, fetchPreviousPage } = pages;
  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting || !initialised.current) continue;
          if (e.target === topSentinel.current && hasNextPage && !isFetchingNextPage) {
            restore.current = { height: root.scrollHeight, top: root.scrollTop };
            void fetchNextPage();
          }
          if (e.target === bottomSentinel.current && hasPreviousPage && !isFetchingPreviousPage) void fetchPreviousPage();
        }
      },
      { root, rootMargin: "300px 0px" },
    );
    if (topSentinel.current) io.observe(topSentinel.current);
    if (bottomSentinel.current) io.observe(bottomSentinel.current);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, hasPreviousPage, isFetchingPreviousPage, fetchPreviousPage]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    atBottomRef.current = bottom;
    setAtBottom(bottom);
  }, []);

  /** The next render should end at the newest message (after our own send or "Jump to latest"). */
  const stickToBottom = useCallback(() => {
    atBottomRef.current = true;
  }, []);

  return { scroller, topSentinel, bottomSentinel, atBottom, onScroll, scrollToBottom, stickToBottom };
}
