// Realtime over SSE: every stream listens first, then catches up from lastEventId (tRPC's client
// passes the last tracked id when it reconnects), and only carries events of accounts the user may see.
import { tracked } from "@trpc/server";
import { z } from "zod";
import { visibleAccountIds } from "../../access.ts";
import { type RealtimeEvent, subscribe } from "../../realtime/bus.ts";
import { adminProcedure, chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";
import type { SessionUser } from "../../access.ts";
import { guardStream } from "../../security/stream-guard.ts";

const lastEventId = z.string().regex(/^\d+$/).nullish();

/** Grants can change while a stream is open: re-read them at most every few seconds. */
function accountGate(user: SessionUser) {
  let ids: Promise<string[] | "all"> | null = null;
  let readAt = 0;
  return async (accountId: string) => {
    if (!ids || Date.now() - readAt > 5_000) {
      readAt = Date.now();
      ids = visibleAccountIds(user);
    }
    const visible = await ids;
    return visible === "all" || visible.includes(accountId);
  };
}

const LIST_TYPES = new Set<RealtimeEvent["type"]>(["chat.updated", "message.upserted", "account.updated"]);

export const realtimeRouter = createTRPCRouter({
  /** The inbox's chat list: chat rows, new or changed messages and account health. */
  chatList: protectedProcedure
    .input(z.object({ lastEventId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const maySee = accountGate(ctx.user);
      const guard = guardStream(ctx.user, signal);
      const stream = await subscribe((e) => LIST_TYPES.has(e.type), { lastEventId: input?.lastEventId, signal: guard.signal });
      for await (const { id, event } of stream) {
        if ("accountId" in event && event.accountId && (await maySee(event.accountId))) yield tracked(id, event);
      }
      guard.finish();
    }),

  /** One open chat: its messages (new, edited, status, reactions) and its row. */
  chat: chatProcedure
    .input(z.object({ lastEventId }))
    .subscription(async function* ({ ctx, input, signal }) {
      const maySee = accountGate(ctx.user);
      const guard = guardStream(ctx.user, signal);
      const stream = await subscribe((e) => "chatId" in e && e.chatId === ctx.chat.id, { lastEventId: input.lastEventId, signal: guard.signal });
      for await (const { id, event } of stream) {
        // A revoked grant ends what this stream may carry.
        if (await maySee(ctx.chat.accountId)) yield tracked(id, event);
      }
      guard.finish();
    }),

  /** Sync progress, admins only. */
  sync: adminProcedure
    .input(z.object({ lastEventId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const guard = guardStream(ctx.user, signal);
      const stream = await subscribe((e) => e.type === "sync.progress", { lastEventId: input?.lastEventId, signal: guard.signal });
      for await (const { id, event } of stream) yield tracked(id, event);
      guard.finish();
    }),
});
