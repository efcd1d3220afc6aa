import { z } from "zod";
import { LABEL_COLORS } from "@/lib/label-colors.ts";
import { assertChatAccess } from "../../access.ts";
import { createLabel, deleteLabel, listLabels, setLabel, updateLabel } from "../../services/label-service.ts";
import { adminProcedure, chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

const name = z.string().trim().min(1, "A label needs a name.").max(40, "A label name has at most 40 characters.");
const color = z.enum(LABEL_COLORS, { message: `Pick one of the palette's colours (${LABEL_COLORS.join(", ")}).` });
const id = z.string().min(1).max(64);

export const labelRouter = createTRPCRouter({
  list: protectedProcedure.query(() => listLabels()),
  // Admins keep the shared set; agents put existing labels on chats.
  create: adminProcedure.input(z.object({ name, color })).mutation(({ input }) => createLabel(input)),
  update: adminProcedure
    .input(z.object({ id, name: name.optional(), color: color.optional() }))
    .mutation(({ input }) => updateLabel(input)),
  delete: adminProcedure.input(z.object({ id })).mutation(({ input }) => deleteLabel(input.id)),
  /** One label on or off the open chat. */
  set: chatProcedure
    .input(z.object({ labelId: id, on: z.boolean() }))
    .mutation(({ ctx, input }) => setLabel(ctx.user.id, [ctx.chat], input.labelId, input.on)),
  /** The bulk bar: every chat must be one the user may see, or nothing changes. */
  setMany: protectedProcedure
    .input(z.object({ chatIds: z.array(id).min(1).max(200), labelId: id, on: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const chats = [];
      for (const chatId of new Set(input.chatIds)) chats.push(await assertChatAccess(ctx.user, chatId));
      return setLabel(ctx.user.id, chats, input.labelId, input.on);
    }),
});
