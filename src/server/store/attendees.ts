// Attendees of an account and the members of each chat, as Unipile lists them.
import { db } from "../db.ts";
import type { Attendee as UnipileAttendee } from "../unipile/schemas.ts";
import { ensureAccounts } from "./accounts.ts";
import { dedupeBy, NOW, newId } from "./sql.ts";

/** Inserts or refreshes attendees of one account (unique per account + provider id). */
export async function upsertAttendees(accountId: string, attendees: UnipileAttendee[], provider = "UNKNOWN") {
  if (!attendees.length) return;
  await ensureAccounts([{ id: accountId, provider }]);
  const input = dedupeBy(attendees, (a) => a.provider_id).map((a) => ({
    id: newId(),
    unipileId: a.id,
    providerId: a.provider_id,
    name: a.name || null,
    pictureUrl: a.picture_url ?? null,
    profileUrl: a.profile_url ?? null,
    isSelf: a.is_self,
  }));
  await db.$executeRawUnsafe(
    `INSERT INTO "Attendee" AS a (id, "unipileId", "accountId", "providerId", name, "pictureUrl", "profileUrl", "isSelf", "updatedAt")
     SELECT x.id, x."unipileId", $2, x."providerId", x.name, x."pictureUrl", x."profileUrl", x."isSelf", ${NOW}
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, "unipileId" text, "providerId" text, name text,
       "pictureUrl" text, "profileUrl" text, "isSelf" boolean)
     ON CONFLICT ("accountId", "providerId") DO UPDATE SET
       "unipileId" = COALESCE(EXCLUDED."unipileId", a."unipileId"),
       name = COALESCE(EXCLUDED.name, a.name),
       "pictureUrl" = EXCLUDED."pictureUrl",
       "profileUrl" = COALESCE(EXCLUDED."profileUrl", a."profileUrl"),
       "isSelf" = EXCLUDED."isSelf",
       "updatedAt" = ${NOW}
     WHERE (a."unipileId", a.name, a."pictureUrl", a."profileUrl", a."isSelf")
       IS DISTINCT FROM (COALESCE(EXCLUDED."unipileId", a."unipileId"), COALESCE(EXCLUDED.name, a.name),
         EXCLUDED."pictureUrl", COALESCE(EXCLUDED."profileUrl", a."profileUrl"), EXCLUDED."isSelf")`,
    JSON.stringify(input),
    accountId,
  );
}

/** Refreshes a stored chat's attendees and makes its members exactly them (sync, after listing chats). */
export async function upsertChatAttendees(chatId: string, accountId: string, attendees: UnipileAttendee[], provider?: string) {
  await upsertAttendees(accountId, attendees, provider);
  await setChatMembers(chatId, accountId, attendees);
}

export async function setChatMembers(chatId: string, accountId: string, attendees: UnipileAttendee[]) {
  const providerIds = [...new Set(attendees.map((a) => a.provider_id))];
  await db.$transaction([
    db.$executeRawUnsafe(
      `DELETE FROM "ChatMember" m USING "Attendee" a
       WHERE m."chatId" = $1 AND a.id = m."attendeeId" AND NOT (a."providerId" = ANY(SELECT jsonb_array_elements_text($2::jsonb)))`,
      chatId,
      JSON.stringify(providerIds),
    ),
    db.$executeRawUnsafe(
      `INSERT INTO "ChatMember" ("chatId", "attendeeId")
       SELECT $1, a.id FROM "Attendee" a
       WHERE a."accountId" = $3 AND a."providerId" = ANY(SELECT jsonb_array_elements_text($2::jsonb))
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
         AND a."providerId" = c."attendeeProviderId" AND a.name IS NOT NULL AND c.name IS DISTINCT FROM a.name`,
      chatId,
    ),
  ]);
}
