import { describe, expect, it } from "vitest";
import { parseLsn } from "./db-read.ts";

describe("WAL positions", () => {
  it("orders positions as the WAL does, across the 32-bit boundary of the low half", () => {
    expect(parseLsn("0/16B3748") < parseLsn("0/16B3750")).toBe(true);
    expect(parseLsn("0/FFFFFFFF") < parseLsn("1/0")).toBe(true);
    expect(parseLsn("1A/0") > parseLsn("9/FFFFFFFF")).toBe(true);
    expect(parseLsn("16/b374d848")).toBe(parseLsn("16/B374D848"));
  });

  it("refuses anything that is not a position", () => {
    for (const bad of ["", "16", "16/", "/1", "x/1", "1/2/3", "123456789/0"]) expect(() => parseLsn(bad)).toThrow(/not a WAL position/);
  });
});
