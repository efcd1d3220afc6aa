// One person is one attendee, whichever WhatsApp form (JID or LID, whatsapp-ids.ts) a list or an event
// uses. Every write that names people by provider id maps those ids to the stored row's `providerId`
// first (resolvePeople), so messages, reactions and read receipts always name the person one way; two
// rows a payload reveals to be one person are merged into the older one, in the caller's transaction.
import { db } from "../db.ts";
import { isWhatsappPersonId, type PersonIds, personIds } from "./whatsapp-ids.ts";
import { dedupeBy, IN_JSON, type Sql } from "./sql.ts";

/** Any id form seen in the input → the person as it will be stored (canonical id, other form, phone). */
export type Resolved = Map<string, PersonIds>;

type Row = { id: string; providerId: string; altProviderId: string | null; phoneNumber: string | null };

const jsonIds = (ids: string[]) => JSON.stringify(ids);
/** Rows of one account's chats: merges stay inside the account whose attendees they merge. */
const ACCOUNT_CHATS = (n: number) => `(SELECT c.id FROM "Chat" c WHERE c."accountId" = $${n})`;

/**
 * Maps the people of one write to the stored rows, merging rows that turn out to be one person. Ids
 * that are not WhatsApp person ids are left out (they have one form): look them up with `canonical`.
 */
export async function resolvePeople(tx: Sql, accountId: string, people: PersonIds[]): Promise<Resolved> {
  const ids = [...new Set(people.flatMap((p) => [p.providerId, p.altProviderId ?? ""]))].filter(isWhatsappPersonId);
  const resolved: Resolved = new Map();
  if (!ids.length) return resolved;
  // Locked, oldest first: two writers naming the same person take the same rows in the same order.
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `SELECT id, "providerId", "altProviderId", "phoneNumber" FROM "Attendee"
     WHERE "accountId" = $1 AND ("providerId" = ${IN_JSON(2)} OR "altProviderId" = ${IN_JSON(2)})
     ORDER BY "createdAt", id FOR UPDATE`,
    accountId,
    jsonIds(ids),
  );

  // Ids linked by a payload or by a stored row belong to one person (a small union-find).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    if (!parent.has(x)) parent.set(x, x);
    const p = parent.get(x)!;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  const link = (a: string, b: string | null) => {
    find(a);
    if (b) parent.set(find(b), find(a));
  };
  for (const p of people) if (isWhatsappPersonId(p.providerId)) link(p.providerId, p.altProviderId);
  for (const r of rows) link(r.providerId, r.altProviderId);

  const groups = new Map<string, { ids: Set<string>; rows: Row[]; phone: string | null }>();
  const groupOf = (id: string) => {
    const root = find(id);
    let g = groups.get(root);
    if (!g) {
      g = { ids: new Set(), rows: [], phone: null };
      groups.set(root, g);
    }
    g.ids.add(id);
    return g;
  };
  for (const r of rows) {
    const g = groupOf(r.providerId);
    if (r.altProviderId) groupOf(r.altProviderId);
    g.rows.push(r);
    g.phone ??= r.phoneNumber;
  }
  for (const p of people) {
    if (!isWhatsappPersonId(p.providerId)) continue;
    const g = groupOf(p.providerId);
    if (p.altProviderId) groupOf(p.altProviderId);
    g.phone ??= p.phoneNumber;
  }

  for (const g of groups.values()) {
    const [survivor, ...losers] = g.rows;
    if (survivor && losers.length) await mergeAttendees(tx, accountId, survivor, losers);
    const providerId = survivor?.providerId ?? [...g.ids][0]!;
    const lid = providerId.endsWith("@lid");
    const other = [...g.ids].find((id) => id.endsWith("@lid") !== lid) ?? null;
    const person = { providerId, altProviderId: survivor?.altProviderId ?? other, phoneNumber: g.phone };
    // The link is kept at once, so the next payload in the other form finds this row (writes that
    // insert with DO NOTHING, such as a batch's senders, would not add it).
    if (survivor && (person.altProviderId !== survivor.altProviderId || (person.phoneNumber && !survivor.phoneNumber))) {
      await tx.$executeRawUnsafe(
        `UPDATE "Attendee" SET "altProviderId" = COALESCE("altProviderId", $2), "phoneNumber" = COALESCE("phoneNumber", $3), "updatedAt" = now()
         WHERE id = $1`,
        survivor.id,
        person.altProviderId,
        person.phoneNumber,
      );
    }
    for (const id of g.ids) resolved.set(id, person);
  }
  return resolved;
}

