import { z } from "zod";
import { assertAccountAccess } from "../../access.ts";
import { listChats } from "../../services/chat-service.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const chatRouter = createTRPCRouter({
  list: protectedProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.object({ lastMessageAt: z.date().nullable(), id: z.string() }).nullish(),
        accountId: z.string().optional(),
        unreadOnly: z.boolean().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      if (input.accountId) await assertAccountAccess(ctx.user, input.accountId);
      return listChats(ctx.user, input);
    }),
});
