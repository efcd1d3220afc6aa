import { accountRouter } from "./routers/account.ts";
import { chatRouter } from "./routers/chat.ts";
import { realtimeRouter } from "./routers/realtime.ts";
import { userRouter } from "./routers/user.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  chat: chatRouter,
  realtime: realtimeRouter,
  user: userRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
