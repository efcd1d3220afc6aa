// Realtime over SSE: tRPC's client passes the last tracked id when it reconnects, so a stream
// resumes where it stopped. What each stream carries is realtime-service's.
import { tracked } from "@trpc/server";
import { z } from "zod";
import { chatEvents, chatListEvents, syncEvents } from "../../services/realtime-service.ts";
import { adminProcedure, chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";
import { guardStream } from "../../security/stream-guard.ts";

const lastEventId = z.string().regex(/^\d+$/).nullish();

export const realtimeRouter = createTRPCRouter({
  chatList: protectedProcedure.input(z.object({ lastEventId }).optional()).subscription(async function* ({ ctx, input, signal }) {
    const guard = guardStream(ctx.user, signal);
    for await (const { id, event } of chatListEvents(ctx.user, { lastEventId: input?.lastEventId, signal: guard.signal })) yield tracked(id, event);
    guard.finish();
  }),

  chat: chatProcedure.input(z.object({ lastEventId })).subscription(async function* ({ ctx, input, signal }) {
    const guard = guardStream(ctx.user, signal);
    for await (const { id, event } of chatEvents(ctx.user, ctx.chat, { lastEventId: input.lastEventId, signal: guard.signal })) yield tracked(id, event);
    guard.finish();
  }),

  sync: adminProcedure.input(z.object({ lastEventId }).optional()).subscription(async function* ({ ctx, input, signal }) {
    const guard = guardStream(ctx.user, signal);
    for await (const { id, event } of syncEvents({ lastEventId: input?.lastEventId, signal: guard.signal })) yield tracked(id, event);
    guard.finish();
  }),
});
