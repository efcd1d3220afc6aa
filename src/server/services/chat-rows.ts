// The chat list's rows in one statement each: a page of the list (the walks and every row's data:
// account, assignee, the other person, who wrote last, labels) or a set of chats by id. One named
// statement per shape of query (db-read.ts namedRead): on the 3M bench set a list page took 8.4 ms
// unnamed and 5.2 ms named. Prisma sent ten statements a page, each parsed and planned anew.
import type { ChatType, WorkState } from "@/generated/prisma/client.ts";
import { namedRead } from "../db-read.ts";
import type { LabelSummary } from "./label-service.ts";

export type ChatRow = {
  id: string;
  name: string | null;
  type: ChatType;
  accountId: string;
  lastMessageAt: Date | null;
  lastMessagePreview: string | null;
  unreadCount: number;
  readOnly: boolean;
  pinned: boolean;
  archived: boolean;
  muted: boolean;
  mutedUntil: Date | null;
  workState: WorkState;
  snoozedUntil: Date | null;
  snoozeUntilReply: boolean;
  wokenAt: Date | null;
  assignee: { id: string; name: string | null; email: string } | null;
  account: { provider: string; name: string; status: string; statusMessage: string | null };
  /** The other person of a 1:1 chat (its attendee, else the first member who is not us); groups: the first member. */
  other: { id: string; name: string | null; pictureUrl: string | null } | null;
  lastSender: { self: boolean; name: string | null } | null;
  labels: LabelSummary[];
};

type Flat = Omit<ChatRow, "assignee" | "account" | "other" | "lastSender"> & {
  assigneeId: string | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
  provider: string;
  accountName: string;
  accountStatus: string;
  statusMessage: string | null;
  otherId: string | null;
  otherName: string | null;
  otherPicture: string | null;
  lastSelf: boolean | null;
  lastName: string | null;
};

const utc = (column: string) => `(${column} AT TIME ZONE 'UTC') AS "${column.split(".").pop()!.replaceAll('"', "")}"`;

/** The row data of the chats `page` names (columns id, n), in n's order. */
function rowsOf(page: string): string {
  return `WITH page AS MATERIALIZED (${page})
SELECT c.id, c.name, c.type::text AS type, c."accountId", ${utc('c."lastMessageAt"')}, c."lastMessagePreview", c."unreadCount",
  c."readOnly", c.pinned, c.archived, c.muted, ${utc('c."mutedUntil"')}, c."workState"::text AS "workState", ${utc('c."snoozedUntil"')},
  c."snoozeUntilReply", ${utc('c."wokenAt"')},
  u.id AS "assigneeId", u.name AS "assigneeName", u.email AS "assigneeEmail",
  a.provider, a.name AS "accountName", a.status::text AS "accountStatus", a."statusMessage",
  o.id AS "otherId", o.name AS "otherName", o."pictureUrl" AS "otherPicture",
  ls.self AS "lastSelf", ls.name AS "lastName",
  COALESCE(lb.labels, '[]'::json) AS labels
FROM page p
JOIN "Chat" c ON c.id = p.id
JOIN "Account" a ON a.id = c."accountId"
LEFT JOIN "User" u ON u.id = c."assigneeId"
LEFT JOIN LATERAL (
  -- The chat's attendee through the (accountId, providerId) key when they are a member, else the first member who is not us.
  SELECT * FROM (
    (SELECT at.id, at.name, at."pictureUrl" FROM "Attendee" at
     WHERE at."accountId" = c."accountId" AND at."providerId" = c."attendeeProviderId" AND NOT at."isSelf"
       AND EXISTS (SELECT 1 FROM "ChatMember" cm WHERE cm."chatId" = c.id AND cm."attendeeId" = at.id))
    UNION ALL
    (SELECT at.id, at.name, at."pictureUrl" FROM "ChatMember" cm JOIN "Attendee" at ON at.id = cm."attendeeId"
     WHERE cm."chatId" = c.id AND NOT at."isSelf" ORDER BY cm."attendeeId" LIMIT 1)
  ) x LIMIT 1
) o ON true
LEFT JOIN LATERAL (
  -- The newest message (the one the preview follows); events and deleted messages name nobody.
  SELECT m."isSender" AS self, s.name FROM (
    SELECT "isSender", "senderId", deleted, "isEvent" FROM "Message" WHERE "chatId" = c.id ORDER BY "sentAt" DESC, id DESC LIMIT 1
  ) m LEFT JOIN "Attendee" s ON s.id = m."senderId"
  WHERE NOT m.deleted AND NOT m."isEvent"
) ls ON true
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY l.name) AS labels
  FROM "ChatLabel" cl JOIN "Label" l ON l.id = cl."labelId" WHERE cl."chatId" = c.id
) lb ON true
ORDER BY p.n`;
}

