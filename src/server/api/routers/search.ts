import { z } from "zod";
import { searchMessages } from "../../services/search-service.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const searchRouter = createTRPCRouter({
  messages: protectedProcedure
    .input(
      z.object({
        query: z.string().trim().min(1, "Type something to search").max(200, "Search is limited to 200 characters"),
        accountId: z.string().min(1).optional(),
        chatId: z.string().min(1).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        limit: z.number().int().min(1).max(100).default(30),
        cursor: z.number().int().min(0).max(10_000).nullish(),
      }),
    )
    .query(({ ctx, input }) => searchMessages(ctx.user, input)),
});
