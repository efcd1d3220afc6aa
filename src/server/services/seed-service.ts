// The demo admin seeded in embedded mode (and on request with a real database).
import { db } from "../db.ts";
import { createUser } from "./user-service.ts";

export const DEMO_ADMIN = { email: "admin@parley.local", password: "parley-demo" } as const;

/** Creates the demo admin when no user exists yet. Returns true when it did. */
export async function seedDemoAdmin(): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  await createUser({ ...DEMO_ADMIN, name: "Demo Admin", role: "admin" });
  return true;
}
