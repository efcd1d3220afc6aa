// Team work: assignment, done/reopen and snooze, for one chat or several (bulk) in one call. Every
// chat's grant is checked first; one ungranted or missing chat refuses the whole call.
import { z } from "zod";
import { assertChatsAccess } from "../../access.ts";
import { assignChats, listAssignees, markDone, reopenChats, snoozeChats } from "../../services/team-service.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

const chatIds = z.array(z.string().min(1).max(200)).min(1, "Pick at least one chat").max(200, "At most 200 chats at once");

/** Any procedure about several chats: input has `chatIds`, and the user must hold a grant for each one's account. */
const chatsProcedure = protectedProcedure.input(z.object({ chatIds })).use(async ({ ctx, input, next }) => {
  const chats = await assertChatsAccess(ctx.user, input.chatIds);
  return next({ ctx: { chats } });
});

export const teamRouter = createTRPCRouter({
  assignees: chatsProcedure.query(({ ctx }) => listAssignees(ctx.chats)),
  assign: chatsProcedure
    .input(z.object({ assigneeId: z.string().min(1).max(200).nullable() }))
    .mutation(({ ctx, input }) => assignChats(ctx.user, ctx.chats, input.assigneeId)),
  done: chatsProcedure.mutation(({ ctx }) => markDone(ctx.user, ctx.chats)),
  reopen: chatsProcedure.mutation(({ ctx }) => reopenChats(ctx.user, ctx.chats)),
  snooze: chatsProcedure
    .input(z.object({ until: z.date().nullable(), untilReply: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => snoozeChats(ctx.user, ctx.chats, input)),
});
