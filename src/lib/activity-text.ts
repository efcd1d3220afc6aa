// Activity lines in a thread ("Ana assigned this to Ben"): one sentence per ChatActivity kind.
// Parley's own actions (a snooze waking, an inbound message reopening) read as "Parley".
import { shortDate, clockTime, sameDay } from "./format.ts";

type Person = { id: string; name: string } | null;
export type ActivityLine = { kind: string; actor: Person; subject: Person; until: Date | null; label: string | null };

function when(d: Date, now: Date) {
  return sameDay(d, now) ? clockTime(d) : `${shortDate(d, now)}, ${clockTime(d)}`;
}

export function activitySentence(a: ActivityLine, now = new Date()): string {
  const actor = a.actor?.name ?? "Parley";
  const subject = a.subject?.name ?? "Someone";
  switch (a.kind) {
    case "assigned":
      return a.subject && a.actor && a.subject.id === a.actor.id ? `${actor} took this` : `${actor} assigned this to ${subject}`;
    case "unassigned":
      return a.subject ? `${actor} unassigned ${subject}` : `${actor} unassigned this`;
    case "done":
      return `${actor} marked this done`;
    case "reopened":
      return `${actor} reopened this`;
    case "snoozed":
      return a.until ? `${actor} snoozed this until ${when(a.until, now)}` : `${actor} snoozed this until they reply`;
    case "woken":
      return `${actor} brought this back from snooze`;
    case "labelled":
      return `${actor} added the label ${a.label ?? "(deleted label)"}`;
    case "unlabelled":
      return `${actor} removed the label ${a.label ?? "(deleted label)"}`;
    default:
      return `${actor} changed this (${a.kind})`;
  }
}
