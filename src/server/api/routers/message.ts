import { z } from "zod";
import { listMessages } from "../../services/message-service.ts";
import { chatProcedure, createTRPCRouter } from "../trpc.ts";

const cursor = z.object({ sentAt: z.date(), id: z.string().min(1) });

export const messageRouter = createTRPCRouter({
  list: chatProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(100).default(50),
        // Infinite-query page param: older/newer than a message, or null for the first page.
        cursor: z.object({ dir: z.enum(["older", "newer"]), at: cursor }).nullish(),
        anchorId: z.string().min(1).nullish(),
      }),
    )
    .query(({ ctx, input }) =>
      listMessages(ctx.chat, {
        limit: input.limit,
        before: input.cursor?.dir === "older" ? input.cursor.at : null,
        after: input.cursor?.dir === "newer" ? input.cursor.at : null,
        anchorId: input.cursor ? null : input.anchorId,
      }),
    ),
});
