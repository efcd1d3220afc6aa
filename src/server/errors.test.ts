import { TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, errorReply, errorResponse, INTERNAL_MESSAGE, toActionResult, toTRPCError } from "./errors.ts";

const quiet = () => vi.spyOn(console, "error").mockImplementation(() => {});

describe("one mapping for every way out", () => {
  it("maps AppError to the matching tRPC error and HTTP status", async () => {
    const forbidden = toTRPCError(new AppError("FORBIDDEN", "no"));
    expect(forbidden).toBeInstanceOf(TRPCError);
    expect(forbidden.code).toBe("FORBIDDEN");
    expect(toTRPCError(new AppError("UPSTREAM", "down")).code).toBe("BAD_GATEWAY");
    // What tRPC hands the middleware: the service's AppError wrapped as INTERNAL_SERVER_ERROR.
    const wrapped = toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new AppError("NOT_FOUND", "Chat not found") }));
    expect(wrapped).toMatchObject({ code: "NOT_FOUND", message: "Chat not found" });
    const res = errorResponse(new AppError("PAYLOAD_TOO_LARGE", "too big"));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "PAYLOAD_TOO_LARGE", message: "too big" });
    expect(toActionResult(new AppError("CONFLICT", "Already sending"))).toEqual({ ok: false, code: "CONFLICT", error: "Already sending" });
    expect(errorReply(new AppError("UNAUTHORIZED", "Wrong secret"))).toEqual({ status: 401, body: { error: "UNAUTHORIZED", message: "Wrong secret" } });
  });

  it("turns a zod error into 400 with the field messages as one sentence", () => {
    const parsed = z.object({ password: z.string().min(8, "Password must be at least 8 characters") }).safeParse({ password: "x" });
    const result = toActionResult(parsed.error);
    expect(result).toEqual({
      ok: false,
      code: "BAD_REQUEST",
      error: "Password must be at least 8 characters.",
      fields: { password: ["Password must be at least 8 characters"] },
    });
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: parsed.error })).code).toBe("BAD_REQUEST");
  });

  it("passes tRPC's own errors through unchanged", () => {
    const own = new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
    expect(toTRPCError(own)).toBe(own);
  });

  it("hides the details of unexpected errors everywhere, keeping them for the log", async () => {
    const log = quiet();
    const secret = new Error("connection string postgres://secret@db:5432");
    const res = errorResponse(secret);
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret");
    expect(toActionResult(secret)).toEqual({ ok: false, code: "INTERNAL", error: INTERNAL_MESSAGE });
    const trpc = toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: secret }));
    expect(trpc).toMatchObject({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE });
    expect(log).toHaveBeenCalledWith(secret);
    log.mockRestore();
  });
});
