// A thread page's messages in one statement: the walk along the (chatId, sentAt, id) index and each
// message's sender, reactions (with who reacted), attachments and the quoted message's author. Named
// per shape (latest, older, newer, around a message), so each connection plans it once; through Prisma
// the same page was five statements, each planned anew.
import type { MessageStatus } from "@/generated/prisma/client.ts";
import { namedRead } from "../db-read.ts";

export type MessageCursor = { sentAt: Date; id: string };

export type MessageRow = {
  id: string;
  /** Place in the page: ascending is reading order (a window: negative before the anchor, 0 the anchor). */
  n: number;
  text: string | null;
  sentAt: Date;
  isSender: boolean;
  status: MessageStatus;
  statusError: string | null;
  clientTxnId: string | null;
  edited: boolean;
  originalText: string | null;
  deleted: boolean;
  quotedUnipileId: string | null;
  quotedProviderId: string | null;
  quotedText: string | null;
  quotedSenderId: string | null;
  /** Who wrote the quoted message, as this account knows them ("You" for ourselves). */
  quotedSenderName: string | null;
  isEvent: boolean;
  eventType: number | null;
  seenBy: unknown;
  senderProviderId: string | null;
  sender: { id: string; name: string | null; isSelf: boolean; pictureUrl: string | null } | null;
  reactions: { value: string; isSender: boolean; senderProviderId: string; senderName: string | null }[];
  attachments: {
    id: string;
    kind: string;
    mimeType: string | null;
    size: number | null;
    name: string | null;
    width: number | null;
    height: number | null;
    duration: number | null;
    unavailable: boolean;
  }[];
};

type Flat = Omit<MessageRow, "sender" | "n"> & {
  n: string;
  senderId: string | null;
  senderName: string | null;
  senderIsSelf: boolean | null;
  senderPicture: string | null;
};

// Who wrote the quoted message: the account's person with that provider id, else with that Unipile id.
const QUOTED_NAME = `CASE WHEN m."quotedSenderId" IS NOT NULL THEN (
    SELECT CASE WHEN q."isSelf" THEN 'You' ELSE COALESCE(q.name, q."providerId") END FROM (
      (SELECT "isSelf", name, "providerId" FROM "Attendee" WHERE "accountId" = $2 AND "providerId" = m."quotedSenderId")
      UNION ALL
      (SELECT "isSelf", name, "providerId" FROM "Attendee" WHERE "unipileId" = m."quotedSenderId" AND "accountId" = $2 LIMIT 1)
    ) q LIMIT 1) END`;

/** $1 is the chat, $2 its account; `page` names the messages (columns id, n). */
function rowsOf(page: string): string {
  return `WITH page AS MATERIALIZED (${page})
SELECT p.n, m.id, m.text, (m."sentAt" AT TIME ZONE 'UTC') AS "sentAt", m."isSender", m.status::text AS status, m."statusError",
  m."clientTxnId", m.edited, m."originalText", m.deleted, m."quotedUnipileId", m."quotedProviderId", m."quotedText",
  m."quotedSenderId", ${QUOTED_NAME} AS "quotedSenderName", m."isEvent", m."eventType", m."seenBy", m."senderProviderId",
  s.id AS "senderId", s.name AS "senderName", s."isSelf" AS "senderIsSelf", s."pictureUrl" AS "senderPicture",
  COALESCE(r.reactions, '[]'::json) AS reactions, COALESCE(f.attachments, '[]'::json) AS attachments
FROM page p
JOIN "Message" m ON m.id = p.id
LEFT JOIN "Attendee" s ON s.id = m."senderId"
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('value', x.value, 'isSender', x."isSender", 'senderProviderId', x."senderProviderId", 'senderName', xs.name)
                  ORDER BY x."createdAt", x.id) AS reactions
  FROM "Reaction" x LEFT JOIN "Attendee" xs ON xs.id = x."senderId" WHERE x."messageId" = m.id
) r ON true
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', t.id, 'kind', t.kind, 'mimeType', t."mimeType", 'size', t.size, 'name', t.name, 'width', t.width,
                                    'height', t.height, 'duration', t.duration, 'unavailable', t.unavailable)
                  ORDER BY t."createdAt", t.id) AS attachments
  FROM "Attachment" t WHERE t."messageId" = m.id
) f ON true
ORDER BY p.n`;
}

