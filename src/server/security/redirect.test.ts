import { describe, expect, it } from "vitest";
import { safeNextPath } from "./redirect.ts";

describe("safeNextPath: after sign-in, only our own origin", () => {
  it.each([
    ["/", "/"],
    ["/chats/abc?x=1#m2", "/chats/abc?x=1#m2"],
    ["/admin/sync", "/admin/sync"],
  ])("keeps the local path %s", (input, expected) => expect(safeNextPath(input)).toBe(expected));

  it.each([
    "//evil.example/x",
    "/\\evil.example/x",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%2F%2Fevil.example/x",
    "/%5Cevil.example/x",
    "https://evil.example/",
    "evil.example",
    "javascript:alert(1)",
    "",
  ])("sends %j home instead", (input) => expect(safeNextPath(input)).toBe("/"));

  it("refuses what is not a string", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/a", "//b"])).toBe("/");
  });
});
