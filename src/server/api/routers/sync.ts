import { z } from "zod";
import { accountHealth, chatHealth, chatHealthList, listRuns, runDetail } from "../../sync/health.ts";
import { lastSweep } from "../../sync/sweep.ts";
import { adminProcedure, chatProcedure, createTRPCRouter } from "../trpc.ts";

export const syncRouter = createTRPCRouter({
  /** Current and past runs, newest first; `automatic` adds the webhook-triggered one-chat syncs. */
  runs: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20), automatic: z.boolean().default(false) }).optional())
    .query(({ input }) => listRuns(input?.limit ?? 20, { automatic: input?.automatic })),
  run: adminProcedure.input(z.object({ runId: z.string().min(1) })).query(({ input }) => runDetail(input.runId)),
  accounts: adminProcedure.query(() => accountHealth()),
  /** When the periodic sweep last ran and what it repaired. */
  lastSweep: adminProcedure.query(() => lastSweep()),
  chats: adminProcedure
    .input(
      z.object({
        accountId: z.string().min(1).optional(),
        failingOnly: z.boolean().optional(),
        query: z.string().trim().max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      }),
    )
    .query(({ input }) => chatHealthList({ ...input, query: input.query || undefined })),
  /** The chat header's health line; anyone who may see the chat may see it, only admins may resync. */
  chatHealth: chatProcedure.query(async ({ ctx }) => ({
    ...(await chatHealth(ctx.chat.id)),
    canResync: ctx.user.role === "admin",
  })),
});