// Field by field: a rest pattern (`{ n, ...f } = row`) costs ~11 µs a row, this ~0.1 µs.
function toRow(f: Flat): MessageRow {
  return {
    id: f.id,
    n: Number(f.n),
    text: f.text,
    sentAt: f.sentAt,
    isSender: f.isSender,
    status: f.status,
    statusError: f.statusError,
    clientTxnId: f.clientTxnId,
    edited: f.edited,
    originalText: f.originalText,
    deleted: f.deleted,
    quotedUnipileId: f.quotedUnipileId,
    quotedProviderId: f.quotedProviderId,
    quotedText: f.quotedText,
    quotedSenderId: f.quotedSenderId,
    quotedSenderName: f.quotedSenderName,
    isEvent: f.isEvent,
    eventType: f.eventType,
    seenBy: f.seenBy,
    senderProviderId: f.senderProviderId,
    sender: f.senderId ? { id: f.senderId, name: f.senderName, isSelf: f.senderIsSelf === true, pictureUrl: f.senderPicture } : null,
    reactions: f.reactions,
    attachments: f.attachments,
  };
}

async function run(text: string, values: unknown[]): Promise<MessageRow[]> {
  return (await namedRead<Flat>(text, values)).map(toRow);
}

const at = (p: string) => `(${p}::timestamptz AT TIME ZONE 'UTC')`;
// The redundant bound on sentAt lets the (chatId, sentAt, id) index start at the cursor and hand rows
// over in order.
const OLDER = `"sentAt" <= ${at("$3")} AND ("sentAt", id) < (${at("$3")}, $4)`;
const NEWER = `"sentAt" >= ${at("$3")} AND ("sentAt", id) > (${at("$3")}, $4)`;
const walk = (where: string, dir: "ASC" | "DESC", take: number) =>
  `SELECT id FROM "Message" WHERE "chatId" = $1${where ? ` AND ${where}` : ""} ORDER BY "sentAt" ${dir}, id ${dir} LIMIT ${take}`;

type Chat = { id: string; accountId: string };
const count = (n: number) => Math.max(1, Math.trunc(n));

/** Up to `take` messages, newest first: the latest, or those older than `before`. */
export function olderMessages(chat: Chat, before: MessageCursor | null, take: number): Promise<MessageRow[]> {
  const page = `SELECT id, row_number() OVER () AS n FROM (${walk(before ? OLDER : "", "DESC", count(take))}) w`;
  return run(rowsOf(page), before ? [chat.id, chat.accountId, before.sentAt, before.id] : [chat.id, chat.accountId]);
}

/** Up to `take` messages newer than `after`, oldest first. */
export function newerMessages(chat: Chat, after: MessageCursor, take: number): Promise<MessageRow[]> {
  const page = `SELECT id, row_number() OVER () AS n FROM (${walk(NEWER, "ASC", count(take))}) w`;
  return run(rowsOf(page), [chat.id, chat.accountId, after.sentAt, after.id]);
}

/**
 * The message `anchorId` of the chat (n = 0) with up to `take` messages on each side (n < 0 before it,
 * n > 0 after it); nothing when the chat has no such message.
 */
export function messagesAround(chat: Chat, anchorId: string, take: number): Promise<MessageRow[]> {
  const side = (cmp: "<" | ">", dir: "ASC" | "DESC") =>
    `SELECT o.id FROM anchor a CROSS JOIN LATERAL (SELECT id FROM "Message" WHERE "chatId" = $1 AND "sentAt" ${cmp}= a."sentAt" AND ("sentAt", id) ${cmp} (a."sentAt", a.id) ORDER BY "sentAt" ${dir}, id ${dir} LIMIT ${count(take)}) o`;
  const page = `WITH anchor AS MATERIALIZED (SELECT id, "sentAt" FROM "Message" WHERE id = $3 AND "chatId" = $1)
    SELECT id, 0::bigint AS n FROM anchor
    UNION ALL SELECT id, -row_number() OVER () FROM (${side("<", "DESC")}) older
    UNION ALL SELECT id, row_number() OVER () FROM (${side(">", "ASC")}) newer`;
  return run(rowsOf(page), [chat.id, chat.accountId, anchorId]);
}
