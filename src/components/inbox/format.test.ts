import { describe, expect, it } from "vitest";
import { initials, linkify } from "./format.ts";

describe("linkify", () => {
  it("turns http(s) and www links into links and leaves the rest as text", () => {
    expect(linkify("see https://example.com/a?b=1, and www.parley.dev.")).toEqual([
      { type: "text", text: "see " },
      { type: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { type: "text", text: ", and " },
      { type: "link", text: "www.parley.dev", href: "https://www.parley.dev" },
      { type: "text", text: "." },
    ]);
  });

  it("never makes a javascript: or data: URL clickable, and keeps markup as plain text", () => {
    const parts = linkify("javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,<b>");
    expect(parts.every((p) => p.type === "text")).toBe(true);
    expect(parts.map((p) => p.text).join("")).toBe("javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,<b>");
  });
});

describe("names", () => {
  it("makes initials from names, emoji and RTL included", () => {
    expect(initials("Ana Maria Lima")).toBe("AL");
    expect(initials("محمد")).toBe("م");
    expect(initials("  ")).toBe("?");
  });
});
