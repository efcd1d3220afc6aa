import { z } from "zod";
import { searchEverything, searchMessages, searchSuggestions } from "../../services/search-service.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

const query = z.string().trim().min(1, "Type something to search").max(200, "Search is limited to 200 characters");
const scope = {
  accountId: z.string().min(1).max(200).optional(),
  chatId: z.string().min(1).max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
};

export const searchRouter = createTRPCRouter({
  /** People, chats, the first page of messages and files, from one box. */
  all: protectedProcedure
    .input(z.object({ query, ...scope, limit: z.number().int().min(1).max(100).default(30) }))
    .query(({ ctx, input }) => searchEverything(ctx.user, input)),
  /** Messages only, paged. */
  messages: protectedProcedure
    .input(
      z.object({
        query,
        ...scope,
        limit: z.number().int().min(1).max(100).default(30),
        cursor: z.number().int().min(0).max(10_000).nullish(),
      }),
    )
    .query(({ ctx, input }) => searchMessages(ctx.user, input)),
  /** Values for the operator being typed (from:, in:, app:, account:, has:, is:). */
  suggest: protectedProcedure
    .input(
      z.object({
        key: z.enum(["from", "in", "app", "account", "has", "is"]),
        prefix: z.string().max(100, "Suggestions take up to 100 characters"),
      }),
    )
    .query(({ ctx, input }) => searchSuggestions(ctx.user, input)),
});
