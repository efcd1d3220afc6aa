// The one application error type. Services throw AppError; tRPC and route handlers map it once.
import { TRPCError } from "@trpc/server";

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

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
  get status() {
    return httpStatus[this.code];
  }
}

export function toTRPCError(err: unknown): TRPCError | unknown {
  if (!(err instanceof AppError)) return err;
  const code =
    err.code === "UPSTREAM" ? "BAD_GATEWAY" : err.code === "INTERNAL" ? "INTERNAL_SERVER_ERROR" : err.code;
  return new TRPCError({ code, message: err.message, cause: err });
}

/** For route handlers: a JSON error response with the right status. */
export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) return Response.json({ error: err.code, message: err.message }, { status: err.status });
  console.error(err);
  return Response.json({ error: "INTERNAL", message: "Internal error" }, { status: 500 });
}
