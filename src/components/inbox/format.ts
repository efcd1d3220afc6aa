// Small presentation helpers for the inbox: providers, avatars, links.

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

type TextPart = { type: "text"; text: string } | { type: "link"; text: string; href: string };

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
