import { z } from "zod";
import { assertAccountAccess } from "../../access.ts";
import { getChat, listChats } from "../../services/chat-service.ts";
import { chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const chatListInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.object({ pinned: z.boolean().optional(), lastMessageAt: z.date().nullable(), id: z.string() }).nullish(),
  accountId: z.string().min(1).optional(),
  provider: z.string().min(1).max(40).optional(),
  kind: z.enum(["single", "group"]).optional(),
  unreadOnly: z.boolean().optional(),
  archived: z.boolean().optional(),
  assignee: z.string().min(1).max(200).optional(),
  state: z.enum(["open", "snoozed", "done"]).optional(),
});

export const chatRouter = createTRPCRouter({
  list: protectedProcedure.input(chatListInput).query(async ({ ctx, input }) => {
    if (input.accountId) await assertAccountAccess(ctx.user, input.accountId);
    return listChats(ctx.user, input);
  }),
  get: chatProcedure.query(({ ctx }) => getChat(ctx.chat)),
});
