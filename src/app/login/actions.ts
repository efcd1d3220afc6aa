"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/server/auth";
import { safeNextPath } from "@/server/security/redirect";
import { formatWait } from "@/server/security/throttle";

export type LoginState = { error: string | null; email: string };

const messages: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  account_disabled: "This user is disabled. Ask an admin to enable it.",
};

export async function login(_prev: LoginState, form: FormData): Promise<LoginState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password.", email };
  try {
    await signIn("credentials", { email, password, redirectTo: safeNextPath(form.get("next")) });
  } catch (err) {
    if (err instanceof AuthError) {
      const { code = "", retryAfterSeconds } = err as AuthError & { code?: string; retryAfterSeconds?: number };
      if (code === "rate_limited") {
        const wait = retryAfterSeconds ? formatWait(retryAfterSeconds) : "a few minutes";
        return { error: `Too many failed sign-ins. Wait ${wait}, then try again.`, email };
      }
      return { error: messages[code] ?? "Could not sign in. Try again.", email };
    }
    throw err; // the redirect after a successful sign-in
  }
  return { error: null, email };
}
