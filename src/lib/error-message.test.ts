import { describe, expect, it } from "vitest";
import { errorMessage, unipileSentence } from "./error-message.ts";

describe("errorMessage", () => {
  it("prefers a tRPC error's zod field messages over its message", () => {
    const trpcError = {
      message: '[{"origin":"string","code":"too_small","minimum":8,"path":["password"],"message":"Password must be at least 8 characters"}]',
      data: { code: "BAD_REQUEST", httpStatus: 400, zodError: { formErrors: [], fieldErrors: { password: ["Password must be at least 8 characters"] } } },
    };
    expect(errorMessage(trpcError)).toBe("Password must be at least 8 characters.");
  });

  it("reads a zod issue list given as the message, never showing the JSON", () => {
    const raw = '[\n  {\n    "code": "too_small",\n    "path": ["password"],\n    "message": "Password must be at least 8 characters"\n  }\n]';
    expect(errorMessage(new Error(raw))).toBe("Password must be at least 8 characters.");
    expect(errorMessage("[not json")).toBe("Something went wrong. Try again.");
  });

  it("reads a server action's result, with its field messages first", () => {
    expect(errorMessage({ ok: false, code: "CONFLICT", error: "This message is already being sent" })).toBe("This message is already being sent.");
    expect(errorMessage({ ok: false, code: "BAD_REQUEST", error: "Invalid", fields: { chatId: ["Missing id"] } })).toBe("Missing id.");
  });

  it("says the session ended for UNAUTHORIZED", () => {
    expect(errorMessage({ message: "Sign in first", data: { code: "UNAUTHORIZED" } })).toBe("Your session ended. Sign in again.");
  });

  it("turns a request that never arrived into a sentence about the connection", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe("Could not reach Parley. Check your connection and try again.");
    expect(errorMessage({ message: "fetch failed", data: undefined })).toBe("Could not reach Parley. Check your connection and try again.");
    expect(errorMessage(new SyntaxError(`Unexpected token '<', "<html>" is not valid JSON`))).toBe("Parley did not answer properly. Try again in a moment.");
  });

  it("turns a stored send failure from Unipile into what to do, whole (no cut-off status line)", () => {
    expect(errorMessage("Unipile answered 401 (Disconnected account: The account is CREDENTIALS; reconnect it.)")).toBe(
      "This account is disconnected. Reconnect it in Unipile, then try again.",
    );
    expect(errorMessage("Unipile answered 503 (Service unavailable)")).toBe("Unipile had a problem. Try again in a moment.");
    expect(errorMessage("Unipile answered 422 (Cannot send message: The recipient blocked you)")).toBe("Unipile refused this: cannot send message.");
    expect(errorMessage("Unipile could not be reached (fetch failed: connect ECONNREFUSED 127.0.0.1:4301)")).toBe(
      "Unipile could not be reached. Try again in a moment.",
    );
  });

  it("keeps the server's own words before a Unipile error and words the Unipile part", () => {
    const text = "Marked read here, but Unipile did not accept it: Unipile 401 errors/disconnected_account: Disconnected account (reconnect it)";
    expect(errorMessage(text)).toBe("Marked read here, but Unipile did not accept it. This account is disconnected. Reconnect it in Unipile, then try again.");
  });

  it("never shows an internal address or socket error", () => {
    const said = errorMessage(new Error("connect ECONNREFUSED 10.0.0.7:5432"));
    expect(said).not.toMatch(/10\.0\.0\.7|5432|ECONNREFUSED/);
    expect(errorMessage("getaddrinfo ENOTFOUND db.internal")).not.toContain("db.internal");
  });

  it("makes any other text a sentence and falls back when there is nothing to say", () => {
    expect(errorMessage("only admins can start a resync")).toBe("Only admins can start a resync.");
    expect(errorMessage(undefined)).toBe("Something went wrong. Try again.");
    expect(errorMessage({}, "Could not save.")).toBe("Could not save.");
    expect(errorMessage(42)).toBe("Something went wrong. Try again.");
  });
});

describe("unipileSentence", () => {
  it("tells our API key apart from a disconnected account", () => {
    expect(unipileSentence(401, "errors/missing_credentials", "Missing credentials")).toMatch(/API key/);
    expect(unipileSentence(401, "errors/disconnected_account")).toMatch(/Reconnect it in Unipile/);
    expect(unipileSentence(429)).toMatch(/Wait a minute/);
    expect(unipileSentence(0, "client/timeout")).toBe("Unipile could not be reached. Try again in a moment.");
  });
});
