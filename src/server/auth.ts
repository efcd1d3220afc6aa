// next-auth (Auth.js v5): email + password credentials, JWT sessions carrying the user id and role.
// The role and "disabled" are re-read from the database on every request (see currentUser).
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cache } from "react";
import { z } from "zod";
import type { SessionUser } from "./access.ts";
import { db } from "./db.ts";
import { verifyPassword } from "./passwords.ts";

const credentials = z.object({ email: z.email().transform((e) => e.toLowerCase()), password: z.string().min(1) });

class InvalidLogin extends CredentialsSignin {
  override code = "invalid_credentials";
}
class DisabledLogin extends CredentialsSignin {
  override code = "account_disabled";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  logger: {
    // A wrong password is an answer for the user, not a server error worth a stack trace.
    error(error) {
      if (error.name !== "CredentialsSignin") console.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) throw new InvalidLogin();
        const user = await db.user.findUnique({ where: { email: parsed.data.email } });
        if (!user || !(await verifyPassword(parsed.data.password, user.passwordHash))) throw new InvalidLogin();
        if (user.disabled) throw new DisabledLogin();
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
});

/** The signed-in user as stored now (role changes and disabling take effect at once), or null.
 * Memoised per request, so layouts, pages and prefetches share one lookup. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return userById(id);
});

export async function userById(id: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
