// The admin and the agent most integration tests need, created through user-service (so passwords
// and grants are stored as the app stores them) and returned as the session would resolve them.
import type { SessionUser } from "@/server/access.ts";
import { createCaller } from "@/server/api/root.ts";
import { createContext } from "@/server/api/trpc.ts";
import { db } from "@/server/db.ts";
import { createUser } from "@/server/services/user-service.ts";

export async function seedAdminAndAgent(o: { agentAccounts: string[]; adminEmail?: string; agentEmail?: string }) {
  const a = await createUser({ email: o.adminEmail ?? "admin@example.com", password: "password-1", role: "admin" });
  const g = await createUser({ email: o.agentEmail ?? "agent@example.com", password: "password-2", role: "agent", accountIds: o.agentAccounts });
  const admin: SessionUser = { id: a.id, email: a.email, name: null, role: "admin" };
  const agent: SessionUser = { id: g.id, email: g.email, name: null, role: "agent" };
  return { admin, agent };
}

/** The tRPC API as `user` calls it (in process, through every middleware). */
export const apiAs = (user: SessionUser | null) => createCaller(createContext(user));

/** Two accounts with one chat each: "acc_a" (WhatsApp, granted to the agent) and "acc_b" (LinkedIn, not granted). */
export async function seedGrantedAndHidden() {
  await db.account.createMany({
    data: [
      { id: "acc_a", provider: "WHATSAPP", name: "Granted" },
      { id: "acc_b", provider: "LINKEDIN", name: "Hidden" },
    ],
  });
  const chatA = (await db.chat.create({ data: { unipileId: "ua", accountId: "acc_a", name: "A" } })).id;
  const chatB = (await db.chat.create({ data: { unipileId: "ub", accountId: "acc_b", name: "B" } })).id;
  return { ...(await seedAdminAndAgent({ agentAccounts: ["acc_a"] })), chatA, chatB };
}
