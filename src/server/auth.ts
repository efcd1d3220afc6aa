// next-auth (Auth.js v5): email + password credentials. The JWT names a server-side session row
// (security/sessions.ts); each request re-reads that row and the user, so sign-out, password resets,
// disabling and role changes take effect at once.
import NextAuth, { CredentialsSignin } from "next-auth";
import { decode } from "next-auth/jwt";
import Credentials from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { cache } from "react";
import type { SessionUser } from "./access.ts";
import { db } from "./db.ts";
import { env } from "./env.ts";
import { recordAudit } from "./security/audit.ts";
import { requestAddress } from "./security/client-address.ts";
import { endSession, SESSION_MAX_AGE_S, sessionUser } from "./security/sessions.ts";
import { authenticate } from "./security/sign-in.ts";
import { log } from "./log.ts";

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login" },
  logger: {
    // A refused sign-in is logged as one line by authenticate(); its stack trace says nothing more.
    error(error) {
      if (!(error instanceof CredentialsSignin) && !(error.cause instanceof CredentialsSignin)) log.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      authorize: (raw, request) => authenticate(raw, request.headers),
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      const sid = (user as { sid?: unknown } | undefined)?.sid;
      if (typeof sid === "string") token.sid = sid;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.sid === "string") Object.assign(session, { sid: token.sid });
      return session;
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.sid !== "string") return;
      const user = typeof token.uid === "string" ? await db.user.findUnique({ where: { id: token.uid }, select: { id: true, email: true } }) : null;
      await endSession(token.sid);
      await recordAudit({ kind: "auth.sign_out", actor: user, address: await requestAddress(), target: user?.email });
    },
  },
});

// The session cookie as Auth.js names it: with the __Secure- prefix over https.
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

// Decoding a cookie (key derivation and decryption) costs 1–1.5 ms, and a browser sends the same one with
// every request: the session ids of recent cookies are kept. The session row is still read every time.
const decoded = new Map<string, { sid: unknown; exp: number }>();
const DECODED_MAX = 1000;

async function sessionIdOf(token: string, salt: string): Promise<unknown> {
  const key = `${salt}\n${token}`;
  const hit = decoded.get(key);
  if (hit && hit.exp > Date.now()) return hit.sid;
  const payload = await decode({ token, secret: env.AUTH_SECRET, salt }).catch(() => null);
  if (!payload) return null;
  if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
  decoded.set(key, { sid: payload.sid, exp: typeof payload.exp === "number" ? payload.exp * 1000 : 0 });
  return payload.sid;
}

/**
 * The signed-in user as stored now, or null when the session row is gone or the user disabled.
 * Memoised per request, so layouts, pages and prefetches share one lookup. The cookie is only decoded
 * here: auth() also re-encrypted it and sent it back on every request (a rolling expiry), and the
 * session row, not the cookie's expiry, decides how long a session lasts.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = jar.get(name)?.value;
    if (!token) continue;
    const sid = await sessionIdOf(token, name);
    // A cookie from before session rows existed names none: such a session has ended too.
    return typeof sid === "string" ? sessionUser(sid) : null;
  }
  return null;
});
