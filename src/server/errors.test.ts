import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError, errorResponse, toTRPCError } from "./errors.ts";

describe("AppError", () => {
  it("maps to the matching tRPC error and HTTP status", async () => {
    const forbidden = toTRPCError(new AppError("FORBIDDEN", "no")) as TRPCError;
    expect(forbidden).toBeInstanceOf(TRPCError);
    expect(forbidden.code).toBe("FORBIDDEN");
    expect((toTRPCError(new AppError("UPSTREAM", "down")) as TRPCError).code).toBe("BAD_GATEWAY");
    const res = errorResponse(new AppError("PAYLOAD_TOO_LARGE", "too big"));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "PAYLOAD_TOO_LARGE", message: "too big" });
  });

  it("hides the details of unexpected errors from HTTP clients", async () => {
    const res = errorResponse(new Error("connection string postgres://secret@db"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret");
  });
});
