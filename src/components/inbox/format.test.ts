import { describe, expect, it } from "vitest";
import { snippet } from "@/lib/highlight.ts";
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
    const parts = linkify('javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,<b>');
    expect(parts.every((p) => p.type === "text")).toBe(true);
    expect(parts.map((p) => p.text).join("")).toBe('javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,<b>');
  });
});

describe("snippet", () => {
  it("marks every case-insensitive hit, including fragments inside words", () => {
    const s = snippet("Budgetary talks: the BUDGET is final", "budget");
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(["Budget", "BUDGET"]);
    expect(s.map((x) => x.text).join("")).toBe("Budgetary talks: the BUDGET is final");
  });

  it("cuts long text around the first hit with ellipses", () => {
    const text = `${"lorem ipsum ".repeat(40)}needle ${"dolor sit ".repeat(40)}`;
    const s = snippet(text, "needle", 80);
    expect(s[0]!.text).toBe("…");
    expect(s.at(-1)!.text).toBe("…");
    expect(s.some((x) => x.hit && x.text === "needle")).toBe(true);
  });

  it("escapes regular-expression characters in the query", () => {
    expect(snippet("price (USD) 5$", "(usd)").filter((x) => x.hit).map((x) => x.text)).toEqual(["(USD)"]);
  });
});

describe("names", () => {
  it("makes initials from names, emoji and RTL included", () => {
    expect(initials("Ana Maria Lima")).toBe("AL");
    expect(initials("محمد")).toBe("م");
    expect(initials("  ")).toBe("?");
  });
});
