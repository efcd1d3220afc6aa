// What sits in a thread between its messages: internal notes and activity lines (ChatActivity rows:
// assignment, done, snooze, labels…). Each message page carries the entries of its own stretch of
// time (see `timeRange` in message-service), so entries page with the messages and none is shown twice.
import type { Prisma } from "@/generated/prisma/client.ts";
import { namedRead, readDb } from "../db-read.ts";
import { personName } from "./note-service.ts";

/** A stretch of a thread's time; each bound is open (none), inclusive or exclusive. */
export type TimeRange = { from?: { at: Date; inclusive: boolean }; to?: { at: Date; inclusive: boolean } };

/** More than this many entries in one stretch (a chat of notes without messages) shows the newest. */
const ENTRY_CAP = 300;

function timeWhere(r: TimeRange): Prisma.DateTimeFilter | undefined {
  const f: Prisma.DateTimeFilter = {};
  if (r.from) f[r.from.inclusive ? "gte" : "gt"] = r.from.at;
  if (r.to) f[r.to.inclusive ? "lte" : "lt"] = r.to.at;
  return r.from || r.to ? f : undefined;
}

type Person = { id: string; name: string };

export type TimelineNote = {
  type: "note";
  id: string;
  at: Date;
  text: string;
  editedAt: Date | null;
  author: Person | null;
  mentions: Person[];
};
export type TimelineActivity = {
  type: "activity";
  id: string;
  at: Date;
  kind: string;
  /** null when Parley itself acted (a deleted user's rows read the same: SetNull). */
  actor: Person | null;
  /** The other person the activity names (details.assigneeId); null when none, "Someone" when gone. */
  subject: Person | null;
  until: Date | null;
  label: string | null;
};
export type TimelineEntry = TimelineNote | TimelineActivity;

const named = (u: { id: string; name: string | null; email: string }): Person => ({ id: u.id, name: personName(u) });

function detailsOf(details: Prisma.JsonValue): Record<string, unknown> {
  return details && typeof details === "object" && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
}

/**
 * Whether the range holds any note or activity: one named statement, where most thread pages have
 * neither and reading both through Prisma cost a millisecond of a 3 ms page.
 */
async function anyEntries(chatId: string, r: TimeRange): Promise<boolean> {
  const values: unknown[] = [chatId];
  const bounds: [string, number][] = [];
  if (r.from) bounds.push([r.from.inclusive ? ">=" : ">", values.push(r.from.at)]);
  if (r.to) bounds.push([r.to.inclusive ? "<=" : "<", values.push(r.to.at)]);
  const within = (column: string) => bounds.map(([op, n]) => ` AND ${column} ${op} ($${n}::timestamptz AT TIME ZONE 'UTC')`).join("");
  const [row] = await namedRead<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "ChatNote" WHERE "chatId" = $1 AND "deletedAt" IS NULL${within('"createdAt"')})
         OR EXISTS (SELECT 1 FROM "ChatActivity" WHERE "chatId" = $1${within('"at"')}) AS "any"`,
    values,
  );
  return row?.any === true;
}

/** The chat's notes and activities in the range, oldest first. */
export async function timelineBetween(chatId: string, range: TimeRange): Promise<TimelineEntry[]> {
  if (!(await anyEntries(chatId, range))) return [];
  const when = timeWhere(range);
  // Scalar ids rather than Prisma relations: a relation is a statement of its own even when the page
  // has no notes or activities (`IN (NULL)`), and most thread pages have none. People come in one read.
  const [notes, activities] = await Promise.all([
    readDb().chatNote.findMany({
      where: { chatId, deletedAt: null, ...(when ? { createdAt: when } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: ENTRY_CAP,
      select: { id: true, text: true, createdAt: true, editedAt: true, authorId: true },
    }),
    readDb().chatActivity.findMany({
      where: { chatId, ...(when ? { at: when } : {}) },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: ENTRY_CAP,
      select: { id: true, kind: true, details: true, at: true, actorId: true },
    }),
  ]);
  const mentions = notes.length
    ? await readDb().noteMention.findMany({
        where: { noteId: { in: notes.map((n) => n.id) } },
        orderBy: [{ noteId: "asc" }, { userId: "asc" }],
        select: { noteId: true, userId: true },
      })
    : [];

  // Authors, mentioned people, actors and the assignees named in details: one query for all of them.
  const userIds = new Set<string>();
  for (const n of notes) if (n.authorId) userIds.add(n.authorId);
  for (const m of mentions) userIds.add(m.userId);
  for (const a of activities) {
    if (a.actorId) userIds.add(a.actorId);
    const id = detailsOf(a.details).assigneeId;
    if (typeof id === "string") userIds.add(id);
  }
  const people = userIds.size
    ? new Map(
        (await readDb().user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true, email: true } })).map(
          (u) => [u.id, named(u)],
        ),
      )
    : new Map<string, Person>();
  const person = (id: string | null) => (id ? (people.get(id) ?? null) : null);
  // Labels by their name today (a renamed label reads with its new name); a deleted one by the name it had.
  const labelIds = new Set<string>();
  for (const a of activities) {
    const id = detailsOf(a.details).labelId;
    if (typeof id === "string") labelIds.add(id);
  }
  const labelNames = labelIds.size
    ? new Map((await readDb().label.findMany({ where: { id: { in: [...labelIds] } }, select: { id: true, name: true } })).map((l) => [l.id, l.name]))
    : new Map<string, string>();

  const entries: TimelineEntry[] = [
    ...notes.map(
      (n): TimelineNote => ({
        type: "note",
        id: n.id,
        at: n.createdAt,
        text: n.text,
        editedAt: n.editedAt,
        author: person(n.authorId),
        mentions: mentions.flatMap((m) => (m.noteId === n.id ? (person(m.userId) ?? []) : [])),
      }),
    ),
    ...activities.map((a): TimelineActivity => {
      const d = detailsOf(a.details);
      const until = typeof d.until === "string" || typeof d.until === "number" ? new Date(d.until) : null;
      return {
        type: "activity",
        id: a.id.toString(),
        at: a.at,
        kind: a.kind,
        actor: person(a.actorId),
        subject: typeof d.assigneeId === "string" ? (person(d.assigneeId) ?? { id: d.assigneeId, name: "Someone" }) : null,
        until: until && !Number.isNaN(until.getTime()) ? until : null,
        label: (typeof d.labelId === "string" ? labelNames.get(d.labelId) : undefined) ?? (typeof d.labelName === "string" ? d.labelName : null),
      };
    }),
  ];
  return entries.sort(
    (x, y) =>
      x.at.getTime() - y.at.getTime() ||
      (x.type === y.type ? x.id.localeCompare(y.id, "en", { numeric: true }) : x.type === "activity" ? -1 : 1),
  );
}
