// Our reaction on a message as the thread shows it before the server confirms it: like the server
// (services/message-actions.ts), we keep one reaction of ours per message, a new one replaces it.
import type { ThreadMessage } from "./thread-types";

type Reaction = ThreadMessage["reactions"][number];

/** The reactions after we set `value` (or remove ours, with null). */
export function withOwnReaction(reactions: Reaction[], value: string | null): Reaction[] {
  const dropMine = (r: Reaction): Reaction =>
    r.mine ? { ...r, count: r.count - 1, mine: false, by: r.by.filter((b) => b !== "You") } : r;
  let next = reactions.map(dropMine).filter((r) => r.count > 0);
  if (value === null) return next;
  const existing = next.find((r) => r.value === value);
  if (existing?.mine) return next;
  next = existing
    ? next.map((r) => (r.value === value ? { ...r, count: r.count + 1, mine: true, by: [...r.by, "You"] } : r))
    : [...next, { value, count: 1, mine: true, by: ["You"] }];
  return next;
}
