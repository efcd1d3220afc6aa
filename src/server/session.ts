// Page guards for server components: redirect to the login page (or home) instead of rendering.
import "server-only";
import { redirect } from "next/navigation";
import { currentUser } from "./auth.ts";

export async function requireUser(path = "/") {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  return user;
}

export async function requireAdmin(path = "/admin") {
  const user = await requireUser(path);
  if (user.role !== "admin") redirect("/");
  return user;
}
