import { accountRouter } from "./routers/account.ts";
import { chatRouter } from "./routers/chat.ts";
import { contactRouter } from "./routers/contact.ts";
import { labelRouter } from "./routers/label.ts";
import { messageRouter } from "./routers/message.ts";
import { notificationRouter, preferenceRouter, presenceRouter } from "./routers/presence.ts";
import { peopleRouter } from "./routers/people.ts";
import { noteRouter } from "./routers/note.ts";
import { realtimeRouter } from "./routers/realtime.ts";
import { savedReplyRouter } from "./routers/saved-reply.ts";
import { searchRouter } from "./routers/search.ts";
import { securityRouter } from "./routers/security.ts";
import { syncRouter } from "./routers/sync.ts";
import { teamRouter } from "./routers/team.ts";
import { userRouter } from "./routers/user.ts";
import { webhookRouter } from "./routers/webhook.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  chat: chatRouter,
  contact: contactRouter,
  label: labelRouter,
  message: messageRouter,
  notification: notificationRouter,
  preference: preferenceRouter,
  presence: presenceRouter,
  people: peopleRouter,
  note: noteRouter,
  realtime: realtimeRouter,
  savedReply: savedReplyRouter,
  search: searchRouter,
  security: securityRouter,
  sync: syncRouter,
  team: teamRouter,
  user: userRouter,
  webhook: webhookRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
