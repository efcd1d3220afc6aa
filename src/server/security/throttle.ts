// Sign-in throttling: failures counted per account and per client address in PostgreSQL (so every
// instance sees them), each failure past a few free ones doubling the wait, capped at 15 minutes.
// There is no hard lockout, so nobody can lock the only admin out for good; an admin or
// `npm run user:unlock` clears the wait at once.
import { db } from "../db.ts";

type Policy = { free: number };
const ACCOUNT: Policy = { free: 5 };
// One office behind one address may mistype often; an address guessing across accounts does not.
const ADDRESS: Policy = { free: 20 };
const MAX_DELAY_S = 15 * 60;
/** A quiet day forgets old failures. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`.slice(0, 400);
const addressKey = (address: string) => `address:${address}`;

/** Seconds to wait after the `failures`-th failure in a row. */
function delaySeconds(failures: number, policy: Policy): number {
  if (failures <= policy.free) return 0;
  return Math.min(MAX_DELAY_S, 2 ** (failures - policy.free));
}

function keysFor(email: string, address: string | null): [string, Policy][] {
  const keys: [string, Policy][] = [[accountKey(email), ACCOUNT]];
  if (address) keys.push([addressKey(address), ADDRESS]);
  return keys;
}

/** Whole seconds until the next attempt is allowed for this account or address (0: go ahead). */
export async function throttleWait(email: string, address: string | null, now = new Date()): Promise<number> {
  const rows = await db.loginThrottle.findMany({
    where: { key: { in: keysFor(email, address).map(([k]) => k) }, blockedUntil: { gt: now } },
    select: { blockedUntil: true },
  });
  const ms = Math.max(0, ...rows.map((r) => r.blockedUntil.getTime() - now.getTime()));
  return Math.ceil(ms / 1000);
}

/** Counts one failure on each key (atomically, whatever other instances do) and sets its wait. */
export async function recordFailure(email: string, address: string | null, now = new Date()): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
  for (const [key, policy] of keysFor(email, address)) {
    const [row] = await db.$queryRaw<{ failures: number }[]>`
      INSERT INTO "LoginThrottle" ("key", "failures", "lastFailureAt", "blockedUntil")
      VALUES (${key}, 1, ${now}, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "LoginThrottle"."lastFailureAt" < ${forgetBefore} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
        "lastFailureAt" = ${now}
      RETURNING "failures"`;
    const wait = delaySeconds(row!.failures, policy);
    await db.loginThrottle.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + wait * 1000) } });
  }
}

/** After a successful sign-in the account starts afresh (the address keeps its count: it may be guessing others). */
export async function clearAccountThrottle(email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: accountKey(email) } });
}

/** An admin's or the command line's unlock: the account's wait, and optionally an address's. Returns rows cleared. */
export async function unlockSignIn(input: { email: string; address?: string | null }): Promise<number> {
  const keys = [accountKey(input.email), ...(input.address ? [addressKey(input.address)] : [])];
  const { count } = await db.loginThrottle.deleteMany({ where: { key: { in: keys } } });
  return count;
}

/** "2 minutes", "45 seconds": how long to wait, for the sign-in form. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
