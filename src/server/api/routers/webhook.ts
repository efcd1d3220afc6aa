import { z } from "zod";
import { listWebhookEvents, replayEvent, webhookEventDetail, webhookStatusCounts } from "../../services/webhook-log-service.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";

// Ids are PostgreSQL bigints: a 19-digit number beyond its range is no event's id.
const id = z
  .string()
  .regex(/^\d{1,19}$/, "Not a webhook event id")
  .refine((v) => BigInt(v) <= 9223372036854775807n, "Not a webhook event id");

export const webhookRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      z.object({
        status: z.enum(["received", "applied", "duplicate", "rejected", "failed", "deferred"]).optional(),
        event: z.string().trim().max(100).optional(),
        accountId: z.string().trim().max(200).optional(),
        chatId: z.string().trim().max(200).optional(),
        cursor: id.nullish(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ input }) => listWebhookEvents(input)),
  get: adminProcedure.input(z.object({ id })).query(({ input }) => webhookEventDetail(input.id)),
  counts: adminProcedure.query(() => webhookStatusCounts()),
  replay: adminProcedure.input(z.object({ id })).mutation(({ input }) => replayEvent(input.id)),
});
