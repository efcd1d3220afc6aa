// Server-side session rows: the cookie's JWT names one, and only a row that still exists signs
// anyone in. Sign-out deletes its row; a password reset or "sign out everywhere" deletes them all.
import { randomBytes } from "node:crypto";
import type { SessionUser } from "../access.ts";
import { db, dbPool } from "../db.ts";
import { NOW } from "../store/sql.ts";

/** Same as the JWT's lifetime (Auth.js default: 30 days). */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

export async function createSession(userId: string, address: string | null): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await db.session.create({ data: { id, userId, address, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) } });
  return id;
}

/**
 * The user behind a live session (not ended, not expired, user not disabled), or null. Every request
 * asks, so it is one named statement (planned once per connection) rather than Prisma's two.
 */
export async function sessionUser(sessionId: string): Promise<SessionUser | null> {
  const { rows } = await dbPool().query<Omit<SessionUser, "sessionId">>({
    name: "parley-session-user",
    text: `SELECT u.id, u.email, u.name, u.role::text AS role FROM "Session" s JOIN "User" u ON u.id = s."userId"
           WHERE s.id = $1 AND s."expiresAt" > ${NOW} AND NOT u.disabled`,
    values: [sessionId],
  });
  return rows[0] ? { ...rows[0], sessionId } : null;
}

export async function endSession(sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Every browser of this user is signed out on its next request (open streams within seconds). */
export async function endUserSessions(userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}

/** The user as stored now: through their session row when the request had one, else by id (tests, scripts). */
export async function liveUser(user: SessionUser): Promise<SessionUser | null> {
  if (user.sessionId) return sessionUser(user.sessionId);
  const row = await db.user.findUnique({ where: { id: user.id }, select: { id: true, email: true, name: true, role: true, disabled: true } });
  return row && !row.disabled ? { id: row.id, email: row.email, name: row.name, role: row.role } : null;
}
