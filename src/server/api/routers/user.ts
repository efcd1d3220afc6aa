import { z } from "zod";
import {
  createUser,
  grantAccount,
  listUsers,
  newUserSchema,
  passwordSchema,
  resetPassword,
  revokeAccount,
  roleSchema,
  setUserDisabled,
  setUserRole,
} from "../../services/user-service.ts";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

const userId = z.object({ userId: z.string().min(1) });

export const userRouter = createTRPCRouter({
  me: protectedProcedure.query(({ ctx }) => ctx.user),
  list: adminProcedure.query(() => listUsers()),
  add: adminProcedure.input(newUserSchema).mutation(({ input }) => createUser(input)),
  setDisabled: adminProcedure
    .input(userId.extend({ disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setUserDisabled(input.userId, input.disabled, ctx.user.id)),
  setRole: adminProcedure
    .input(userId.extend({ role: roleSchema }))
    .mutation(({ ctx, input }) => setUserRole(input.userId, input.role, ctx.user.id)),
  resetPassword: adminProcedure
    .input(userId.extend({ password: passwordSchema }))
    .mutation(({ input }) => resetPassword(input.userId, input.password)),
  grant: adminProcedure
    .input(userId.extend({ accountId: z.string().min(1) }))
    .mutation(({ input }) => grantAccount(input.userId, input.accountId)),
  revoke: adminProcedure
    .input(userId.extend({ accountId: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeAccount(input.userId, input.accountId, ctx.user.id)),
});
