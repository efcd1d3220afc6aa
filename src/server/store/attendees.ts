// Attendees of an account and the members of each chat, as Unipile lists them, and the people an
// event names. A WhatsApp person is one row whichever id form is used (people.ts).
import { db } from "../db.ts";
import type { Attendee as UnipileAttendee } from "../unipile/schemas.ts";
import { ensureAccounts } from "./accounts.ts";
import { canonical, type Resolved, resolvePeople } from "./people.ts";
import { advisoryXactLock, dedupeBy, IN_JSON, NOW, newId, pgTransaction } from "./sql.ts";
import { isWhatsappPersonId, personIds } from "./whatsapp-ids.ts";

/** What a list or an event tells about one person. */
export type PersonInput = {
  providerId: string;
  /** WhatsApp's other form and phone number, when given (attendee_public_identifier / specifics). */
  publicIdentifier?: unknown;
  specifics?: unknown;
  unipileId?: string | null;
  name?: string | null;
  pictureUrl?: string | null;
  profileUrl?: string | null;
  isSelf?: boolean;
};

/**
 * One account's people are written one transaction at a time (a sync walk's attendees, the members
 * of its chat, a webhook's sender): each locks rows it reads, inserts and references, in orders no
 * single sort can make the same for all, and two at once could wait on each other in a cycle, which
 * PostgreSQL ends by failing one ("deadlock detected"). A transaction-scoped advisory lock (two-key
 * form: apart from the chat locks' one-key space); the writes are a few milliseconds each.
 */
const PEOPLE_LOCK = 7301;

/**
 * Writes people of one account in one transaction: ids first mapped to the stored person (either
 * WhatsApp form, store/people.ts), then one upsert on (account, provider id). `full` (an attendee list)
 * makes picture and self flag what Unipile says; otherwise (an event's sender) only fills in.
 */
async function writePeople(accountId: string, people: PersonInput[], full: boolean): Promise<Resolved> {
  if (!people.length) return new Map();
  return pgTransaction(
    async (tx) => {
      const ids = people.map((p) => personIds(p.providerId, p));
      const resolved = await resolvePeople(tx, accountId, ids);
      const input = dedupeBy(
        people.map((p, i) => {
          const r = resolved.get(p.providerId) ?? ids[i]!;
          return {
            id: newId(),
            providerId: r.providerId,
            altProviderId: r.altProviderId,
            phoneNumber: r.phoneNumber,
            unipileId: p.unipileId ?? null,
            name: p.name || null,
            pictureUrl: p.pictureUrl ?? null,
            profileUrl: p.profileUrl ?? null,
            isSelf: p.isSelf ?? false,
          };
        }),
        (a) => a.providerId,
      );
      const picture = full ? `EXCLUDED."pictureUrl"` : `COALESCE(EXCLUDED."pictureUrl", a."pictureUrl")`;
      const self = full ? `EXCLUDED."isSelf"` : `a."isSelf" OR EXCLUDED."isSelf"`;
      await tx.$executeRawUnsafe(
        `INSERT INTO "Attendee" AS a (id, "unipileId", "accountId", "providerId", "altProviderId", "phoneNumber", name,
         "pictureUrl", "profileUrl", "isSelf", "updatedAt")
       SELECT x.id, x."unipileId", $2, x."providerId", x."altProviderId", x."phoneNumber", x.name, x."pictureUrl",
         x."profileUrl", x."isSelf", ${NOW}
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, "unipileId" text, "providerId" text, "altProviderId" text,
         "phoneNumber" text, name text, "pictureUrl" text, "profileUrl" text, "isSelf" boolean)
       ON CONFLICT ("accountId", "providerId") DO UPDATE SET
         "unipileId" = COALESCE(EXCLUDED."unipileId", a."unipileId"),
         "altProviderId" = COALESCE(a."altProviderId", EXCLUDED."altProviderId"),
         "phoneNumber" = COALESCE(EXCLUDED."phoneNumber", a."phoneNumber"),
         name = COALESCE(EXCLUDED.name, a.name),
         "pictureUrl" = ${picture},
         "profileUrl" = COALESCE(EXCLUDED."profileUrl", a."profileUrl"),
         "isSelf" = ${self},
         "updatedAt" = ${NOW}
       WHERE (a."unipileId", a."altProviderId", a."phoneNumber", a.name, a."pictureUrl", a."profileUrl", a."isSelf")
         IS DISTINCT FROM (COALESCE(EXCLUDED."unipileId", a."unipileId"), COALESCE(a."altProviderId", EXCLUDED."altProviderId"),
           COALESCE(EXCLUDED."phoneNumber", a."phoneNumber"), COALESCE(EXCLUDED.name, a.name), ${picture},
           COALESCE(EXCLUDED."profileUrl", a."profileUrl"), ${self})`,
        JSON.stringify(input),
        accountId,
      );
      return resolved;
    },
    { lock: [PEOPLE_LOCK, accountId] },
  );
}

