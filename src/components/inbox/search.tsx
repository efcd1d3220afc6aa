"use client";
// The search box: a short input delay, the query kept in the URL without a server round trip
// (history.replaceState, which Next's router follows), and suggestions while an operator is typed
// (from: lists people, in: chats, app:/account: yours, has:/is: their values).
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { type Ref, useEffect, useRef, useState } from "react";
import { applySuggestion, FIXED_VALUES, fold, type OperatorAtCaret, operatorAt } from "@/lib/search-query";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { searchAllOptions, searchRequest } from "./search-results";
import type { InboxParams } from "./use-inbox-params";

export { SearchResults } from "./search-results";

/**
 * Short: keystrokes come ~100 ms apart, so this only groups a burst (a paste, key repeat); a query
 * that a newer one supersedes is cancelled. Results show ~100 ms after the last keystroke on the demo.
 */
const INPUT_DELAY_MS = 30;
const SUGGESTED = new Set(["from", "in", "app", "account", "has", "is"]);

/** Sets ?q= in place: a router navigation would re-render the server page on every keystroke. */
function setQueryInUrl(q: string) {
  const next = new URLSearchParams(window.location.search);
  if (q.trim()) next.set("q", q);
  else next.delete("q");
  const qs = next.toString();
  // null state: Next keeps its own and follows the new URL (its internal state would be taken as its own call).
  window.history.replaceState(null, "", `${window.location.pathname}${qs ? `?${qs}` : ""}`);
}

function useSuggestions(at: OperatorAtCaret | null) {
  const trpc = useTRPC();
  const key = at && SUGGESTED.has(at.key) ? (at.key as "from" | "in" | "app" | "account" | "has" | "is") : null;
  const fixed = key ? FIXED_VALUES[key] : undefined;
  const remote = useQuery(
    trpc.search.suggest.queryOptions(
      { key: key ?? "from", prefix: at?.value ?? "" },
      { enabled: !!key && !fixed, staleTime: 30_000, placeholderData: keepPreviousData, trpc: { abortOnUnmount: true } },
    ),
  );
  if (!key || !at) return [];
  if (fixed)
    return fixed.filter((v) => v.startsWith(fold(at.value))).map((v) => ({ value: v, label: v, detail: null as string | null }));
  return remote.data ?? [];
}

export function SearchBox({
  params,
  onEnter,
  onEscape,
  ref,
}: {
  params: InboxParams;
  onEnter: () => void;
  onEscape: () => void;
  ref?: Ref<HTMLInputElement>;
}) {
  const [value, setValue] = useState(params.q);
  const [caret, setCaret] = useState<number | null>(null);
  const [activeSuggestion, setActiveSuggestion] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const input = useRef<HTMLInputElement | null>(null);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Follow the URL when it changes from elsewhere (back button, clearing), not our own echo.
  const sent = useRef(params.q);
  useEffect(() => {
    if (params.q !== sent.current) setValue(params.q);
    sent.current = params.q;
  }, [params.q]);

  const at = caret !== null && !dismissed ? operatorAt(value, caret) : null;
  const suggestions = useSuggestions(at);
  const open = suggestions.length > 0;
  const activeIndex = Math.min(activeSuggestion, suggestions.length - 1);

  function commit(v: string) {
    if (timer.current) clearTimeout(timer.current);
    sent.current = v.trim() ? v : "";
    // The request leaves now; the pane, rendered after the URL change, finds it under way.
    const next = searchRequest({ ...params, q: v });
    if (next.enabled) void queryClient.prefetchQuery(searchAllOptions(trpc, next.input));
    setQueryInUrl(v);
  }
  function change(v: string, nextCaret: number | null) {
    setValue(v);
    setCaret(nextCaret);
    setActiveSuggestion(0);
    setDismissed(false);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => commit(v), INPUT_DELAY_MS);
  }
  function pick(i: number) {
    const s = suggestions[i];
    if (!s || !at) return;
    const next = applySuggestion(value, at, s.value);
    change(next.text, next.caret);
    requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
  }

  return (
    <div className="relative px-3 pt-3 pb-2">
      <Search
        className="pointer-events-none absolute top-1/2 left-5.5 mt-0.5 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      <input
        ref={(el) => {
          input.current = el;
          if (typeof ref === "function") ref(el);
          else if (ref) (ref as { current: HTMLInputElement | null }).current = el;
        }}
        type="search"
        role="combobox"
        aria-label="Search messages, people, chats and files"
        aria-expanded={open}
        aria-controls="search-suggestions"
        aria-autocomplete="list"
        aria-activedescendant={open ? `search-suggestion-${activeIndex}` : undefined}
        placeholder="Search  ( / )   from: in: has: is: …"
        value={value}
        onChange={(e) => change(e.target.value, e.target.selectionStart)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onBlur={() => setCaret(null)}
        onKeyDown={(e) => {
          if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
            e.preventDefault();
            const n = suggestions.length;
            setActiveSuggestion((activeIndex + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
          } else if (open && (e.key === "Enter" || e.key === "Tab")) {
            e.preventDefault();
            pick(activeIndex);
          } else if (open && e.key === "Escape") {
            e.preventDefault();
            setDismissed(true);
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (value.trim() !== params.q.trim()) commit(value);
            else onEnter();
          } else if (e.key === "Escape") {
            change("", 0);
            commit("");
            onEscape();
          } else if (e.key === "ArrowDown") {
            e.preventDefault();
            if (value.trim() !== params.q.trim()) commit(value);
            onEnter();
          }
        }}
        className="h-9 w-full rounded-md border border-input bg-background pr-8 pl-8 text-sm placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-search-cancel-button]:hidden"
      />
      {value && (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            change("", 0);
            commit("");
            onEscape();
          }}
          className="absolute top-1/2 right-4.5 mt-0.5 -translate-y-1/2 rounded p-1 text-muted-foreground hover:text-foreground"
        >
          <X className="size-4" />
        </button>
      )}
      {open && (
        <div
          id="search-suggestions"
          role="listbox"
          aria-label={`Values for ${at?.key}:`}
          className="absolute top-full right-3 left-3 z-30 -mt-1 max-h-72 overflow-y-auto rounded-md border bg-popover py-1 text-popover-foreground shadow-md"
        >
          {suggestions.map((s, i) => (
            <div
              key={`${s.value}-${s.detail ?? ""}`}
              id={`search-suggestion-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === activeIndex}
              data-testid="search-suggestion"
              // mousedown, not click: the box must not lose focus (and the caret) first
              onMouseDown={(e) => {
                e.preventDefault();
                pick(i);
              }}
              className={cn(
                "flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm",
                i === activeIndex && "bg-accent text-accent-foreground",
              )}
            >
              <span className="truncate" dir="auto">
                <span className="text-muted-foreground">{at?.key}:</span>
                {s.label}
              </span>
              {s.detail && <span className="ml-auto shrink-0 text-xs text-muted-foreground">{s.detail}</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
