// The one place that turns times, durations and sizes into words. Times use the runtime's locale and
// time zone, so in the browser they are the user's own; components show them through <Time>
// (src/lib/time.tsx), which renders them only in the browser so the server's zone never leaks in.

type Fmt = Intl.DateTimeFormatOptions;
const cache = new Map<string, Intl.DateTimeFormat>();
/** Formatters are built on first use, in the runtime that uses them (never at import on the server). */
function fmt(options: Fmt) {
  const key = JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    cache.set(key, f);
  }
  return f;
}

const CLOCK: Fmt = { hour: "numeric", minute: "2-digit" };
const DAY = 86_400_000;

export function sameDay(a: Date, b: Date) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function yesterdayOf(now: Date) {
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  return y;
}

/** A time of day: "7:08 AM" (or "07:08" where the locale says so); with seconds for logs. */
export function clockTime(d: Date, opts: { seconds?: boolean } = {}) {
  return fmt(opts.seconds ? { ...CLOCK, second: "2-digit" } : CLOCK).format(d);
}

/** Everything, for tooltips: "Tuesday, 1 December 2026 at 7:08 AM". */
export function fullTime(d: Date) {
  return fmt({ dateStyle: "full", timeStyle: "short" }).format(d);
}

/** Date and time to the second, for logs: "Mar 4, 2025, 7:08:25 AM". */
export function stampTime(d: Date) {
  return fmt({ dateStyle: "medium", timeStyle: "medium" }).format(d);
}

/** A date without the time: "Mar 4", with the year when it is not this year's. */
export function shortDate(d: Date, now = new Date()) {
  return d.getFullYear() === now.getFullYear()
    ? fmt({ month: "short", day: "numeric" }).format(d)
    : fmt({ year: "numeric", month: "short", day: "numeric" }).format(d);
}

/**
 * When something happened, as chat lists show it: the clock time today (the same words the thread
 * and the logs use, so a time never changes shape as it ages), then "Yesterday", the weekday within
 * a week, then the date.
 */
export function listTime(d: Date, now = new Date()) {
  if (sameDay(d, now)) return clockTime(d);
  if (sameDay(d, yesterdayOf(now))) return "Yesterday";
  if (now.getTime() - d.getTime() < 6 * DAY && d < now) return fmt({ weekday: "short" }).format(d);
  return shortDate(d, now);
}

/** The label of a day in a thread: "Today", "Yesterday", "Monday, March 4", "March 4, 2023". */
export function dayLabel(d: Date, now = new Date()) {
  if (sameDay(d, now)) return "Today";
  if (sameDay(d, yesterdayOf(now))) return "Yesterday";
  return d.getFullYear() === now.getFullYear()
    ? fmt({ weekday: "long", month: "long", day: "numeric" }).format(d)
    : fmt({ dateStyle: "long" }).format(d);
}

/** How long ago, for sync state: "just now", "5 min ago", "3 h ago", then the date; "never" for none. */
export function timeAgo(d: Date | null | undefined, now = new Date()) {
  if (!d) return "never";
  const ms = now.getTime() - d.getTime();
  if (ms < 45_000) return "just now";
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return shortDate(d, now);
}

/** A run's length: "850 ms", "4.2 s", "3 min 5 s". */
export function formatDuration(ms: number) {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** A file size: "512 B", "14 KB", "2.5 MB", "25 MB" (whole megabytes without a decimal). */
export function formatBytes(n: number | null | undefined) {
  if (n == null) return "";
  const mb = 1024 * 1024;
  if (n >= mb) return `${(n / mb).toFixed(n % mb === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
