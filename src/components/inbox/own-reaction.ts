// Our reaction on a message as the thread shows it before the server confirms it: the same rule the
// webhook handler applies (one reaction per person on WhatsApp, Instagram and Messenger).
import type { ThreadMessage } from "./thread-types";

type Reaction = ThreadMessage["reactions"][number];

/** Providers where a person has one reaction per message (the webhook handler's rule): a new one replaces ours. */
export const ONE_REACTION_EACH = new Set(["WHATSAPP", "INSTAGRAM", "MESSENGER"]);

/** The reactions after we set `value` (or remove ours, with null). */
export function withOwnReaction(reactions: Reaction[], value: string | null, replaceOwn: boolean): Reaction[] {
  const dropMine = (r: Reaction): Reaction =>
    r.mine ? { ...r, count: r.count - 1, mine: false, by: r.by.filter((b) => b !== "You") } : r;
  let next = value === null || replaceOwn ? reactions.map(dropMine).filter((r) => r.count > 0) : reactions;
  if (value === null) return next;
  const existing = next.find((r) => r.value === value);
  if (existing?.mine) return next;
  next = existing
    ? next.map((r) => (r.value === value ? { ...r, count: r.count + 1, mine: true, by: [...r.by, "You"] } : r))
    : [...next, { value, count: 1, mine: true, by: ["You"] }];
  return next;
}