// Field by field: a rest pattern (`{ a, ...chat } = f`) costs ~11 µs a row here (0.5 ms of a 50-row page), this ~0.1 µs.
function toRow(f: Flat): ChatRow {
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    accountId: f.accountId,
    lastMessageAt: f.lastMessageAt,
    lastMessagePreview: f.lastMessagePreview,
    unreadCount: f.unreadCount,
    readOnly: f.readOnly,
    pinned: f.pinned,
    archived: f.archived,
    muted: f.muted,
    mutedUntil: f.mutedUntil,
    workState: f.workState,
    snoozedUntil: f.snoozedUntil,
    snoozeUntilReply: f.snoozeUntilReply,
    wokenAt: f.wokenAt,
    labels: f.labels,
    assignee: f.assigneeId && f.assigneeEmail !== null ? { id: f.assigneeId, name: f.assigneeName, email: f.assigneeEmail } : null,
    account: { provider: f.provider, name: f.accountName, status: f.accountStatus, statusMessage: f.statusMessage },
    other: f.otherId ? { id: f.otherId, name: f.otherName, pictureUrl: f.otherPicture } : null,
    lastSender: f.lastSelf === null ? null : { self: f.lastSelf, name: f.lastName },
  };
}

async function run(text: string, values: unknown[]): Promise<ChatRow[]> {
  return (await namedRead<Flat>(text, values)).map(toRow);
}

/** The rows of these chats, in this order; unknown ids are left out. */
export function chatRowsById(ids: string[]): Promise<ChatRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return run(rowsOf(`SELECT id, n FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`), [ids]);
}

export type ListFilter = {
  /** null: every account. */
  accountIds: string[] | null;
  provider?: string;
  kind?: "single" | "group";
  unreadOnly?: boolean;
  labelId?: string;
  archived: boolean;
  state?: WorkState;
  /** null: unassigned; absent: anyone's. */
  assigneeId?: string | null;
};

export type ListCursor = { pinned: boolean; lastMessageAt: Date | null; id: string };

/**
 * Up to `take` chats of the list after `cursor`: pinned chats first, then the rest; in each part the
 * chats with activity newest first along the (…, pinned, lastMessageAt DESC, id DESC) indexes, then
 * the empty ones by id (no index serves one "DESC NULLS LAST" sort). The parts are walked in that
 * order and the walk stops once `take` rows are found (UNION ALL under a LIMIT runs its branches in turn).
 */
export function chatListPage(filter: ListFilter, cursor: ListCursor | null, limit: number): Promise<ChatRow[]> {
  const take = Math.max(1, Math.trunc(limit));
  const values: unknown[] = [];
  const param = (v: unknown, cast = "") => {
    values.push(v);
    return `$${values.length}${cast}`;
  };
  const base: string[] = [`c.archived = ${filter.archived ? "true" : "false"}`];
  if (filter.accountIds) {
    base.push(filter.accountIds.length === 1 ? `c."accountId" = ${param(filter.accountIds[0])}` : `c."accountId" = ANY(${param(filter.accountIds, "::text[]")})`);
  }
  if (filter.provider) base.push(`c."accountId" IN (SELECT id FROM "Account" WHERE provider = ${param(filter.provider)})`);
  if (filter.kind === "single") base.push(`c.type = 'single'`);
  if (filter.kind === "group") base.push(`c.type IN ('group', 'channel')`);
  if (filter.unreadOnly) base.push(`c."unreadCount" > 0`);
  if (filter.labelId) base.push(`EXISTS (SELECT 1 FROM "ChatLabel" cl WHERE cl."chatId" = c.id AND cl."labelId" = ${param(filter.labelId)})`);
  if (filter.state) base.push(`c."workState" = ${param(filter.state, '::"WorkState"')}`);
  if (filter.assigneeId === null) base.push(`c."assigneeId" IS NULL`);
  else if (filter.assigneeId !== undefined) base.push(`c."assigneeId" = ${param(filter.assigneeId)}`);
  const where = base.join(" AND ");

  const branches: string[] = [];
  for (const pinned of [true, false]) {
    // A cursor in the unpinned part has left the pinned one behind.
    if (pinned && cursor && !cursor.pinned) continue;
    const within = cursor && cursor.pinned === pinned ? cursor : null;
    const part = `${where} AND ${pinned ? "" : "NOT "}c.pinned`;
    if (!within || within.lastMessageAt) {
      const after = within?.lastMessageAt
        ? ` AND (c."lastMessageAt", c.id) < (${param(within.lastMessageAt, "::timestamptz")} AT TIME ZONE 'UTC', ${param(within.id)})`
        : "";
      branches.push(`(SELECT c.id FROM "Chat" c WHERE ${part} AND c."lastMessageAt" IS NOT NULL${after} ORDER BY c."lastMessageAt" DESC, c.id DESC LIMIT ${take})`);
    }
    const afterEmpty = within && !within.lastMessageAt ? ` AND c.id < ${param(within.id)}` : "";
    branches.push(`(SELECT c.id FROM "Chat" c WHERE ${part} AND c."lastMessageAt" IS NULL${afterEmpty} ORDER BY c.id DESC LIMIT ${take})`);
  }
  const walk = `SELECT id, row_number() OVER () AS n FROM (SELECT id FROM (${branches.join("\nUNION ALL\n")}) u LIMIT ${take}) w`;
  return run(rowsOf(walk), values);
}
