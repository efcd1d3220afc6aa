// tRPC context and the procedure ladder: public → protected (session) → admin,
// plus chat/account procedures that check the user's grant in one place.
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import { transformer } from "../../lib/transformer.ts";
import { assertAccountAccess, assertChatAccess, type SessionUser } from "../access.ts";
import { noteWrite, routeReads } from "../db-read.ts";
import { metrics, secondsSince } from "../metrics/registry.ts";
import { fieldErrorsOf, toTRPCError, zodSentence } from "../errors.ts";
import { auditAdminMutation } from "../security/audit-procedures.ts";

export type Context = { user: SessionUser | null };

export function createContext(user: SessionUser | null): Context {
  return { user };
}

const t = initTRPC.context<Context>().create({
  transformer,
  // Idle proxies cut silent connections: a ping every 15 s keeps streams open, and a client that
  // hears nothing for 40 s reconnects (with its lastEventId, so it misses nothing).
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  // Invalid input reads as its field messages, never as zod's issue list (which tRPC puts in `message`).
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      message: error.cause instanceof ZodError ? zodSentence(error.cause) : shape.message,
      data: { ...shape.data, zodError: fieldErrorsOf(error) },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Services throw AppError; errors.ts turns it (or anything unexpected) into the tRPC error to send. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

// PostgreSQL cannot store NUL in text, and a lone surrogate is not Unicode: refuse both at the door.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this refuses
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where in the input a string holds a NUL or a lone surrogate ("" for the input itself), or null when none does. */
export function badTextAt(value: unknown, path = ""): string | null {
  if (typeof value === "string") return BAD_TEXT.test(value) ? path : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (BAD_TEXT.test(key)) return at;
    const found = badTextAt(v, at);
    if (found !== null) return found;
  }
  return null;
}

/** Every procedure's input, before its own parsing: no string anywhere in it may hold such characters. */
const refuseBadText = t.middleware(async ({ next, getRawInput }) => {
  const at = badTextAt(await getRawInput());
  if (at !== null) {
    const where = at ? ` (in ${at})` : "";
    throw new TRPCError({ code: "BAD_REQUEST", message: `Text may not contain NUL characters or broken Unicode${where}.` });
  }
  return next();
});

/** Server time per procedure; subscriptions are left out (their "time" is how long a stream stays open). */
const timed = t.middleware(async ({ next, path, type }) => {
  if (type === "subscription") return next();
  const started = performance.now();
  const result = await next();
  metrics().requestLatency.observe({ route: `trpc:${path}`, outcome: result.ok ? "ok" : result.error.code }, secondsSince(started));
  return result;
});

const publicProcedure = t.procedure.use(timed).use(mapAppErrors).use(refuseBadText);

export const protectedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
    return next({ ctx: { user: ctx.user } });
  })
  // A read replica (db-read.ts): queries may read from it; after a mutation its user reads their own write.
  .use(async ({ ctx, type, next }) => {
    if (type === "query") return routeReads(ctx.user.id, () => next());
    const result = await next();
    if (type === "mutation") await noteWrite(ctx.user.id);
    return result;
  });

export const adminProcedure = protectedProcedure.use(async ({ ctx, next, type, path, getRawInput }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Admins only" });
  const result = await next();
  // Every admin change lands in the audit log (security/audit-procedures.ts says what of it).
  if (type === "mutation" && result.ok) await auditAdminMutation(path, ctx.user, await getRawInput());
  return result;
});

/** Any procedure about one chat: input has `chatId`, and the user must hold a grant for its account. */
export const chatProcedure = protectedProcedure
  .input(z.object({ chatId: z.string().min(1) }))
  .use(async ({ ctx, input, next }) => {
    const chat = await assertChatAccess(ctx.user, input.chatId);
    return next({ ctx: { chat } });
  });

/** Any procedure about one account: input has `accountId`. */
export const accountProcedure = protectedProcedure
  .input(z.object({ accountId: z.string().min(1) }))
  .use(async ({ ctx, input, next }) => {
    await assertAccountAccess(ctx.user, input.accountId);
    return next();
  });
