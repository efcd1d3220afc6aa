// Checking a sign-in: throttle first, then always one bcrypt comparison (a real hash or a dummy
// of the same cost, so an unknown email answers as slowly as a wrong password), then a session row.
// Every outcome is one log line and one audit event.
// From @auth/core directly: next-auth re-exports this class, and its own entry needs Next at import time.
import { CredentialsSignin } from "@auth/core/errors";
import { z } from "zod";
import { db } from "../db.ts";
import { verifyPassword } from "../passwords.ts";
import { recordAudit } from "./audit.ts";
import { clientAddress } from "./client-address.ts";
import { createSession } from "./sessions.ts";
import { clearAccountThrottle, recordFailure, throttleWait } from "./throttle.ts";
import { log } from "../log.ts";

const credentials = z.object({ email: z.email().max(320).transform((e) => e.toLowerCase()), password: z.string().min(1).max(1000) });

/** Cost 12, like every stored hash; never matches anything a person types. */
const DUMMY_HASH = "$2b$12$avFZBsMZmGYceQKYTetqc..9bW6YgR8tZFg4uo89JkyXFjpMAG2bO";

export class InvalidLogin extends CredentialsSignin {
  override code = "invalid_credentials";
}
class DisabledLogin extends CredentialsSignin {
  override code = "account_disabled";
}
export class ThrottledLogin extends CredentialsSignin {
  override code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

export type SignedIn = { id: string; email: string; name: string | null; sid: string };

export async function authenticate(raw: Partial<Record<string, unknown>>, headers: Headers): Promise<SignedIn> {
  const address = clientAddress(headers);
  const parsed = credentials.safeParse(raw);
  const email = parsed.success ? parsed.data.email : String(raw.email ?? "").slice(0, 320).toLowerCase();
  const fail = async (reason: string, err: CredentialsSignin) => {
    log.warn(`sign-in refused: ${reason} email=${JSON.stringify(email)} address=${address ?? "unknown"}`);
    await recordAudit({ kind: reason === "throttled" ? "auth.sign_in_throttled" : "auth.sign_in_failed", actor: null, address, target: email, details: { reason } });
    return err;
  };

  const wait = await throttleWait(email, address);
  if (wait > 0) throw await fail("throttled", new ThrottledLogin(wait));
  if (!parsed.success) {
    await recordFailure(email, address);
    throw await fail("malformed", new InvalidLogin());
  }

  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true, disabled: true } });
  const matches = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches) {
    await recordFailure(email, address);
    throw await fail(user ? "wrong_password" : "unknown_email", new InvalidLogin());
  }
  if (user.disabled) throw await fail("disabled", new DisabledLogin());

  await clearAccountThrottle(email);
  const sid = await createSession(user.id, address);
  log.info(`sign-in: email=${JSON.stringify(email)} address=${address ?? "unknown"}`);
  await recordAudit({ kind: "auth.sign_in", actor: { id: user.id, email: user.email }, address, target: user.email });
  return { id: user.id, email: user.email, name: user.name, sid };
}
