// Saved replies (saved-reply-service): everyone reads shared + own; the service decides who may change what.
import { z } from "zod";
import { createSavedReply, deleteSavedReply, listSavedReplies, updateSavedReply } from "../../services/saved-reply-service.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

const fields = {
  title: z.string().max(120, "A title can hold at most 120 characters"),
  body: z.string().max(5_000, "A saved reply can hold at most 5000 characters"),
};
const id = z.string().min(1).max(64);

export const savedReplyRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listSavedReplies(ctx.user)),
  create: protectedProcedure
    .input(z.object({ ...fields, shared: z.boolean() }))
    .mutation(({ ctx, input }) => createSavedReply(ctx.user, input)),
  update: protectedProcedure
    .input(z.object({ id, ...fields }))
    .mutation(({ ctx, input }) => updateSavedReply(ctx.user, input.id, input)),
  delete: protectedProcedure.input(z.object({ id })).mutation(({ ctx, input }) => deleteSavedReply(ctx.user, input.id)),
});
