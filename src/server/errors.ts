// The one application error type and its one mapping to each way out: a tRPC error, a server
// action's result, an HTTP response (route handlers and the webhook receipt). Services throw
// AppError; a ZodError becomes BAD_REQUEST with its field messages; anything else is logged here and
// leaves as INTERNAL with a generic sentence, so no database or network detail reaches a person.
import { TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { log } from "./log.ts";

const httpStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UPSTREAM: 502,
  INTERNAL: 500,
} as const;

export type AppErrorCode = keyof typeof httpStatus;
/** Field name → its messages, as zod's flattenError gives them. */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly fields: FieldErrors | undefined;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown; fields?: FieldErrors },
  ) {
    super(message, options);
    this.name = "AppError";
    this.fields = options?.fields;
  }
  get status() {
    return httpStatus[this.code];
  }
}

export const INTERNAL_MESSAGE = "Something went wrong on our side. Try again.";

/** The messages of a zod error, one per field, as one sentence (no issue list, no paths). */
export function zodSentence(err: ZodError): string {
  const messages = [...new Set(err.issues.map((i) => i.message.trim()).filter(Boolean))];
  if (messages.length === 0) return "Some of what was sent is not valid.";
  return messages.slice(0, 3).map((m) => (/[.!?]$/.test(m) ? m : `${m}.`)).join(" ");
}

function zodFields(err: ZodError): FieldErrors {
  const { fieldErrors } = z.flattenError(err);
  return Object.fromEntries(Object.entries(fieldErrors).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0));
}

/** Any thrown value as an AppError. Unexpected errors are logged with their detail, which stays here. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("BAD_REQUEST", zodSentence(err), { cause: err, fields: zodFields(err) });
  log.error(err);
  return new AppError("INTERNAL", INTERNAL_MESSAGE, { cause: err });
}

const trpcCode = (code: AppErrorCode) => (code === "UPSTREAM" ? "BAD_GATEWAY" : code === "INTERNAL" ? "INTERNAL_SERVER_ERROR" : code);

/**
 * For tRPC: a procedure's error (tRPC wraps what was thrown as `cause`) as the TRPCError to send.
 * tRPC's own errors (UNAUTHORIZED from the ladder, input validation) pass through as they are.
 */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) {
    if (err.code !== "INTERNAL_SERVER_ERROR" && !(err.cause instanceof AppError)) return err;
    err = err.cause ?? err;
  }
  const app = toAppError(err);
  return new TRPCError({ code: trpcCode(app.code), message: app.message, cause: app });
}

/** The field messages a tRPC error carries to the client (`data.zodError`), whichever side found them. */
export function fieldErrorsOf(err: TRPCError): { formErrors: string[]; fieldErrors: FieldErrors } | null {
  if (err.cause instanceof ZodError) return { formErrors: z.flattenError(err.cause).formErrors, fieldErrors: zodFields(err.cause) };
  if (err.cause instanceof AppError && err.cause.fields) return { formErrors: [], fieldErrors: err.cause.fields };
  return null;
}

export type ErrorBody = { error: AppErrorCode; message: string; fields?: FieldErrors };
/** What a server action returns: its data, or the error's code and sentence (`error`) for the toast. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: AppErrorCode; error: string; fields?: FieldErrors };

const withFields = (app: AppError) => (app.fields ? { fields: app.fields } : {});

function errorBody(app: AppError): ErrorBody {
  return { error: app.code, message: app.message, ...withFields(app) };
}

/** For server actions: the failed result. */
export function toActionResult(err: unknown): Extract<ActionResult<never>, { ok: false }> {
  const app = toAppError(err);
  return { ok: false, code: app.code, error: app.message, ...withFields(app) };
}

/** For HTTP answers built by hand (the webhook receipt): status and JSON body. */
export function errorReply(err: unknown): { status: number; body: ErrorBody } {
  const app = toAppError(err);
  return { status: app.status, body: errorBody(app) };
}

/** For route handlers: a JSON error response with the right status. */
export function errorResponse(err: unknown): Response {
  const { status, body } = errorReply(err);
  return Response.json(body, { status });
}
