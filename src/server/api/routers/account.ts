import { listAccounts } from "../../services/account-service.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const accountRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listAccounts(ctx.user)),
});
