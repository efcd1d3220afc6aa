// Sign-in throttles, sessions and the audit log (admin pages and the user's own "sign out everywhere").
import { z } from "zod";
import { listAudit, recordAudit } from "../../security/audit.ts";
import { requestAddress } from "../../security/client-address.ts";
import { endUserSessions } from "../../security/sessions.ts";
import { unlockSignIn } from "../../security/throttle.ts";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const securityRouter = createTRPCRouter({
  /** Clears the sign-in wait of one account (the audit log records who did it). */
  unlock: adminProcedure
    .input(z.object({ email: z.string().trim().min(1).max(320) }))
    .mutation(async ({ input }) => ({ cleared: await unlockSignIn({ email: input.email }) })),
  /** Signs one user out of every browser. */
  endSessions: adminProcedure
    .input(z.object({ userId: z.string().min(1).max(100) }))
    .mutation(async ({ input }) => ({ ended: await endUserSessions(input.userId) })),
  /** The signed-in user's own "sign out everywhere", this browser included. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    const ended = await endUserSessions(ctx.user.id);
    await recordAudit({ kind: "auth.sign_out_everywhere", actor: ctx.user, address: await requestAddress(), target: ctx.user.email });
    return { ended };
  }),
  audit: adminProcedure
    .input(z.object({ cursor: z.string().regex(/^\d{1,19}$/).nullish(), kind: z.string().max(64).nullish() }).optional())
    .query(({ input }) => listAudit({ cursor: input?.cursor, kind: input?.kind })),
});