/** The stored form of a provider id after resolvePeople. */
export function canonical(resolved: Resolved, id: string): string {
  return resolved.get(id)?.providerId ?? id;
}

/** The same object with its keys (provider ids, e.g. seenBy's readers) in stored form; the later value wins. */
export function canonicalKeys<T>(resolved: Resolved, obj: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = canonical(resolved, k);
    const prev = out[key];
    out[key] = prev !== undefined && String(prev) > String(v) ? prev : v;
  }
  return out;
}

/**
 * Folds `losers` into `survivor` (one person stored twice): their messages, chat memberships, reactions
 * and read receipts then name the survivor, the survivor takes what it lacked, the losers go.
 * Idempotent: after it, nothing names a loser any more.
 */
async function mergeAttendees(tx: Sql, accountId: string, survivor: Row, losers: Row[]) {
  const loserIds = losers.map((l) => l.id);
  const forms = [...new Set([...losers.flatMap((l) => [l.providerId, l.altProviderId]), survivor.altProviderId])].filter(
    (f): f is string => !!f && f !== survivor.providerId,
  );
  const canon = survivor.providerId;
  await tx.$executeRawUnsafe(
    `UPDATE "Message" SET "senderId" = $1, "senderProviderId" = $2
     WHERE "chatId" IN ${ACCOUNT_CHATS(5)} AND ("senderId" = ${IN_JSON(3)} OR "senderProviderId" = ${IN_JSON(4)})`,
    survivor.id,
    canon,
    jsonIds(loserIds),
    jsonIds(forms),
    accountId,
  );
  // One reaction per message and value for the person: the one already in stored form, else the latest.
  await tx.$executeRawUnsafe(
    `DELETE FROM "Reaction" WHERE id IN (
       SELECT id FROM (
         SELECT r.id, row_number() OVER (PARTITION BY r."messageId", r.value
           ORDER BY (r."senderProviderId" = $1) DESC, r."createdAt" DESC, r.id) AS n
         FROM "Reaction" r JOIN "Message" m ON m.id = r."messageId"
         WHERE m."chatId" IN ${ACCOUNT_CHATS(3)} AND (r."senderProviderId" = $1 OR r."senderProviderId" = ${IN_JSON(2)})
       ) x WHERE n > 1)`,
    canon,
    jsonIds(forms),
    accountId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Reaction" r SET "senderProviderId" = $1, "senderId" = $2
     FROM "Message" m
     WHERE m.id = r."messageId" AND m."chatId" IN ${ACCOUNT_CHATS(5)}
       AND (r."senderProviderId" = ${IN_JSON(3)} OR r."senderId" = ${IN_JSON(4)})`,
    canon,
    survivor.id,
    jsonIds(forms),
    jsonIds(loserIds),
    accountId,
  );
  // Read receipts are keyed by the reader's provider id: one key per person, the latest time kept.
  await tx.$executeRawUnsafe(
    `UPDATE "Message" m SET "seenBy" = (
       SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
         SELECT k, (array_agg(e.value ORDER BY e.value #>> '{}' DESC))[1] AS v
         FROM (SELECT CASE WHEN e.key = ${IN_JSON(2)} THEN $1 ELSE e.key END AS k, e.value
               FROM jsonb_each(m."seenBy") e) e
         GROUP BY k) x)
     WHERE m."chatId" IN ${ACCOUNT_CHATS(3)} AND jsonb_typeof(m."seenBy") = 'object'
       AND m."seenBy" ?| ARRAY(SELECT jsonb_array_elements_text($2::jsonb))`,
    canon,
    jsonIds(forms),
    accountId,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "ChatMember" ("chatId", "attendeeId")
     SELECT "chatId", $1 FROM "ChatMember" WHERE "attendeeId" = ${IN_JSON(2)}
     ON CONFLICT DO NOTHING`,
    survivor.id,
    jsonIds(loserIds),
  );
  // The survivor keeps its own values and takes the losers' where it has none.
  await tx.$executeRawUnsafe(
    `UPDATE "Attendee" s SET
       "unipileId" = COALESCE(s."unipileId", l."unipileId"), name = COALESCE(s.name, l.name),
       "pictureUrl" = COALESCE(s."pictureUrl", l."pictureUrl"), "profileUrl" = COALESCE(s."profileUrl", l."profileUrl"),
       "phoneNumber" = COALESCE(s."phoneNumber", l."phoneNumber"), "isSelf" = s."isSelf" OR l."isSelf", "updatedAt" = now()
     FROM (SELECT max("unipileId") AS "unipileId", max(name) AS name, max("pictureUrl") AS "pictureUrl",
             max("profileUrl") AS "profileUrl", max("phoneNumber") AS "phoneNumber", bool_or("isSelf") AS "isSelf"
           FROM "Attendee" WHERE id = ${IN_JSON(2)}) l
     WHERE s.id = $1`,
    survivor.id,
    jsonIds(loserIds),
  );
  await tx.$executeRawUnsafe(`DELETE FROM "Attendee" WHERE id = ${IN_JSON(1)}`, jsonIds(loserIds));
}

/**
 * Maps the provider ids of one batch of messages (senders, reactors, readers) to stored form; reactions
 * that become the same (one person's, in two forms) are kept once.
 */
export async function canonicalizeBatch<
  M extends { senderProviderId: string; seenBy: unknown },
  R extends { messageUnipileId: string; senderProviderId: string; value: string },
>(tx: Sql, accountId: string, rows: M[], reactions: R[]): Promise<R[]> {
  const seenKeys = (s: unknown) => (s && typeof s === "object" ? Object.keys(s) : []);
  const ids = [...rows.flatMap((r) => [r.senderProviderId, ...seenKeys(r.seenBy)]), ...reactions.map((r) => r.senderProviderId)];
  const resolved = await resolvePeople(
    tx,
    accountId,
    ids.map((id) => personIds(id)),
  );
  if (!resolved.size) return reactions;
  for (const r of rows) {
    r.senderProviderId = canonical(resolved, r.senderProviderId);
    if (seenKeys(r.seenBy).length) r.seenBy = canonicalKeys(resolved, r.seenBy as Record<string, unknown>);
  }
  const mapped = reactions.map((r) => ({ ...r, senderProviderId: canonical(resolved, r.senderProviderId) }));
  return dedupeBy(mapped, (r) => `${r.messageUnipileId}\u0000${r.senderProviderId}\u0000${r.value}`);
}

export type SamePerson = { provider: string; attendeeIds: string[]; providerIds: string[] };

/**
 * The same person on the same provider: every attendee, on any account of this attendee's provider,
 * that shares one of its ids in either WhatsApp form, with all those ids (a contact panel lists the
 * person's chats by them: `Chat.attendeeProviderId` or membership). Null for an unknown attendee.
 */
export async function samePerson(attendeeId: string): Promise<SamePerson | null> {
  const a = await db.attendee.findUnique({
    where: { id: attendeeId },
    select: { providerId: true, altProviderId: true, account: { select: { provider: true } } },
  });
  if (!a) return null;
  const forms = [a.providerId, ...(a.altProviderId ? [a.altProviderId] : [])];
  const rows = await db.attendee.findMany({
    where: {
      account: { provider: a.account.provider },
      OR: [{ providerId: { in: forms } }, { altProviderId: { in: forms } }],
    },
    select: { id: true, providerId: true, altProviderId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const providerIds = [...new Set(rows.flatMap((r) => [r.providerId, ...(r.altProviderId ? [r.altProviderId] : [])]))];
  return { provider: a.account.provider, attendeeIds: rows.map((r) => r.id), providerIds };
}
