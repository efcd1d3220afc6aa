// Collision (who has a chat open, who is typing) and the user's own settings and notifications.
// Presence signals are ephemeral (server/presence/presence.ts): never in the replayed event log.
import { z } from "zod";
import { assertChatAccess } from "../../access.ts";
import { PRESENCE_STATES, presenceSignals, signalPresence } from "../../presence/presence.ts";
import { guardStream } from "../../security/stream-guard.ts";
import { mentionNotificationFor, notificationFor, unreadCount } from "../../services/notification-service.ts";
import { getPreferences, preferenceInput, updatePreferences } from "../../services/preference-service.ts";
import { chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

/** How often an open presence stream re-reads the grant: a revoked grant ends it within this. */
const GRANT_RECHECK_MS = 5_000;

export const presenceRouter = createTRPCRouter({
  signal: chatProcedure.input(z.object({ state: z.enum(PRESENCE_STATES) })).mutation(async ({ ctx, input }) => {
    const sent = await signalPresence({ chatId: ctx.chat.id, userId: ctx.user.id, name: ctx.user.name ?? ctx.user.email, state: input.state });
    return { sent };
  }),

  /** Other users' signals for one chat the caller may see. */
  chat: chatProcedure.subscription(async function* ({ ctx, signal }) {
    const guard = guardStream(ctx.user, signal);
    let checkedAt = Date.now();
    for await (const s of await presenceSignals(ctx.chat.id, guard.signal)) {
      if (Date.now() - checkedAt > GRANT_RECHECK_MS) {
        await assertChatAccess(ctx.user, ctx.chat.id);
        checkedAt = Date.now();
      }
      if (s.userId !== ctx.user.id) yield s;
    }
    guard.finish();
  }),
});

export const preferenceRouter = createTRPCRouter({
  get: protectedProcedure.query(({ ctx }) => getPreferences(ctx.user.id)),
  update: protectedProcedure.input(preferenceInput).mutation(({ ctx, input }) => updatePreferences(ctx.user.id, input)),
});

export const notificationRouter = createTRPCRouter({
  unread: protectedProcedure.query(async ({ ctx }) => ({ count: await unreadCount(ctx.user) })),
  about: chatProcedure
    .input(z.object({ messageId: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => notificationFor(ctx.user, ctx.chat, input.messageId)),
  aboutMention: chatProcedure
    .input(z.object({ noteId: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => mentionNotificationFor(ctx.user, ctx.chat, input.noteId)),
});
