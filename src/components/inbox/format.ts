// Small presentation helpers for the inbox: times, providers, avatars, links.

// Brand colours, darkened where white text needs 4.5:1 (Telegram, Messenger, Instagram).
const PROVIDERS: Record<string, { label: string; short: string; className: string }> = {
  LINKEDIN: { label: "LinkedIn", short: "in", className: "bg-[#0a66c2] text-white" },
  WHATSAPP: { label: "WhatsApp", short: "WA", className: "bg-[#25d366] text-black" },
  INSTAGRAM: { label: "Instagram", short: "IG", className: "bg-gradient-to-br from-[#c13584] to-[#833ab4] text-white" },
  MESSENGER: { label: "Messenger", short: "M", className: "bg-[#0866ff] text-white" },
  TELEGRAM: { label: "Telegram", short: "TG", className: "bg-[#1a75a8] text-white" },
  TWITTER: { label: "X", short: "X", className: "bg-black text-white dark:bg-white dark:text-black" },
  SLACK: { label: "Slack", short: "S", className: "bg-[#4a154b] text-white" },
};

export function providerInfo(provider: string) {
  return (
    PROVIDERS[provider.toUpperCase()] ?? {
      label: provider.charAt(0) + provider.slice(1).toLowerCase(),
      short: provider.slice(0, 2).toUpperCase(),
      className: "bg-muted text-foreground",
    }
  );
}

export function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts.at(-1)!] : parts.slice(0, 1);
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? "").join("") || "?";
}

/** A stable hue per name, so a person keeps their colour across the app. */
export function avatarHue(key: string) {
  let h = 0;
  for (const ch of key) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h;
}

const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const dateFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const yearFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

/** List times: "now", "5m", "14:02" today, "Mon" this week, "Mar 4", "Mar 4, 2023". */
export function relativeTime(d: Date, now = new Date()) {
  const diff = now.getTime() - d.getTime();
  if (diff < 60_000) return "now";
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)}m`;
  if (sameDay(d, now)) return timeFmt.format(d);
  if (diff < 6 * 86_400_000) return dayFmt.format(d);
  if (d.getFullYear() === now.getFullYear()) return dateFmt.format(d);
  return yearFmt.format(d);
}

export const clockTime = (d: Date) => timeFmt.format(d);
export const fullTime = (d: Date) => fullFmt.format(d);

export function sameDay(a: Date, b: Date) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function dayLabel(d: Date, now = new Date()) {
  if (sameDay(d, now)) return "Today";
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (sameDay(d, y)) return "Yesterday";
  return d.getFullYear() === now.getFullYear()
    ? new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" }).format(d)
    : new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(d);
}

export type TextPart = { type: "text"; text: string } | { type: "link"; text: string; href: string };

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;

/** Splits message text into plain text and http(s) links; anything else (javascript:, data:) stays text. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    // Trailing punctuation belongs to the sentence, not the link.
    const trail = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? "";
    if (trail && !(trail.startsWith(")") && url.includes("("))) url = url.slice(0, url.length - trail.length);
    const start = m.index;
    if (start > last) parts.push({ type: "text", text: text.slice(last, start) });
    const href = url.toLowerCase().startsWith("www.") ? `https://${url}` : url;
    parts.push({ type: "link", text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ type: "text", text: text.slice(last) });
  return parts;
}

export function formatBytes(n: number | null | undefined) {
  if (n == null) return "";
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