/** Inserts or refreshes attendees of one account as Unipile lists them (unique per account + person). */
export async function upsertAttendees(accountId: string, attendees: UnipileAttendee[], provider = "UNKNOWN") {
  if (!attendees.length) return;
  await ensureAccounts([{ id: accountId, provider }]);
  await writePeople(
    accountId,
    attendees.map((a) => ({
      providerId: a.provider_id,
      publicIdentifier: a.public_identifier,
      specifics: a.specifics,
      unipileId: a.id,
      name: a.name,
      pictureUrl: a.picture_url ?? null,
      profileUrl: a.profile_url ?? null,
      isSelf: a.is_self,
    })),
    true,
  );
}

/**
 * The people an event names (sender, attendees, reactor, reader), written before the event itself so
 * that an id in either WhatsApp form finds its person. Returns each given id's stored form.
 */
export async function rememberPeople(accountId: string, people: PersonInput[]): Promise<(id: string) => string> {
  // Other providers have one id per person: the message batch keeps their senders as before.
  const whatsapp = people.filter((p) => isWhatsappPersonId(p.providerId));
  if (!whatsapp.length) return (id) => id;
  const resolved = await writePeople(accountId, whatsapp, false);
  return (id) => canonical(resolved, id);
}

/** Refreshes a stored chat's attendees and makes its members exactly them (sync, after listing chats). */
export async function upsertChatAttendees(chatId: string, accountId: string, attendees: UnipileAttendee[], provider?: string) {
  await upsertAttendees(accountId, attendees, provider);
  await setChatMembers(chatId, accountId, attendees);
}

export async function setChatMembers(chatId: string, accountId: string, attendees: UnipileAttendee[]) {
  const providerIds = [...new Set(attendees.map((a) => a.provider_id))];
  await db.$transaction([
    db.$executeRawUnsafe(advisoryXactLock(PEOPLE_LOCK, accountId)),
    db.$executeRawUnsafe(
      `DELETE FROM "ChatMember" m USING "Attendee" a
       WHERE m."chatId" = $1 AND a.id = m."attendeeId" AND NOT (a."providerId" = ${IN_JSON(2)}
         OR COALESCE(a."altProviderId", '') = ${IN_JSON(2)})`,
      chatId,
      JSON.stringify(providerIds),
    ),
    db.$executeRawUnsafe(
      `INSERT INTO "ChatMember" ("chatId", "attendeeId")
       SELECT $1, a.id FROM "Attendee" a
       WHERE a."accountId" = $3 AND (a."providerId" = ${IN_JSON(2)}
         OR a."altProviderId" = ${IN_JSON(2)})
       ON CONFLICT DO NOTHING`,
      chatId,
      JSON.stringify(providerIds),
      accountId,
    ),
    // A 1:1 chat Unipile leaves nameless shows the other person's current name.
    db.$executeRawUnsafe(
      `UPDATE "Chat" c SET name = a.name, "updatedAt" = ${NOW}
       FROM "Attendee" a
       WHERE c.id = $1 AND (c.raw->>'name') IS NULL AND a."accountId" = c."accountId"
         AND c."attendeeProviderId" IN (a."providerId", a."altProviderId") AND a.name IS NOT NULL AND c.name IS DISTINCT FROM a.name`,
      chatId,
    ),
  ]);
}
