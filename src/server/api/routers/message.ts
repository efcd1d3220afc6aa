import { z } from "zod";
import { deleteMessage, editMessage, forwardMessage, MAX_EDIT_TEXT, reactToMessage } from "../../services/message-actions.ts";
import { listMessages } from "../../services/message-service.ts";
import { getUnipile } from "../../unipile/client.ts";
import { chatProcedure, createTRPCRouter } from "../trpc.ts";

const cursor = z.object({ sentAt: z.date(), id: z.string().min(1) });
const messageId = z.string().min(1).max(200);

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

  // Message actions: the chat's grant is checked by chatProcedure, the rest in services/message-actions.ts.
  /** Our reaction on a message; `value: null` removes ours. */
  react: chatProcedure
    .input(z.object({ messageId, value: z.string().max(32, "A reaction is one emoji").nullable() }))
    .mutation(({ ctx, input }) => reactToMessage(ctx.chat, input, getUnipile())),
  edit: chatProcedure
    .input(z.object({ messageId, text: z.string().max(MAX_EDIT_TEXT + 1000) }))
    .mutation(({ ctx, input }) => editMessage(ctx.chat, input, getUnipile())),
  delete: chatProcedure.input(z.object({ messageId })).mutation(({ ctx, input }) => deleteMessage(ctx.chat, input, getUnipile())),
  forward: chatProcedure
    .input(z.object({ messageId, toChatId: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => forwardMessage(ctx.user, ctx.chat, input, getUnipile())),
});
