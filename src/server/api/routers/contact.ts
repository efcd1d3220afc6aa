import { z } from "zod";
import { contactPanel, linkPeople, searchPeople, unlinkPeople } from "../../services/contact-service.ts";
import { chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

const id = z.string().min(1).max(64);

export const contactRouter = createTRPCRouter({
  /** The panel beside a thread; in a group, `attendeeId` picks the member to show. */
  panel: chatProcedure
    .input(z.object({ attendeeId: id.optional() }))
    .query(({ ctx, input }) => contactPanel(ctx.user, ctx.chat, input.attendeeId)),
  /** People to pick for "same person as…", from accounts the user may see. */
  people: protectedProcedure
    .input(z.object({ q: z.string().trim().min(1, "Type part of a name.").max(80) }))
    .query(({ ctx, input }) => searchPeople(ctx.user, input.q)),
  link: protectedProcedure
    .input(z.object({ attendeeId: id, otherId: id }))
    .mutation(({ ctx, input }) => linkPeople(ctx.user, input.attendeeId, input.otherId)),
  unlink: protectedProcedure.input(z.object({ linkId: id })).mutation(({ ctx, input }) => unlinkPeople(ctx.user, input.linkId)),
});
