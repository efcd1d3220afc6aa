"use client";
// Who else has this chat open (their avatars, in the thread header) and who of them is typing.
import { Avatar } from "@/components/inbox/avatar";
import type { Teammate } from "./use-presence";

export function PresenceAvatars({ others }: { others: Teammate[] }) {
  if (others.length === 0) return null;
  const names = others.map((t) => t.name).join(", ");
  return (
    <div className="flex shrink-0 -space-x-2" data-testid="presence-avatars" title={`Also here: ${names}`}>
      <span className="sr-only">Also viewing: {names}</span>
      {others.slice(0, 3).map((t) => (
        <Avatar key={t.userId} name={t.name} className="size-7 ring-2 ring-background" />
      ))}
      {others.length > 3 && <span className="flex size-7 items-center justify-center rounded-full bg-muted text-xs ring-2 ring-background">+{others.length - 3}</span>}
    </div>
  );
}

/** "Ana is replying…" above the composer; an empty live region otherwise, so screen readers hear it. */
export function TypingLine({ others }: { others: Teammate[] }) {
  const typing = others.filter((t) => t.typing);
  const text = typing.map((t) => `${t.name} is ${t.typing === "note" ? "writing a note" : "replying"}…`).join(" ");
  return (
    <p aria-live="polite" className="min-h-0 shrink-0 px-4 text-xs text-amber-700 empty:hidden dark:text-amber-400" data-testid="presence-typing">
      {text}
    </p>
  );
}
