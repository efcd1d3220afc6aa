"use client";
// Times on screen. The server knows neither the user's time zone nor their locale, and "5 min ago"
// changes between the server's render and the browser's, so a time is rendered in the browser only:
// the server (and hydration) render an empty <time>, the browser fills it in right after. One shared
// clock ticks every 30 s so relative times and "Today" stay true while the page is open.
import { useSyncExternalStore } from "react";
import { clockTime, dayLabel, fullTime, listTime, stampTime, timeAgo } from "./format";

const TICK = 30_000;
const listeners = new Set<() => void>();
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, TICK);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
      now = 0;
    }
  };
}
const getSnapshot = () => (now ||= Date.now());
const getServerSnapshot = () => null;

/** The browser's clock (ms), or null while rendering on the server and hydrating. */
function useNow(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

const FORMATS = {
  /** "7:08 AM" today, "Yesterday", "Mon", "Mar 4". */
  list: (d: Date, n: Date) => listTime(d, n),
  clock: (d: Date) => clockTime(d),
  seconds: (d: Date) => clockTime(d, { seconds: true }),
  full: (d: Date) => fullTime(d),
  stamp: (d: Date) => stampTime(d),
  ago: (d: Date, n: Date) => timeAgo(d, n),
  day: (d: Date, n: Date) => dayLabel(d, n),
} satisfies Record<string, (d: Date, now: Date) => string>;
type TimeFormat = keyof typeof FORMATS;

/** A <time> in the user's zone and locale; the full date and time in its tooltip. */
export function Time({
  date,
  format,
  className,
}: {
  date: Date | string;
  format: TimeFormat;
  className?: string;
}) {
  const n = useNow();
  const d = typeof date === "string" ? new Date(date) : date;
  return (
    <time className={className} dateTime={d.toISOString()} title={n === null ? undefined : fullTime(d)}>
      {n === null ? "" : FORMATS[format](d, new Date(n))}
    </time>
  );
}

/** The text of a time for places that need a string (aria-labels, titles); "" until hydrated. */
export function useTimeText(date: Date | null | undefined, format: TimeFormat) {
  const n = useNow();
  return n === null || !date ? "" : FORMATS[format](date, new Date(n));
}
