"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/server/auth";

export type LoginState = { error: string | null; email: string };

const messages: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  account_disabled: "This user is disabled. Ask an admin to enable it.",
};

export async function login(_prev: LoginState, form: FormData): Promise<LoginState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password.", email };
  const next = String(form.get("next") ?? "/");
  try {
    await signIn("credentials", { email, password, redirectTo: next.startsWith("/") && !next.startsWith("//") ? next : "/" });
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code ?? "";
      return { error: messages[code] ?? "Could not sign in. Try again.", email };
    }
    throw err; // the redirect after a successful sign-in
  }
  return { error: null, email };
}
