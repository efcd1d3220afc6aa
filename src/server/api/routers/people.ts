// People to start a conversation with: the account's known contacts (local search), or a person named
// by a LinkedIn profile link or a WhatsApp number (resolved, the LinkedIn one with Unipile's lookup).
import { z } from "zod";
import { resolvePerson, searchPeople } from "../../services/start-chat-service.ts";
import { getUnipile } from "../../unipile/client.ts";
import { accountProcedure, createTRPCRouter } from "../trpc.ts";

export const personRef = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("attendee"), attendeeId: z.string().min(1).max(200) }),
  z.object({ kind: z.literal("linkedin"), url: z.string().min(1).max(500) }),
  z.object({ kind: z.literal("phone"), phone: z.string().min(1).max(40) }),
]);

export const peopleRouter = createTRPCRouter({
  search: accountProcedure
    .input(z.object({ query: z.string().max(100) }))
    .query(({ input }) => searchPeople(input.accountId, input.query)),
  resolve: accountProcedure
    .input(z.object({ person: personRef }))
    .query(({ ctx, input }) => resolvePerson(ctx.user, input.accountId, input.person, getUnipile())),
});
